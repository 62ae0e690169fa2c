//! Deciding what a finished call tells about the backend's health.

use mycel::breaker::Outcome;

/// Turns a call's result into the [`Outcome`] the breaker records.
///
/// [`Outcome::Failure`] counts against the backend, [`Outcome::Success`] for it, and
/// [`Outcome::Ignored`] says nothing about it (a client-side error, a cancellation).
/// Whether a success or failure was also *slow* is not the classifier's choice: the
/// breaker measures the call with its clock against the configured slow-call threshold
/// ([`SlowCallPolicy`](mycel::breaker::SlowCallPolicy)).
///
/// Any `Fn(&Result<T, E>) -> Outcome` is a classifier.
pub trait Classify<T, E> {
    /// The outcome of a call that returned `result`.
    fn classify(&self, result: &Result<T, E>) -> Outcome;
}

impl<T, E, F: Fn(&Result<T, E>) -> Outcome> Classify<T, E> for F {
    #[inline]
    fn classify(&self, result: &Result<T, E>) -> Outcome {
        self(result)
    }
}

/// The default classifier: every `Ok` is a success and every `Err` a failure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorsAreFailures;

impl<T, E> Classify<T, E> for ErrorsAreFailures {
    #[inline]
    fn classify(&self, result: &Result<T, E>) -> Outcome {
        match result {
            Ok(_) => Outcome::Success,
            Err(_) => Outcome::Failure,
        }
    }
}

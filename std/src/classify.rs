//! Deciding what a finished call tells about the backend's health.

use mycel::breaker::{Outcome, Verdict};

/// Turns a call's result into the [`Verdict`] the breaker records: its [`Outcome`] and
/// whether it was slow.
///
/// [`Outcome::Failure`] counts against the backend, [`Outcome::Success`] for it, and
/// [`Outcome::Ignored`] says nothing about it (a client-side error, a cancellation).
/// Whether a success or failure was also *slow* is the verdict's
/// [`speed`](Verdict::speed): [`Speed::Timed`](mycel::breaker::Speed::Timed) (what an
/// [`Outcome`] converts into) lets the breaker time the call with its clock against
/// the configured slow-call threshold; [`Speed::Slow`](mycel::breaker::Speed::Slow)
/// and [`Speed::NotSlow`](mycel::breaker::Speed::NotSlow) decide instead (a response
/// that says it was served degraded, a latency the backend reported). A verdict on
/// slowness counts only when the breaker has a slow-call policy
/// ([`SlowCallPolicy`](mycel::breaker::SlowCallPolicy)); an ignored outcome is never
/// slow.
///
/// Any `Fn(&Result<T, E>) -> R` where `R` is an [`Outcome`] or a [`Verdict`] is a
/// classifier.
pub trait Classify<T, E> {
    /// The verdict on a call that returned `result`.
    fn classify(&self, result: &Result<T, E>) -> Verdict;
}

impl<T, E, R, F> Classify<T, E> for F
where
    F: Fn(&Result<T, E>) -> R,
    R: Into<Verdict>,
{
    #[inline]
    fn classify(&self, result: &Result<T, E>) -> Verdict {
        self(result).into()
    }
}

/// The default classifier: every `Ok` is a success and every `Err` a failure, both
/// timed by the breaker's clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorsAreFailures;

impl<T, E> Classify<T, E> for ErrorsAreFailures {
    #[inline]
    fn classify(&self, result: &Result<T, E>) -> Verdict {
        Verdict::timed(match result {
            Ok(_) => Outcome::Success,
            Err(_) => Outcome::Failure,
        })
    }
}

//! [`ResponseFuture`]: owns the permit until the response is in.

use crate::{CallError, Classify, Clock, OwnedPermit, Rejection};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// The response of a [`CircuitBreakerService`](super::CircuitBreakerService).
///
/// Holds the call's permit: when the inner future finishes, the permit records the
/// classified outcome; when this future is dropped first (a timeout, a client that
/// went away), the permit records `Ignored` and frees its half-open probe slot.
#[pin_project::pin_project]
#[must_use = "futures do nothing unless polled"]
pub struct ResponseFuture<F, C: Clock, const W: usize, const B: usize, K> {
    #[pin]
    inner: Option<F>,
    permit: Option<OwnedPermit<C, W, B>>,
    rejection: Option<Rejection>,
    classify: K,
}

impl<F, C: Clock, const W: usize, const B: usize, K> ResponseFuture<F, C, W, B, K> {
    pub(super) fn called(inner: F, permit: OwnedPermit<C, W, B>, classify: K) -> Self {
        Self {
            inner: Some(inner),
            permit: Some(permit),
            rejection: None,
            classify,
        }
    }

    pub(super) fn rejected(rejection: Rejection, classify: K) -> Self {
        Self {
            inner: None,
            permit: None,
            rejection: Some(rejection),
            classify,
        }
    }
}

impl<F, T, E, C: Clock, const W: usize, const B: usize, K> Future for ResponseFuture<F, C, W, B, K>
where
    F: Future<Output = Result<T, E>>,
    K: Classify<T, E>,
{
    type Output = Result<T, CallError<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Some(rejection) = this.rejection.take() {
            return Poll::Ready(Err(CallError::Rejected(rejection)));
        }
        let Some(inner) = this.inner.as_pin_mut() else {
            // Polled again after it finished: a contract breach that has no answer left.
            return Poll::Pending;
        };
        let result = ready!(inner.poll(cx));
        if let Some(permit) = this.permit.take() {
            permit.record(this.classify.classify(&result));
        }
        Poll::Ready(result.map_err(CallError::Inner))
    }
}

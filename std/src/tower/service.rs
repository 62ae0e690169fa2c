//! [`CircuitBreakerService`]: asks the breaker before each request.

use super::ResponseFuture;
use crate::{CallError, Classify, Clock, SharedBreaker};
use std::task::{Context, Poll};

/// A service whose requests go to the inner service only when the breaker permits.
///
/// # `poll_ready`
/// `poll_ready` is the inner service's `poll_ready`, no more: the breaker never makes
/// a service "not ready". An OPEN breaker is an answer, not backpressure: `call`
/// returns at once a future that resolves to [`CallError::Rejected`] (with the
/// retry-after), and the inner service is not called. Waiting in `poll_ready` instead
/// would queue requests for the whole open period and need a timer to wake the task.
/// As in any tower service, readiness reserved in the inner service by `poll_ready`
/// is kept for the next `call` when a call is rejected.
///
/// # Permits
/// `call` takes the permit; the [`ResponseFuture`] owns it, so dropping the future
/// before the response is in records the call as ignored and frees a half-open probe
/// slot (the shape of tower's `limit::concurrency`).
#[derive(Debug, Clone)]
pub struct CircuitBreakerService<S, C: Clock, const W: usize, const B: usize, K> {
    inner: S,
    breaker: SharedBreaker<C, W, B>,
    classify: K,
}

impl<S, C: Clock, const W: usize, const B: usize, K> CircuitBreakerService<S, C, W, B, K> {
    /// `inner` protected by `breaker`, `classify` deciding each response's outcome.
    pub fn new(inner: S, breaker: SharedBreaker<C, W, B>, classify: K) -> Self {
        Self {
            inner,
            breaker,
            classify,
        }
    }

    /// The breaker protecting the service.
    pub fn breaker(&self) -> &SharedBreaker<C, W, B> {
        &self.breaker
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, Req, C: Clock, const W: usize, const B: usize, K> tower_service::Service<Req>
    for CircuitBreakerService<S, C, W, B, K>
where
    S: tower_service::Service<Req>,
    K: Classify<S::Response, S::Error> + Clone,
{
    type Response = S::Response;
    type Error = CallError<S::Error>;
    type Future = ResponseFuture<S::Future, C, W, B, K>;

    /// The inner service's readiness; the breaker never delays it (see the type's
    /// documentation).
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(CallError::Inner)
    }

    /// Asks the breaker for a permit: granted, the request goes to the inner service
    /// and the returned future holds the permit; rejected, the future resolves to the
    /// rejection at its first poll and the inner service never sees the request.
    fn call(&mut self, request: Req) -> Self::Future {
        match self.breaker.acquire_owned() {
            Ok(permit) => {
                ResponseFuture::called(self.inner.call(request), permit, self.classify.clone())
            }
            Err(rejection) => ResponseFuture::rejected(rejection, self.classify.clone()),
        }
    }
}

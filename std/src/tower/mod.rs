//! A `tower` middleware that protects a service with a [`SharedBreaker`](crate::SharedBreaker).
//!
//! Shaped like tower's `limit::concurrency`: [`CircuitBreakerLayer`] holds the
//! configuration, [`CircuitBreakerService`] asks the breaker for a permit in `call`,
//! and [`ResponseFuture`] owns the permit, so a response future that is dropped
//! gives it back (recorded as ignored).
//!
//! # `poll_ready`
//! [`CircuitBreakerService::poll_ready`] is the inner service's `poll_ready`, no
//! more: the breaker never makes a service "not ready". An OPEN breaker is an answer,
//! not backpressure: `call` returns at once a future that resolves to
//! [`CallError::Rejected`](crate::CallError::Rejected) (with the retry-after), and
//! the inner service is not called. Waiting in `poll_ready` instead would queue
//! requests for the whole open period and need a timer to wake the task.
//! As in any tower service, the readiness `poll_ready` reserved in the inner service
//! is kept for the next `call` when a call is rejected.

mod future;
mod layer;
mod service;

pub use future::ResponseFuture;
pub use layer::CircuitBreakerLayer;
pub use service::CircuitBreakerService;

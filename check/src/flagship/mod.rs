//! The flagship proof: the request pipeline with a circuit breaker inside, explored
//! state by state.
//!
//! The [`Pipeline`] net routes each request through a [`CircuitBreaker`]
//! (`mycel::breaker::in_net::Admit` on `route`, `Report` on `record`); the backend is
//! outside the net. [`PipelineModel`] makes it an explorer
//! [`ValueSystem`](crate::explore::ValueSystem), searched through
//! [`InternedModel`](crate::explore::InternedModel), whose steps are the outside events ([`Step`]): a request arrives, the backend
//! answers the oldest forwarded call with success or failure, or time jumps to the
//! breaker's next deadline. After each, the net runs until nothing is enabled. A state
//! is the whole pipeline at rest: every token by value in queue order (with its permit
//! and answer) and the breaker's full state, told apart by their serde bytes.
//!
//! [`prove`] visits every reachable state breadth-first and checks, on each:
//!
//! - **OPEN never forwards**: no `route` firing sent a request to `forwarded` while the
//!   breaker was open at the firing's instant ([`is_open_at`]), and every request at
//!   the backend holds a permit (the same property seen in the state alone);
//! - **HALF_OPEN limits its probes**: no more probes of the breaker's current
//!   generation are at the backend than its `max_permits`;
//! - **no token is lost**: every request injected is in exactly one place (requests
//!   the backend is answering stay in `forwarded` until the answer comes back);
//! - **no deadlock**: a state where nothing can happen has every request ended, done
//!   or rejected.
//!
//! ## Time: an untimed over-approximation
//!
//! Requests and answers arrive at the current instant; only [`Step::Timeout`] moves
//! time, straight to the breaker's next deadline, and it is enabled whenever the
//! breaker has one. So a timeout may happen between any two events, or not before any
//! of them: every order of events and deadlines is explored, whatever the real delays
//! are. This covers every timed behaviour for a breaker whose only timing is its
//! deadlines (the consecutive-failure and count-window policies, without slow calls or
//! a time window); it may include orders real delays exclude, which is safe for the
//! properties checked. The breaker's instants and generation are part of the state, so
//! states that differ only in them are not merged.
//!
//! ```
//! use mycel::breaker::BreakerConfig;
//! use mycel::time::Duration;
//! use mycel_check::flagship::{Admission, PipelineModel, prove};
//!
//! let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 1);
//! let model = PipelineModel::new(2, config, Admission::Breaker)?;
//! let proof = prove(&model, 100_000)?;
//! assert!(proof.holds());
//! assert!(proof.breaker_opens.is_some());
//! # Ok::<(), mycel_check::flagship::PipelineError>(())
//! ```

mod model;
mod pipeline;
mod proof;

pub use model::{PipelineError, PipelineModel, PipelineState, Step};
pub use pipeline::{
    Admission, Call, MAX_REQUESTS, Pipeline, PipelineApp, PipelinePlaces, PipelineTransition,
    PipelineTransitions, is_open_at,
};
pub use proof::{PipelineProof, prove};

#[doc(no_inline)]
pub use mycel::breaker::CircuitBreaker;

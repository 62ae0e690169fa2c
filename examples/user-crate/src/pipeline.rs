//! The request pipeline with the breaker inside: the net owns the breaker, `route` asks
//! it for a permit and `record` reports the backend's answer to it, both declared in the
//! `net!` block; the breaker's open period joins the net's `next_deadline`. The
//! application's behaviour only does what is its own: validating and calling the
//! backend.

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{BreakerConfig, CircuitBreaker, ConfigError, Outcome, Permit};
use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::time::{Duration, Instant};

/// A request token; it picks up its permit at `route` and its answer at `backend`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Request {
    /// The request's number; `u32::MAX` is malformed.
    pub id: u32,
    /// Whether the backend will answer it well.
    pub healthy: bool,
    /// The breaker's permit, once admitted.
    pub permit: Option<Permit>,
    /// The backend's answer, once it has answered.
    pub ok: bool,
}

mycel::net! {
    /// input -> validate -> route (breaker) -> backend -> record (breaker) -> done.
    #[derive(Clone)]
    pub net Pipeline: Request {
        machines {
            /// Three failures in a row open it for 5 s; one probe closes it.
            breaker: CircuitBreaker,
        }
        places {
            input: 16,
            validated: 16,
            admitted: 16,
            rejected: 16,
            responded: 16,
            done: 16,
            invalid: 16,
        }
        transitions {
            validate [error = invalid]: input -> validated,
            route [machine = breaker, binding = ADMIT]: validated -> admitted + rejected,
            backend: admitted -> responded,
            record [machine = breaker, binding = REPORT]: responded -> done,
        }
    }
}

const ADMIT: Admit<Request> = Admit {
    forwarded: Pipeline::PLACES.admitted.id(),
    rejected: Pipeline::PLACES.rejected.id(),
    attach: |request, permit| Request {
        permit: Some(permit),
        ..*request
    },
};

const REPORT: Report<Request> = Report {
    done: Pipeline::PLACES.done.id(),
    outcome: |request| {
        let outcome = if request.ok {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        request.permit.map(|permit| (permit, outcome))
    },
};

/// A malformed request.
pub const MALFORMED: Fault = Fault(1);

/// The breaker the pipeline starts with: three failures in a row open it for 5 s; one
/// probe closes it.
///
/// # Errors
/// Never for this configuration; the type says a configuration can be refused.
pub fn breaker(now: Instant) -> Result<CircuitBreaker, ConfigError> {
    CircuitBreaker::new(
        BreakerConfig::consecutive(3, Duration::from_secs(5), 1),
        now,
    )
}

/// A pipeline with a CLOSED breaker started at `now`.
///
/// # Errors
/// As [`breaker`].
pub fn pipeline(now: Instant) -> Result<Pipeline, ConfigError> {
    Ok(Pipeline::new(breaker(now)?))
}

/// The application's own transitions: `validate` and the `backend` call. The net feeds
/// `route` and `record` to its breaker itself.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct App;

impl Behaviour<Request> for App {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Request>,
        _: Instant,
    ) -> Result<(), Fault> {
        use PipelineTransition as T;
        match Pipeline::transition_of(transition) {
            Some(T::Validate) => {
                if firing.input(0).is_some_and(|r| r.id == u32::MAX) {
                    return Err(MALFORMED);
                }
                firing
                    .forward(0, Pipeline::PLACES.validated)
                    .map_err(|_| MALFORMED)
            }
            Some(T::Backend) => {
                let Some(&request) = firing.input(0) else {
                    return Err(MALFORMED);
                };
                let answered = Request {
                    ok: request.healthy,
                    ..request
                };
                firing
                    .emit(Pipeline::PLACES.responded, answered)
                    .map_err(|_| MALFORMED)
            }
            // `route` and `record` belong to the breaker: the net never asks for them.
            Some(T::Route | T::Record) | None => Err(MALFORMED),
        }
    }
}

//! The request pipeline with the breaker inside: `route` asks the breaker for a permit,
//! `record` reports the backend's answer to it, and the breaker's open period joins the
//! net's `next_deadline`.

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{BreakerConfig, CircuitBreaker, ConfigError, Outcome, Permit};
use mycel::embed;
use mycel::fsm::ChangeSink;
use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::time::{Duration, Instant};

/// A request token; it picks up its permit at `route` and its answer at `backend`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
    pub net Pipeline: Request {
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
            route: validated -> admitted + rejected,
            backend: admitted -> responded,
            record: responded -> done,
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

/// The code behind the pipeline's transitions: the breaker `route` and `record` share.
pub struct App {
    /// The breaker inside the net.
    pub breaker: CircuitBreaker,
}

impl App {
    /// Three failures in a row open the breaker for 5 s; one probe closes it.
    ///
    /// # Errors
    /// Never for this configuration; the type says a configuration can be refused.
    pub fn new(now: Instant) -> Result<Self, ConfigError> {
        let config = BreakerConfig::consecutive(3, Duration::from_secs(5), 1);
        Ok(Self {
            breaker: CircuitBreaker::new(config, now)?,
        })
    }
}

impl Behaviour<Request> for App {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Request>,
        now: Instant,
    ) -> Result<(), Fault> {
        use PipelineTransition as T;
        let breaker = self.breaker.state_machine_mut();
        match Pipeline::transition_of(transition) {
            Some(T::Validate) => {
                if firing.input(0).is_some_and(|r| r.id == u32::MAX) {
                    return Err(MALFORMED);
                }
                firing
                    .forward(0, Pipeline::PLACES.validated.id())
                    .map_err(|_| MALFORMED)
            }
            Some(T::Route) => embed::fire(breaker, &ADMIT, firing, now),
            Some(T::Backend) => {
                let Some(&request) = firing.input(0) else {
                    return Err(MALFORMED);
                };
                let answered = Request {
                    ok: request.healthy,
                    ..request
                };
                firing
                    .emit(Pipeline::PLACES.responded.id(), answered)
                    .map_err(|_| MALFORMED)
            }
            Some(T::Record) => embed::fire(breaker, &REPORT, firing, now),
            None => Err(MALFORMED),
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.breaker.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        self.breaker.poll_into(now, changes);
    }
}

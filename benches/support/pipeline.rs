//! The request pipeline with the breaker inside:
//!
//! ```text
//! input -> validate -> validated -> route (breaker: acquire) -> admitted -> backend
//!            \-> invalid                 \-> rejected                    -> responded
//!                                                     record (breaker: record) -> done
//! ```
//!
//! `route` and `record` share one [`CircuitBreaker`] through the engine's `Admit` and
//! `Report` bindings; `backend` is a stub that answers at once (every 16th call
//! fails, which never trips the breaker). One request is four firings.

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{BreakerConfig, CircuitBreaker, CountWindowPolicy, Outcome, Permit};
use mycel::embed;
use mycel::fsm::ChangeSink;
use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::time::{Duration, Instant};

/// Requests sent through the pipeline per round (the input place's capacity).
pub const BATCH: usize = 16;
/// Firings per request: validate, route, backend, record.
pub const FIRINGS_PER_REQUEST: u32 = 4;

/// A request token; it picks up its permit at `route` and its answer at `backend`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Request {
    /// Sequence number; a request with `id == u32::MAX` is invalid.
    pub id: u32,
    /// The breaker's permit, once admitted.
    pub permit: Option<Permit>,
    /// The backend's answer, once it has answered.
    pub ok: bool,
}

mycel::net! {
    /// The pipeline net: every place holds a full batch of 16.
    pub net PipelineNet: Request {
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

const P: PipelineNetPlaces = PipelineNet::PLACES;

/// The application behind the pipeline's transitions: the breaker and its bindings.
pub struct App {
    /// The breaker shared by `route` and `record`.
    pub breaker: CircuitBreaker,
    admit: Admit<Request>,
    report: Report<Request>,
}

impl Behaviour<Request> for App {
    #[inline]
    fn fire(
        &mut self,
        t: TransitionId,
        firing: &mut Firing<'_, Request>,
        now: Instant,
    ) -> Result<(), Fault> {
        use PipelineNetTransition as T;
        match PipelineNet::transition_of(t) {
            Some(T::Validate) => {
                if firing.input(0).is_some_and(|r| r.id == u32::MAX) {
                    return Err(Fault(1));
                }
                firing.forward(0, P.validated).map_err(|_| Fault(2))
            }
            Some(T::Route) => {
                embed::fire(self.breaker.state_machine_mut(), &self.admit, firing, now)
            }
            Some(T::Backend) => {
                let Some(&request) = firing.input(0) else {
                    return Err(Fault(3));
                };
                let answer = Request {
                    ok: request.id % 16 != 0,
                    ..request
                };
                firing.emit(P.responded, answer).map_err(|_| Fault(4))
            }
            Some(T::Record) => {
                embed::fire(self.breaker.state_machine_mut(), &self.report, firing, now)
            }
            None => Err(Fault(u16::MAX)),
        }
    }

    #[inline]
    fn next_deadline(&self) -> Option<Instant> {
        self.breaker.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        let _ = self.breaker.poll_into(now, changes);
    }
}

/// The breaker inside the pipeline: 5 consecutive failures or 50% of the last 100
/// calls (from 20) trip it for 30 s.
pub fn breaker_config() -> BreakerConfig {
    BreakerConfig::consecutive(5, Duration::from_secs(30), 1).with_count_window(CountWindowPolicy {
        size: 100,
        failure_rate_percent: 50,
        minimum_calls: 20,
    })
}

/// A pipeline whose places can each hold a full batch, and its application.
pub fn pipeline() -> (PipelineNet, App) {
    let net = PipelineNet::new();
    let app = App {
        breaker: CircuitBreaker::new(breaker_config(), Instant::from_ticks(0))
            .expect("valid breaker config"),
        admit: Admit {
            forwarded: P.admitted.id(),
            rejected: P.rejected.id(),
            attach: |request, permit| Request {
                permit: Some(permit),
                ..*request
            },
        },
        report: Report {
            done: P.done.id(),
            outcome: |request| {
                request.permit.map(|permit| {
                    let outcome = if request.ok {
                        Outcome::Success
                    } else {
                        Outcome::Failure
                    };
                    (permit, outcome)
                })
            },
        },
    };
    (net, app)
}

/// Sends one batch of [`BATCH`] requests through at `now`: inject them, run the net
/// until it is idle, take every answer from `done`. `next_id` numbers the requests.
/// Returns how many requests completed.
#[inline]
pub fn round(net: &mut PipelineNet, app: &mut App, now: Instant, next_id: &mut u32) -> u32 {
    for _ in 0..BATCH {
        let request = Request {
            id: *next_id,
            permit: None,
            ok: false,
        };
        *next_id = next_id.wrapping_add(1) % (u32::MAX - 1);
        net.inject(P.input, request, now).expect("input has room");
    }
    let budget = FIRINGS_PER_REQUEST * BATCH as u32;
    let report = net.run(now, budget, app).expect("time moves forward");
    debug_assert_eq!(report.fired, budget);
    let mut completed = 0;
    while net.take(P.done).is_ok() {
        completed += 1;
    }
    completed
}

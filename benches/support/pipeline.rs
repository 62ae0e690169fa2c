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
use mycel::net::{NetBuilder, PlaceId, TransitionId, TransitionSpec};
use mycel::sched::{Behaviour, Fault, Firing, Net};
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

const INPUT: PlaceId = PlaceId::new(0);
const VALIDATED: PlaceId = PlaceId::new(1);
const ADMITTED: PlaceId = PlaceId::new(2);
const REJECTED: PlaceId = PlaceId::new(3);
const RESPONDED: PlaceId = PlaceId::new(4);
const DONE: PlaceId = PlaceId::new(5);
const INVALID: PlaceId = PlaceId::new(6);

const VALIDATE: TransitionId = TransitionId::new(0);
const ROUTE: TransitionId = TransitionId::new(1);
const BACKEND: TransitionId = TransitionId::new(2);
const RECORD: TransitionId = TransitionId::new(3);

/// The pipeline net: 7 places, 4 transitions, 10 arcs (plus one for the error place).
pub type PipelineNet = Net<Request, 7, 4, 10, { 7 * BATCH + 1 }>;

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
        match t {
            id if id == VALIDATE => {
                if firing.input(0).is_some_and(|r| r.id == u32::MAX) {
                    return Err(Fault(1));
                }
                firing.forward(0, VALIDATED).map_err(|_| Fault(2))
            }
            id if id == ROUTE => embed::fire(self.breaker.state_machine_mut(), &self.admit, firing, now),
            id if id == BACKEND => {
                let Some(&request) = firing.input(0) else {
                    return Err(Fault(3));
                };
                let answer = Request {
                    ok: request.id % 16 != 0,
                    ..request
                };
                firing.emit(RESPONDED, answer).map_err(|_| Fault(4))
            }
            id if id == RECORD => embed::fire(self.breaker.state_machine_mut(), &self.report, firing, now),
            _ => Err(Fault(u16::MAX)),
        }
    }

    #[inline]
    fn next_deadline(&self) -> Option<Instant> {
        self.breaker.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        self.breaker.poll_into(now, changes);
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
    let cap = BATCH as u16;
    let mut b = NetBuilder::new();
    let places = [
        b.place("input", cap),
        b.place("validated", cap),
        b.place("admitted", cap),
        b.place("rejected", cap),
        b.place("responded", cap),
        b.place("done", cap),
        b.place("invalid", cap),
    ];
    assert_eq!(
        places,
        [
            INPUT, VALIDATED, ADMITTED, REJECTED, RESPONDED, DONE, INVALID
        ]
    );
    let validate = b.transition_with("validate", TransitionSpec::new().error_place(INVALID));
    let route = b.transition("route");
    let backend = b.transition("backend");
    let record = b.transition("record");
    assert_eq!(
        [validate, route, backend, record],
        [VALIDATE, ROUTE, BACKEND, RECORD]
    );
    b.input(validate, INPUT, 1).output(validate, VALIDATED, 1);
    b.input(route, VALIDATED, 1)
        .output(route, ADMITTED, 1)
        .output(route, REJECTED, 1);
    b.input(backend, ADMITTED, 1).output(backend, RESPONDED, 1);
    b.input(record, RESPONDED, 1).output(record, DONE, 1);
    let net = b.build().expect("the pipeline is a valid net");
    let app = App {
        breaker: CircuitBreaker::new(breaker_config(), Instant::from_ticks(0))
            .expect("valid breaker config"),
        admit: Admit {
            forwarded: ADMITTED,
            rejected: REJECTED,
            attach: |request, permit| Request {
                permit: Some(permit),
                ..*request
            },
        },
        report: Report {
            done: DONE,
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
        net.inject(INPUT, request, now).expect("input has room");
    }
    let budget = FIRINGS_PER_REQUEST * BATCH as u32;
    let report = net.run(now, budget, app).expect("time moves forward");
    debug_assert_eq!(report.fired, budget);
    let mut completed = 0;
    while net.take(DONE).is_ok() {
        completed += 1;
    }
    completed
}

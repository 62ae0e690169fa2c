//! The prototype's request pipeline, rebuilt on the engine:
//!
//! ```text
//! input -> validate -> validated -> route_through_machine -> {success, failed, rejected}
//!              \-> invalid (error place)
//! ```
//!
//! `route_through_machine` owns a small three-state machine (CLOSED, OPEN, HALF_OPEN):
//! two failed requests in a row open it, it rejects while OPEN, its 5 s timeout moves it
//! to HALF_OPEN on the injected clock, and a good request closes it again. The full
//! circuit breaker lives in `mycel::breaker`.
//!
//! Run with `cargo run -p mycel --example request_pipeline`.

use mycel::embed::{self, Binding, Route};
use mycel::fsm::{
    ChangeSink, Edge, Handled, Machine, StateMachine, StateSpec, Table, Transition, Trigger,
};
use mycel::net::{NetBuilder, PlaceId, TransitionId, TransitionSpec};
use mycel::sched::{Behaviour, Fault, Firing, Net, NetEvent};
use mycel::time::{Duration, Instant, add};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Request {
    id: u32,
    payload: i32,
    backend_ok: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Health {
    Closed { failures: u8 },
    Open,
    HalfOpen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Success,
    Failed,
    Rejected,
}

#[derive(Clone)]
struct HealthMachine {
    failures_to_open: u8,
    open_for: Duration,
}

impl Machine for HealthMachine {
    type State = Health;
    type Event = bool;
    type Output = Verdict;
    const NAME: &'static str = "health";
    const TABLE: Table = Table {
        initial: "CLOSED",
        states: &[
            StateSpec {
                name: "CLOSED",
                timeout: false,
            },
            StateSpec {
                name: "OPEN",
                timeout: true,
            },
            StateSpec {
                name: "HALF_OPEN",
                timeout: false,
            },
        ],
        edges: &[
            Edge {
                from: "CLOSED",
                to: "OPEN",
                on: Trigger::Event("failure"),
            },
            Edge {
                from: "OPEN",
                to: "HALF_OPEN",
                on: Trigger::Timeout,
            },
            Edge {
                from: "HALF_OPEN",
                to: "CLOSED",
                on: Trigger::Event("success"),
            },
            Edge {
                from: "HALF_OPEN",
                to: "OPEN",
                on: Trigger::Event("failure"),
            },
        ],
    };

    fn initial(&self) -> Health {
        Health::Closed { failures: 0 }
    }

    fn state_name(state: &Health) -> &'static str {
        match state {
            Health::Closed { .. } => "CLOSED",
            Health::Open => "OPEN",
            Health::HalfOpen => "HALF_OPEN",
        }
    }

    fn handle(
        &mut self,
        state: &mut Health,
        backend_ok: bool,
        _: Instant,
    ) -> Handled<Health, Verdict> {
        match state {
            Health::Closed { failures } if !backend_ok => {
                *failures += 1;
                if *failures >= self.failures_to_open {
                    Handled::go(Verdict::Failed, Health::Open, "failure")
                } else {
                    Handled::stay(Verdict::Failed)
                }
            }
            Health::Closed { failures } => {
                *failures = 0;
                Handled::stay(Verdict::Success)
            }
            Health::Open => Handled::stay(Verdict::Rejected),
            Health::HalfOpen if backend_ok => {
                Handled::go(Verdict::Success, Health::Closed { failures: 0 }, "success")
            }
            Health::HalfOpen => Handled::go(Verdict::Failed, Health::Open, "failure"),
        }
    }

    fn deadline(&self, state: &Health, entered_at: Instant) -> Option<Instant> {
        (*state == Health::Open).then(|| add(entered_at, self.open_for))
    }

    fn on_timeout(&mut self, _: &mut Health, _: Instant) -> Option<Transition<Health>> {
        Some(Transition::new(Health::HalfOpen, "timeout"))
    }
}

struct Outcomes {
    success: PlaceId,
    failed: PlaceId,
    rejected: PlaceId,
}

impl Binding<Request, HealthMachine> for Outcomes {
    fn event(&self, request: &Request) -> Option<bool> {
        Some(request.backend_ok)
    }
    fn route(&self, _: &Request, verdict: Option<Verdict>) -> Route<Request> {
        Route::Forward(match verdict {
            Some(Verdict::Success) => self.success,
            Some(Verdict::Failed) => self.failed,
            Some(Verdict::Rejected) | None => self.rejected,
        })
    }
}

const VALIDATE: TransitionId = TransitionId(0);
const ROUTE: TransitionId = TransitionId(1);

struct Pipeline {
    validated: PlaceId,
    health: StateMachine<HealthMachine>,
    outcomes: Outcomes,
}

impl Behaviour<Request> for Pipeline {
    fn fire(
        &mut self,
        t: TransitionId,
        firing: &mut Firing<'_, Request>,
        now: Instant,
    ) -> Result<(), Fault> {
        match t {
            VALIDATE => {
                if firing.input(0).is_some_and(|r| r.payload < 0) {
                    return Err(Fault(1)); // goes to the `invalid` error place
                }
                firing.forward(0, self.validated).map_err(|_| Fault(2))
            }
            ROUTE => embed::fire(&mut self.health, &self.outcomes, firing, now),
            _ => Err(Fault(u16::MAX)),
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.health.deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        embed::poll(&mut self.health, now, changes);
    }
}

type PipelineNet = Net<Request, 6, 2, 8, 48>;

fn main() {
    let mut b = NetBuilder::<Request, 6, 2, 8, 48>::new();
    let input = b.place("input", 8);
    let validated = b.place("validated", 8);
    let success = b.place("success", 8);
    let failed = b.place("failed", 8);
    let rejected = b.place("rejected", 8);
    let invalid = b.place("invalid", 7);
    let validate = b.transition_with("validate", TransitionSpec::new().error_place(invalid));
    let route = b.transition("route_through_machine");
    assert_eq!((validate, route), (VALIDATE, ROUTE));
    b.input(validate, input, 1).output(validate, validated, 1);
    b.input(route, validated, 1)
        .output(route, success, 1)
        .output(route, failed, 1)
        .output(route, rejected, 1);
    let mut net: PipelineNet = b.build().expect("the pipeline is a valid net");
    let mut app = Pipeline {
        validated,
        health: StateMachine::new(
            HealthMachine {
                failures_to_open: 2,
                open_for: Duration::from_secs(5),
            },
            Instant::from_ticks(0),
        ),
        outcomes: Outcomes {
            success,
            failed,
            rejected,
        },
    };
    let mut log = |e: &NetEvent| match e {
        NetEvent::StateChanged(c) => println!(
            "  [{:>6} ms] {}: {} -> {} ({})",
            c.at.as_millis(),
            c.machine,
            c.from,
            c.to,
            c.cause
        ),
        NetEvent::Failed {
            transition,
            at,
            error,
            ..
        } => {
            println!(
                "  [{:>6} ms] {} failed: {}",
                at.as_millis(),
                transition,
                error
            )
        }
        _ => {}
    };

    // (second, payload, backend answers ok?)
    let script: [(u64, i32, bool); 8] = [
        (0, 1, true),
        (1, -5, true),
        (2, 2, false),
        (3, 3, false),
        (4, 4, true),
        (6, 5, true),
        (9, 6, true),
        (10, 7, true),
    ];
    for (id, &(second, payload, backend_ok)) in script.iter().enumerate() {
        let now = Instant::from_secs(second);
        // Wake exactly at the machine's deadline if it comes before the next request.
        if let Some(deadline) = net.next_deadline(&app).filter(|d| *d < now) {
            net.run_observed(deadline, 16, &mut app, &mut log)
                .expect("time moves forward");
        }
        let request = Request {
            id: id as u32,
            payload,
            backend_ok,
        };
        net.inject(input, request, now).expect("input has room");
        net.run_observed(now, 16, &mut app, &mut log)
            .expect("time moves forward");
        println!(
            "t={second:>2}s request {id} payload {payload:>2} -> health {}",
            app.health.state_name()
        );
    }

    let ids = |p: PlaceId| net.tokens(p).map(|r| r.id).collect::<Vec<_>>();
    println!("success  {:?}", ids(success));
    println!("failed   {:?}", ids(failed));
    println!("rejected {:?}", ids(rejected));
    println!("invalid  {:?}", ids(invalid));
    assert_eq!(ids(success), [0, 6, 7]);
    assert_eq!(ids(failed), [2, 3]);
    assert_eq!(ids(rejected), [4, 5]);
    assert_eq!(ids(invalid), [1]);
    assert_eq!(app.health.state_name(), "CLOSED");
    let c = net.counters();
    assert_eq!(c.injected, net.held(), "every token is accounted for");
}

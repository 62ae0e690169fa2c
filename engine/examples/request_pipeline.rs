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
use mycel::fsm::{ChangeSink, Handled, Machine, StateMachine, States, Transition};
use mycel::net::{Place, TransitionId};
use mycel::sched::{Behaviour, Fault, Firing, NetEvent};
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

mycel::machine! {
    machine "health" {
        /// The health states, without their data.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        states HealthKind {
            #[initial]
            Closed,
            #[timeout]
            Open,
            HalfOpen,
        }
        /// Why the health changed.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        causes Why {
            Failure,
            Success,
            Timeout,
        }
        edges {
            Closed -> Open on failure,
            Open -> HalfOpen on timeout,
            HalfOpen -> Closed on success,
            HalfOpen -> Open on failure,
        }
    }
}

impl States for Health {
    type Kind = HealthKind;

    fn kind(&self) -> HealthKind {
        match self {
            Health::Closed { .. } => HealthKind::Closed,
            Health::Open => HealthKind::Open,
            Health::HalfOpen => HealthKind::HalfOpen,
        }
    }
}

// Saved whole for atomic firing (it has no configuration to leave out).
impl mycel::fsm::SavedWhole for HealthMachine {}

impl Machine for HealthMachine {
    type State = Health;
    type Event = bool;
    type Output = Verdict;

    fn initial(&self) -> Health {
        Health::Closed { failures: 0 }
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
                    Handled::go(Verdict::Failed, Health::Open, Why::Failure)
                } else {
                    Handled::stay(Verdict::Failed)
                }
            }
            Health::Closed { failures } => {
                *failures = 0;
                Handled::stay(Verdict::Success)
            }
            Health::Open => Handled::stay(Verdict::Rejected),
            Health::HalfOpen if backend_ok => Handled::go(
                Verdict::Success,
                Health::Closed { failures: 0 },
                Why::Success,
            ),
            Health::HalfOpen => Handled::go(Verdict::Failed, Health::Open, Why::Failure),
        }
    }

    fn deadline(&self, state: &Health, entered_at: Instant) -> Option<Instant> {
        (*state == Health::Open).then(|| add(entered_at, self.open_for))
    }

    fn on_timeout(&mut self, _: &mut Health, _: Instant) -> Option<Transition<Health>> {
        Some(Transition::new(Health::HalfOpen, Why::Timeout))
    }
}

mycel::net! {
    /// The prototype's request pipeline, with the health machine inside `route_through_machine`.
    net Pipeline: Request {
        places {
            input: 8,
            validated: 8,
            success: 8,
            failed: 8,
            rejected: 8,
            invalid: 7,
        }
        transitions {
            validate [error = invalid]: input -> validated,
            route_through_machine: validated -> success + failed + rejected,
        }
    }
}

/// Routes each request by the machine's verdict.
struct Outcomes;

impl Binding<Request, HealthMachine> for Outcomes {
    fn event(&self, request: &Request) -> Option<bool> {
        Some(request.backend_ok)
    }
    fn route(&self, _: &Request, verdict: Option<Verdict>) -> Route<Request> {
        let places = Pipeline::PLACES;
        Route::Forward(
            match verdict {
                Some(Verdict::Success) => places.success,
                Some(Verdict::Failed) => places.failed,
                Some(Verdict::Rejected) | None => places.rejected,
            }
            .id(),
        )
    }
}

/// The code behind the pipeline's transitions, with the machine it embeds.
struct App {
    health: StateMachine<HealthMachine>,
}

impl Behaviour<Request> for App {
    fn fire(
        &mut self,
        t: TransitionId,
        firing: &mut Firing<'_, Request>,
        now: Instant,
    ) -> Result<(), Fault> {
        match Pipeline::transition_of(t) {
            Some(PipelineTransition::Validate) => {
                if firing.input(0).is_some_and(|r| r.payload < 0) {
                    return Err(Fault(1)); // goes to the `invalid` error place
                }
                firing
                    .forward(0, Pipeline::PLACES.validated.id())
                    .map_err(|_| Fault(2))
            }
            Some(PipelineTransition::RouteThroughMachine) => {
                embed::fire(&mut self.health, &Outcomes, firing, now)
            }
            None => Err(Fault(u16::MAX)),
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.health.deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        embed::poll(&mut self.health, now, changes);
    }
}

fn main() {
    let mut net = Pipeline::new();
    let places = net.places();
    let mut app = App {
        health: StateMachine::new(
            HealthMachine {
                failures_to_open: 2,
                open_for: Duration::from_secs(5),
            },
            Instant::from_ticks(0),
        ),
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
        net.inject(places.input, request, now)
            .expect("input has room");
        net.run_observed(now, 16, &mut app, &mut log)
            .expect("time moves forward");
        println!(
            "t={second:>2}s request {id} payload {payload:>2} -> health {}",
            app.health.state_name()
        );
    }

    let ids = |p: Place<Pipeline>| net.tokens(p).map(|r| r.id).collect::<Vec<_>>();
    for place in [
        places.success,
        places.failed,
        places.rejected,
        places.invalid,
    ] {
        println!("{place:<8} {:?}", ids(place));
    }
    assert_eq!(ids(places.success), [0, 6, 7]);
    assert_eq!(ids(places.failed), [2, 3]);
    assert_eq!(ids(places.rejected), [4, 5]);
    assert_eq!(ids(places.invalid), [1]);
    assert_eq!(app.health.state_name(), "CLOSED");
    let c = net.counters();
    assert_eq!(c.injected, net.held(), "every token is accounted for");
}

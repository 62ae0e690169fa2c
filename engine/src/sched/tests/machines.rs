//! FSM-in-PN: a machine inside a transition, driven by the net.

use super::*;
use crate::embed::{self, Binding, Route};
use crate::fsm::{ChangeSink, Handled, Machine, StateMachine, Transition};
use crate::net::TransitionId;
use crate::time::{Duration, add};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
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

/// Trips after two failures, stays open 5 ticks, closes on a good probe.
#[derive(Clone)]
struct GateMachine;

crate::machine! {
    machine "gate" {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        states GateKind {
            #[initial]
            Closed,
            #[timeout]
            Open,
            HalfOpen,
        }
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        causes GateCause {
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

impl crate::fsm::States for Gate {
    type Kind = GateKind;

    fn kind(&self) -> GateKind {
        match self {
            Gate::Closed { .. } => GateKind::Closed,
            Gate::Open => GateKind::Open,
            Gate::HalfOpen => GateKind::HalfOpen,
        }
    }
}

// Saved whole for atomic firing.
impl crate::fsm::SavedWhole for GateMachine {}

impl Machine for GateMachine {
    type State = Gate;
    type Event = bool; // did the request succeed?
    type Output = Verdict;
    fn initial(&self) -> Gate {
        Gate::Closed { failures: 0 }
    }

    fn handle(&mut self, state: &mut Gate, ok: bool, _: Instant) -> Handled<Gate, Verdict> {
        match (state, ok) {
            (Gate::Closed { failures }, false) if *failures >= 1 => {
                Handled::go(Verdict::Failed, Gate::Open, GateCause::Failure)
            }
            (Gate::Closed { failures }, false) => {
                *failures += 1;
                Handled::stay(Verdict::Failed)
            }
            (Gate::Closed { .. }, true) => Handled::stay(Verdict::Success),
            (Gate::Open, _) => Handled::stay(Verdict::Rejected),
            (Gate::HalfOpen, true) => Handled::go(
                Verdict::Success,
                Gate::Closed { failures: 0 },
                GateCause::Success,
            ),
            (Gate::HalfOpen, false) => Handled::go(Verdict::Failed, Gate::Open, GateCause::Failure),
        }
    }

    fn deadline(&self, state: &Gate, entered_at: Instant) -> Option<Instant> {
        (*state == Gate::Open).then(|| add(entered_at, Duration::from_ticks(5)))
    }

    fn on_timeout(&mut self, _: &mut Gate, _: Instant) -> Option<Transition<Gate>> {
        Some(Transition::new(Gate::HalfOpen, GateCause::Timeout))
    }
}

#[derive(Clone, Copy)]
struct Places {
    success: PlaceId,
    failed: PlaceId,
    rejected: PlaceId,
}

impl Binding<u32, GateMachine> for Places {
    fn event(&self, token: &u32) -> Option<bool> {
        Some(token.is_multiple_of(2)) // even requests succeed
    }
    fn route(&self, _: &u32, verdict: Option<Verdict>) -> Route<u32> {
        Route::Forward(match verdict {
            Some(Verdict::Success) => self.success,
            Some(Verdict::Failed) => self.failed,
            Some(Verdict::Rejected) | None => self.rejected,
        })
    }
}

struct App {
    gate: StateMachine<GateMachine>,
    places: Places,
}

impl Behaviour<u32> for App {
    fn fire(
        &mut self,
        _: TransitionId,
        firing: &mut Firing<'_, u32>,
        now: Instant,
    ) -> Result<(), Fault> {
        embed::fire(&mut self.gate, &self.places, firing, now)
    }
    fn next_deadline(&self) -> Option<Instant> {
        self.gate.deadline()
    }
    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        embed::poll(&mut self.gate, now, changes);
    }
}

/// Declares `input -> route -> {success, failed, rejected}` on `b`; returns `input` and
/// the app whose gate routes through those places.
fn declare_pipeline(b: &mut Builder) -> (PlaceId, App) {
    let input = b.place("input", 8);
    let success = b.place("success", 8);
    let failed = b.place("failed", 8);
    let rejected = b.place("rejected", 8);
    let route = b.transition("route");
    b.input(route, input, 1)
        .output(route, success, 1)
        .output(route, failed, 1)
        .output(route, rejected, 1);
    let app = App {
        gate: StateMachine::new(GateMachine, at(0)),
        places: Places {
            success,
            failed,
            rejected,
        },
    };
    (input, app)
}

fn pipeline() -> (TestNet, App, PlaceId, PlaceId, PlaceId, PlaceId) {
    let mut b = Builder::new();
    let (input, app) = declare_pipeline(&mut b);
    let net = b.build().unwrap();
    let Places {
        success,
        failed,
        rejected,
    } = app.places;
    (net, app, input, success, failed, rejected)
}

#[test]
fn gate_table_is_valid() {
    assert_eq!(GateMachine::TABLE.validate(), Ok(()));
}

#[test]
fn machine_state_persists_across_firings_and_its_answer_picks_the_place() {
    let (mut net, mut app, input, success, failed, rejected) = pipeline();
    for (now, req) in [(1, 2), (2, 1), (3, 3), (4, 4)] {
        net.inject(input, req, at(now)).unwrap();
        net.run(at(now), 10, &mut app).unwrap();
    }
    assert_eq!(tokens(&net, success).as_slice(), &[2]);
    assert_eq!(
        tokens(&net, failed).as_slice(),
        &[1, 3],
        "the second failure, a firing later, trips it"
    );
    assert_eq!(tokens(&net, rejected).as_slice(), &[4], "OPEN rejects");
    assert_eq!(*app.gate.state(), Gate::Open);
}

#[test]
fn machine_timeout_joins_next_deadline_and_fires_before_transitions_of_that_instant() {
    let (mut net, mut app, input, success, _, rejected) = pipeline();
    for (now, req) in [(1, 1), (3, 3)] {
        net.inject(input, req, at(now)).unwrap();
        net.run(at(now), 10, &mut app).unwrap();
    }
    assert_eq!(
        net.next_deadline(&app),
        Some(at(8)),
        "OPEN entered at 3 lasts 5 ticks"
    );
    net.inject(input, 6, at(8)).unwrap();
    let mut events: heapless::Vec<NetEvent, 8> = heapless::Vec::new();
    let mut obs = |e: &NetEvent| events.push(*e).unwrap();
    net.step_observed(at(8), &mut app, &mut obs).unwrap();
    assert!(
        matches!(events[0], NetEvent::StateChanged(c) if c.from == "OPEN" && c.to == "HALF_OPEN" && c.at == at(8)),
        "the timeout comes first: {events:?}"
    );
    assert!(
        matches!(events[1], NetEvent::StateChanged(c) if c.from == "HALF_OPEN" && c.to == "CLOSED")
    );
    assert!(matches!(events[2], NetEvent::Fired { .. }));
    assert_eq!(
        tokens(&net, success).as_slice(),
        &[6],
        "the probe was admitted, not rejected"
    );
    assert!(tokens(&net, rejected).is_empty());
    assert_eq!(net.next_deadline(&app), None);
}

#[test]
fn machine_state_changes_during_firings_reach_the_observer() {
    let (mut net, mut app, input, ..) = pipeline();
    net.inject(input, 1, at(1)).unwrap();
    net.inject(input, 3, at(1)).unwrap();
    let mut changes: heapless::Vec<(&str, &str), 4> = heapless::Vec::new();
    let mut obs = |e: &NetEvent| {
        if let NetEvent::StateChanged(c) = e {
            changes.push((c.from.name, c.to.name)).unwrap();
        }
    };
    net.run_observed(at(1), 10, &mut app, &mut obs).unwrap();
    assert_eq!(changes.as_slice(), &[("CLOSED", "OPEN")]);
}

// The test above cannot tell whether the net polls machines before it fires: its only
// transition routes through the gate, and dispatching an event applies the machine's
// due timeouts first anyway. The two below use what only `step` itself can order.

/// The pipeline's behaviour plus a `watch` transition that does not route through the
/// gate: it forwards its token and records the gate's state at that firing.
struct Watched {
    app: App,
    watch: TransitionId,
    seen: heapless::Vec<(Instant, Gate), 4>,
}

impl Behaviour<u32> for Watched {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, u32>,
        now: Instant,
    ) -> Result<(), Fault> {
        if transition != self.watch {
            return self.app.fire(transition, firing, now);
        }
        self.seen.push((now, *self.app.gate.state())).unwrap();
        let (out, _) = firing.outputs().next().unwrap();
        firing.forward(0, out).map_err(|_| Fault(1))
    }
    fn next_deadline(&self) -> Option<Instant> {
        self.app.next_deadline()
    }
    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        self.app.poll(now, changes);
    }
}

/// The pipeline plus `watch`, which waits 5 ticks: as long as the gate stays OPEN.
fn watched_pipeline() -> (TestNet, Watched, PlaceId, PlaceId, PlaceId) {
    let mut b = Builder::new();
    let (input, app) = declare_pipeline(&mut b);
    let watch_in = b.place("watch_in", 8);
    let watch_out = b.place("watch_out", 8);
    let watch = b.transition_with(
        "watch",
        crate::net::TransitionSpec::new().delay(Duration::from_ticks(5)),
    );
    b.input(watch, watch_in, 1).output(watch, watch_out, 1);
    let net = b.build().unwrap();
    let watched = Watched {
        app,
        watch,
        seen: heapless::Vec::new(),
    };
    (net, watched, input, watch_in, watch_out)
}

/// Trips the gate at 3: it stays OPEN until its deadline at 8.
fn open_at_3(net: &mut TestNet, b: &mut Watched, input: PlaceId) {
    for (now, req) in [(1, 1), (3, 3)] {
        net.inject(input, req, at(now)).unwrap();
        net.run(at(now), 10, b).unwrap();
    }
    assert_eq!(*b.app.gate.state(), Gate::Open);
    assert_eq!(b.app.gate.deadline(), Some(at(8)));
}

#[test]
fn a_transition_ready_at_a_machine_deadline_fires_after_the_timeout_is_applied() {
    let (mut net, mut b, input, watch_in, watch_out) = watched_pipeline();
    open_at_3(&mut net, &mut b, input);
    // Enabled at 3 with a delay of 5: `watch` becomes ready exactly when the gate's
    // OPEN period ends, and nothing it does involves the gate.
    net.inject(watch_in, 7, at(3)).unwrap();
    assert_eq!(net.next_deadline(&b), Some(at(8)));
    let mut events: heapless::Vec<NetEvent, 8> = heapless::Vec::new();
    let mut obs = |e: &NetEvent| events.push(*e).unwrap();
    let step = net.step_observed(at(8), &mut b, &mut obs).unwrap();
    assert_eq!(step.transition(), Some(b.watch));
    assert_eq!(
        b.seen.as_slice(),
        &[(at(8), Gate::HalfOpen)],
        "the firing at 8 must see the gate's timeout of 8 already applied"
    );
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        matches!(events[0], NetEvent::StateChanged(c)
            if c.from == "OPEN" && c.to == "HALF_OPEN" && c.at == at(8)),
        "the timeout is reported first: {events:?}"
    );
    assert!(
        matches!(events[1], NetEvent::Fired { transition, at: t, .. }
            if transition == b.watch && t == at(8)),
        "{events:?}"
    );
    assert_eq!(tokens(&net, watch_out).as_slice(), &[7]);
}

#[test]
fn a_step_at_a_machine_deadline_with_nothing_to_fire_applies_and_reports_the_timeout() {
    let (mut net, mut b, input, ..) = watched_pipeline();
    open_at_3(&mut net, &mut b, input);
    assert_eq!(net.next_deadline(&b), Some(at(8)));
    let mut events: heapless::Vec<NetEvent, 8> = heapless::Vec::new();
    let mut obs = |e: &NetEvent| events.push(*e).unwrap();
    assert_eq!(net.step_observed(at(7), &mut b, &mut obs), Ok(Step::Idle));
    assert!(events.is_empty(), "not due yet: {events:?}");
    assert_eq!(*b.app.gate.state(), Gate::Open);
    let mut obs = |e: &NetEvent| events.push(*e).unwrap();
    assert_eq!(net.step_observed(at(8), &mut b, &mut obs), Ok(Step::Idle));
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(
        matches!(events[0], NetEvent::StateChanged(c)
            if c.from == "OPEN" && c.to == "HALF_OPEN" && c.at == at(8)),
        "{events:?}"
    );
    assert_eq!(*b.app.gate.state(), Gate::HalfOpen);
    assert_eq!(net.next_deadline(&b), None, "nothing is due any more");
    assert!(b.seen.is_empty());
}

//! Firing through an embedded machine is atomic: a firing that fails after the machine
//! handled its events leaves the marking, the machine's state, timers and counters, and
//! the observer's view exactly as they were before it.
//!
//! Each case drives a small net whose behaviour can be told, per step, to fail in one of
//! the ways a firing fails after the machine: a route to a place that is not an output,
//! a token invented on top of the routed ones, an emission past an arc's weight, or a
//! fault returned by the behaviour itself. Before each step the machine is brought up to
//! the step's instant, so the only change the step may make to it is the firing's.

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome, Permit};
use mycel::embed::{self, Binding, Route};
use mycel::fsm::{ChangeSink, Changes, Handled, Machine, StateMachine, States, Transition};
use mycel::net::{NetBuilder, PlaceId, TransitionId};
use mycel::sched::{Behaviour, Fault, Firing, Net, NetEvent, Step};
use mycel::time::{Duration, Instant};
use mycel_check::proptest_config::config;
use proptest::prelude::*;

/// How the behaviour makes the next firing fail (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sabotage {
    /// The firing is left alone.
    None,
    /// The binding routes its main answer to a place that is not an output.
    Undeclared,
    /// After the machine, the behaviour emits one more token than it consumed.
    Invent,
    /// After the machine, the behaviour emits to the place the token went to, past the
    /// arc's weight.
    OverWeight,
    /// After the machine, the behaviour returns a fault.
    Fault,
}

fn sabotage() -> impl Strategy<Value = Sabotage> {
    prop_oneof![
        Just(Sabotage::None),
        Just(Sabotage::Undeclared),
        Just(Sabotage::Invent),
        Just(Sabotage::OverWeight),
        Just(Sabotage::Fault),
    ]
}

/// One host operation.
#[derive(Debug, Clone, Copy)]
enum Op {
    /// Inject a token built from `kind`.
    Inject { kind: u8 },
    /// Step once, `dt` ticks after the last instant, with `sabotage`.
    Step { dt: u8, sabotage: Sabotage },
    /// Take every token from the end places.
    Drain,
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        3 => any::<u8>().prop_map(|kind| Op::Inject { kind }),
        5 => (any::<u8>(), sabotage()).prop_map(|(dt, sabotage)| Op::Step { dt, sabotage }),
        1 => Just(Op::Drain),
    ];
    proptest::collection::vec(op, 1..80)
}

/// Every place's tokens, in order: the marking, as a comparable value.
fn marking<C: Clone, const P: usize, const T: usize, const A: usize, const N: usize>(
    net: &Net<C, P, T, A, N>,
) -> Vec<Vec<C>> {
    net.places()
        .map(|p| net.tokens(p).cloned().collect())
        .collect()
}

/// The emission a saboteur makes after the machine, and the fault it returns.
fn after_machine<C: Copy>(
    sabotage: Sabotage,
    firing: &mut Firing<'_, C>,
    token: Option<C>,
    other_output: PlaceId,
    routed_to: PlaceId,
) -> Result<(), Fault> {
    match (sabotage, token) {
        (Sabotage::Invent, Some(t)) => {
            let _ = firing.emit(other_output, t);
            Ok(())
        }
        (Sabotage::OverWeight, Some(t)) => {
            let _ = firing.emit(routed_to, t);
            Ok(())
        }
        (Sabotage::Fault, _) => Err(Fault(7)),
        _ => Ok(()),
    }
}

/// Runs `ops` on a net with `app`, checking after every failed firing that the marking
/// and the machine (as `machine_of` shows it) are those before the step, and that no
/// state change was reported. `poll` brings the machine to an instant beforehand.
#[allow(clippy::too_many_arguments)]
fn check_atomic<C, B, const P: usize, const T: usize, const A: usize, const N: usize>(
    net: &mut Net<C, P, T, A, N>,
    app: &mut B,
    ops: &[Op],
    token: impl Fn(u8) -> C,
    entry: PlaceId,
    ends: &[PlaceId],
    set_sabotage: impl Fn(&mut B, Sabotage),
    machine_of: impl Fn(&B) -> String,
) -> Result<u32, TestCaseError>
where
    C: Clone + PartialEq + core::fmt::Debug,
    B: Behaviour<C>,
{
    let mut failures = 0;
    for &op in ops {
        let last = net.last_seen().as_ticks();
        match op {
            Op::Inject { kind } => {
                let _ = net.inject(entry, token(kind), Instant::from_ticks(last));
            }
            Op::Drain => {
                for &p in ends {
                    while net.take(p).is_ok() {}
                }
            }
            Op::Step { dt, sabotage } => {
                let now = Instant::from_ticks(last + u64::from(dt));
                // Apply what is due at `now` first, as the step would: what remains for
                // the step to change in the machine is the firing's doing alone.
                let mut changes = Changes::new();
                app.poll(now, &mut changes);
                set_sabotage(app, sabotage);
                let (marking_before, machine_before) = (marking(net), machine_of(app));
                let mut events = Vec::new();
                let step = net.step_observed(now, app, &mut |e: &NetEvent| events.push(*e));
                if let Ok(Step::Failed { .. }) = step {
                    failures += 1;
                    prop_assert_eq!(marking(net), marking_before);
                    prop_assert_eq!(machine_of(app), machine_before);
                    prop_assert!(
                        !events
                            .iter()
                            .any(|e| matches!(e, NetEvent::StateChanged(_))),
                        "a failed firing reported a state change: {:?}",
                        events
                    );
                }
            }
        }
    }
    Ok(failures)
}

// ----- the breaker ---------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Call {
    permit: Option<Permit>,
    ok: bool,
}

const REQUESTS: PlaceId = PlaceId::new(0);
const FORWARDED: PlaceId = PlaceId::new(1);
const REJECTED: PlaceId = PlaceId::new(2);
const DONE: PlaceId = PlaceId::new(3);
const ELSEWHERE: PlaceId = PlaceId::new(4);
const ROUTE: TransitionId = TransitionId::new(0);

struct BreakerApp {
    breaker: CircuitBreaker,
    sabotage: Sabotage,
}

fn attach(c: &Call, p: Permit) -> Call {
    Call {
        permit: Some(p),
        ..*c
    }
}

fn outcome(c: &Call) -> Option<(Permit, Outcome)> {
    c.permit.map(|p| {
        let o = if c.ok {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        (p, o)
    })
}

impl Behaviour<Call> for BreakerApp {
    fn fire(
        &mut self,
        t: TransitionId,
        f: &mut Firing<'_, Call>,
        now: Instant,
    ) -> Result<(), Fault> {
        let sabotage = self.sabotage;
        let token = f.input(0).copied();
        let sm = self.breaker.state_machine_mut();
        if t == ROUTE {
            let forwarded = if sabotage == Sabotage::Undeclared {
                ELSEWHERE
            } else {
                FORWARDED
            };
            let admit = Admit {
                forwarded,
                rejected: REJECTED,
                attach,
            };
            // A permitted token went to `forwarded`, a rejected one to `rejected`
            // (nothing was produced when the route was refused).
            embed::fire_then(sm, &admit, f, now, |f| {
                let permitted = f.input(0).is_some_and(|_| f.produced() > 0)
                    && token.is_some()
                    && f.error().is_none();
                let (routed, other) = if permitted {
                    (forwarded, REJECTED)
                } else {
                    (REJECTED, FORWARDED)
                };
                after_machine(sabotage, f, token, other, routed)
            })
        } else {
            let report = Report {
                done: DONE,
                outcome,
            };
            embed::fire_then(sm, &report, f, now, |f| {
                after_machine(sabotage, f, token, ELSEWHERE, DONE)
            })
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.breaker.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        let _ = self.breaker.poll_into(now, changes);
    }
}

type BreakerNet = Net<Call, 5, 2, 6, 32>;

fn breaker_net() -> BreakerNet {
    let mut b = NetBuilder::new();
    let places = [
        b.place("requests", 6),
        b.place("forwarded", 6),
        b.place("rejected", 6),
        b.place("done", 6),
        b.place("elsewhere", 6),
    ];
    assert_eq!(places, [REQUESTS, FORWARDED, REJECTED, DONE, ELSEWHERE]);
    let route = b.transition("route");
    let record = b.transition("record");
    assert_eq!(route, ROUTE);
    b.input(route, REQUESTS, 1)
        .output(route, FORWARDED, 1)
        .output(route, REJECTED, 1);
    b.input(record, FORWARDED, 1).output(record, DONE, 1);
    b.build().expect("the test net is valid")
}

proptest! {
    #![proptest_config(config(256, "tests/proptest-regressions/atomic_firing.txt"))]

    /// After any failed firing through the breaker (a refused route, an invented or
    /// over-weight token, a fault after the machine), the marking and the breaker
    /// (state, generation, windows, counters, clock) equal those before the firing, and
    /// no state change was reported.
    #[test]
    fn after_a_failed_firing_the_marking_and_the_breaker_are_as_before(
        ops in ops(),
        threshold in 1u32..3,
        open_for in 1u64..40,
    ) {
        let config = BreakerConfig::consecutive(threshold, Duration::from_ticks(open_for), 1);
        let mut app = BreakerApp {
            breaker: CircuitBreaker::new(config, Instant::from_ticks(0)).unwrap(),
            sabotage: Sabotage::None,
        };
        let mut net = breaker_net();
        check_atomic(
            &mut net,
            &mut app,
            &ops,
            |kind| Call { permit: None, ok: kind % 3 != 0 },
            REQUESTS,
            &[DONE, REJECTED, ELSEWHERE],
            |app, s| app.sabotage = s,
            |app| format!("{:?}", app.breaker),
        )?;
    }
}

// ----- a machine with entry and exit actions --------------------------------------------

/// A turnstile that counts what its actions did: coins in `Locked` unlock it, pushes
/// in `Unlocked` lock it again, and an unlocked turnstile relocks by itself after a
/// while. Every entry and exit action leaves a mark in the machine's counters.
#[derive(Debug, Clone, Default)]
struct Turnstile {
    entries: u32,
    exits: u32,
    last_action: Option<(&'static str, u64)>,
    coins: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Locked,
    Unlocked { pushes: u8 },
}

#[derive(Debug, Clone, Copy)]
enum Input {
    Coin,
    Push,
}

mycel::machine! {
    machine "turnstile" {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        states GateKind {
            #[initial]
            Locked = "locked",
            #[timeout]
            Unlocked = "unlocked",
        }
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        causes GateCause {
            Coin,
            Push,
            Timeout,
        }
        edges {
            Locked -> Unlocked on coin,
            Unlocked -> Locked on push,
            Unlocked -> Locked on timeout,
        }
    }
}

impl States for Gate {
    type Kind = GateKind;

    fn kind(&self) -> GateKind {
        match self {
            Gate::Locked => GateKind::Locked,
            Gate::Unlocked { .. } => GateKind::Unlocked,
        }
    }
}

// Saved whole for atomic firing.
impl mycel::fsm::SavedWhole for Turnstile {}

impl Machine for Turnstile {
    type State = Gate;
    type Event = Input;
    type Output = bool;
    fn initial(&self) -> Gate {
        Gate::Locked
    }

    fn handle(&mut self, state: &mut Gate, event: Input, _: Instant) -> Handled<Gate, bool> {
        match (state, event) {
            (Gate::Locked, Input::Coin) => {
                self.coins += 1;
                Handled::go(true, Gate::Unlocked { pushes: 0 }, GateCause::Coin)
            }
            (Gate::Unlocked { pushes }, Input::Push) if *pushes < 1 => {
                *pushes += 1;
                Handled::stay(true)
            }
            (Gate::Unlocked { .. }, Input::Push) => {
                Handled::go(true, Gate::Locked, GateCause::Push)
            }
            (Gate::Unlocked { .. }, Input::Coin) => {
                self.coins += 1;
                Handled::stay(false)
            }
            (Gate::Locked, Input::Push) => Handled::stay(false),
        }
    }

    fn deadline(&self, state: &Gate, entered_at: Instant) -> Option<Instant> {
        matches!(state, Gate::Unlocked { .. })
            .then(|| Instant::from_ticks(entered_at.as_ticks() + 50))
    }

    fn on_timeout(&mut self, state: &mut Gate, _: Instant) -> Option<Transition<Gate>> {
        matches!(state, Gate::Unlocked { .. })
            .then_some(Transition::new(Gate::Locked, GateCause::Timeout))
    }

    fn on_entry(&mut self, state: &mut Gate, at: Instant) {
        self.entries += 1;
        self.last_action = Some((Self::state_name(state), at.as_ticks()));
    }

    fn on_exit(&mut self, state: &Gate, at: Instant) {
        self.exits += 1;
        self.last_action = Some((Self::state_name(state), at.as_ticks()));
    }
}

const VISITORS: PlaceId = PlaceId::new(0);
const PASSED: PlaceId = PlaceId::new(1);
const TURNED_AWAY: PlaceId = PlaceId::new(2);
const NOWHERE: PlaceId = PlaceId::new(3);

/// Routes a visitor by the turnstile's answer; under sabotage, accepted visitors go to
/// a place the transition does not output to.
struct Visitors {
    passed: PlaceId,
}

impl Binding<u8, Turnstile> for Visitors {
    fn event(&self, token: &u8) -> Option<Input> {
        match token % 5 {
            0 => None,
            1 | 2 => Some(Input::Coin),
            _ => Some(Input::Push),
        }
    }

    fn route(&self, _: &u8, output: Option<bool>) -> Route<u8> {
        match output {
            Some(true) => Route::Forward(self.passed),
            _ => Route::Forward(TURNED_AWAY),
        }
    }
}

struct TurnstileApp {
    gate: StateMachine<Turnstile>,
    sabotage: Sabotage,
}

impl Behaviour<u8> for TurnstileApp {
    fn fire(&mut self, _: TransitionId, f: &mut Firing<'_, u8>, now: Instant) -> Result<(), Fault> {
        let sabotage = self.sabotage;
        let passed = if sabotage == Sabotage::Undeclared {
            NOWHERE
        } else {
            PASSED
        };
        let tokens: Vec<u8> = f.inputs().copied().collect();
        embed::fire_then(&mut self.gate, &Visitors { passed }, f, now, |f| {
            // Two tokens a firing, one output arc of weight two each: two more to the
            // first input's place exceed the weight whichever way the tokens went.
            let first = tokens.first().copied();
            if sabotage == Sabotage::OverWeight {
                let _ = f.emit(PASSED, 0);
                let _ = f.emit(PASSED, 0);
                let _ = f.emit(TURNED_AWAY, 0);
                let _ = f.emit(TURNED_AWAY, 0);
                return Ok(());
            }
            after_machine(sabotage, f, first, TURNED_AWAY, PASSED)
        })
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.gate.deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        embed::poll(&mut self.gate, now, changes);
    }
}

type TurnstileNet = Net<u8, 4, 1, 3, 40>;

fn turnstile_net() -> TurnstileNet {
    let mut b = NetBuilder::new();
    let places = [
        b.place("visitors", 8),
        b.place("passed", 8),
        b.place("turned_away", 8),
        b.place("nowhere", 8),
    ];
    assert_eq!(places, [VISITORS, PASSED, TURNED_AWAY, NOWHERE]);
    let gate = b.transition("gate");
    // Two visitors a firing: the second sees the machine the first one left.
    b.input(gate, VISITORS, 2)
        .output(gate, PASSED, 2)
        .output(gate, TURNED_AWAY, 2);
    b.build().expect("the test net is valid")
}

proptest! {
    #![proptest_config(config(256, "tests/proptest-regressions/atomic_firing.txt"))]

    /// After any failed firing through a machine with entry and exit actions, the
    /// marking and the machine (state and its data, the counters its actions keep, the
    /// instant its state was entered, its clock) equal those before the firing, and no
    /// state change was reported.
    #[test]
    fn after_a_failed_firing_the_marking_and_a_machine_with_actions_are_as_before(
        ops in ops(),
    ) {
        let mut app = TurnstileApp {
            gate: StateMachine::new(Turnstile::default(), Instant::from_ticks(0)),
            sabotage: Sabotage::None,
        };
        let mut net = turnstile_net();
        check_atomic(
            &mut net,
            &mut app,
            &ops,
            |kind| kind,
            VISITORS,
            &[PASSED, TURNED_AWAY, NOWHERE],
            |app, s| app.sabotage = s,
            |app| format!("{:?}", app.gate),
        )?;
    }
}

/// The properties above are not vacuous: the generated runs do make firings fail after
/// the machine changed state, in both nets.
#[test]
fn the_generated_runs_fail_firings_after_a_state_change() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut breaker_failures, mut turnstile_failures) = (0, 0);
    for _ in 0..32 {
        let ops = ops().new_tree(&mut runner).unwrap().current();
        let config = BreakerConfig::consecutive(1, Duration::from_ticks(10), 1);
        let mut app = BreakerApp {
            breaker: CircuitBreaker::new(config, Instant::from_ticks(0)).unwrap(),
            sabotage: Sabotage::None,
        };
        breaker_failures += check_atomic(
            &mut breaker_net(),
            &mut app,
            &ops,
            |kind| Call {
                permit: None,
                ok: kind % 3 != 0,
            },
            REQUESTS,
            &[DONE, REJECTED, ELSEWHERE],
            |app, s| app.sabotage = s,
            |app| format!("{:?}", app.breaker),
        )
        .unwrap();
        let mut app = TurnstileApp {
            gate: StateMachine::new(Turnstile::default(), Instant::from_ticks(0)),
            sabotage: Sabotage::None,
        };
        turnstile_failures += check_atomic(
            &mut turnstile_net(),
            &mut app,
            &ops,
            |kind| kind,
            VISITORS,
            &[PASSED, TURNED_AWAY, NOWHERE],
            |app, s| app.sabotage = s,
            |app| format!("{:?}", app.gate),
        )
        .unwrap();
    }
    assert!(breaker_failures > 20, "{breaker_failures} failed firings");
    assert!(
        turnstile_failures > 20,
        "{turnstile_failures} failed firings"
    );
}

/// A firing that changes the machine's state more than once (its changes no longer fit
/// the one held back) still reports every change, in order, once it stands, and leaves
/// the machine as handling the events one by one does.
#[test]
fn a_firing_with_several_state_changes_reports_them_all_in_order() {
    let mut net = turnstile_net();
    let mut app = TurnstileApp {
        gate: StateMachine::new(Turnstile::default(), Instant::from_ticks(0)),
        sabotage: Sabotage::None,
    };
    let mut alone = StateMachine::new(Turnstile::default(), Instant::from_ticks(0));
    // Coin (locked -> unlocked), push (stays, first push), then push (unlocked ->
    // locked) and coin (locked -> unlocked): the second firing makes two changes.
    let mut changes = Vec::new();
    for (tokens, at) in [([1u8, 3], 1u64), ([3, 1], 2)] {
        let now = Instant::from_ticks(at);
        for token in tokens {
            net.inject(VISITORS, token, now).unwrap();
        }
        net.step_observed(now, &mut app, &mut |e: &NetEvent| {
            if let NetEvent::StateChanged(c) = e {
                changes.push((c.from.name, c.to.name, c.at.as_ticks()));
            }
        })
        .unwrap();
    }
    for (event, at) in [
        (Input::Coin, 1u64),
        (Input::Push, 1),
        (Input::Push, 2),
        (Input::Coin, 2),
    ] {
        alone.dispatch(event, Instant::from_ticks(at)).unwrap();
    }
    assert_eq!(
        changes,
        [
            ("locked", "unlocked", 1),
            ("unlocked", "locked", 2),
            ("locked", "unlocked", 2)
        ]
    );
    assert_eq!(format!("{:?}", app.gate), format!("{alone:?}"));
    assert_eq!(net.len(PASSED), 4);
}

//! One property test per net invariant, each named after it, on random valid nets,
//! scripted behaviours and call sequences (equal, small and enormous time jumps,
//! clock regressions). Each drives the engine alone and checks the invariant directly;
//! agreement with the reference interpreter is `net_model.rs` and `net_ops.rs`.

use std::collections::HashSet;

use mycel_check::model_based::net::draft::NetDraft;
use mycel_check::model_based::net::driver::{Applied, EngineDriver};
use mycel_check::model_based::net::invariants::{assert_tokens_conserved, assert_within_capacity};
use mycel_check::model_based::net::ops::{Call, Gap, Op, When};
use mycel_check::model_based::net::outcome::{
    EmissionKind, Event, FaultKind, InjectRefusal, Outcome, StepOutcome,
};
use mycel_check::model_based::net::script::{MINT_BASE, Move, Script};
use mycel_check::model_based::net::snapshot::Snapshot;
use mycel_check::model_based::net::strategy::{net_draft, op, script, script_of};
use mycel_check::proptest_config::config;
use mycel_check::reference::net::{ArcKind, NetSpec};
use proptest::collection::vec;
use proptest::prelude::*;

const REGRESSIONS: &str = "tests/proptest-regressions/net_properties.txt";

fn engine(spec: &NetSpec<u32>, script: &Script) -> EngineDriver {
    EngineDriver::new(spec, script).expect("a repaired net builds")
}

/// Every inject of `ops` gets a distinct small value (its position), so a token's value
/// says where it came from.
fn with_distinct_values(ops: Vec<Op>) -> Vec<Op> {
    ops.into_iter()
        .enumerate()
        .map(|(i, op)| match op {
            Op::Inject { place, at, .. } => Op::Inject {
                place,
                value: u32::try_from(i).expect("few ops"),
                at,
            },
            other => other,
        })
        .collect()
}

/// `ops` with every `run` turned into a `step` at the same instant.
fn steps_only(ops: Vec<Op>) -> Vec<Op> {
    ops.into_iter()
        .map(|op| match op {
            Op::Run { at, .. } => Op::Step { at },
            other => other,
        })
        .collect()
}

/// The step events of an applied call, without their instants.
fn firings(applied: &Applied) -> Vec<StepOutcome> {
    applied
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Step { outcome, .. } => Some(*outcome),
            _ => None,
        })
        .collect()
}

/// The tokens `transition` would consume now: the head `w` tokens of each input arc's
/// place, in arc order.
fn would_consume(spec: &NetSpec<u32>, marking: &[Vec<u32>], transition: usize) -> Vec<u32> {
    spec.arcs
        .iter()
        .filter(|a| a.transition == transition && a.kind == ArcKind::Input)
        .flat_map(|a| {
            marking[a.place]
                .iter()
                .take(a.weight as usize)
                .copied()
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Runs `ops` on a fresh engine, recording every call and the state after it.
fn trace(spec: &NetSpec<u32>, script: &Script, ops: &[Op]) -> Vec<(Applied, Snapshot)> {
    let mut d = engine(spec, script);
    ops.iter()
        .map(|&op| {
            let applied = d.apply(op);
            (applied, d.snapshot())
        })
        .collect()
}

/// A fresh engine after `ops`.
fn replayed(spec: &NetSpec<u32>, script: &Script, ops: &[Op]) -> EngineDriver {
    let mut d = engine(spec, script);
    for &op in ops {
        let _ = d.apply(op);
    }
    d
}

fn untimed_without_rollbacks(draft: &NetDraft) -> NetSpec<u32> {
    let mut spec = draft.repair();
    for t in &mut spec.transitions {
        t.delay = 0;
        // Forwarding moves never fail for a sink; with an error place a failure moves
        // tokens and holds nothing, so time cannot matter either.
        if t.error_place.is_none() {
            t.sink = true;
        }
    }
    spec
}

/// Host calls that take no time of their own: inject now, or take.
#[derive(Debug, Clone, Copy)]
enum HostCall {
    Inject { place: u8, value: u32 },
    Take { place: u8 },
}

fn host_call() -> impl Strategy<Value = HostCall> {
    prop_oneof![
        3 => (any::<u8>(), 0u32..16).prop_map(|(place, value)| HostCall::Inject { place, value }),
        1 => any::<u8>().prop_map(|place| HostCall::Take { place }),
    ]
}

impl HostCall {
    fn op(self) -> Op {
        match self {
            Self::Inject { place, value } => Op::Inject {
                place,
                value,
                at: When::Same,
            },
            Self::Take { place } => Op::Take { place },
        }
    }
}

const OUTSIDE_ARCS: &[Move] = &[
    Move::EmitUndeclared { pick: 0 },
    Move::EmitUndeclared { pick: 1 },
    Move::EmitUndeclared { pick: 7 },
    Move::ExceedWeight,
];
const FAILING: &[Move] = &[
    Move::ForwardAll,
    Move::DropOne,
    Move::EmitExtra,
    Move::EmitUndeclared { pick: 3 },
    Move::ExceedWeight,
    Move::ForwardTwice,
    Move::ForwardMissing,
    Move::Fail(mycel::sched::Fault(9)),
];

proptest! {
    #![proptest_config(config(256, REGRESSIONS))]

    /// `injected + created == taken + retired + held` after every call, and no token is
    /// ever duplicated or invented: every held or taken token was injected (each inject
    /// has its own value) or minted by a behaviour, and none appears twice.
    #[test]
    fn tokens_are_conserved_across_any_call_sequence(
        net in net_draft(), script in script(), ops in vec(op(), 0..48),
    ) {
        let spec = net.repair();
        let mut d = engine(&spec, &script);
        let mut injected = HashSet::new();
        let mut taken = HashSet::new();
        for op in with_distinct_values(ops) {
            let applied = d.apply(op);
            match (applied.call, applied.outcome) {
                (Call::Inject { value, .. }, Outcome::Injected) => { injected.insert(value); }
                (_, Outcome::Taken(token)) => {
                    prop_assert!(taken.insert(token), "token {token} taken twice");
                }
                _ => {}
            }
            let s = d.snapshot();
            assert_tokens_conserved(&s);
            let mut held = HashSet::new();
            for &token in s.marking.iter().flatten().chain(&taken) {
                prop_assert!(held.insert(token), "token {token} is in the net twice");
                prop_assert!(
                    injected.contains(&token) || token >= MINT_BASE,
                    "token {token} was never injected nor minted"
                );
            }
        }
    }

    /// No place ever holds more than its capacity, not even for a moment: its
    /// high-water mark (taken after every append) stays within the capacity too.
    #[test]
    fn no_place_ever_exceeds_its_capacity(
        net in net_draft(), script in script(), ops in vec(op(), 0..48),
    ) {
        let spec = net.repair();
        let mut d = engine(&spec, &script);
        for op in ops {
            let before = d.snapshot();
            let applied = d.apply(op);
            let after = d.snapshot();
            assert_within_capacity(&spec, &after);
            if let (Call::Inject { place, .. }, Outcome::Injected) = (applied.call, applied.outcome) {
                let capacity = spec.places[place].capacity as usize;
                prop_assert!(before.len(place) < capacity, "injected into a full place {place}");
            }
        }
    }

    /// An inject into a full place hands that very token back and changes nothing: not
    /// the marking, counters, enabled transitions, deadline, nor the last instant seen.
    #[test]
    fn a_full_place_hands_the_token_back_and_nothing_changes(
        net in net_draft(), script in script(), ops in vec(op(), 0..32),
        fill in any::<u8>(), probe in any::<u32>(), gap in any::<u16>(),
    ) {
        let spec = net.repair();
        let mut d = engine(&spec, &script);
        // Start with one place full so every case probes at least once.
        let first = usize::from(fill) % spec.places.len();
        for i in 0..spec.places[first].capacity {
            let _ = d.call(Call::Inject { place: first, value: i, now: 0 });
        }
        for op in ops.into_iter().map(Some).chain([None]) {
            if let Some(op) = op {
                let before = d.snapshot();
                let applied = d.apply(op);
                if let Outcome::InjectRefused { refusal: InjectRefusal::Full, token } = applied.outcome {
                    let Call::Inject { value, .. } = applied.call else { unreachable!() };
                    prop_assert_eq!(token, value);
                    prop_assert_eq!(&d.snapshot(), &before);
                    prop_assert!(applied.events.is_empty() && applied.attempts.is_empty());
                }
            }
            let state = d.snapshot();
            for (place, tokens) in state.marking.iter().enumerate() {
                if tokens.len() < spec.places[place].capacity as usize {
                    continue;
                }
                let now = state.last_seen.saturating_add(u64::from(gap));
                let applied = d.call(Call::Inject { place, value: probe, now });
                prop_assert_eq!(
                    applied.outcome,
                    Outcome::InjectRefused { refusal: InjectRefusal::Full, token: probe }
                );
                prop_assert!(applied.events.is_empty() && applied.attempts.is_empty());
                prop_assert_eq!(&d.snapshot(), &state);
            }
        }
    }

    /// A failed firing leaves the marking exactly as it was (rolled back), or moves
    /// exactly the consumed tokens, in order, from the heads of the input places to the
    /// tail of the transition's error place and changes nothing else.
    #[test]
    fn a_failing_behaviour_leaves_the_marking_unchanged_or_moves_tokens_only_to_the_error_place(
        net in net_draft(), script in script_of(FAILING), ops in vec(op(), 0..48),
    ) {
        let spec = net.repair();
        let mut d = engine(&spec, &script);
        for op in steps_only(ops) {
            let before = d.snapshot();
            let applied = d.apply(op);
            let after = d.snapshot();
            let Outcome::Stepped(StepOutcome::Failed { transition, error_place, .. }) = applied.outcome else {
                continue;
            };
            let consumed = would_consume(&spec, &before.marking, transition);
            prop_assert_eq!(&applied.attempts, &vec![(transition, consumed.clone())]);
            let mut expected = before.marking.clone();
            if let Some(e) = error_place {
                for a in spec.arcs.iter().filter(|a| a.transition == transition && a.kind == ArcKind::Input) {
                    expected[a.place].drain(..a.weight as usize);
                }
                expected[e].extend(&consumed);
            }
            prop_assert_eq!(&after.marking, &expected);
            prop_assert_eq!(
                (after.injected, after.taken, after.created, after.retired, after.firings),
                (before.injected, before.taken, before.created, before.retired, before.firings)
            );
            prop_assert_eq!(after.failures, before.failures + 1);
        }
    }

    /// A behaviour that emits to a place that is not one of its outputs, or beyond an
    /// output arc's weight, makes its firing fail and moves no token at all.
    #[test]
    fn emission_outside_declared_arcs_never_moves_a_token(
        net in net_draft(), script in script_of(OUTSIDE_ARCS), ops in vec(op(), 0..48),
    ) {
        let mut spec = net.repair();
        for t in &mut spec.transitions {
            t.error_place = None;
        }
        let mut d = engine(&spec, &script);
        for op in ops {
            let before = d.snapshot();
            let applied = d.apply(op);
            let after = d.snapshot();
            if matches!(applied.call, Call::Step { .. } | Call::Run { .. }) {
                for outcome in firings(&applied) {
                    prop_assert!(
                        matches!(
                            outcome,
                            StepOutcome::Failed {
                                fault: FaultKind::Emission(
                                    EmissionKind::UndeclaredOutput | EmissionKind::WeightExceeded
                                ),
                                error_place: None,
                                ..
                            }
                        ),
                        "{outcome:?}"
                    );
                }
                prop_assert_eq!(&after.marking, &before.marking);
                prop_assert_eq!(after.held(), before.held());
            }
        }
    }

    /// The same net and the same calls give the same results, events and states, call
    /// for call.
    #[test]
    fn same_net_and_calls_give_the_same_trace(
        net in net_draft(), script in script(), ops in vec(op(), 0..48),
    ) {
        let spec = net.repair();
        let first = trace(&spec, &script, &ops);
        let second = trace(&spec, &script, &ops);
        prop_assert_eq!(first, second);
    }

    /// A behaviour that says its transitions pass tokens through, so the engine moves
    /// their tokens itself, gets the same result, events and state from every call as
    /// one that has each firing call it; only the firings of the transitions the engine
    /// may move alone (no moves scripted, not a source, output weights adding up to the
    /// consumption) no longer reach the behaviour.
    #[test]
    fn claiming_pass_through_changes_nothing_but_which_firings_reach_the_behaviour(
        net in net_draft(), script in script(), ops in vec(op(), 0..48),
    ) {
        let spec = net.repair();
        let moved_by_the_net = |t: usize| {
            let weight = |kind| -> u32 {
                spec.arcs
                    .iter()
                    .filter(|a| a.transition == t && a.kind == kind)
                    .map(|a| a.weight)
                    .sum()
            };
            script.moves.get(t).is_none_or(Vec::is_empty)
                && !spec.transitions[t].source
                && weight(ArcKind::Input) == weight(ArcKind::Output)
        };
        let mut firing = engine(&spec, &script);
        let mut claiming = EngineDriver::claiming_pass_through(&spec, &script)
            .expect("a repaired net builds");
        for op in ops {
            let fired = firing.apply(op);
            let moved = claiming.apply(op);
            prop_assert_eq!(&moved.call, &fired.call);
            prop_assert_eq!(&moved.outcome, &fired.outcome);
            prop_assert_eq!(&moved.events, &fired.events);
            let reaching: Vec<_> = fired
                .attempts
                .into_iter()
                .filter(|&(t, _)| !moved_by_the_net(t))
                .collect();
            prop_assert_eq!(moved.attempts, reaching);
            prop_assert_eq!(claiming.snapshot(), firing.snapshot());
        }
    }

    /// On an untimed net, `step` at every instant of an interval fires the same
    /// transitions, in the same order and with the same results, as one `run` at the
    /// end with a budget of one firing per instant, and both end in the same state.
    #[test]
    fn splitting_time_gives_the_same_firings_for_untimed_nets(
        net in net_draft(),
        script in script(),
        segments in vec((vec(host_call(), 0..6), 1u64..12), 1..8),
    ) {
        let spec = untimed_without_rollbacks(&net);
        // Transitions without an error place only use moves that succeed for a sink.
        let script = Script {
            moves: script
                .moves
                .iter()
                .enumerate()
                .map(|(t, moves)| {
                    let rolls_back = spec.transitions.get(t).is_some_and(|t| t.error_place.is_none());
                    moves
                        .iter()
                        .map(|&m| if rolls_back && !m.stays_within_arcs() { Move::ForwardAll } else { m })
                        .collect()
                })
                .collect(),
        };
        let mut once = engine(&spec, &script);
        let mut split = engine(&spec, &script);
        for (calls, span) in segments {
            for call in calls {
                let a = once.apply(call.op());
                let b = split.apply(call.op());
                prop_assert_eq!(a, b);
            }
            let start = once.last_seen();
            let end = start.saturating_add(span);
            let ran = once.call(Call::Run { now: end, budget: span as u32 });
            let mut stepped = Vec::new();
            for now in start.saturating_add(1)..=end {
                stepped.extend(firings(&split.call(Call::Step { now })));
            }
            prop_assert_eq!(firings(&ran), stepped);
            prop_assert_eq!(once.snapshot(), split.snapshot());
        }
    }

    /// No firing attempt (successful or not) of a transition with delay `d` happens at
    /// an instant before `d` after it became enabled, or after its last successful firing
    /// if it stayed enabled.
    #[test]
    fn a_timed_transition_never_fires_early(
        net in net_draft(), script in script(), ops in vec(op(), 0..48),
    ) {
        let spec = net.repair();
        let delay: Vec<u64> = spec.transitions.iter().map(|t| t.delay).collect();
        let mut d = engine(&spec, &script);
        let mut state = d.snapshot();
        let mut since: Vec<Option<u64>> = state
            .transitions
            .iter()
            .map(|t| t.enabled.then_some(0))
            .collect();
        for op in ops {
            let applied = d.apply(op);
            let after = d.snapshot();
            let mut restarted = vec![false; delay.len()];
            for event in &applied.events {
                let Event::Step { outcome, at } = *event else { continue };
                let Some(t) = outcome.transition() else { continue };
                // Enabled since the op started, unless it became enabled (or fired) during it.
                let start = if restarted[t] { at } else { since[t].unwrap_or(at) };
                prop_assert!(
                    at >= start.saturating_add(delay[t]),
                    "transition {t} with delay {} fired at {at}, enabled since {start}",
                    delay[t]
                );
                if matches!(outcome, StepOutcome::Fired { .. }) {
                    restarted[t] = true;
                }
            }
            for (t, s) in since.iter_mut().enumerate() {
                let (was, is) = (state.transitions[t].enabled, after.transitions[t].enabled);
                *s = match (was, is) {
                    (_, false) => None,
                    (false, true) => Some(after.last_seen),
                    (true, true) if restarted[t] => Some(after.last_seen),
                    (true, true) => *s,
                };
            }
            state = after;
        }
    }

    /// `next_deadline` is never later than the next change that needs no input: nothing
    /// happens at any instant before it (checked at the instant just before, on a
    /// replayed copy), and with no deadline nothing happens even at the end of time.
    #[test]
    fn next_deadline_is_never_later_than_the_next_time_driven_change(
        net in net_draft(), script in script(), ops in vec(op(), 0..24),
    ) {
        let spec = net.repair();
        for done in 0..=ops.len() {
            let prefix = &ops[..done];
            let d = replayed(&spec, &script, prefix);
            let state = d.snapshot();
            let probe = match state.next_deadline {
                None => u64::MAX,
                Some(deadline) if deadline > state.last_seen => deadline - 1,
                Some(_) => continue,
            };
            let mut copy = replayed(&spec, &script, prefix);
            prop_assert_eq!(copy.snapshot(), state.clone());
            let applied = copy.call(Call::Step { now: probe });
            prop_assert_eq!(
                applied.outcome,
                Outcome::Stepped(StepOutcome::Idle),
                "deadline {:?} but something happened at {}",
                state.next_deadline,
                probe
            );
            prop_assert_eq!(copy.snapshot().timeless(), state.timeless());
        }
    }

    /// A call with an instant earlier than the last one seen is refused (an inject hands
    /// its token back) and changes nothing; a net that saw the refused calls goes on
    /// exactly like one that never did.
    #[test]
    fn a_clock_regression_changes_nothing(
        net in net_draft(), script in script(), ops in vec(op(), 0..48),
    ) {
        let spec = net.repair();
        let mut d = engine(&spec, &script);
        let mut kept = Vec::new();
        let mut results = Vec::new();
        for op in ops {
            let before = d.snapshot();
            let applied = d.apply(op);
            let regressed = match applied.outcome {
                Outcome::Regressed => true,
                Outcome::InjectRefused { refusal: InjectRefusal::ClockRegression, token } => {
                    let Call::Inject { value, .. } = applied.call else { unreachable!() };
                    prop_assert_eq!(token, value);
                    true
                }
                _ => false,
            };
            let earlier = applied.call.now().is_some_and(|now| now < before.last_seen);
            prop_assert_eq!(regressed, earlier, "{:?} at last seen {}", applied, before.last_seen);
            if regressed {
                prop_assert!(applied.events.is_empty() && applied.attempts.is_empty());
                prop_assert_eq!(d.snapshot(), before);
            } else {
                kept.push(op);
                results.push((applied, d.snapshot()));
            }
        }
        prop_assert_eq!(trace(&spec, &script, &kept), results);
    }
}

/// Enormous jumps saturate at the last instant instead of overflowing, so the
/// properties above also run at the end of time.
#[test]
fn enormous_jumps_saturate_at_the_end_of_time() {
    let spec = NetDraft {
        places: vec![mycel_check::model_based::net::draft::PlaceDraft { capacity: 1 }],
        transitions: vec![],
        arcs: vec![],
        round_robin: false,
    }
    .repair();
    let mut d = engine(&spec, &Script::forward_all());
    for _ in 0..3 {
        let applied = d.apply(Op::Step {
            at: When::Later(Gap::Enormous(0)),
        });
        assert_eq!(applied.outcome, Outcome::Stepped(StepOutcome::Idle));
    }
    assert_eq!(d.last_seen(), u64::MAX);
}

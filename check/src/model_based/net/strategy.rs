//! Proptest strategies producing the same input types the fuzzer derives with
//! `arbitrary`, weighted toward nets and calls that do something.

use mycel::net::ArcKind;
use mycel::sched::Fault;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use super::draft::{ArcDraft, DelayDraft, NetDraft, PlaceDraft, TransitionDraft};
use super::engine::{MAX_PLACES, MAX_TRANSITIONS};
use super::guards::GuardKind;
use super::ops::{Gap, Op, When};
use super::sabotage::{ALL_SABOTAGES, Sabotage};
use super::script::{MAX_MOVES, Move, Script};

/// A place of any capacity (repair maps it to 1..=8).
pub fn place_draft() -> impl Strategy<Value = PlaceDraft> {
    any::<u8>().prop_map(|capacity| PlaceDraft { capacity })
}

/// Mostly untimed, often short, sometimes long, huge or infinite delays.
pub fn delay_draft() -> impl Strategy<Value = DelayDraft> {
    prop_oneof![
        4 => Just(DelayDraft::None),
        4 => any::<u8>().prop_map(DelayDraft::Short),
        1 => any::<u16>().prop_map(DelayDraft::Long),
        1 => any::<u16>().prop_map(DelayDraft::Huge),
        1 => Just(DelayDraft::Forever),
    ]
}

/// Mostly no guard.
pub fn guard_kind() -> impl Strategy<Value = GuardKind> {
    prop_oneof![
        8 => Just(GuardKind::Always),
        1 => Just(GuardKind::FirstEven),
        1 => Just(GuardKind::AllEqual),
        1 => Just(GuardKind::SmallTokens),
        1 => Just(GuardKind::Never),
    ]
}

/// A transition; error places, sources and sinks are the exception, not the rule.
pub fn transition_draft() -> impl Strategy<Value = TransitionDraft> {
    (
        any::<u8>(),
        delay_draft(),
        option::weighted(0.3, any::<u8>()),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.25),
        guard_kind(),
    )
        .prop_map(
            |(priority, delay, error_place, source, sink, guard)| TransitionDraft {
                priority,
                delay,
                error_place,
                source,
                sink,
                guard,
            },
        )
}

/// Mostly input and output arcs.
pub fn arc_kind() -> impl Strategy<Value = ArcKind> {
    prop_oneof![
        4 => Just(ArcKind::Input),
        4 => Just(ArcKind::Output),
        1 => Just(ArcKind::Read),
        1 => Just(ArcKind::Inhibitor),
    ]
}

/// An arc between any transition and place.
pub fn arc_draft() -> impl Strategy<Value = ArcDraft> {
    (any::<u8>(), any::<u8>(), arc_kind(), any::<u8>()).prop_map(
        |(transition, place, kind, weight)| ArcDraft {
            transition,
            place,
            kind,
            weight,
        },
    )
}

/// A net of 1..=8 places, 1..=8 transitions and up to 24 arcs.
pub fn net_draft() -> impl Strategy<Value = NetDraft> {
    (
        vec(place_draft(), 1..=MAX_PLACES),
        vec(transition_draft(), 1..=MAX_TRANSITIONS),
        vec(arc_draft(), 0..=24),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(places, transitions, arcs, round_robin)| NetDraft {
            places,
            transitions,
            arcs,
            round_robin,
        })
}

/// Mostly forwarding, with every kind of misbehaviour now and then.
pub fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        8 => Just(Move::ForwardAll),
        2 => Just(Move::EmitNew),
        1 => Just(Move::DropOne),
        1 => Just(Move::EmitExtra),
        1 => any::<u8>().prop_map(|pick| Move::EmitUndeclared { pick }),
        1 => Just(Move::ExceedWeight),
        1 => Just(Move::ForwardTwice),
        1 => Just(Move::ForwardMissing),
        2 => any::<u16>().prop_map(|code| Move::Fail(Fault(code))),
    ]
}

/// Moves for up to 8 transitions.
pub fn script() -> impl Strategy<Value = Script> {
    vec(vec(a_move(), 0..=MAX_MOVES), 0..=MAX_TRANSITIONS).prop_map(|moves| Script { moves })
}

/// A script drawing only from `moves`.
pub fn script_of(moves: &'static [Move]) -> impl Strategy<Value = Script> {
    vec(
        vec(proptest::sample::select(moves), 1..=MAX_MOVES),
        MAX_TRANSITIONS,
    )
    .prop_map(|moves| Script { moves })
}

/// Mostly short jumps, sometimes long or enormous ones.
pub fn gap() -> impl Strategy<Value = Gap> {
    prop_oneof![
        6 => any::<u8>().prop_map(Gap::Tick),
        2 => any::<u16>().prop_map(Gap::Span),
        1 => any::<u16>().prop_map(Gap::Enormous),
    ]
}

/// Often the same instant, mostly later, sometimes earlier (a regression).
pub fn when() -> BoxedStrategy<When> {
    prop_oneof![
        4 => Just(When::Same),
        6 => gap().prop_map(When::Later),
        1 => any::<u8>().prop_map(When::Earlier),
    ]
    .boxed()
}

/// Mostly small token values, so guards and equal tokens come up.
pub fn token() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..16, 1 => any::<u32>()]
}

/// Any host operation at instants drawn from `at`.
pub fn op_with(at: BoxedStrategy<When>) -> BoxedStrategy<Op> {
    prop_oneof![
        5 => (any::<u8>(), token(), at.clone()).prop_map(|(place, value, at)| Op::Inject { place, value, at }),
        2 => any::<u8>().prop_map(|place| Op::Take { place }),
        4 => at.clone().prop_map(|at| Op::Step { at }),
        2 => (at, any::<u8>()).prop_map(|(at, budget)| Op::Run { at, budget }),
    ]
    .boxed()
}

/// Any host operation, regressions included.
pub fn op() -> BoxedStrategy<Op> {
    op_with(when())
}

/// Any sabotage.
pub fn sabotage() -> impl Strategy<Value = Sabotage> {
    proptest::sample::select(&ALL_SABOTAGES[..])
}

//! Proptest strategies producing the same input types the fuzzer derives with
//! `arbitrary`, weighted toward configurations and calls that move the breaker through
//! its states: short periods and jumps, mostly acquire and record, operator calls now
//! and then, and rare enormous jumps toward the end of time.

use mycel::breaker::{Outcome, Speed};
use proptest::option;
use proptest::prelude::*;

use super::config::{
    CloseDraft, ConfigDraft, CountDraft, DurationDraft, HalfOpenDraft, OpenDraft, SlowDraft,
    TimeDraft,
};
use super::ops::{BreakerOp, Operator};
use super::sabotage::{ALL_CONFIG_SABOTAGES, ConfigSabotage};
use crate::model_based::net::ops::{Gap, When};

/// Mostly short durations, sometimes long, rarely enormous.
pub fn duration_draft() -> impl Strategy<Value = DurationDraft> {
    prop_oneof![
        12 => any::<u8>().prop_map(DurationDraft::Short),
        3 => (0u16..200).prop_map(DurationDraft::Long),
        1 => any::<u16>().prop_map(DurationDraft::Long),
        1 => any::<u16>().prop_map(DurationDraft::Huge),
    ]
}

/// A raw number that repair maps onto a range: mostly the low end, so windows fill and
/// limits are reached within a generated sequence, sometimes anywhere.
fn mostly_small() -> impl Strategy<Value = u8> {
    prop_oneof![4 => 0u8..6, 1 => any::<u8>()]
}

/// Any count window the breaker type holds, mostly small ones.
pub fn count_draft() -> impl Strategy<Value = CountDraft> {
    (mostly_small(), any::<u8>(), mostly_small()).prop_map(|(size, rate, minimum)| CountDraft {
        size,
        rate,
        minimum,
    })
}

/// Any time window the breaker type holds, with mostly short buckets.
pub fn time_draft() -> impl Strategy<Value = TimeDraft> {
    (duration_draft(), any::<u8>(), any::<u8>(), mostly_small()).prop_map(
        |(width, buckets, rate, minimum)| TimeDraft {
            width,
            buckets,
            rate,
            minimum,
        },
    )
}

/// Any slow-call policy.
pub fn slow_draft() -> impl Strategy<Value = SlowDraft> {
    (any::<u8>(), any::<u8>()).prop_map(|(threshold, rate)| SlowDraft { threshold, rate })
}

/// Open periods without growth, with modest growth, or with enormous growth; a cap
/// half the time; jitter a third of the time.
pub fn open_draft() -> impl Strategy<Value = OpenDraft> {
    (
        duration_draft(),
        prop_oneof![3 => Just(0u16), 3 => 0u16..300, 1 => any::<u16>()],
        option::of(duration_draft()),
        prop_oneof![2 => Just(0u8), 1 => any::<u8>()],
        any::<u64>(),
    )
        .prop_map(
            |(base, multiplier, cap_above_base, jitter, seed)| OpenDraft {
                base,
                multiplier,
                cap_above_base,
                jitter,
                seed,
            },
        )
}

/// Both close rules, a maximum wait two times in five.
pub fn half_open_draft() -> impl Strategy<Value = HalfOpenDraft> {
    (
        any::<u8>(),
        prop_oneof![
            3 => mostly_small().prop_map(CloseDraft::AfterSuccesses),
            1 => Just(CloseDraft::ByRate),
        ],
        option::weighted(0.4, duration_draft()),
        any::<bool>(),
    )
        .prop_map(|(permits, close, max_wait, repermit)| HalfOpenDraft {
            permits,
            close,
            max_wait,
            repermit,
        })
}

/// Every combination of trip policies, close rules and open policies.
pub fn config_draft() -> impl Strategy<Value = ConfigDraft> {
    (
        option::weighted(0.6, mostly_small()),
        option::weighted(0.4, count_draft()),
        option::weighted(0.4, time_draft()),
        option::weighted(0.3, slow_draft()),
        open_draft(),
        half_open_draft(),
    )
        .prop_map(
            |(consecutive, count_window, time_window, slow_calls, open, half_open)| ConfigDraft {
                consecutive,
                count_window,
                time_window,
                slow_calls,
                open,
                half_open,
            },
        )
}

/// Mostly short jumps, sometimes longer, rarely enormous.
pub fn gap() -> impl Strategy<Value = Gap> {
    prop_oneof![
        30 => any::<u8>().prop_map(Gap::Tick),
        6 => (0u16..400).prop_map(Gap::Span),
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

/// Failures `failure_weight` times in 8 among successes and failures, ignored now and
/// then.
pub fn outcome(failure_weight: u32) -> impl Strategy<Value = Outcome> {
    prop_oneof![
        8 - failure_weight.min(8) => Just(Outcome::Success),
        failure_weight.min(8) => Just(Outcome::Failure),
        1 => Just(Outcome::Ignored),
    ]
}

/// Who judges a recorded call's speed: the clock mostly, the caller's verdict (slow
/// or not) now and then.
pub fn speed() -> impl Strategy<Value = Speed> {
    prop_oneof![
        6 => Just(Speed::Timed),
        1 => Just(Speed::Slow),
        1 => Just(Speed::NotSlow),
    ]
}

/// Any operator call, resets as often as the three modes together.
pub fn operator() -> impl Strategy<Value = Operator> {
    prop_oneof![
        1 => Just(Operator::ForceOpen),
        1 => Just(Operator::Disable),
        1 => Just(Operator::MetricsOnly),
        3 => Just(Operator::Reset),
    ]
}

/// Any caller operation at instants drawn from `at`, failing `failure_weight` times in
/// 8: mostly acquire and record (a permit reported again one time in ten), polls and
/// operator calls now and then.
pub fn breaker_op_with(at: BoxedStrategy<When>, failure_weight: u32) -> BoxedStrategy<BreakerOp> {
    prop_oneof![
        12 => at.clone().prop_map(|at| BreakerOp::Acquire { at }),
        12 => (any::<u8>(), outcome(failure_weight), speed(), at.clone(), prop::bool::weighted(0.1)).prop_map(
            |(pick, outcome, speed, at, keep)| BreakerOp::Record { pick, outcome, speed, at, keep }
        ),
        2 => at.clone().prop_map(|at| BreakerOp::Poll { at }),
        1 => (operator(), at).prop_map(|(call, at)| BreakerOp::Operator { call, at }),
    ]
    .boxed()
}

/// Any caller operation, regressions included, failing half the time.
pub fn breaker_op() -> BoxedStrategy<BreakerOp> {
    breaker_op_with(when(), 4)
}

/// Sequences of up to `max` operations whose backend has a health of its own: from
/// never failing to always failing.
pub fn breaker_ops(max: usize) -> impl Strategy<Value = Vec<BreakerOp>> {
    (0u32..=8).prop_flat_map(move |failure_weight| {
        proptest::collection::vec(breaker_op_with(when(), failure_weight), 0..=max)
    })
}

/// Any configuration sabotage.
pub fn config_sabotage() -> impl Strategy<Value = ConfigSabotage> {
    proptest::sample::select(&ALL_CONFIG_SABOTAGES[..])
}

//! One property test per breaker invariant, each named after it, on random valid
//! configurations and call sequences (equal, small and enormous time jumps, clock
//! regressions, stale and repeated reports, operator calls). Each drives the engine
//! alone and checks its invariant after every call; agreement with the reference
//! breaker is `breaker_model.rs` and `breaker_ops.rs`.

use mycel::breaker::BreakerConfig;
use mycel_check::model_based::breaker::config::ConfigDraft;
use mycel_check::model_based::breaker::driver::EngineBreaker;
use mycel_check::model_based::breaker::invariants::{
    CallRecord, assert_closed_never_rejects, assert_counters_never_decrease,
    assert_half_open_never_has_more_than_p_permits_outstanding,
    assert_open_and_forced_open_never_permit, assert_open_ends_exactly_at_the_end_of_its_period,
    assert_stale_outcomes_change_nothing, assert_state_changes_follow_only_allowed_edges,
};
use mycel_check::model_based::breaker::ops::{BreakerOp, Operator};
use mycel_check::model_based::breaker::pipeline::{Pipeline, PipelineOp};
use mycel_check::model_based::breaker::strategy::{breaker_ops, config_draft, outcome, when};
use mycel_check::proptest_config::config;
use proptest::collection::vec;
use proptest::prelude::*;

const REGRESSIONS: &str = "tests/proptest-regressions/breaker_properties.txt";

/// Runs `ops` on a fresh engine breaker for `config`, handing `check` the breaker as
/// it was before each call and the record of the call.
fn each_call(
    config: BreakerConfig,
    ops: &[BreakerOp],
    mut check: impl FnMut(&EngineBreaker, &CallRecord<'_>),
) {
    let mut engine = EngineBreaker::new(config).expect("a repaired configuration is valid");
    let mut state = engine.snapshot();
    for &op in ops {
        let before = engine.clone();
        let applied = engine.apply(op);
        let after = engine.snapshot();
        check(
            &before,
            &CallRecord {
                config: &config,
                before: &state,
                last_used: before.last_used(),
                applied: &applied,
                after: &after,
                caller: engine.entry(),
            },
        );
        state = after;
    }
}

/// Requests against a backend of random health, steps and runs at random instants,
/// drains and operator calls.
fn pipeline_ops() -> impl Strategy<Value = Vec<PipelineOp>> {
    (0u32..=8).prop_flat_map(|failure_weight| {
        let op = prop_oneof![
            6 => (outcome(failure_weight), when())
                .prop_map(|(outcome, at)| PipelineOp::Request { outcome, at }),
            3 => when().prop_map(|at| PipelineOp::Step { at }),
            3 => (when(), any::<u8>()).prop_map(|(at, budget)| PipelineOp::Run { at, budget }),
            1 => Just(PipelineOp::Drain),
            1 => prop_oneof![
                2 => Just(Operator::ForceOpen),
                1 => Just(Operator::Disable),
                1 => Just(Operator::MetricsOnly),
                4 => Just(Operator::Reset),
            ]
            .prop_map(PipelineOp::Operator),
        ];
        vec(op, 0..=96)
    })
}

proptest! {
    #![proptest_config(config(256, REGRESSIONS))]

    /// A call whose `now` is earlier than the latest instant the breaker has seen is
    /// refused and changes nothing: any sequence of calls with regressions interleaved
    /// leaves the breaker (and every other call's answer and changes) exactly as the same
    /// sequence with the regressed calls removed.
    #[test]
    fn a_regressed_call_changes_nothing(draft in config_draft(), ops in breaker_ops(96)) {
        let config = draft.repair();
        let mut with = EngineBreaker::new(config).expect("a repaired configuration is valid");
        let mut without = with.clone();
        for op in ops {
            let call = with.resolve(op);
            let applied = with.apply(op);
            if applied.answer.is_clock_regression() {
                prop_assert!(applied.changes.is_empty());
                continue;
            }
            let alone = without.apply_call(call);
            prop_assert_eq!(&applied, &alone);
            prop_assert_eq!(with.breaker(), without.breaker());
            prop_assert_eq!(with.held(), without.held());
        }
        prop_assert_eq!(with.breaker(), without.breaker());
    }

    /// An acquire that finds the breaker OPEN (its period not over) or FORCED_OPEN is
    /// rejected for that reason; an OPEN rejection names the end of the period.
    #[test]
    fn open_and_forced_open_never_permit(draft in config_draft(), ops in breaker_ops(96)) {
        each_call(draft.repair(), &ops, |_, r| assert_open_and_forced_open_never_permit(r));
    }

    /// In a request pipeline net whose route transition admits through the breaker,
    /// no step or run made while the breaker is OPEN (before the end of its period) or
    /// FORCED_OPEN moves a request token into the forwarded place.
    #[test]
    fn no_request_reaches_forwarded_while_the_breaker_is_open(
        draft in config_draft(), ops in pipeline_ops(),
    ) {
        let mut pipeline = Pipeline::new(draft.repair()).expect("a repaired configuration is valid");
        for op in ops {
            let step = pipeline.apply(op);
            if step.fired_while_open() {
                prop_assert_eq!(
                    step.forwarded_after, step.forwarded_before,
                    "a request reached forwarded while the breaker was {:?}: {:?}",
                    step.state_before, step
                );
            }
        }
    }

    /// HALF_OPEN never has more than P probe permits outstanding, and rejects as full
    /// exactly when all P are out.
    #[test]
    fn half_open_never_has_more_than_p_permits_outstanding(
        draft in config_draft(), ops in breaker_ops(96),
    ) {
        each_call(draft.repair(), &ops, |_, r| {
            assert_half_open_never_has_more_than_p_permits_outstanding(r);
        });
    }

    /// CLOSED (and DISABLED and METRICS_ONLY) permit every call.
    #[test]
    fn closed_never_rejects(draft in config_draft(), ops in breaker_ops(96)) {
        each_call(draft.repair(), &ops, |_, r| assert_closed_never_rejects(r));
    }

    /// Every state change is an edge of the breaker's table with the trigger its cause
    /// implies, changes chain from the state before to the state after, and the
    /// generation and change counter move by one per change.
    #[test]
    fn state_changes_follow_only_allowed_edges(draft in config_draft(), ops in breaker_ops(96)) {
        each_call(draft.repair(), &ops, |_, r| assert_state_changes_follow_only_allowed_edges(r));
    }

    /// A call before the end of the open period leaves OPEN only by an operator call;
    /// the first call at or after it moves to HALF_OPEN at exactly that instant; a
    /// period lies within the base (without jitter) and the cap.
    #[test]
    fn open_never_ends_before_its_period_and_always_ends_at_the_first_call_or_poll_after_it(
        draft in config_draft(), ops in breaker_ops(96),
    ) {
        each_call(draft.repair(), &ops, |_, r| assert_open_ends_exactly_at_the_end_of_its_period(r));
    }

    /// A stale outcome changes nothing but the stale counter: no state, generation,
    /// probe slot, window, rate or deadline moves beyond what was due at its instant.
    #[test]
    fn stale_outcomes_change_nothing(draft in config_draft(), ops in breaker_ops(96)) {
        each_call(draft.repair(), &ops, assert_stale_outcomes_change_nothing);
    }

    /// Lifetime counters never decrease, and each call moves exactly the ones its
    /// answer names.
    #[test]
    fn counters_never_decrease(draft in config_draft(), ops in breaker_ops(96)) {
        each_call(draft.repair(), &ops, |_, r| assert_counters_never_decrease(r));
    }
}

/// The properties above are not vacuous: generated sequences reach OPEN and
/// FORCED_OPEN with acquires, HALF_OPEN at its limit, stale outcomes, and pipeline
/// steps while the breaker is open.
#[test]
fn generated_sequences_reach_the_situations_the_properties_are_about() {
    use mycel::breaker::{BreakerStateKind, Recorded, RejectReason};
    use mycel_check::model_based::breaker::observed::Answer;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut open, mut forced, mut full, mut stale, mut ended, mut in_net) = (0, 0, 0, 0, 0, 0);
    for _ in 0..200 {
        let draft: ConfigDraft = config_draft().new_tree(&mut runner).unwrap().current();
        let ops = breaker_ops(96).new_tree(&mut runner).unwrap().current();
        each_call(draft.repair(), &ops, |_, r| {
            match r.applied.answer {
                Answer::Rejected {
                    reason: RejectReason::Open,
                    ..
                } => open += 1,
                Answer::Rejected {
                    reason: RejectReason::ForcedOpen,
                    ..
                } => forced += 1,
                Answer::Rejected {
                    reason: RejectReason::HalfOpenFull,
                    ..
                } => full += 1,
                Answer::Recorded(Recorded::Stale) => stale += 1,
                _ => {}
            }
            if r.before.state == BreakerStateKind::Open
                && r.after.state == BreakerStateKind::HalfOpen
            {
                ended += 1;
            }
        });
        let mut pipeline = Pipeline::new(draft.repair()).unwrap();
        for op in pipeline_ops().new_tree(&mut runner).unwrap().current() {
            in_net += u32::from(pipeline.apply(op).fired_while_open());
        }
    }
    let counts = (open, forced, full, stale, ended, in_net);
    assert!(open > 200 && forced > 50 && full > 50, "{counts:?}");
    assert!(stale > 200 && ended > 100 && in_net > 100, "{counts:?}");
}

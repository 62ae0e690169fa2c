//! The `breaker_ops` fuzz target's `run`, driven by proptest: the engine breaker and
//! the reference breaker agree after every call on random valid configurations and call
//! sequences, and configurations with one broken field are rejected with exactly that
//! field's error.

use mycel_suite::breaker::strategy::config_sabotage;
use mycel_suite::proptest_config::config;
use mycel_suite::targets::breaker_ops::{self, BreakerOpsInput, ConfigDamage};
use proptest::prelude::*;

const REGRESSIONS: &str = "tests/proptest-regressions/breaker_ops.txt";

proptest! {
    #![proptest_config(config(512, REGRESSIONS))]

    #[test]
    fn engine_and_reference_breakers_agree_after_every_call(input in breaker_ops::strategy()) {
        let _ = breaker_ops::run(&input);
    }

    #[test]
    fn a_configuration_with_one_broken_field_is_rejected_with_that_fields_error(
        input in breaker_ops::strategy(),
        sabotage in config_sabotage(),
        pick in any::<u8>(),
    ) {
        let input = BreakerOpsInput { damage: ConfigDamage::of(sabotage, pick), ..input };
        prop_assert!(breaker_ops::run(&input).rejected);
    }
}

#[test]
fn generated_inputs_exercise_every_state_change_rejections_and_time() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = breaker_ops::strategy();
    let mut total = breaker_ops::Summary::default();
    for _ in 0..300 {
        let input = strategy.new_tree(&mut runner).expect("a value").current();
        let s = breaker_ops::run(&input);
        total.built |= s.built;
        total.rejected |= s.rejected;
        total.calls += s.calls;
        total.rejections += s.rejections;
        total.stale += s.stale;
        total.trips += s.trips;
        total.half_opened += s.half_opened;
        total.closed_by_probes += s.closed_by_probes;
        total.reopened_by_probes += s.reopened_by_probes;
        total.max_waits += s.max_waits;
        total.rate_verdicts += s.rate_verdicts;
        total.operator_changes += s.operator_changes;
        total.regressions += s.regressions;
        total.latest = total.latest.max(s.latest);
    }
    eprintln!("{total:#?}");
    assert!(total.built && total.rejected, "{total:?}");
    assert!(total.trips > 100 && total.half_opened > 50, "{total:?}");
    assert!(
        total.closed_by_probes > 20 && total.reopened_by_probes > 20,
        "{total:?}"
    );
    assert!(total.max_waits > 5 && total.rate_verdicts > 20, "{total:?}");
    assert!(total.stale > 50 && total.rejections > 100, "{total:?}");
    assert!(
        total.operator_changes > 50 && total.regressions > 50,
        "{total:?}"
    );
    assert_eq!(
        total.latest,
        u64::MAX,
        "enormous jumps reach the end of time: {total:?}"
    );
}

/// Pinned engine bug: a HALF_OPEN maximum wait that reopens at its deadline froze the
/// OPEN view as of the last call before the deadline instead of at the deadline, so
/// outcomes the time window had evicted by then still showed in OPEN's failure rate.
#[test]
fn a_max_wait_reopen_freezes_the_open_view_at_its_deadline() {
    use mycel::breaker::Outcome;
    use mycel_suite::breaker::config::{
        CloseDraft, ConfigDraft, DurationDraft, HalfOpenDraft, OpenDraft, TimeDraft,
    };
    use mycel_suite::breaker::ops::BreakerOp;
    use mycel_suite::net::ops::{Gap, When};
    let later = |ticks| When::Later(Gap::Span(ticks));
    let input = BreakerOpsInput {
        // Trip on one failure; one 10-tick bucket; OPEN for 5; two probes, two
        // successes close; probes lost for 30 ticks reopen.
        config: ConfigDraft {
            consecutive: Some(0),
            count_window: None,
            time_window: Some(TimeDraft {
                width: DurationDraft::Long(9),
                buckets: 0,
                rate: 49,
                minimum: 0,
            }),
            slow_calls: None,
            open: OpenDraft {
                base: DurationDraft::Short(4),
                multiplier: 0,
                cap_above_base: None,
                jitter: 0,
                seed: 0,
            },
            half_open: HalfOpenDraft {
                permits: 1,
                close: CloseDraft::AfterSuccesses(1),
                max_wait: Some(DurationDraft::Long(29)),
                repermit: false,
            },
        },
        damage: ConfigDamage::none(),
        ops: vec![
            BreakerOp::Acquire { at: later(1) },
            // A failure at 1 trips: OPEN until 6.
            BreakerOp::Record {
                pick: 0,
                outcome: Outcome::Failure,
                at: When::Same,
                keep: false,
            },
            // Two probes at 11; one succeeds, the other is lost: max wait due at 41.
            BreakerOp::Acquire { at: later(10) },
            BreakerOp::Acquire { at: When::Same },
            BreakerOp::Record {
                pick: 0,
                outcome: Outcome::Success,
                at: When::Same,
                keep: false,
            },
            // At 43 the breaker reopened at 41, when the success of bucket 1 had left
            // the window of bucket 4: no failure rate in OPEN.
            BreakerOp::Poll { at: later(32) },
        ],
    };
    let _ = breaker_ops::run(&input);
}

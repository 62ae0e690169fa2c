//! The `breaker_ops` fuzz target's `run`, driven by proptest: the engine breaker and
//! the reference breaker agree after every call on random valid configurations and call
//! sequences, and configurations with one broken field are rejected with exactly that
//! field's error.

use mycel_check::fuzz::breaker_ops::{self, BreakerOpsInput, ConfigDamage};
use mycel_check::model_based::breaker::strategy::config_sabotage;
use mycel_check::proptest_config::config;
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
    let mut total = breaker_ops::Summary::default();
    for input in mycel_check::proptest_config::samples(&breaker_ops::strategy(), 300) {
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
    use mycel::breaker::{Outcome, Speed};
    use mycel_check::model_based::breaker::config::{
        CloseDraft, ConfigDraft, DurationDraft, HalfOpenDraft, OpenDraft, TimeDraft,
    };
    use mycel_check::model_based::breaker::ops::BreakerOp;
    use mycel_check::model_based::net::ops::{Gap, When};
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
                speed: Speed::Timed,
                at: When::Same,
                keep: false,
            },
            // Two probes at 11; one succeeds, the other is lost: max wait due at 41.
            BreakerOp::Acquire { at: later(10) },
            BreakerOp::Acquire { at: When::Same },
            BreakerOp::Record {
                pick: 0,
                outcome: Outcome::Success,
                speed: Speed::Timed,
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

/// Runs `ops` on both breakers for `config`, comparing after every call.
fn lockstep(
    config: mycel::breaker::BreakerConfig,
    ops: &[mycel_check::model_based::breaker::ops::BreakerOp],
) -> mycel_check::model_based::breaker::lockstep::BreakerLockstep {
    let mut both = mycel_check::model_based::breaker::lockstep::BreakerLockstep::new(config)
        .expect("a valid config");
    for &op in ops {
        let _ = both.apply(op);
    }
    both
}

/// Trip at `at`, then at each later instant a probe that fails (a reopen).
fn trip_then_failing_probes(
    gaps: &[mycel_check::model_based::net::ops::When],
) -> Vec<mycel_check::model_based::breaker::ops::BreakerOp> {
    use mycel::breaker::Outcome;
    use mycel_check::model_based::breaker::ops::BreakerOp;
    let fail = BreakerOp::Record {
        pick: 0,
        outcome: Outcome::Failure,
        speed: mycel::breaker::Speed::Timed,
        at: mycel_check::model_based::net::ops::When::Same,
        keep: false,
    };
    gaps.iter()
        .flat_map(|&at| [BreakerOp::Acquire { at }, fail])
        .collect()
}

/// Both sides grow an open period exactly and then cap it: `2^62 * 1000%` overflows
/// u64, so the second period is the cap, not `u64::MAX / 100`.
#[test]
fn backoff_growth_beyond_u64_is_capped_alike_on_both_sides() {
    use mycel::breaker::{BreakerConfig, OpenPolicy};
    use mycel::time::Duration;
    use mycel_check::model_based::net::ops::{Gap, When};
    let base = 1u64 << 62;
    let cap = u64::MAX / 2;
    let config = BreakerConfig::consecutive(1, Duration::from_ticks(base), 1).with_open(
        OpenPolicy::exponential(Duration::from_ticks(base), 1000, Duration::from_ticks(cap)),
    );
    let both = lockstep(
        config,
        &trip_then_failing_probes(&[When::Same, When::Later(Gap::Enormous(0))]),
    );
    let reopened_at = u64::MAX / 2;
    assert_eq!(both.state().next_deadline, Some(reopened_at + cap));
}

/// With jitter on, every opening draws from the seeded stream, even one whose jitter
/// span rounds to 0; both sides agree on every later period.
#[test]
fn a_jitter_span_of_zero_still_draws_alike_on_both_sides() {
    use mycel::breaker::{BreakerConfig, OpenPolicy};
    use mycel::time::Duration;
    use mycel_check::model_based::net::ops::{Gap, When};
    // Periods 1 (50% of 1 rounds to a span of 0), 4, 16, 64, each jittered by 50%.
    let config = BreakerConfig::consecutive(1, Duration::from_ticks(1), 1).with_open(
        OpenPolicy::exponential(Duration::from_ticks(1), 400, Duration::from_ticks(1000))
            .with_jitter(50, 99),
    );
    let both = lockstep(
        config,
        &trip_then_failing_probes(
            &[When::Same; 1]
                .into_iter()
                .chain([When::Later(Gap::Span(200)); 4])
                .collect::<Vec<_>>(),
        ),
    );
    assert_eq!(both.state().counters.state_changes, 9, "{:?}", both.state());
}

/// Each validation rule, broken alone in a few valid configurations and in each way
/// its sabotage knows, gives its own error and field.
#[test]
fn every_rule_broken_alone_is_rejected_with_its_own_error() {
    use mycel_check::model_based::breaker::sabotage::ALL_CONFIG_SABOTAGES;
    for input in mycel_check::proptest_config::samples(&breaker_ops::strategy(), 20) {
        for sabotage in ALL_CONFIG_SABOTAGES {
            for pick in [0, 1, 2, 255] {
                let input = BreakerOpsInput {
                    damage: ConfigDamage::of(sabotage, pick),
                    ops: Vec::new(),
                    ..input.clone()
                };
                assert!(breaker_ops::run(&input).rejected, "{sabotage:?} {pick}");
            }
        }
    }
}

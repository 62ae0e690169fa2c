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

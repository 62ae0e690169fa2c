//! The `net_ops` fuzz target's `run`, driven by proptest: the engine and the reference
//! interpreter agree after every call on random nets, scripts and call sequences, and
//! sabotaged nets are rejected by both with the same kind of error.

use mycel_check::fuzz::net_ops::{self, Damage, NetOpsInput};
use mycel_check::proptest_config::config;
use proptest::prelude::*;

const REGRESSIONS: &str = "tests/proptest-regressions/net_ops.txt";

proptest! {
    #![proptest_config(config(512, REGRESSIONS))]

    #[test]
    fn engine_and_reference_agree_after_every_call(input in net_ops::strategy()) {
        let _ = net_ops::run(&input);
    }

    #[test]
    fn engine_and_reference_reject_a_single_defect_with_the_same_kind_of_error(
        input in net_ops::strategy(),
        sabotage in mycel_check::model_based::net::strategy::sabotage(),
        target in any::<u8>(),
    ) {
        let input = NetOpsInput { damage: Damage::of(sabotage, target), ..input };
        let _ = net_ops::run(&input);
    }
}

#[test]
fn generated_inputs_exercise_firing_failures_time_and_refusals() {
    let mut total = net_ops::Summary::default();
    for input in mycel_check::proptest_config::samples(&net_ops::strategy(), 200) {
        let s = net_ops::run(&input);
        total.built |= s.built;
        total.rejected |= s.rejected;
        total.fired += s.fired;
        total.rolled_back += s.rolled_back;
        total.to_error_place += s.to_error_place;
        total.timed += s.timed;
        total.refused_full += s.refused_full;
        total.regressions += s.regressions;
        total.exhausted += s.exhausted;
        total.latest = total.latest.max(s.latest);
    }
    assert!(total.built && total.rejected, "{total:?}");
    assert!(total.fired > 100, "{total:?}");
    assert!(
        total.rolled_back > 0 && total.to_error_place > 0,
        "{total:?}"
    );
    assert!(total.timed > 0 && total.refused_full > 0, "{total:?}");
    assert!(total.regressions > 0 && total.exhausted > 0, "{total:?}");
    assert_eq!(
        total.latest,
        u64::MAX,
        "enormous jumps reach the end of time: {total:?}"
    );
}

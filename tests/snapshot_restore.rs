//! The `snapshot_restore` fuzz target's `run`, driven by proptest: a breaker saved and
//! restored is the breaker it was, call for call, and a damaged snapshot is refused or
//! restores to a breaker that round-trips and takes any call.

use mycel_check::fuzz::snapshot_restore::{self, Damage, SnapshotRestoreInput};
use mycel_check::proptest_config::config;
use proptest::prelude::*;

const REGRESSIONS: &str = "tests/proptest-regressions/snapshot_restore.txt";

proptest! {
    #![proptest_config(config(256, REGRESSIONS))]

    /// An undamaged snapshot restores to a breaker that answers every later call as the
    /// original does; a damaged one never makes a call panic.
    #[test]
    fn a_restored_breaker_answers_every_call_as_the_saved_one(
        input in snapshot_restore::strategy(),
    ) {
        let _ = snapshot_restore::run(&input);
    }

    /// Undamaged snapshots always restore.
    #[test]
    fn an_undamaged_snapshot_always_restores(input in snapshot_restore::strategy()) {
        let input = SnapshotRestoreInput { damage: Damage::none(), ..input };
        prop_assert!(!snapshot_restore::run(&input).refused);
    }
}

/// The generated inputs reach what the target checks: restores away from CLOSED,
/// calls after them, refused and accepted damaged snapshots.
#[test]
fn generated_inputs_restore_open_breakers_and_damage_both_ways() {
    let (mut away, mut refused, mut damaged_ran, mut changes) = (0, 0, 0, 0);
    for input in mycel_check::proptest_config::samples(&snapshot_restore::strategy(), 300) {
        let s = snapshot_restore::run(&input);
        away += u32::from(s.saved_away_from_closed && !s.damaged);
        refused += u32::from(s.refused);
        damaged_ran += u32::from(s.damaged && !s.refused && s.calls_after > 0);
        changes += s.changes_after;
    }
    assert!(away > 10, "{away} restores away from CLOSED");
    assert!(refused > 5, "{refused} damaged snapshots refused");
    assert!(
        damaged_ran > 5,
        "{damaged_ran} damaged snapshots restored and driven"
    );
    assert!(changes > 50, "{changes} state changes after restores");
}

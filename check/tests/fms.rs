//! The flexible manufacturing system explored as a generalized stochastic Petri net:
//! immediate transitions before timed ones, and the published counts of its tangible
//! markings.

use mycel_check::classic::{FlexibleManufacturing, flexible_manufacturing};
use mycel_check::explore::{Layout, Prioritized, PtModel, SearchLimits, search};

/// Reachable markings under the priorities, and how many of them are tangible (enable
/// no immediate transition).
fn counts(fms: &FlexibleManufacturing) -> (usize, usize, u64) {
    let model = Prioritized::new(
        PtModel::new(&fms.net, Layout::for_net(&fms.net)),
        fms.priorities.clone(),
    );
    let limits = SearchLimits {
        max_states: 10_000_000,
        max_deadlocks_kept: 1,
        progress: None,
    };
    let seen = search(&model, limits, |_, _| {}).expect("every place is bounded");
    assert!(!seen.stopped_at_limit);
    assert!(
        seen.fired.iter().all(|&fired| fired),
        "no transition is dead"
    );
    let tangible = (0..seen.space.len())
        .filter(|&i| {
            let key = seen.space.key(u32::try_from(i).unwrap());
            model.top_priority(key).unwrap() == Some(0)
        })
        .count();
    (seen.space.len(), tangible, seen.deadlock_count)
}

#[test]
fn fms_has_its_published_tangible_state_counts_for_n_1_to_4() {
    for (n, published) in [(1, 54), (2, 810), (3, 6_520), (4, 35_910)] {
        let (states, tangible, deadlocks) = counts(&flexible_manufacturing(n));
        assert_eq!(tangible, published, "FMS N={n} ({states} markings in all)");
        assert!(states > tangible, "some markings are vanishing");
        assert_eq!(deadlocks, 0, "FMS N={n} never stops");
    }
}

#[test]
#[ignore = "a few seconds unoptimized; run with `cargo test --release -p mycel-check -- --ignored`"]
fn fms_5_has_152_712_tangible_states() {
    let (_, tangible, deadlocks) = counts(&flexible_manufacturing(5));
    assert_eq!((tangible, deadlocks), (152_712, 0));
}

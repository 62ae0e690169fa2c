//! The fleet simulation (`mycel fleet FILE`): N instances of a service share one
//! breaker per backend through a store, compared with N independent breakers in the
//! same run. See `docs/distributed.md` for what is shared and how it merges.

mod scenario;
mod sim;

pub use scenario::{FleetScenario, MAX_INSTANCES, StoreOutage, StoreSpec, load_within, parse};
pub use sim::{FleetRun, Mode, run};

use crate::units::seconds;
use std::fmt::Write as _;

/// Both runs of a scenario as a text report (the same scenario gives the same bytes).
#[must_use]
pub fn report(s: &FleetScenario) -> String {
    let independent = run(s, Mode::Independent);
    let shared = run(s, Mode::Shared);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "fleet scenario \"{}\": {} instances, seed {}",
        s.name, s.instances, s.seed
    );
    let _ = writeln!(out, "{:<44} {:>12} {:>12}", "", "independent", "shared");
    let opt = |v: Option<u64>| v.map_or_else(|| "never".to_owned(), |v| v.to_string());
    let time = |v: Option<u64>| v.map_or_else(|| "never".to_owned(), seconds);
    let rows: [(&str, String, String); 7] = [
        (
            "backend failures before the fleet opened",
            opt(independent.failures_before_open),
            opt(shared.failures_before_open),
        ),
        (
            "time from failure to the fleet opened",
            time(independent.open_after),
            time(shared.open_after),
        ),
        (
            "calls rejected",
            independent.rejected.to_string(),
            shared.rejected.to_string(),
        ),
        (
            "backend calls (failed)",
            format!(
                "{} ({})",
                independent.backend_calls, independent.backend_failures
            ),
            format!("{} ({})", shared.backend_calls, shared.backend_failures),
        ),
        (
            "time from recovery to every instance served",
            time(independent.recovery_detected_after),
            time(shared.recovery_detected_after),
        ),
        ("store syncs", "-".to_owned(), shared.syncs.to_string()),
        (
            "store syncs failed (outages, partitions)",
            "-".to_owned(),
            shared.failed_syncs.to_string(),
        ),
    ];
    for (what, a, b) in rows {
        let _ = writeln!(out, "{what:<44} {a:>12} {b:>12}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLEET: &str = include_str!("../../scenarios/fleet.toml");

    #[test]
    fn the_shared_fleet_opens_after_about_the_threshold_not_n_times_it() {
        let s = parse(FLEET).expect("the shipped scenario is valid");
        let independent = run(&s, Mode::Independent);
        let shared = run(&s, Mode::Shared);
        let alone = independent
            .failures_before_open
            .expect("independent breakers open");
        let together = shared
            .failures_before_open
            .expect("the shared breaker opens");
        let run_length = u64::from(s.breaker.consecutive_failures.expect("a failure run"));
        // Independent: every instance must see its own run of failures.
        assert!(alone >= run_length * u64::from(s.instances), "{alone}");
        // Shared: the fleet's window trips on the failures of all instances together,
        // plus what is in flight between syncs: a small part of that.
        assert!(together * 3 <= alone, "{together} vs {alone}");
        assert!(shared.recovery_detected_after.is_some());
    }

    #[test]
    fn a_fleet_run_is_deterministic() {
        let s = parse(FLEET).expect("valid");
        assert_eq!(report(&s), report(&s));
    }

    #[test]
    fn a_store_outage_leaves_each_instance_its_local_breaker() {
        let mut s = parse(FLEET).expect("valid");
        s.store.outages = vec![StoreOutage {
            from: 0,
            to: s.duration,
            instances: vec![],
        }];
        let cut_off = run(&s, Mode::Shared);
        let independent = run(&s, Mode::Independent);
        assert_eq!(cut_off.syncs, 0);
        assert_eq!(
            cut_off.failures_before_open,
            independent.failures_before_open
        );
        assert_eq!(cut_off.rejected, independent.rejected);
    }

    #[test]
    fn bad_fleet_scenarios_are_refused_with_the_field_at_fault() {
        let bad = FLEET.replace("instances = 10", "instances = 0");
        assert!(parse(&bad).unwrap_err().contains("instances"));
    }
}

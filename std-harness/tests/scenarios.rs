//! Every scenario shipped in `std-harness/scenarios/` parses and runs, and its run
//! keeps the simulator's bookkeeping rules. The hour-long one is cut to 20 simulated
//! minutes in debug builds; CI runs it whole in release.

use mycel::time::Duration;
use mycel_harness::run::{Outcome, simulate};
use mycel_harness::scenario::{self, Scenario};
use std::path::{Path, PathBuf};

fn shipped() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // A fleet scenario has its own format, run by `mycel fleet` (tested in
        // `fleet::tests`).
        .filter(|p| p.file_name().is_none_or(|n| n != "fleet.toml"))
        .collect();
    files.sort();
    files
}

fn for_this_build(s: Scenario) -> Scenario {
    if cfg!(debug_assertions) {
        s.truncated(Duration::from_secs(20 * 60))
    } else {
        s
    }
}

/// The rules every run keeps, whatever the scenario.
fn check_bookkeeping(name: &str, o: &Outcome<'_>) {
    let mut recorded = 0;
    let mut calls = 0;
    for (i, t) in o.stats.totals.iter().enumerate() {
        assert_eq!(
            t.requests,
            t.rejected + t.backend_calls + t.refused,
            "{name}: service {i}: every request is rejected, refused or sent"
        );
        assert_eq!(
            t.backend_calls, o.finished.breakers[i].backend_calls,
            "{name}: service {i}: the backend counted the calls the net made"
        );
        recorded += t.successes + t.failures;
        calls += t.backend_calls;
    }
    assert_eq!(
        calls,
        recorded + o.finished.in_flight as u64,
        "{name}: every call is answered or still in flight"
    );
    assert!(
        o.stats.calls_while_open.iter().all(|&n| n == 0),
        "{name}: a backend was called while its breaker was OPEN"
    );
    let c = &o.finished.counters;
    let held: u64 = o.finished.places.iter().map(|p| p.tokens as u64).sum();
    assert_eq!(
        c.injected + c.created,
        c.taken + c.retired + held,
        "{name}: no token lost"
    );
    assert_eq!(c.failures, 0, "{name}: no firing failed");
}

#[test]
fn the_three_scenarios_are_shipped() {
    let names: Vec<String> = shipped()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["demo.toml", "hour.toml", "multi-service.toml"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} is missing: {names:?}"
        );
    }
}

#[test]
fn every_shipped_scenario_runs_and_keeps_the_bookkeeping_rules() {
    for path in shipped() {
        let name = path.display().to_string();
        let s = for_this_build(scenario::load(&path).unwrap());
        let outcome = simulate(&s, s.seed, None, &mut |_| {}).unwrap();
        check_bookkeeping(&name, &outcome);
        assert!(
            !outcome.stats.changes.is_empty(),
            "{name}: no breaker ever changed state"
        );
    }
}

#[test]
fn in_the_multi_service_scenario_one_flaky_backend_does_not_cut_off_the_others() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/multi-service.toml");
    let s = scenario::load(&path).unwrap();
    let o = simulate(&s, s.seed, None, &mut |_| {}).unwrap();
    let index = |name: &str| s.services.iter().position(|x| x.name == name).unwrap();
    let (catalog, payments) = (index("catalog"), index("payments"));
    assert_eq!(
        o.stats.totals[catalog].rejected, 0,
        "the healthy service is always served"
    );
    assert!(
        o.stats.totals[payments].rejected > 0,
        "the flaky service is cut off"
    );
    assert!(
        o.stats.changes.iter().all(|c| c.service != catalog),
        "only the failing services' breakers move"
    );
}

#[test]
fn the_progress_callback_sees_simulated_time_advance_to_the_end() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hour.toml");
    let s = scenario::load(&path)
        .unwrap()
        .truncated(Duration::from_secs(5 * 60));
    let mut seen = Vec::new();
    simulate(&s, s.seed, None, &mut |at| seen.push(at)).unwrap();
    assert!(seen.len() > 2, "progress is reported during a long run");
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "simulated time never goes back"
    );
    assert_eq!(seen.last().copied(), Some(s.end()));
}

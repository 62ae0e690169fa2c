//! The same scenario and seed give byte-identical traces, reports, summaries and
//! plots; another seed gives another run.

use mycel_harness::run::simulate;
use mycel_harness::scenario::{self, Scenario};
use std::path::Path;

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    scenario::load(&path).unwrap()
}

/// Trace, report, summary and SVG of one run.
fn outputs(s: &Scenario, seed: u64) -> [Vec<u8>; 4] {
    let mut trace = Vec::new();
    let outcome = simulate(s, seed, Some(&mut trace), &mut |_| {}).unwrap();
    [
        trace,
        outcome.report().into_bytes(),
        outcome.summary_json().unwrap().into_bytes(),
        outcome.svg().unwrap().into_bytes(),
    ]
}

#[test]
fn the_same_scenario_and_seed_give_identical_bytes() {
    for name in ["demo.toml", "multi-service.toml"] {
        let s = load(name);
        let (first, second) = (outputs(&s, s.seed), outputs(&s, s.seed));
        for (what, (a, b)) in ["trace", "report", "summary", "plot"]
            .iter()
            .zip(first.iter().zip(&second))
        {
            assert!(!a.is_empty(), "{name}: empty {what}");
            assert!(a == b, "{name}: the {what} differs between two runs");
        }
    }
}

#[test]
fn another_seed_gives_another_run() {
    let s = load("multi-service.toml");
    let [trace_a, ..] = outputs(&s, 1);
    let [trace_b, ..] = outputs(&s, 2);
    assert_ne!(trace_a, trace_b);
}

#[test]
fn a_parsed_scenario_is_the_same_whatever_the_order_of_runs() {
    // Runs share nothing: a run after another run of a different scenario is unchanged.
    let demo = load("demo.toml");
    let alone = outputs(&demo, 7);
    let _ = outputs(&load("multi-service.toml"), 3);
    assert!(outputs(&demo, 7) == alone);
}

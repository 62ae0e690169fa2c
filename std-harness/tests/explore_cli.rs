//! `mycel explore` on PNML files: text, the documented JSON, the state limit, exit codes.

use std::process::Output;

mod support;
use support::{mycel, scratch, text};

#[path = "../../check/tests/support/mcc.rs"]
mod mcc;

/// A Model Checking Contest net's path, or `None` after printing why the test skips.
fn shared(name: &str) -> Option<String> {
    mcc::path(name).map(|p| p.display().to_string())
}

/// The JSON report without the fields that vary from run to run.
fn stable_json(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fields = v.as_object_mut().unwrap();
    for varying in ["elapsed_seconds", "states_per_second", "bytes_per_state"] {
        let value = fields.remove(varying).unwrap();
        assert!(value.as_f64().unwrap() > 0.0, "{varying}: {value}");
    }
    assert!(
        fields
            .remove("file")
            .unwrap()
            .as_str()
            .unwrap()
            .ends_with(".pnml")
    );
    v
}

#[test]
fn explore_prints_counts_deadlocks_with_traces_bounds_and_rate() {
    let Some(file) = shared("Philosophers-PT-000005.pnml") else {
        return;
    };
    let out = mycel(&["explore", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    for part in [
        "net \"Philosophers-PT-000005\"",
        "states:           243 (all reachable markings)",
        "edges:            945",
        "deadlocks:        2",
        "after 5 firings: FF1a_2 FF1a_1 FF1a_4 FF1a_3 FF1a_5",
        "marking: Catch1_1 + Catch1_2 + Catch1_3 + Catch1_5 + Catch1_4",
        "dead transitions: none",
        "every place at most 1",
        "states/s",
    ] {
        assert!(report.contains(part), "missing {part:?} in:\n{report}");
    }
}

#[test]
fn explore_json_is_exactly_the_documented_object() {
    let Some(file) = shared("Philosophers-PT-000005.pnml") else {
        return;
    };
    let v = stable_json(&mycel(&["explore", "--json", &file]));
    let bounds: Vec<serde_json::Value> = [
        "Think_1", "Think_2", "Think_3", "Think_4", "Think_5", "Fork_1", "Fork_2", "Fork_3",
        "Fork_4", "Fork_5", "Catch1_1", "Catch1_2", "Catch1_3", "Catch1_5", "Catch1_4", "Catch2_2",
        "Catch2_1", "Catch2_4", "Catch2_3", "Eat_1", "Catch2_5", "Eat_3", "Eat_2", "Eat_5",
        "Eat_4",
    ]
    .iter()
    .map(|p| serde_json::json!([p, 1]))
    .collect();
    let marking = |places: [&str; 5]| {
        places
            .iter()
            .map(|p| serde_json::json!([p, 1]))
            .collect::<Vec<_>>()
    };
    let expected = serde_json::json!({
        "net": "Philosophers-PT-000005",
        "complete": true,
        "max_states": 10_000_000,
        "states": 243,
        "edges": 945,
        "depth": 5,
        "deadlocks": {"count": 2, "first": [
            {
                "trace": ["FF1a_2", "FF1a_1", "FF1a_4", "FF1a_3", "FF1a_5"],
                "marking": marking(["Catch1_1", "Catch1_2", "Catch1_3", "Catch1_5", "Catch1_4"]),
            },
            {
                "trace": ["FF1b_2", "FF1b_3", "FF1b_1", "FF1b_4", "FF1b_5"],
                "marking": marking(["Catch2_2", "Catch2_1", "Catch2_4", "Catch2_3", "Catch2_5"]),
            },
        ]},
        "place_bounds": bounds,
        "dead_transitions": [],
    });
    assert_eq!(v, expected);
}

#[test]
fn explore_at_the_state_limit_says_so_and_reports_what_it_saw() {
    let Some(file) = shared("SwimmingPool-PT-01.pnml") else {
        return;
    };
    let out = mycel(&["explore", "--max-states", "100", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.contains("stopped at 100 states (--max-states 100)"),
        "{report}"
    );
    let v = stable_json(&mycel(&["explore", "--json", "--max-states", "100", &file]));
    assert_eq!(v["complete"], false);
    assert_eq!(v["states"], 100);
    assert_eq!(v["max_states"], 100);
}

#[test]
fn explore_counts_the_swimming_pool() {
    let Some(file) = shared("SwimmingPool-PT-01.pnml") else {
        return;
    };
    let v = stable_json(&mycel(&["explore", "--json", &file]));
    assert_eq!(v["complete"], true);
    assert_eq!(v["states"], 89_621);
    assert_eq!(v["deadlocks"]["count"], 0);
    assert_eq!(v["place_bounds"][6], serde_json::json!(["Out", 20]));
}

#[test]
fn explore_of_a_coloured_net_exits_2_naming_the_file_and_the_net_type() {
    let Some(file) = shared("TokenRing-COL-005.pnml") else {
        return;
    };
    let out = mycel(&["explore", &file]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("TokenRing-COL-005.pnml"), "{err}");
    assert!(err.contains("symmetricnet"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn explore_of_a_dangling_arc_exits_2_naming_the_file_and_the_arc() {
    let path = scratch("explore_dangling_arc").join("net.pnml");
    std::fs::write(
        &path,
        r#"<pnml><net id="n" type="http://www.pnml.org/version-2009/grammar/ptnet"><page id="g">
        <place id="p"/><transition id="t"/><arc id="broken" source="p" target="ghost"/>
        </page></net></pnml>"#,
    )
    .unwrap();
    let out = mycel(&["explore", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("net.pnml"), "{err}");
    assert!(err.contains("\"broken\"") && err.contains("ghost"), "{err}");
}

#[test]
fn explore_of_a_missing_file_exits_2_naming_it() {
    let out = mycel(&["explore", "no/such/net.pnml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/net.pnml"));
}

//! The `mycel` binary: commands, output files, quiet and JSON modes, exit codes.

use std::path::Path;
use std::process::Output;

mod support;
use support::{mycel, scratch, text};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
        .display()
        .to_string()
}

fn shipped(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn demo_prints_the_phase_report_the_checks_and_the_net_diagram() {
    let out = mycel(&["demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    for part in [
        "Phase 1 of 5: normal",
        "Phase 5 of 5: recovery",
        "CLOSED -> OPEN  (consecutive_failures)",
        "OPEN -> HALF_OPEN  (timeout)",
        "HALF_OPEN -> CLOSED  (probes_succeeded)",
        "Final statistics",
        "[ok] 5. recovery",
        "flowchart LR",
        "subgraph M0",
    ] {
        assert!(report.contains(part), "missing {part:?} in:\n{report}");
    }
    assert!(!report.contains("FAILED"));
}

#[test]
fn quiet_prints_nothing_and_succeeds() {
    let out = mycel(&["demo", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn json_prints_a_parseable_summary_with_the_demo_checks() {
    let out = mycel(&["demo", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "demo");
    assert_eq!(v["seed"], 7);
    assert_eq!(v["services"][0]["final_state"], "CLOSED");
    assert_eq!(v["phases"].as_array().unwrap().len(), 5);
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 5);
    assert!(checks.iter().all(|c| c["passed"] == true));
}

#[test]
fn trace_and_plot_files_are_written_and_identical_across_processes() {
    let dir = scratch("trace_and_plot");
    let run = |n: usize| {
        let trace = dir.join(format!("trace{n}.jsonl"));
        let plot = dir.join(format!("plot{n}.svg"));
        let out = mycel(&[
            "run",
            &shipped("multi-service.toml"),
            "--seed",
            "5",
            "--trace",
            trace.to_str().unwrap(),
            "--plot",
            plot.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        (
            std::fs::read(trace).unwrap(),
            std::fs::read(plot).unwrap(),
            out.stdout,
        )
    };
    let (first, second) = (run(1), run(2));
    assert!(first == second, "same scenario and seed, different bytes");
    let trace = text(&first.0);
    assert!(
        trace
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
    );
    for kind in [
        "\"fired\"",
        "\"rejected\"",
        "\"state_change\"",
        "\"backend_call\"",
    ] {
        assert!(trace.contains(kind), "no {kind} event in the trace");
    }
    assert!(text(&first.1).starts_with("<svg"));
}

#[test]
fn a_bad_scenario_exits_2_names_file_line_and_field_and_writes_nothing() {
    let dir = scratch("bad_scenario");
    let (trace, plot) = (dir.join("t.jsonl"), dir.join("p.svg"));
    let file = fixture("unknown-service.toml");
    let out = mycel(&[
        "run",
        &file,
        "--trace",
        trace.to_str().unwrap(),
        "--plot",
        plot.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing ran");
    assert_eq!(
        text(&out.stderr),
        format!("error: {file}:13: traffic[0].service: unknown service \"apy\" (declared: api)\n")
    );
    assert!(
        !trace.exists() && !plot.exists(),
        "no output file for a bad scenario"
    );
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(mycel(&[]).status.code(), Some(2));
    assert_eq!(mycel(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(mycel(&["demo", "--json", "--quiet"]).status.code(), Some(2));
    assert_eq!(
        mycel(&["run", "does-not-exist.toml"]).status.code(),
        Some(2)
    );
    let help = mycel(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    for command in ["demo", "run", "check", "diagram"] {
        assert!(text(&help.stdout).contains(command));
    }
}

#[test]
fn an_output_file_that_cannot_be_created_exits_1() {
    let out = mycel(&["demo", "--trace", "/nonexistent-dir/trace.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: cannot create the trace file"));
}

#[test]
fn check_validates_without_running() {
    let ok = mycel(&["check", &shipped("hour.toml")]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(text(&ok.stdout).contains("ok: scenario \"hour\", 4 services"));
    let bad = mycel(&["check", &fixture("zero-duration.toml")]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn diagram_prints_the_net_with_the_breaker_and_the_breaker_machine_as_mermaid() {
    let out = mycel(&["diagram"]);
    assert_eq!(out.status.code(), Some(0));
    let md = text(&out.stdout);
    assert_eq!(md.matches("```mermaid").count(), 2);
    assert!(md.contains("flowchart LR"));
    assert!(md.contains("circuit_breaker, one per service (FSM in route)"));
    assert!(
        md.contains("T2 -.- M0"),
        "the breaker is linked to record too"
    );
    assert!(md.contains("stateDiagram-v2"));
    assert!(md.contains("OPEN --> HALF_OPEN: timeout"));
}

#[test]
fn the_seed_flag_changes_the_run() {
    let a = mycel(&[
        "run",
        &shipped("multi-service.toml"),
        "--seed",
        "1",
        "--json",
    ]);
    let b = mycel(&[
        "run",
        &shipped("multi-service.toml"),
        "--seed",
        "2",
        "--json",
    ]);
    let seed = |o: &Output| {
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["seed"].clone()
    };
    assert_eq!(seed(&a), 1);
    assert_eq!(seed(&b), 2);
    assert_ne!(a.stdout, b.stdout);
}

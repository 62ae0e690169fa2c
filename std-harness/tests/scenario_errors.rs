//! Malformed scenario files are refused with `<file>:<line>: <field>: <message>`.
//!
//! Each fixture in `tests/fixtures/bad/` breaks one rule; the table below says where
//! the error must point. A fixture without an entry fails the suite.

use mycel_harness::scenario::{self, ScenarioError};
use std::path::Path;

/// (fixture, line, field, part of the message)
const EXPECTED: &[(&str, usize, &str, &str)] = &[
    ("syntax.toml", 2, "(syntax)", "invalid basic string"),
    (
        "missing-field.toml",
        1,
        "(top level)",
        "missing field `duration`",
    ),
    (
        "unknown-field.toml",
        11,
        "service[0].latncy",
        "unknown field `latncy`",
    ),
    (
        "wrong-type.toml",
        11,
        "service[0].failure_probability",
        "invalid type: string \"often\"",
    ),
    (
        "negative-count.toml",
        5,
        "breaker.consecutive_failures",
        "invalid value: integer `-3`",
    ),
    (
        "negative-duration.toml",
        15,
        "traffic[0].every",
        "durations cannot be negative",
    ),
    (
        "zero-duration.toml",
        15,
        "traffic[0].every",
        "must be greater than zero",
    ),
    (
        "probability-out-of-range.toml",
        11,
        "service[0].failure_probability",
        "must be in [0, 1]",
    ),
    (
        "unknown-service.toml",
        13,
        "traffic[0].service",
        "unknown service \"apy\" (declared: api)",
    ),
    (
        "unknown-phase.toml",
        18,
        "service[0].profile[0].phase",
        "unknown phase \"rush-hour\"",
    ),
    (
        "field-not-for-kind.toml",
        16,
        "traffic[0].count",
        "does not apply to kind = \"constant\"",
    ),
    (
        "breaker-cap-below-base.toml",
        6,
        "breaker.open.cap",
        "must not be shorter than open.base",
    ),
    (
        "breaker-window-too-large.toml",
        6,
        "breaker.count_window.size",
        "must be in 1..=128",
    ),
    (
        "breaker-no-trip-policy.toml",
        4,
        "breaker",
        "no trip policy",
    ),
];

fn load(name: &str) -> ScenarioError {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name);
    scenario::load(&path).expect_err(name)
}

#[test]
fn every_malformed_fixture_is_refused_at_its_line_and_field() {
    for &(name, line, field, message) in EXPECTED {
        let e = load(name);
        assert_eq!(e.line, Some(line), "{name}: {e}");
        assert_eq!(e.field, field, "{name}: {e}");
        assert!(e.message.contains(message), "{name}: {e}");
        assert!(e.file.ends_with(name), "{name}: {e}");
        assert_eq!(
            e.to_string(),
            format!("{}:{line}: {field}: {}", e.file, e.message),
            "the error reads <file>:<line>: <field>: <message>"
        );
    }
}

#[test]
fn every_fixture_has_an_expected_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    expected.sort_unstable();
    assert_eq!(names, expected);
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let e = scenario::load(Path::new("no/such/scenario.toml")).unwrap_err();
    assert_eq!(e.field, "(file)");
    assert_eq!(e.line, None);
    assert!(
        e.to_string()
            .starts_with("no/such/scenario.toml: (file): cannot read")
    );
}

/// A valid scenario to break one value at a time.
const GOOD: &str = r#"
name = "good"
duration = "10s"

[[phase]]
name = "a"
from = "0s"

[[phase]]
name = "b"
from = "5s"

[breaker]
consecutive_failures = 3
open = { base = "5s" }

[[service]]
name = "api"
latency = { min = "10ms", max = "20ms" }

[[traffic]]
service = "api"
kind = "burst"
count = 3
"#;

fn parse_with(from: &str, to: &str) -> Result<scenario::Scenario, ScenarioError> {
    assert!(GOOD.contains(from), "{from:?} is not in the base scenario");
    scenario::parse("inline.toml", &GOOD.replacen(from, to, 1))
}

#[test]
fn the_base_scenario_of_these_tests_is_valid() {
    let s = parse_with("", "").unwrap();
    assert_eq!(s.phases.len(), 2);
    assert_eq!(
        s.phases[0].until, s.phases[1].from,
        "a phase lasts until the next starts"
    );
}

#[test]
fn phases_must_start_at_zero_and_in_increasing_order_before_the_end() {
    let e = parse_with("from = \"0s\"", "from = \"1s\"").unwrap_err();
    assert_eq!((e.field.as_str(), e.line), ("phase[0].from", Some(7)));
    let e = parse_with("from = \"5s\"", "from = \"0s\"").unwrap_err();
    assert_eq!(e.field, "phase[1].from");
    let e = parse_with("from = \"5s\"", "from = \"10s\"").unwrap_err();
    assert!(e.message.contains("end of the run"), "{e}");
}

#[test]
fn a_uniform_latency_needs_max_at_least_min() {
    let e = parse_with("max = \"20ms\"", "max = \"5ms\"").unwrap_err();
    assert_eq!(e.field, "service[0].latency.max");
    assert_eq!(e.line, Some(19));
}

#[test]
fn duplicate_names_are_refused() {
    let e = parse_with("name = \"b\"", "name = \"a\"").unwrap_err();
    assert_eq!(e.field, "phase[1].name");
    assert!(e.message.contains("declared twice"));
}

#[test]
fn a_field_required_by_the_traffic_kind_must_be_given() {
    let e = parse_with("count = 3", "every = \"1s\"").unwrap_err();
    assert_eq!(e.field, "traffic[0].count");
    assert!(e.message.contains("required for kind = \"burst\""), "{e}");
}

#[test]
fn a_zero_duration_run_is_refused() {
    let e = parse_with("duration = \"10s\"", "duration = \"0s\"").unwrap_err();
    assert_eq!((e.field.as_str(), e.line), ("duration", Some(3)));
}

#[test]
fn repeated_bursts_must_not_overlap() {
    let e = parse_with("count = 3", "count = 3\nspread = \"2s\"\nevery = \"2s\"").unwrap_err();
    assert_eq!(e.field, "traffic[0].spread");
    assert_eq!(e.line, Some(25));
    assert!(parse_with("count = 3", "count = 3\nspread = \"1s\"\nevery = \"2s\"").is_ok());
}

//! `mycel pnml-info` and `mycel invariants` on PNML files: text, JSON, exit codes.

use std::path::PathBuf;
use std::process::Output;

mod support;
use support::{mycel, scratch, text};

#[path = "../../check/tests/support/mcc.rs"]
mod mcc;
use mcc::mcc_path_or_skip;

fn scratch_file(test: &str, content: &str) -> PathBuf {
    let path = scratch(test).join("net.pnml");
    std::fs::write(&path, content).unwrap();
    path
}

fn json(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn pnml_info_prints_the_sizes() {
    let out = mycel(&["pnml-info", &mcc_path_or_skip!("TokenRing-PT-005.pnml")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    for part in [
        "net \"TokenRing-PT-005\"",
        "places:         36",
        "transitions:    156",
        "arcs:           624",
        "initial tokens: 6",
    ] {
        assert!(report.contains(part), "missing {part:?} in:\n{report}");
    }
}

#[test]
fn pnml_info_json_has_the_documented_fields() {
    let v = json(&mycel(&[
        "pnml-info",
        "--json",
        &mcc_path_or_skip!("SwimmingPool-PT-01.pnml"),
    ]));
    assert_eq!(v["net"], "SwimmingPool-PT-01");
    assert_eq!(v["places"], 9);
    assert_eq!(v["transitions"], 7);
    assert_eq!(v["arcs"], 20);
    assert_eq!(v["initial_tokens"], 45);
    assert!(
        v["file"]
            .as_str()
            .unwrap()
            .ends_with("SwimmingPool-PT-01.pnml")
    );
}

#[test]
fn invariants_prints_the_conserved_sums_of_the_swimming_pool() {
    let out = mycel(&["invariants", &mcc_path_or_skip!("SwimmingPool-PT-01.pnml")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    for part in [
        "P-invariants (3):",
        "Entered + WaitBag + Undress + InBath + Dress + Dressed + Out = 20",
        "WaitBag + Undress + Dress + Dressed + Cabins = 10",
        "Undress + InBath + Dress + Bags = 15",
        "T-invariants (1):",
        "the net is structurally bounded",
        "largest structural place bound: 20",
    ] {
        assert!(report.contains(part), "missing {part:?} in:\n{report}");
    }
}

#[test]
fn invariants_json_has_the_documented_fields() {
    let v = json(&mycel(&[
        "invariants",
        "--json",
        &mcc_path_or_skip!("Philosophers-PT-000005.pnml"),
    ]));
    assert_eq!(v["net"], "Philosophers-PT-000005");
    let p = v["p_invariants"].as_array().unwrap();
    assert_eq!(p.len(), 10);
    assert!(p.iter().all(|inv| inv["conserved_sum"] == 1));
    assert_eq!(p[0]["weights"][0][1], 1);
    assert!(!v["t_invariants"].as_array().unwrap().is_empty());
    assert_eq!(v["conservative"], true);
    assert_eq!(v["uncovered_places"].as_array().unwrap().len(), 0);
    let bounds = v["bounds"].as_array().unwrap();
    assert_eq!(bounds.len(), 25);
    assert!(bounds.iter().all(|b| b[1] == 1));
}

#[test]
fn a_coloured_net_exits_2_naming_the_file_and_the_net_type() {
    let file = mcc_path_or_skip!("TokenRing-COL-005.pnml");
    for command in ["pnml-info", "invariants"] {
        let out = mycel(&[command, &file]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(err.contains("TokenRing-COL-005.pnml"), "{err}");
        assert!(err.contains("symmetricnet"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_dangling_arc_exits_2_naming_the_file_and_the_arc() {
    let path = scratch_file(
        "dangling_arc",
        r#"<pnml><net id="n" type="http://www.pnml.org/version-2009/grammar/ptnet"><page id="g">
        <place id="p"/><transition id="t"/><arc id="broken" source="p" target="ghost"/>
        </page></net></pnml>"#,
    );
    let out = mycel(&["invariants", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("net.pnml"), "{err}");
    assert!(err.contains("\"broken\"") && err.contains("ghost"), "{err}");
}

#[test]
fn a_missing_file_exits_2_naming_it() {
    let out = mycel(&["pnml-info", "no/such/net.pnml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/net.pnml"));
}

#[test]
fn invariants_over_the_row_limit_exit_1_with_the_limit() {
    let out = mycel(&[
        "invariants",
        "--max-rows",
        "5",
        &mcc_path_or_skip!("TokenRing-PT-005.pnml"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("TokenRing-PT-005.pnml") && err.contains("5"),
        "{err}"
    );
}

//! The `scenario_file` fuzz target's `run`, driven by proptest: any bytes given to the
//! scenario parser as a file's text end in an error pointing inside the text or in a
//! scenario that runs (bounded) to its report and summary, never in a panic. Random
//! bytes exercise the parser's refusals; the shipped scenarios
//! (`std-harness/scenarios/*.toml`) with a few edits each (values swapped for edge
//! cases, lines dropped or repeated, bytes inserted, deleted or cut off) reach the
//! validation of every field and the simulation itself.

use std::path::Path;

use mycel_check::proptest_config::{config, samples};
use mycel_harness::fuzz_scenario::{self as scenario_file, MAX_RUN, ScenarioFile, Summary};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};

const REGRESSIONS: &str = "tests/proptest-regressions/scenario_file.txt";

/// The shipped scenario files, by name, sorted.
fn shipped_scenarios() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("std-harness/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        // The fleet scenario has its own format (`mycel fleet`), tested in the harness.
        .filter(|path| path.file_name().is_none_or(|n| n != "fleet.toml"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).expect("read a scenario");
            (name, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenario in {}", dir.display());
    files
}

/// Values at the edges of what a scenario's fields take.
const VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "255",
    "256",
    "65536",
    "4294967296",
    "18446744073709551615",
    "99999999999999999999999",
    "0.0",
    "1.0",
    "1.5",
    "-0.5",
    "1e309",
    "nan",
    "inf",
    "true",
    "\"\"",
    "\"0s\"",
    "\"0ns\"",
    "\"1ns\"",
    "\"1us\"",
    "\"1ms\"",
    "\"-5s\"",
    "\"5\"",
    "\"1.5s\"",
    "\"584942417355y\"",
    "\"99999999999999999999h\"",
    "\"inventory\"",
    "\"constant\"",
    "\"schedule\"",
    "\"burst\"",
    "\"reopen\"",
    "\"repermit\"",
    "[]",
    "[\"1s\", \"0s\"]",
    "{}",
    "{ min = \"40ms\", max = \"20ms\" }",
];

/// Fragments that break the file's syntax or structure.
const FRAGMENTS: &[&str] = &[
    "[",
    "=",
    "\"",
    "\n[[traffic]]\n",
    "\n[[service]]\nname = \"inventory\"\n",
    "\n[breaker]\n",
    "\n[[phase]]\nname = \"x\"\nfrom = \"1h\"\n",
    "\u{0}",
    "é",
];

/// One edit of a scenario file's bytes.
#[derive(Debug, Clone)]
enum Edit {
    /// Replace the value after one `=` (up to `,`, `}`, `]`, a comment or the line's
    /// end) with an edge value.
    Value { at: Index, token: &'static str },
    /// Insert a value or a fragment at a byte.
    Token { at: Index, token: &'static str },
    /// Insert arbitrary bytes at a byte.
    Bytes { at: Index, bytes: Vec<u8> },
    /// Delete up to `len` bytes from a byte on.
    Delete { at: Index, len: usize },
    /// Delete a line.
    DropLine { line: Index },
    /// Repeat a line before another.
    RepeatLine { line: Index, before: Index },
    /// Cut the file off at a byte.
    Truncate { at: Index },
}

fn edit() -> impl Strategy<Value = Edit> {
    let any_token = prop_oneof![select(VALUES), select(FRAGMENTS)];
    prop_oneof![
        8 => (any::<Index>(), select(VALUES)).prop_map(|(at, token)| Edit::Value { at, token }),
        1 => (any::<Index>(), any_token).prop_map(|(at, token)| Edit::Token { at, token }),
        1 => (any::<Index>(), vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Edit::Bytes { at, bytes }),
        1 => (any::<Index>(), 1usize..48).prop_map(|(at, len)| Edit::Delete { at, len }),
        3 => any::<Index>().prop_map(|line| Edit::DropLine { line }),
        2 => (any::<Index>(), any::<Index>())
            .prop_map(|(line, before)| Edit::RepeatLine { line, before }),
        1 => any::<Index>().prop_map(|at| Edit::Truncate { at }),
    ]
}

/// The byte ranges of the lines of `bytes`, each with its newline.
fn lines(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        ranges.push(start..bytes.len());
    }
    ranges
}

/// Where the value that starts after the `=` at `start - 1` ends: past its closing
/// bracket for an array or inline table, past its closing quotes for a multi-line
/// string, else at the first `,`, `}`, `]`, comment or line end.
fn value_end(bytes: &[u8], start: usize) -> usize {
    let first = (start..bytes.len()).find(|&i| bytes[i] != b' ');
    let Some(first) = first else {
        return bytes.len();
    };
    if bytes[first..].starts_with(b"\"\"\"") {
        return (first + 3..bytes.len())
            .find(|&i| bytes[i..].starts_with(b"\"\"\""))
            .map_or(bytes.len(), |i| i + 3);
    }
    if matches!(bytes[first], b'[' | b'{') {
        let mut depth = 0usize;
        let mut quoted = false;
        for (i, &b) in bytes.iter().enumerate().skip(first) {
            match b {
                b'"' => quoted = !quoted,
                b'[' | b'{' if !quoted => depth += 1,
                b']' | b'}' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        }
        return bytes.len();
    }
    let mut quoted = false;
    (first..bytes.len())
        .find(|&i| {
            if bytes[i] == b'"' {
                quoted = !quoted;
            }
            !quoted && matches!(bytes[i], b',' | b'}' | b']' | b'#' | b'\n')
        })
        .map_or(bytes.len(), |i| {
            // Keep the spaces before a comment or the next key.
            (start..i)
                .rev()
                .find(|&j| bytes[j] != b' ')
                .map_or(i, |j| j + 1)
        })
}

impl Edit {
    fn apply(&self, bytes: &mut Vec<u8>) {
        let at = |index: &Index| index.index(bytes.len() + 1);
        match self {
            Self::Value { at: which, token } => {
                let equals: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'=').collect();
                if equals.is_empty() {
                    return;
                }
                let start = equals[which.index(equals.len())] + 1;
                let end = value_end(bytes, start);
                bytes.splice(start..end, format!(" {token}").into_bytes());
            }
            Self::Token { at: where_, token } => {
                let i = at(where_);
                bytes.splice(i..i, token.bytes());
            }
            Self::Bytes {
                at: where_,
                bytes: new,
            } => {
                let i = at(where_);
                bytes.splice(i..i, new.iter().copied());
            }
            Self::Delete { at: where_, len } => {
                let i = at(where_);
                bytes.drain(i..(i + len).min(bytes.len()));
            }
            Self::DropLine { line } => {
                let lines = lines(bytes);
                if !lines.is_empty() {
                    bytes.drain(lines[line.index(lines.len())].clone());
                }
            }
            Self::RepeatLine { line, before } => {
                let lines = lines(bytes);
                if !lines.is_empty() {
                    let mut copy = bytes[lines[line.index(lines.len())].clone()].to_vec();
                    if copy.last() != Some(&b'\n') {
                        copy.push(b'\n');
                    }
                    let i = lines[before.index(lines.len())].start;
                    bytes.splice(i..i, copy);
                }
            }
            Self::Truncate { at: where_ } => {
                let i = at(where_);
                bytes.truncate(i);
            }
        }
    }
}

/// A shipped scenario with one to three edits.
fn mutated_scenario() -> impl Strategy<Value = ScenarioFile> {
    (select(shipped_scenarios()), vec(edit(), 1..=3)).prop_map(|((_, mut bytes), edits)| {
        for edit in &edits {
            edit.apply(&mut bytes);
        }
        ScenarioFile(bytes)
    })
}

proptest! {
    #![proptest_config(config(256, REGRESSIONS))]

    /// Arbitrary bytes: an error pointing inside the text, or a run; never a panic.
    #[test]
    fn any_scenario_bytes_give_an_error_or_a_run_never_a_panic(
        bytes in vec(any::<u8>(), 0..1024),
    ) {
        let _ = scenario_file::run(&ScenarioFile(bytes));
    }

    /// Shipped scenarios with a few edits: an error pointing inside the text, or a run;
    /// never a panic.
    #[test]
    fn mutated_scenario_files_give_an_error_or_a_run_never_a_panic(file in mutated_scenario()) {
        let _ = scenario_file::run(&file);
    }
}

/// The shipped scenarios run as they are, and the edited ones reach every outcome:
/// runs (some cut short), syntax errors and rejected fields.
#[test]
fn mutated_scenarios_reach_runs_syntax_errors_and_rejected_fields() {
    for (name, bytes) in shipped_scenarios() {
        assert!(
            matches!(
                scenario_file::run(&ScenarioFile(bytes)),
                Summary::Ran { .. }
            ),
            "{name} does not run"
        );
    }
    let (mut ran, mut cut, mut syntax, mut fields) = (0, 0, 0, std::collections::BTreeSet::new());
    for file in samples(&mutated_scenario(), 300) {
        match scenario_file::run(&file) {
            Summary::Ran { length, .. } => {
                ran += 1;
                cut += u32::from(length < MAX_RUN);
            }
            Summary::Rejected { field, .. } if field == "(syntax)" => syntax += 1,
            Summary::Rejected { field, .. } => {
                fields.insert(field);
            }
            Summary::TooBusy => {}
        }
    }
    let seen = (ran, cut, syntax, &fields);
    eprintln!("{seen:?}");
    assert!(ran > 20 && cut > 0 && syntax > 10, "{seen:?}");
    assert!(fields.len() > 10, "rejected fields: {seen:?}");
}

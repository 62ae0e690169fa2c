//! `mycel explore FILE.pnml`: every reachable marking of a P/T net, with the state and
//! edge counts, deadlocks and a shortest trace to each, place bounds, dead transitions,
//! and the time it took.
//!
//! ## JSON output (`--json`)
//!
//! One object, with these fields (stable: fields may be added, never renamed or
//! removed):
//!
//! | field | meaning |
//! |---|---|
//! | `file` | the path given |
//! | `net` | the net's id |
//! | `complete` | `true` if every reachable marking was seen; `false` if the exploration stopped at `max_states` and the rest covers only what was seen |
//! | `max_states` | the limit in force |
//! | `states` | distinct markings stored |
//! | `edges` | firings from expanded markings (one per enabled transition per marking) |
//! | `depth` | the length of the longest shortest firing sequence to a stored marking |
//! | `deadlocks` | `{"count": n, "first": [...]}`: markings that enable nothing; `first` holds the first ten, shortest first, each `{"trace": [transition ids], "marking": [[place id, tokens], ...]}` (places with tokens only) |
//! | `place_bounds` | `[[place id, most tokens seen], ...]` for every place, in net order |
//! | `dead_transitions` | ids of the transitions enabled in no expanded marking |
//! | `bytes_per_state` | memory of the stored markings and the hash set, per marking |
//! | `elapsed_seconds`, `states_per_second` | wall-clock time of the exploration and its rate (they vary from run to run) |

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use mycel_check::PtNet;
use mycel_check::explore::{Exploration, Options, Trace, explore};

/// The default `--max-states`.
pub const DEFAULT_MAX_STATES: u64 = mycel_check::explore::DEFAULT_MAX_STATES;

/// Explores `net` (read from `path`) within `max_states`, showing a progress spinner on
/// stderr when it is a terminal, and returns the report as text or JSON.
///
/// # Errors
/// The explorer's error (a place past `u64::MAX` tokens), naming the file.
pub fn run(path: &Path, net: &PtNet, max_states: u64, json: bool) -> Result<String, String> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} exploring: {msg}, {elapsed} elapsed")
        {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });
    let mut options = Options::new().max_states(max_states);
    if let Some(bar) = bar.clone() {
        options = options.on_progress(move |p| {
            bar.set_message(format!(
                "{} states, {} edges, depth {}",
                p.states, p.edges, p.depth
            ));
        });
    }
    let report = explore(net, options).map_err(|e| format!("{}: {e}", path.display()));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report?;
    Ok(if json {
        format!("{}\n", to_json(path, net, &report))
    } else {
        text(path, net, &report, max_states)
    })
}

/// Nets with more places print only the largest bound in text.
const MAX_PLACES_LISTED: usize = 64;

fn place_id(net: &PtNet, i: usize) -> &str {
    net.places().get(i).map_or("?", |p| p.id.as_str())
}

fn marked(net: &PtNet, trace: &Trace) -> Vec<(String, u64)> {
    trace
        .marking
        .iter()
        .enumerate()
        .filter(|&(_, &m)| m > 0)
        .map(|(i, &m)| (place_id(net, i).to_owned(), m))
        .collect()
}

/// The report as one JSON object (see the module docs for its fields).
#[must_use]
pub fn to_json(path: &Path, net: &PtNet, report: &Exploration) -> serde_json::Value {
    let deadlocks: Vec<serde_json::Value> = report
        .deadlocks
        .iter()
        .map(|t| serde_json::json!({"trace": t.ids(net), "marking": marked(net, t)}))
        .collect();
    let bounds: Vec<serde_json::Value> = report
        .place_bounds
        .iter()
        .enumerate()
        .map(|(i, &b)| serde_json::json!([place_id(net, i), b]))
        .collect();
    let dead: Vec<&str> = report
        .dead_transitions
        .iter()
        .map(|t| net.transitions().get(t.0).map_or("?", |t| t.id.as_str()))
        .collect();
    serde_json::json!({
        "file": path.display().to_string(),
        "net": net.id(),
        "complete": report.complete,
        "max_states": report.max_states,
        "states": report.states,
        "edges": report.edges,
        "depth": report.depth,
        "deadlocks": {"count": report.deadlock_count, "first": deadlocks},
        "place_bounds": bounds,
        "dead_transitions": dead,
        "bytes_per_state": report.bytes_per_state(),
        "elapsed_seconds": report.elapsed.as_secs_f64(),
        "states_per_second": report.states_per_second(),
    })
}

fn text(path: &Path, net: &PtNet, report: &Exploration, max_states: u64) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{}: net \"{}\"", path.display(), net.id());
    if report.complete {
        let _ = writeln!(
            s,
            "  states:           {} (all reachable markings)",
            report.states
        );
    } else {
        let _ = writeln!(
            s,
            "  states:           stopped at {} states (--max-states {max_states}); \
             everything below covers only the markings seen",
            report.states
        );
    }
    let _ = writeln!(s, "  edges:            {}", report.edges);
    let _ = writeln!(s, "  depth:            {}", report.depth);
    let _ = writeln!(s, "  deadlocks:        {}", report.deadlock_count);
    for t in &report.deadlocks {
        let ids = t.ids(net);
        let marking: Vec<String> = marked(net, t)
            .iter()
            .map(|(p, m)| {
                if *m == 1 {
                    p.clone()
                } else {
                    format!("{m}*{p}")
                }
            })
            .collect();
        let _ = writeln!(
            s,
            "    after {} firings: {}\n      marking: {}",
            ids.len(),
            if ids.is_empty() {
                "(the initial marking)".to_owned()
            } else {
                ids.join(" ")
            },
            marking.join(" + ")
        );
    }
    if report.deadlocks.len() as u64 > 0 && report.deadlock_count > report.deadlocks.len() as u64 {
        let _ = writeln!(s, "    (the first {} shown)", report.deadlocks.len());
    }
    let dead: Vec<&str> = report
        .dead_transitions
        .iter()
        .map(|t| net.transitions().get(t.0).map_or("?", |t| t.id.as_str()))
        .collect();
    let _ = writeln!(
        s,
        "  dead transitions: {}",
        if dead.is_empty() {
            "none".to_owned()
        } else {
            dead.join(", ")
        }
    );
    let most = report.place_bounds.iter().copied().max().unwrap_or(0);
    let _ = writeln!(s, "  place bounds:     every place at most {most}");
    if report.place_bounds.len() <= MAX_PLACES_LISTED {
        let at_most: Vec<String> = report
            .place_bounds
            .iter()
            .enumerate()
            .map(|(i, b)| format!("{}={b}", place_id(net, i)))
            .collect();
        let _ = writeln!(s, "    {}", at_most.join(" "));
    } else {
        let _ = writeln!(s, "    (each place's bound is in --json)");
    }
    let _ = writeln!(
        s,
        "  time:             {:.2?}, {:.0} states/s, {:.1} bytes/state",
        report.elapsed,
        report.states_per_second(),
        report.bytes_per_state()
    );
    s
}

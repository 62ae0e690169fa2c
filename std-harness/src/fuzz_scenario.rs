//! `scenario_file`: arbitrary bytes given to the harness's scenario parser as a file's
//! text. Each input ends in a [`ScenarioError`](crate::scenario::ScenarioError)
//! that points inside the text, or in a scenario that runs (cut to a bounded length and
//! number of requests) to the end of its simulation, report and summary: never in a
//! panic.

use crate::run::simulate;
use crate::scenario::{self, Scenario};
use crate::traffic::Arrivals;
use mycel::time::{Duration, Instant};

/// The longest stretch of a scenario a run simulates.
pub const MAX_RUN: Duration = Duration::from_secs(10);
/// The most requests a run simulates; longer runs are cut shorter until they fit.
pub const MAX_REQUESTS: usize = 400;

/// A scenario file's bytes, read as UTF-8 (invalid sequences replaced): a corpus file
/// is a plain scenario file.
pub use mycel_check::fuzz::corpus::FileBytes as ScenarioFile;

/// The target's input type under the name every target module exports.
pub type Input = ScenarioFile;

/// What a `scenario_file` run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Summary {
    /// The parser refused the text.
    Rejected {
        /// The field it named (`(syntax)` for invalid TOML).
        field: String,
        /// The line it named.
        line: Option<usize>,
    },
    /// The scenario is valid but even its first tick holds too many requests to run.
    TooBusy,
    /// The scenario ran.
    Ran {
        /// How much of it ran.
        length: Duration,
        /// Requests made.
        requests: usize,
        /// Events the simulation reported.
        events: u64,
    },
}

/// Requests `scenario` makes before `end`, counting at most `MAX_REQUESTS + 1`.
fn requests_before(scenario: &Scenario, end: Instant) -> usize {
    scenario
        .traffic
        .iter()
        .map(|traffic| {
            Arrivals::new(traffic)
                .take_while(|&at| at < end)
                .take(MAX_REQUESTS + 1)
                .count()
        })
        .fold(0, usize::saturating_add)
}

/// The longest length up to [`MAX_RUN`] (halving) whose requests fit
/// [`MAX_REQUESTS`], with its request count; `None` when not even one tick fits.
fn bounded_length(scenario: &Scenario) -> Option<(Duration, usize)> {
    let mut length = scenario.duration.min(MAX_RUN).as_ticks();
    while length > 0 {
        let requests = requests_before(scenario, Instant::from_ticks(length));
        if requests <= MAX_REQUESTS {
            return Some((Duration::from_ticks(length), requests));
        }
        length /= 2;
    }
    None
}

/// Parses `bytes` as a scenario file and, if it is valid, simulates a bounded part of it
/// (trace, report and summary included).
///
/// # Panics
/// When the parser's error names a line outside the text, or a valid scenario fails to
/// simulate or to summarize: the harness documents both as bugs.
#[must_use]
pub fn run(file: &ScenarioFile) -> Summary {
    let text = String::from_utf8_lossy(&file.0);
    let scenario = match scenario::parse("fuzz.toml", &text) {
        Ok(scenario) => scenario,
        Err(error) => {
            let lines = text.lines().count().max(1);
            if let Some(line) = error.line {
                assert!(
                    (1..=lines + 1).contains(&line),
                    "the error names line {line} of a {lines}-line text: {error}"
                );
            }
            assert!(!error.to_string().is_empty());
            return Summary::Rejected {
                field: error.field,
                line: error.line,
            };
        }
    };
    let Some((length, requests)) = bounded_length(&scenario) else {
        return Summary::TooBusy;
    };
    let cut = scenario.truncated(length);
    let mut trace = std::io::sink();
    let outcome = simulate(&cut, cut.seed, Some(&mut trace), &mut |_| {})
        .unwrap_or_else(|e| panic!("a valid scenario failed to simulate: {e}"));
    assert!(!outcome.report().is_empty());
    outcome
        .summary_json()
        .unwrap_or_else(|e| panic!("a valid scenario's summary failed: {e}"));
    Summary::Ran {
        length,
        requests,
        events: outcome.finished.events,
    }
}

/// The shipped scenarios and a few broken variants: what the seed corpus holds, by
/// file name. Each shows a category of [`SEED_CATEGORIES`].
#[must_use]
pub fn seed_files() -> Vec<(&'static str, Vec<u8>)> {
    const DEMO: &str = include_str!("../../std-harness/scenarios/demo.toml");
    const HOUR: &str = include_str!("../../std-harness/scenarios/hour.toml");
    const MULTI: &str = include_str!("../../std-harness/scenarios/multi-service.toml");
    let broken = |from: &str, to: &str| DEMO.replacen(from, to, 1).into_bytes();
    vec![
        ("demo.toml", DEMO.as_bytes().to_vec()),
        ("hour.toml", HOUR.as_bytes().to_vec()),
        ("multi-service.toml", MULTI.as_bytes().to_vec()),
        ("syntax_error.toml", broken("seed = 7", "seed = = 7")),
        (
            "unknown_field.toml",
            broken("seed = 7", "seed = 7\ncolour = \"blue\""),
        ),
        ("wrong_type.toml", broken("seed = 7", "seed = \"seven\"")),
        (
            "zero_duration.toml",
            broken("duration = \"30s\"", "duration = \"0s\""),
        ),
        (
            "invalid_breaker.toml",
            broken("consecutive_failures = 3", "consecutive_failures = 0"),
        ),
        ("busy.toml", broken("every = \"500ms\"", "every = \"1us\"")),
    ]
}

/// What the seed corpus for `scenario_file` should show: runs, a syntax error, a
/// rejected field, and a scenario too busy to run at full length.
pub const SEED_CATEGORIES: &[mycel_check::fuzz::corpus::SeedCategory<Summary>] = &[
    (
        "runs",
        |s| matches!(s, Summary::Ran { events, .. } if *events > 0),
    ),
    (
        "syntax_error",
        |s| matches!(s, Summary::Rejected { field, .. } if field == "(syntax)"),
    ),
    (
        "rejected_field",
        |s| matches!(s, Summary::Rejected { field, line: Some(_) } if !field.starts_with('(')),
    ),
    (
        "cut_short",
        |s| matches!(s, Summary::Ran { length, .. } if *length < MAX_RUN),
    ),
];

//! The `mycel` command line.
//!
//! ```text
//! mycel demo     [--seed N] [--trace FILE] [--plot FILE.svg] [--json | --quiet]
//! mycel run FILE [--seed N] [--trace FILE] [--plot FILE.svg] [--json | --quiet] [LIMITS]
//! mycel check FILE [LIMITS]
//! mycel fleet FILE
//! mycel diagram
//! mycel pnml-info FILE.pnml [--json]
//! mycel invariants FILE.pnml [--json] [--max-rows N]
//! mycel explore FILE.pnml [--json] [--max-states N]
//!
//! LIMITS: --max-file-bytes N --max-entries N --max-requests N --max-timed-changes N
//! ```
//!
//! A scenario file that asks for more work than the limits allow is refused before
//! anything runs, naming the field, the limit and the flag that raises it; within them
//! a run's time and memory are bounded as [`crate::scenario::Limits`] documents.
//!
//! Exit codes: 0 success; 2 a bad scenario or PNML file or bad usage (nothing runs and
//! no file is written; the message names the file and the element at fault); 1 any
//! other failure (an output file that cannot be written, a demo whose story did not
//! happen, or an invariant computation over its limits).
//!
//! ## JSON output
//!
//! `pnml-info --json` prints one object: `file`, `net` (the net's id), `name` (or
//! `null`), `places`, `transitions`, `arcs` (counts) and `initial_tokens` (the sum of
//! the initial marking).
//!
//! `invariants --json` prints one object: `file`, `net`, `p_invariants` (a list of
//! `{"weights": [[place id, coefficient], ...], "conserved_sum": n}`), `t_invariants`
//! (a list of `{"counts": [[transition id, count], ...]}`), `conservative` (whether
//! every place is covered), `uncovered_places` (ids) and `bounds` (a list of
//! `[place id, structural bound]` for the covered places). A number too large for 64
//! bits is written as a decimal string.
//!
//! `explore --json` is documented in [`crate::explore`]. An exploration that stops at
//! `--max-states` still exits 0: it says so (`"complete": false`) and reports what it
//! saw.

use crate::demo;
use crate::diagram;
use crate::fleet;
use crate::progress::Progress;
use crate::run::{Outcome, simulate};
use crate::scenario::{
    self, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_REQUESTS,
    DEFAULT_MAX_TIMED_CHANGES, Limits, Scenario,
};
use crate::sim::build_net;
use clap::{Args, Parser, Subcommand};
use mycel_check::PtNet;
use mycel_check::invariants::StructuralReport;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: any failure other than a bad scenario or bad usage.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: a bad scenario or PNML file or bad usage; nothing ran.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Simulate a Petri net with circuit breakers inside it, on a simulated clock.
#[derive(Debug, Parser)]
#[command(name = "mycel", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the five-phase circuit-breaker demo (the built-in scenarios/demo.toml) and
    /// check that each beat of its story happened.
    Demo(RunOptions),
    /// Run a scenario file.
    Run {
        /// The scenario (TOML).
        scenario: PathBuf,
        /// Output options.
        #[command(flatten)]
        options: RunOptions,
        /// Limits on the work the file may ask for.
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Check a scenario file without running it.
    Check {
        /// The scenario (TOML).
        scenario: PathBuf,
        /// Limits on the work the file may ask for.
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Run a fleet scenario (N instances, one backend) twice, with independent
    /// breakers and with breakers shared through a store, and compare them.
    Fleet {
        /// The fleet scenario (TOML), e.g. std-harness/scenarios/fleet.toml.
        scenario: PathBuf,
        /// Limits on the work the file may ask for (`--max-requests` bounds the calls
        /// of all instances together).
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print Mermaid diagrams (Markdown) of the simulator's net, with the breaker
    /// drawn inside it, and of the breaker machine.
    Diagram,
    /// Read a PNML P/T net and print its size.
    PnmlInfo {
        /// The net (PNML).
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Read a PNML P/T net and print its minimal-support P- and T-invariants, the token
    /// sums they conserve and the place bounds they prove.
    Invariants {
        /// The net (PNML).
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// The most intermediate rows the Farkas algorithm may keep.
        #[arg(long, value_name = "N", default_value_t = mycel_check::invariants::Limits::default().max_rows)]
        max_rows: usize,
    },
    /// Read a PNML P/T net and explore every reachable marking: state and edge counts,
    /// deadlocks with a shortest firing sequence to each, place bounds, dead
    /// transitions, time and states per second.
    Explore {
        /// The net (PNML).
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Stop after storing this many markings and report what was seen.
        #[arg(long, value_name = "N", default_value_t = crate::explore::DEFAULT_MAX_STATES)]
        max_states: u64,
    },
}

/// Options of a run.
#[derive(Debug, Args)]
pub struct RunOptions {
    /// Seed of the backends' randomness [default: the scenario's `seed`].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Write every event (firing, rejection, state change, backend call, ...) to FILE
    /// as JSON lines.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// Draw the breaker states, request outcomes and failure rate over time to FILE
    /// (SVG).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Print a JSON summary instead of the text report.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Limits on the work a scenario file may ask for; a file over one is refused before
/// anything runs (see [`Limits`]).
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// The largest scenario file read, in bytes.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_FILE_BYTES)]
    pub max_file_bytes: u64,
    /// The most entries in any one table array (`[[phase]]`, `[[traffic]]`, ...).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ENTRIES)]
    pub max_entries: usize,
    /// The most requests the traffic may make (counted from the patterns).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_REQUESTS)]
    pub max_requests: u64,
    /// The most state changes the breakers' timers may make with no request.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_TIMED_CHANGES)]
    pub max_timed_changes: u64,
}

impl LimitArgs {
    /// The limits these flags set.
    #[must_use]
    pub const fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_entries: self.max_entries,
            max_requests: self.max_requests,
            max_timed_changes: self.max_timed_changes,
        }
    }
}

/// Runs the command line `args` (program name first) and returns the exit code.
#[must_use]
pub fn main_with<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                EXIT_OK
            };
            // Nothing useful can be done if the terminal is gone.
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Demo(options) => match demo::scenario() {
            Ok(s) => run_scenario(&s, &options, true),
            Err(e) => fail(EXIT_FAILURE, &e),
        },
        Command::Fleet { scenario, limits } => {
            match fleet::load_within(&scenario, &limits.limits()) {
                Ok(s) => match out(&fleet::report(&s)) {
                    Ok(()) => EXIT_OK,
                    Err(e) => fail(EXIT_FAILURE, &e),
                },
                Err(e) => fail(EXIT_BAD_INPUT, &e),
            }
        }
        Command::Run {
            scenario,
            options,
            limits,
        } => match scenario::load_within(&scenario, &limits.limits()) {
            Ok(s) => run_scenario(&s, &options, false),
            Err(e) => fail(EXIT_BAD_INPUT, &e),
        },
        Command::Check { scenario, limits } => {
            match scenario::load_within(&scenario, &limits.limits()) {
                Ok(s) => {
                    let line = format!(
                        "{}: ok: scenario \"{}\", {} services, {} phases, {} traffic generators\n",
                        scenario.display(),
                        s.name,
                        s.services.len(),
                        s.phases.len(),
                        s.traffic.len()
                    );
                    match out(&line) {
                        Ok(()) => EXIT_OK,
                        Err(e) => fail(EXIT_FAILURE, &e),
                    }
                }
                Err(e) => fail(EXIT_BAD_INPUT, &e),
            }
        }
        Command::Diagram => match diagram::markdown(&build_net()).map_err(|e| e.to_string()) {
            Ok(text) => match out(&text) {
                Ok(()) => EXIT_OK,
                Err(e) => fail(EXIT_FAILURE, &e),
            },
            Err(e) => fail(EXIT_FAILURE, &e),
        },
        Command::PnmlInfo { file, json } => match read_pnml(&file) {
            Ok(net) => {
                print_pnml_info(&file, &net, json);
                EXIT_OK
            }
            Err(e) => fail(EXIT_BAD_INPUT, &e),
        },
        Command::Explore {
            file,
            json,
            max_states,
        } => {
            let net = match read_pnml(&file) {
                Ok(net) => net,
                Err(e) => return fail(EXIT_BAD_INPUT, &e),
            };
            match crate::explore::run(&file, &net, max_states, json).and_then(|t| out(&t)) {
                Ok(()) => EXIT_OK,
                Err(e) => fail(EXIT_FAILURE, &e),
            }
        }
        Command::Invariants {
            file,
            json,
            max_rows,
        } => {
            let net = match read_pnml(&file) {
                Ok(net) => net,
                Err(e) => return fail(EXIT_BAD_INPUT, &e),
            };
            let limits = mycel_check::invariants::Limits { max_rows };
            match StructuralReport::of(&net, &limits) {
                Ok(report) => {
                    print_invariants(&file, &net, &report, json);
                    EXIT_OK
                }
                Err(e) => fail(EXIT_FAILURE, &format!("{}: {e}", file.display())),
            }
        }
    }
}

/// Reads a PNML file, with the file named in any error.
fn read_pnml(path: &Path) -> Result<PtNet, String> {
    let file = File::open(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    mycel_check::pnml::import(file, &mycel_check::pnml::Limits::default())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// A count as JSON: a number when it fits 64 bits, else a decimal string.
fn json_count(n: u128) -> serde_json::Value {
    u64::try_from(n).map_or_else(|_| n.to_string().into(), serde_json::Value::from)
}

fn print_pnml_info(path: &Path, net: &PtNet, json: bool) {
    let tokens: u128 = net.initial_marking().iter().map(|&m| u128::from(m)).sum();
    if json {
        let value = serde_json::json!({
            "file": path.display().to_string(),
            "net": net.id(),
            "name": net.name(),
            "places": net.places().len(),
            "transitions": net.transitions().len(),
            "arcs": net.arcs().len(),
            "initial_tokens": json_count(tokens),
        });
        println!("{value}");
    } else {
        println!("{}: net \"{}\"", path.display(), net.id());
        println!("  places:         {}", net.places().len());
        println!("  transitions:    {}", net.transitions().len());
        println!("  arcs:           {}", net.arcs().len());
        println!("  initial tokens: {tokens}");
    }
}

fn print_invariants(path: &Path, net: &PtNet, report: &StructuralReport, json: bool) {
    let place = |i: usize| net.places().get(i).map_or("?", |p| p.id.as_str());
    let transition = |i: usize| net.transitions().get(i).map_or("?", |t| t.id.as_str());
    let uncovered: Vec<&str> = (0..net.places().len())
        .filter(|&i| report.covered.get(i) != Some(&true))
        .map(place)
        .collect();
    let bounds: Vec<(&str, u128)> = (0..net.places().len())
        .filter_map(|i| report.structural_bound(i).map(|b| (place(i), b)))
        .collect();
    if json {
        let p: Vec<serde_json::Value> = report
            .p_invariants
            .iter()
            .zip(&report.conserved_sums)
            .map(|(inv, &sum)| {
                let weights: Vec<serde_json::Value> = inv
                    .coefficients()
                    .iter()
                    .map(|&(i, c)| serde_json::json!([place(i), c]))
                    .collect();
                serde_json::json!({"weights": weights, "conserved_sum": json_count(sum)})
            })
            .collect();
        let t: Vec<serde_json::Value> = report
            .t_invariants
            .iter()
            .map(|inv| {
                let counts: Vec<serde_json::Value> = inv
                    .coefficients()
                    .iter()
                    .map(|&(i, c)| serde_json::json!([transition(i), c]))
                    .collect();
                serde_json::json!({ "counts": counts })
            })
            .collect();
        let bounds: Vec<serde_json::Value> = bounds
            .iter()
            .map(|&(id, b)| serde_json::json!([id, json_count(b)]))
            .collect();
        let value = serde_json::json!({
            "file": path.display().to_string(),
            "net": net.id(),
            "p_invariants": p,
            "t_invariants": t,
            "conservative": report.is_conservative(),
            "uncovered_places": uncovered,
            "bounds": bounds,
        });
        println!("{value}");
        return;
    }
    let term = |name: &str, c: u64| {
        if c == 1 {
            name.to_owned()
        } else {
            format!("{c}*{name}")
        }
    };
    println!("{}: net \"{}\"", path.display(), net.id());
    println!("P-invariants ({}):", report.p_invariants.len());
    for (inv, sum) in report.p_invariants.iter().zip(&report.conserved_sums) {
        let terms: Vec<String> = inv
            .coefficients()
            .iter()
            .map(|&(i, c)| term(place(i), c))
            .collect();
        println!("  {} = {sum}", terms.join(" + "));
    }
    println!("T-invariants ({}):", report.t_invariants.len());
    for inv in &report.t_invariants {
        let terms: Vec<String> = inv
            .coefficients()
            .iter()
            .map(|&(i, c)| term(transition(i), c))
            .collect();
        println!("  {}", terms.join(" + "));
    }
    if uncovered.is_empty() {
        println!("every place is covered by a P-invariant: the net is structurally bounded");
    } else {
        println!("places no P-invariant covers: {}", uncovered.join(", "));
    }
    if let Some(&(_, most)) = bounds.iter().max_by_key(|&&(_, b)| b) {
        println!("largest structural place bound: {most}");
    }
}

/// Writes `text` to standard output. A reader that has gone (`mycel run ... | head`)
/// ends the output quietly, as for any Unix filter, instead of a panic.
fn out(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}

fn fail(code: u8, error: &dyn std::fmt::Display) -> u8 {
    eprintln!("error: {error}");
    code
}

fn create(path: &Path, what: &str) -> Result<BufWriter<File>, String> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| format!("cannot create the {what} file {}: {e}", path.display()))
}

fn run_scenario(scenario: &Scenario, options: &RunOptions, is_demo: bool) -> u8 {
    match try_run(scenario, options, is_demo) {
        Ok(code) => code,
        Err(message) => fail(EXIT_FAILURE, &message),
    }
}

fn try_run(scenario: &Scenario, options: &RunOptions, is_demo: bool) -> Result<u8, String> {
    let seed = options.seed.unwrap_or(scenario.seed);
    let mut trace = match &options.trace {
        Some(path) => Some(create(path, "trace")?),
        None => None,
    };
    let mut progress = Progress::new(scenario.duration.as_micros(), !options.quiet);
    let result = simulate(
        scenario,
        seed,
        trace.as_mut().map(|w| w as &mut dyn Write),
        &mut |at| progress.update(at),
    );
    progress.finish();
    let mut outcome = result.map_err(|e| e.to_string())?;
    let story_told = !is_demo || outcome.check_demo();
    if let Some(path) = &options.plot {
        write_svg(&outcome, path)?;
    }
    if options.json {
        out(&outcome.summary_json().map_err(|e| e.to_string())?)?;
    } else if !options.quiet {
        out(&outcome.report())?;
        if is_demo {
            print_demo_diagram()?;
        }
    }
    if !options.quiet && !options.json {
        for (what, path) in [("trace", &options.trace), ("plot", &options.plot)] {
            if let Some(p) = path {
                eprintln!("wrote the {what} to {}", p.display());
            }
        }
    }
    if !story_told {
        let failed: Vec<String> = outcome
            .checks
            .iter()
            .flatten()
            .filter(|c| !c.passed)
            .map(|c| format!("beat {} ({}): {}", c.beat, c.name, c.detail))
            .collect();
        return Err(format!(
            "the demo's story did not happen: {}",
            failed.join("; ")
        ));
    }
    Ok(EXIT_OK)
}

fn write_svg(outcome: &Outcome<'_>, path: &Path) -> Result<(), String> {
    let svg = outcome.svg().map_err(|e| e.to_string())?;
    std::fs::write(path, svg)
        .map_err(|e| format!("cannot write the plot file {}: {e}", path.display()))
}

fn print_demo_diagram() -> Result<(), String> {
    let net = build_net();
    let text = diagram::net(&net).map_err(|e| e.to_string())?;
    out(&format!(
        "\nThe net, with the breaker machine inside it (Mermaid; `mycel diagram` prints Markdown):\n\n{text}"
    ))
}

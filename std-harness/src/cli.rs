//! The `mycel` command line.
//!
//! ```text
//! mycel demo     [--seed N] [--trace FILE] [--plot FILE.svg] [--json | --quiet]
//! mycel run FILE [--seed N] [--trace FILE] [--plot FILE.svg] [--json | --quiet]
//! mycel check FILE
//! mycel fleet FILE
//! mycel diagram
//! ```
//!
//! Exit codes: 0 success; 2 a bad scenario file or bad usage (nothing runs and no
//! file is written); 1 any other failure (an output file that cannot be written, or a
//! demo whose story did not happen).

use crate::demo;
use crate::diagram;
use crate::fleet;
use crate::progress::Progress;
use crate::run::{Outcome, simulate};
use crate::scenario::{self, Scenario};
use crate::sim::build_net;
use clap::{Args, Parser, Subcommand};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: any failure other than a bad scenario or bad usage.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: a bad scenario file or bad usage; nothing ran.
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
    },
    /// Check a scenario file without running it.
    Check {
        /// The scenario (TOML).
        scenario: PathBuf,
    },
    /// Run a fleet scenario (N instances, one backend) twice, with independent
    /// breakers and with breakers shared through a store, and compare them.
    Fleet {
        /// The fleet scenario (TOML), e.g. std-harness/scenarios/fleet.toml.
        scenario: PathBuf,
    },
    /// Print Mermaid diagrams (Markdown) of the simulator's net, with the breaker
    /// drawn inside it, and of the breaker machine.
    Diagram,
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
        Command::Fleet { scenario } => match std::fs::read_to_string(&scenario)
            .map_err(|e| format!("{}: {e}", scenario.display()))
            .and_then(|text| {
                fleet::parse(&text).map_err(|e| format!("{}: {e}", scenario.display()))
            }) {
            Ok(s) => {
                print!("{}", fleet::report(&s));
                EXIT_OK
            }
            Err(e) => fail(EXIT_BAD_INPUT, &e),
        },
        Command::Run { scenario, options } => match scenario::load(&scenario) {
            Ok(s) => run_scenario(&s, &options, false),
            Err(e) => fail(EXIT_BAD_INPUT, &e),
        },
        Command::Check { scenario } => match scenario::load(&scenario) {
            Ok(s) => {
                println!(
                    "{}: ok: scenario \"{}\", {} services, {} phases, {} traffic generators",
                    scenario.display(),
                    s.name,
                    s.services.len(),
                    s.phases.len(),
                    s.traffic.len()
                );
                EXIT_OK
            }
            Err(e) => fail(EXIT_BAD_INPUT, &e),
        },
        Command::Diagram => match diagram::markdown(&build_net()).map_err(|e| e.to_string()) {
            Ok(text) => {
                print!("{text}");
                EXIT_OK
            }
            Err(e) => fail(EXIT_FAILURE, &e),
        },
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
        print!("{}", outcome.summary_json().map_err(|e| e.to_string())?);
    } else if !options.quiet {
        print!("{}", outcome.report());
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
    println!();
    println!(
        "The net, with the breaker machine inside it (Mermaid; `mycel diagram` prints Markdown):"
    );
    println!();
    print!("{text}");
    Ok(())
}

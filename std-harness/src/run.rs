//! One run from scenario to outputs: simulate, then build the report, the JSON
//! summary and the SVG from what was gathered.

use crate::demo::{self, Check};
use crate::plot::{PlotError, render_svg};
use crate::report::{ReportInput, write_report};
use crate::scenario::Scenario;
use crate::sim::{Finished, SimError, Simulation};
use crate::stats::Stats;
use crate::summary::summarize;
use crate::timeline::Timeline;
use crate::trace::TraceWriter;
use mycel::time::Instant;
use std::fmt;
use std::io::{self, Write};

/// Why a run produced no result.
#[derive(Debug)]
pub enum RunError {
    /// The simulation failed (a bug, not a scenario problem).
    Sim(SimError),
    /// The trace could not be written.
    Trace(io::Error),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sim(e) => write!(f, "simulation failed: {e}"),
            Self::Trace(e) => write!(f, "cannot write the trace: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// What a run gathered.
#[derive(Debug)]
pub struct Outcome<'s> {
    /// The scenario that ran.
    pub scenario: &'s Scenario,
    /// The seed it ran with.
    pub seed: u64,
    /// Counts per phase and service.
    pub stats: Stats,
    /// The net and breakers at the end.
    pub finished: Finished,
    /// Per-service lines for the plot.
    pub timeline: Timeline,
    /// The demo's checks, once [`Outcome::check_demo`] ran.
    pub checks: Option<Vec<Check>>,
}

/// Runs `scenario` with `seed`, writing the trace to `trace` if given and telling
/// `progress` how far the simulated clock got now and then.
///
/// # Errors
/// [`RunError`] if the simulation fails or the trace cannot be written.
pub fn simulate<'s>(
    scenario: &'s Scenario,
    seed: u64,
    trace: Option<&mut dyn Write>,
    progress: &mut dyn FnMut(Instant),
) -> Result<Outcome<'s>, RunError> {
    let mut stats = Stats::new(scenario);
    let mut timeline = Timeline::new(scenario);
    let mut writer = trace.map(|out| TraceWriter::new(out, scenario));
    let sim = Simulation::new(scenario, seed).map_err(RunError::Sim)?;
    let finished = {
        let mut sinks = (&mut stats, &mut timeline, &mut writer);
        sim.run(&mut sinks, progress).map_err(RunError::Sim)?
    };
    if let Some(w) = writer {
        w.finish().map_err(RunError::Trace)?;
    }
    Ok(Outcome {
        scenario,
        seed,
        stats,
        finished,
        timeline,
        checks: None,
    })
}

impl Outcome<'_> {
    /// Checks the demo's five beats (meaningful only for the demo scenario) and keeps
    /// the result for the report and summary. Returns whether all passed.
    pub fn check_demo(&mut self) -> bool {
        let checks = demo::checks(self.scenario, &self.stats, &self.finished);
        let passed = checks.iter().all(|c| c.passed);
        self.checks = Some(checks);
        passed
    }

    fn input(&self) -> ReportInput<'_> {
        ReportInput {
            scenario: self.scenario,
            seed: self.seed,
            stats: &self.stats,
            finished: &self.finished,
            checks: self.checks.as_deref(),
        }
    }

    /// The text report.
    #[must_use]
    pub fn report(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = write_report(&mut out, &self.input());
        out
    }

    /// The JSON summary, pretty-printed, with a final newline.
    ///
    /// # Errors
    /// A serde_json error, which the summary's plain types rule out.
    pub fn summary_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(&summarize(&self.input()))?;
        text.push('\n');
        Ok(text)
    }

    /// The SVG timeline.
    ///
    /// # Errors
    /// [`PlotError`] if it cannot be drawn.
    pub fn svg(&self) -> Result<String, PlotError> {
        render_svg(self.scenario, self.seed, &self.timeline)
    }
}

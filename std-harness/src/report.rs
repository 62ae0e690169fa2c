//! The human-readable report of a run: phase by phase, then final statistics.

use crate::demo::Check;
use crate::scenario::Scenario;
use crate::sim::Finished;
use crate::stats::{ChangeRecord, Stats, Tally};
use crate::units::{at, span};
use std::fmt::{self, Write};

/// Everything a report is made from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The scenario that ran.
    pub scenario: &'a Scenario,
    /// The seed it ran with.
    pub seed: u64,
    /// What was counted.
    pub stats: &'a Stats,
    /// The net and breakers at the end.
    pub finished: &'a Finished,
    /// The demo's checks, when the demo ran.
    pub checks: Option<&'a [Check]>,
}

/// Writes the report: a header, one section per phase (per-service counts of
/// requests, backend calls, outcomes and rejections, and the state changes with their
/// instants), then the final statistics per place, per transition and per breaker, and
/// the demo's checks when given.
///
/// The text depends only on its input: the same scenario and seed give the same bytes.
///
/// # Errors
/// Whatever `out` returns.
pub fn write_report(out: &mut impl Write, input: &ReportInput<'_>) -> fmt::Result {
    let ReportInput {
        scenario,
        seed,
        stats,
        finished,
        checks,
    } = *input;
    let names: Vec<&str> = scenario.services.iter().map(|s| s.name.as_str()).collect();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0).max(9);
    writeln!(
        out,
        "Scenario \"{}\" (seed {seed}): {} of simulated time, {} events",
        scenario.name,
        span(scenario.duration),
        finished.events
    )?;
    if !scenario.description.is_empty() {
        writeln!(out)?;
        wrap(out, &scenario.description, "  ")?;
    }
    let count = scenario.phases.len();
    for (i, (phase, tally)) in scenario.phases.iter().zip(&stats.phases).enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "Phase {} of {count}: {}, {} to {}",
            i + 1,
            phase.name,
            at(phase.from),
            at(phase.until)
        )?;
        if !phase.description.is_empty() {
            wrap(out, &phase.description, "  ")?;
        }
        tally_table(out, &names, width, &tally.services)?;
        changes(out, &names, &tally.changes, tally.unlisted)?;
    }
    writeln!(out)?;
    writeln!(out, "Totals")?;
    tally_table(out, &names, width, &stats.totals)?;
    final_statistics(out, width, finished)?;
    if let Some(checks) = checks {
        writeln!(out)?;
        writeln!(out, "The five beats")?;
        for c in checks {
            let mark = if c.passed { "ok" } else { "FAILED" };
            writeln!(out, "  [{mark}] {}. {}: {}", c.beat, c.name, c.detail)?;
        }
    }
    Ok(())
}

/// Writes `text` as lines of at most about 88 columns, each starting with `indent`.
fn wrap(out: &mut impl Write, text: &str, indent: &str) -> fmt::Result {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > 88 - indent.len() {
            writeln!(out, "{indent}{line}")?;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}

fn tally_table(
    out: &mut impl Write,
    names: &[&str],
    width: usize,
    tallies: &[Tally],
) -> fmt::Result {
    writeln!(
        out,
        "  {:<width$}  {:>8}  {:>8}  {:>6}  {:>8}  {:>6}  {:>8}",
        "service", "requests", "rejected", "calls", "probes", "ok", "failed"
    )?;
    for (name, t) in names.iter().zip(tallies) {
        write!(
            out,
            "  {name:<width$}  {:>8}  {:>8}  {:>6}  {:>8}  {:>6}  {:>8}",
            t.requests, t.rejected, t.backend_calls, t.probes, t.successes, t.failures
        )?;
        if t.refused > 0 {
            write!(out, "  ({} refused: place full)", t.refused)?;
        }
        if t.stale > 0 {
            write!(out, "  ({} stale)", t.stale)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn changes(
    out: &mut impl Write,
    names: &[&str],
    list: &[ChangeRecord],
    unlisted: u64,
) -> fmt::Result {
    if list.is_empty() {
        return writeln!(out, "  state changes: none");
    }
    writeln!(out, "  state changes:")?;
    for c in list {
        let name = names.get(c.service).copied().unwrap_or("?");
        write!(
            out,
            "    {:>12}  {name}  {} -> {}  ({})",
            at(c.at),
            c.from,
            c.to,
            c.reason
        )?;
        if let (Some(until), Some(length)) = (c.open_until, c.open_for()) {
            write!(out, ", open for {} until {}", span(length), at(until))?;
        }
        writeln!(out)?;
    }
    if unlisted > 0 {
        writeln!(
            out,
            "    ... and {unlisted} more (a trace, --trace FILE, lists every one)"
        )?;
    }
    Ok(())
}

fn final_statistics(out: &mut impl Write, width: usize, f: &Finished) -> fmt::Result {
    writeln!(out)?;
    writeln!(out, "Final statistics")?;
    writeln!(
        out,
        "  {:<14}  {:>8}  {:>6}  {:>10}",
        "place", "capacity", "tokens", "high-water"
    )?;
    for p in &f.places {
        writeln!(
            out,
            "  {:<14}  {:>8}  {:>6}  {:>10}",
            p.name, p.capacity, p.tokens, p.high_water
        )?;
    }
    writeln!(
        out,
        "  {:<14}  {:>8}  {:>6}",
        "transition", "fired", "failed"
    )?;
    for t in &f.transitions {
        writeln!(out, "  {:<14}  {:>8}  {:>6}", t.name, t.firings, t.failures)?;
    }
    let c = &f.counters;
    writeln!(
        out,
        "  net: {} tokens injected, {} taken, {} retired by call_backend, {} firings, {} failed; {} calls in flight at the end",
        c.injected, c.taken, c.retired, c.firings, c.failures, f.in_flight
    )?;
    writeln!(
        out,
        "  {:<width$}  {:<9}  {:>9}  {:>8}  {:>6}  {:>6}  {:>4}  {:>5}  {:>7}  {:>5}",
        "breaker",
        "state",
        "permitted",
        "rejected",
        "ok",
        "failed",
        "slow",
        "stale",
        "changes",
        "rate"
    )?;
    for b in &f.breakers {
        let m = &b.metrics;
        let rate = m
            .failure_rate_percent
            .map_or_else(|| "-".to_owned(), |r| format!("{r}%"));
        writeln!(
            out,
            "  {:<width$}  {:<9}  {:>9}  {:>8}  {:>6}  {:>6}  {:>4}  {:>5}  {:>7}  {:>5}",
            b.service,
            b.state.as_str(),
            m.permitted,
            m.rejected,
            m.successes,
            m.failures,
            m.slow,
            m.stale,
            m.state_changes,
            rate
        )?;
    }
    Ok(())
}

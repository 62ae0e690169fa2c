//! The `--json` summary of a run: the report's numbers as one JSON document.
//!
//! Field order is fixed by the structs below and every collection is a list in
//! declaration order, so the same scenario and seed always serialize to the same bytes.

use crate::report::ReportInput;
use crate::stats::{ChangeRecord, Tally};
use serde::Serialize;

/// The whole summary.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// The scenario's name.
    pub scenario: String,
    /// The seed of the run.
    pub seed: u64,
    /// Simulated time covered, in microseconds.
    pub duration_us: u64,
    /// Events reported (the trace's line count).
    pub events: u64,
    /// Per phase.
    pub phases: Vec<PhaseSummary>,
    /// Per service, over the whole run.
    pub services: Vec<ServiceSummary>,
    /// Per place of the net.
    pub places: Vec<PlaceSummary>,
    /// Per transition of the net.
    pub transitions: Vec<TransitionSummary>,
    /// The net's boundary counters.
    pub net: NetSummary,
    /// The demo's checks (only for `mycel demo`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<Vec<CheckSummary>>,
}

/// Counts for one service over some stretch.
#[derive(Debug, Serialize)]
pub struct Counts {
    /// The service.
    pub service: String,
    /// Requests that arrived.
    pub requests: u64,
    /// Requests refused because a place was full.
    pub refused: u64,
    /// Requests the breaker rejected.
    pub rejected: u64,
    /// Calls the backend received.
    pub backend_calls: u64,
    /// Of those, half-open probes.
    pub probes: u64,
    /// Successful responses.
    pub successes: u64,
    /// Failed responses.
    pub failures: u64,
    /// Responses with a stale permit.
    pub stale: u64,
}

/// A state change.
#[derive(Debug, Serialize)]
pub struct ChangeSummary {
    /// When, in microseconds.
    pub at_us: u64,
    /// The service.
    pub service: String,
    /// The state left.
    pub from: &'static str,
    /// The state entered.
    pub to: &'static str,
    /// Why.
    pub cause: &'static str,
    /// For a change into OPEN: when the open period ends, in microseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_until_us: Option<u64>,
}

/// One phase.
#[derive(Debug, Serialize)]
pub struct PhaseSummary {
    /// Its name.
    pub name: String,
    /// Its start, in microseconds.
    pub from_us: u64,
    /// Its end, in microseconds.
    pub until_us: u64,
    /// Per service.
    pub services: Vec<Counts>,
    /// The state changes in it (the first [`MAX_LISTED_CHANGES`](crate::stats::MAX_LISTED_CHANGES)).
    pub state_changes: Vec<ChangeSummary>,
    /// State changes in it past those listed (absent when none).
    #[serde(skip_serializing_if = "is_zero")]
    pub unlisted_state_changes: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One service over the whole run, with its breaker's metrics.
#[derive(Debug, Serialize)]
pub struct ServiceSummary {
    /// Counts from the run's events.
    #[serde(flatten)]
    pub counts: Counts,
    /// The breaker's final state.
    pub final_state: &'static str,
    /// The breaker's own metrics.
    pub breaker: BreakerSummary,
}

/// A breaker's metrics.
#[derive(Debug, Serialize)]
pub struct BreakerSummary {
    /// Calls permitted.
    pub permitted: u64,
    /// Calls rejected.
    pub rejected: u64,
    /// Successes recorded.
    pub successes: u64,
    /// Failures recorded.
    pub failures: u64,
    /// Ignored outcomes.
    pub ignored: u64,
    /// Slow calls.
    pub slow: u64,
    /// Stale outcomes.
    pub stale: u64,
    /// State changes.
    pub state_changes: u64,
    /// The current failure rate in percent, when measured.
    pub failure_rate_percent: Option<u8>,
}

/// One place.
#[derive(Debug, Serialize)]
pub struct PlaceSummary {
    /// Its name.
    pub name: &'static str,
    /// Its capacity.
    pub capacity: u16,
    /// Tokens at the end.
    pub tokens: usize,
    /// The most tokens it held.
    pub high_water: usize,
}

/// One transition.
#[derive(Debug, Serialize)]
pub struct TransitionSummary {
    /// Its name.
    pub name: &'static str,
    /// Successful firings.
    pub firings: u32,
    /// Failed firings.
    pub failures: u32,
}

/// The net's counters.
#[derive(Debug, Serialize)]
pub struct NetSummary {
    /// Tokens injected by the simulator.
    pub injected: u64,
    /// Tokens taken by the simulator.
    pub taken: u64,
    /// Tokens retired by sinks (calls handed to backends).
    pub retired: u64,
    /// Successful firings.
    pub firings: u64,
    /// Failed firings.
    pub failures: u64,
    /// Backend calls still in flight at the end.
    pub in_flight: usize,
}

/// One of the demo's checks.
#[derive(Debug, Serialize)]
pub struct CheckSummary {
    /// The beat, 1 to 5.
    pub beat: u8,
    /// Its name.
    pub name: &'static str,
    /// Whether it held.
    pub passed: bool,
    /// What was seen.
    pub detail: String,
}

fn counts(service: &str, t: &Tally) -> Counts {
    Counts {
        service: service.to_owned(),
        requests: t.requests,
        refused: t.refused,
        rejected: t.rejected,
        backend_calls: t.backend_calls,
        probes: t.probes,
        successes: t.successes,
        failures: t.failures,
        stale: t.stale,
    }
}

fn change(names: &[&str], c: &ChangeRecord) -> ChangeSummary {
    ChangeSummary {
        at_us: c.at.as_micros(),
        service: names.get(c.service).copied().unwrap_or("?").to_owned(),
        from: c.from.as_str(),
        to: c.to.as_str(),
        cause: c.reason.as_str(),
        open_until_us: c.open_until.map(|i| i.as_micros()),
    }
}

/// The summary of the run described by `input`.
#[must_use]
pub fn summarize(input: &ReportInput<'_>) -> Summary {
    let ReportInput {
        scenario,
        seed,
        stats,
        finished,
        checks,
    } = *input;
    let names: Vec<&str> = scenario.services.iter().map(|s| s.name.as_str()).collect();
    let phases = scenario
        .phases
        .iter()
        .zip(&stats.phases)
        .map(|(p, t)| PhaseSummary {
            name: p.name.clone(),
            from_us: p.from.as_micros(),
            until_us: p.until.as_micros(),
            services: names
                .iter()
                .zip(&t.services)
                .map(|(n, t)| counts(n, t))
                .collect(),
            state_changes: t.changes.iter().map(|c| change(&names, c)).collect(),
            unlisted_state_changes: t.unlisted,
        })
        .collect();
    let services = names
        .iter()
        .zip(&stats.totals)
        .zip(&finished.breakers)
        .map(|((n, t), b)| ServiceSummary {
            counts: counts(n, t),
            final_state: b.state.as_str(),
            breaker: BreakerSummary {
                permitted: b.metrics.permitted,
                rejected: b.metrics.rejected,
                successes: b.metrics.successes,
                failures: b.metrics.failures,
                ignored: b.metrics.ignored,
                slow: b.metrics.slow,
                stale: b.metrics.stale,
                state_changes: b.metrics.state_changes,
                failure_rate_percent: b.metrics.failure_rate_percent,
            },
        })
        .collect();
    let c = &finished.counters;
    Summary {
        scenario: scenario.name.clone(),
        seed,
        duration_us: scenario.duration.as_micros(),
        events: finished.events,
        phases,
        services,
        places: finished
            .places
            .iter()
            .map(|p| PlaceSummary {
                name: p.name,
                capacity: p.capacity,
                tokens: p.tokens,
                high_water: p.high_water,
            })
            .collect(),
        transitions: finished
            .transitions
            .iter()
            .map(|t| TransitionSummary {
                name: t.name,
                firings: t.firings,
                failures: t.failures,
            })
            .collect(),
        net: NetSummary {
            injected: c.injected,
            taken: c.taken,
            retired: c.retired,
            firings: c.firings,
            failures: c.failures,
            in_flight: finished.in_flight,
        },
        checks: checks.map(|list| {
            list.iter()
                .map(|c| CheckSummary {
                    beat: c.beat,
                    name: c.name,
                    passed: c.passed,
                    detail: c.detail.clone(),
                })
                .collect()
        }),
    }
}

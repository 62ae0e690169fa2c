//! Counts per phase and per service, gathered from a run's events, for the report,
//! the summary and the demo's checks.

use crate::scenario::Scenario;
use crate::sim::{EventKind, EventSink, SimEvent};
use mycel::breaker::{BreakerStateKind, Reason, Recorded};
use mycel::time::{Duration, Instant, since};

/// What happened to one service's requests over some stretch of time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Requests that arrived.
    pub requests: u64,
    /// Requests refused at the door because a place was full.
    pub refused: u64,
    /// Requests the breaker rejected (never sent to the backend).
    pub rejected: u64,
    /// Calls the backend received.
    pub backend_calls: u64,
    /// Of those, half-open probes.
    pub probes: u64,
    /// Responses recorded as successes.
    pub successes: u64,
    /// Responses recorded as failures.
    pub failures: u64,
    /// Responses whose permit was stale (from before a state change).
    pub stale: u64,
}

/// One breaker state change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeRecord {
    /// When.
    pub at: Instant,
    /// Whose breaker (service index).
    pub service: usize,
    /// The state left.
    pub from: BreakerStateKind,
    /// The state entered.
    pub to: BreakerStateKind,
    /// Why.
    pub reason: Reason,
    /// For a change into OPEN: when the open period ends.
    pub open_until: Option<Instant>,
}

impl ChangeRecord {
    /// For a change into OPEN: how long the open period lasts.
    #[must_use]
    pub fn open_for(&self) -> Option<Duration> {
        self.open_until.map(|until| since(until, self.at))
    }
}

/// How many state changes a list in [`Stats`] keeps; later ones are only counted, so a
/// run's report and summary stay bounded whatever the file (the trace has them all).
pub const MAX_LISTED_CHANGES: usize = 1_000;

/// Per-service tallies and state changes of one phase.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhaseTally {
    /// Per service, in declaration order.
    pub services: Vec<Tally>,
    /// The first [`MAX_LISTED_CHANGES`] state changes of the phase, in order.
    pub changes: Vec<ChangeRecord>,
    /// State changes of the phase past the first [`MAX_LISTED_CHANGES`].
    pub unlisted: u64,
}

/// Appends `record` to `list` while it holds fewer than [`MAX_LISTED_CHANGES`], else
/// counts it in `unlisted`.
fn list_change(list: &mut Vec<ChangeRecord>, unlisted: &mut u64, record: ChangeRecord) {
    if list.len() < MAX_LISTED_CHANGES {
        list.push(record);
    } else {
        *unlisted = unlisted.saturating_add(1);
    }
}

/// Everything counted over a run. Fed by the simulator as an [`EventSink`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    phase_starts: Vec<Instant>,
    /// Per phase, in order.
    pub phases: Vec<PhaseTally>,
    /// Per service, over the whole run.
    pub totals: Vec<Tally>,
    /// The first [`MAX_LISTED_CHANGES`] state changes of the run, in order.
    pub changes: Vec<ChangeRecord>,
    /// State changes of the run past the first [`MAX_LISTED_CHANGES`].
    pub unlisted: u64,
    /// Per service: backend calls made while its breaker was OPEN (always 0 unless the
    /// breaker is broken).
    pub calls_while_open: Vec<u64>,
    /// Per service: requests rejected while its breaker was OPEN.
    pub rejected_while_open: Vec<u64>,
    state: Vec<BreakerStateKind>,
}

impl Stats {
    /// Empty counts for `scenario`'s phases and services.
    #[must_use]
    pub fn new(scenario: &Scenario) -> Self {
        let services = scenario.services.len();
        Self {
            phase_starts: scenario.phases.iter().map(|p| p.from).collect(),
            phases: vec![
                PhaseTally {
                    services: vec![Tally::default(); services],
                    changes: Vec::new(),
                    unlisted: 0,
                };
                scenario.phases.len()
            ],
            totals: vec![Tally::default(); services],
            changes: Vec::new(),
            unlisted: 0,
            calls_while_open: vec![0; services],
            rejected_while_open: vec![0; services],
            state: vec![BreakerStateKind::Closed; services],
        }
    }

    fn phase_of(&self, at: Instant) -> usize {
        // Phase starts are increasing (checked), so the search halves each time.
        self.phase_starts
            .partition_point(|&from| from <= at)
            .saturating_sub(1)
    }

    /// Applies `count` to the service's tally in the phase of `at` and in its totals.
    fn count(&mut self, at: Instant, service: usize, count: impl Fn(&mut Tally)) {
        let phase = self.phase_of(at);
        if let Some(t) = self
            .phases
            .get_mut(phase)
            .and_then(|p| p.services.get_mut(service))
        {
            count(t);
        }
        if let Some(t) = self.totals.get_mut(service) {
            count(t);
        }
    }

    fn is_open(&self, service: usize) -> bool {
        self.state.get(service) == Some(&BreakerStateKind::Open)
    }
}

fn bump(n: &mut u64) {
    *n = n.saturating_add(1);
}

impl EventSink for Stats {
    fn event(&mut self, event: &SimEvent) {
        let at = event.at;
        match event.kind {
            EventKind::Request { service, .. } => {
                self.count(at, service, |t| bump(&mut t.requests));
            }
            EventKind::Refused { service, .. } => self.count(at, service, |t| bump(&mut t.refused)),
            EventKind::Rejected { service, .. } => {
                self.count(at, service, |t| bump(&mut t.rejected));
                if self.is_open(service)
                    && let Some(n) = self.rejected_while_open.get_mut(service)
                {
                    bump(n);
                }
            }
            EventKind::BackendCall { service, probe, .. } => {
                self.count(at, service, |t| {
                    bump(&mut t.backend_calls);
                    if probe {
                        bump(&mut t.probes);
                    }
                });
                if self.is_open(service)
                    && let Some(n) = self.calls_while_open.get_mut(service)
                {
                    bump(n);
                }
            }
            EventKind::Recorded {
                service,
                ok,
                recorded,
                ..
            } => self.count(at, service, |t| {
                if ok {
                    bump(&mut t.successes);
                } else {
                    bump(&mut t.failures);
                }
                if recorded == Recorded::Stale {
                    bump(&mut t.stale);
                }
            }),
            EventKind::StateChange {
                service,
                from,
                to,
                reason,
                open_until,
            } => {
                let record = ChangeRecord {
                    at,
                    service,
                    from,
                    to,
                    reason,
                    open_until,
                };
                let phase = self.phase_of(at);
                if let Some(p) = self.phases.get_mut(phase) {
                    list_change(&mut p.changes, &mut p.unlisted, record);
                }
                list_change(&mut self.changes, &mut self.unlisted, record);
                if let Some(s) = self.state.get_mut(service) {
                    *s = to;
                }
            }
            EventKind::Fired { .. } | EventKind::FiringFailed { .. } => {}
        }
    }
}

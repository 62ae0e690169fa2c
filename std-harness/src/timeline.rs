//! A run boiled down for plotting: per service, breaker states over time and request
//! outcomes per time bucket.

use crate::scenario::Scenario;
use crate::sim::{EventKind, EventSink, SimEvent};
use mycel::breaker::BreakerStateKind;
use mycel::time::Instant;

/// How many buckets the run is cut into.
pub const BUCKETS: u64 = 60;

/// How many slices of time a service's state line keeps at most one state change for:
/// a later change in the same slice replaces the earlier one's state, so the line holds
/// at most this many changes whatever the run (a slice of an hour is 36 ms, far below
/// what a plot shows).
pub const STATE_SLICES: u64 = 100_000;

/// Outcomes of one service in one bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bucket {
    /// Responses recorded as successes.
    pub ok: u32,
    /// Responses recorded as failures.
    pub failed: u32,
    /// Requests rejected by the breaker.
    pub rejected: u32,
}

impl Bucket {
    /// Failed responses as a percentage of recorded ones, if there were any.
    #[must_use]
    pub fn failure_rate(&self) -> Option<f64> {
        let calls = self.ok.saturating_add(self.failed);
        (calls > 0).then(|| f64::from(self.failed) * 100.0 / f64::from(calls))
    }

    /// All requests the bucket counts.
    #[must_use]
    pub fn total(&self) -> u32 {
        self.ok
            .saturating_add(self.failed)
            .saturating_add(self.rejected)
    }
}

/// One service's line: buckets and the states its breaker went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    /// The service's name.
    pub name: String,
    /// Outcomes per bucket, from the start of the run.
    pub buckets: Vec<Bucket>,
    /// `(instant, state entered)`, starting with CLOSED at 0; at most one change per
    /// [`STATE_SLICES`]th of the run (the last one's state, at the first one's instant).
    pub states: Vec<(Instant, BreakerStateKind)>,
}

/// Per-service lines of a run. Fed by the simulator as an [`EventSink`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// Width of a bucket, in microseconds.
    pub bucket_us: u64,
    /// The end of the run, in microseconds.
    pub end_us: u64,
    /// Per service, in declaration order.
    pub services: Vec<ServiceLine>,
}

impl Timeline {
    /// An empty timeline for `scenario`, cut into [`BUCKETS`] buckets.
    #[must_use]
    pub fn new(scenario: &Scenario) -> Self {
        let end_us = scenario.duration.as_micros().max(1);
        let bucket_us = end_us.div_ceil(BUCKETS).max(1);
        let count = usize::try_from(end_us.div_ceil(bucket_us)).unwrap_or(0);
        Self {
            bucket_us,
            end_us,
            services: scenario
                .services
                .iter()
                .map(|s| ServiceLine {
                    name: s.name.clone(),
                    buckets: vec![Bucket::default(); count],
                    states: vec![(Instant::from_ticks(0), BreakerStateKind::Closed)],
                })
                .collect(),
        }
    }

    fn bucket(&mut self, service: usize, at: Instant) -> Option<&mut Bucket> {
        let index = usize::try_from(at.as_micros() / self.bucket_us).ok()?;
        self.services.get_mut(service)?.buckets.get_mut(index)
    }
}

impl EventSink for Timeline {
    fn event(&mut self, event: &SimEvent) {
        match event.kind {
            EventKind::Rejected { service, .. } => {
                if let Some(b) = self.bucket(service, event.at) {
                    b.rejected = b.rejected.saturating_add(1);
                }
            }
            EventKind::Recorded { service, ok, .. } => {
                if let Some(b) = self.bucket(service, event.at) {
                    if ok {
                        b.ok = b.ok.saturating_add(1);
                    } else {
                        b.failed = b.failed.saturating_add(1);
                    }
                }
            }
            EventKind::StateChange { service, to, .. } => {
                let slice = self.end_us.div_ceil(STATE_SLICES).max(1);
                if let Some(line) = self.services.get_mut(service) {
                    let here = event.at.as_micros() / slice;
                    let more_than_initial = line.states.len() > 1;
                    match line.states.last_mut() {
                        // A later change in the same slice: no plot can tell them apart.
                        Some(last) if more_than_initial && last.0.as_micros() / slice == here => {
                            last.1 = to;
                        }
                        _ => line.states.push((event.at, to)),
                    }
                }
            }
            _ => {}
        }
    }
}

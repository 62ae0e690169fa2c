//! The state of the net and the breakers when a run ends.

use mycel::breaker::{BreakerStateKind, Metrics};
use mycel::sched::NetCounters;
use mycel::time::Instant;

/// A place of the net at the end of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceStats {
    /// Its name.
    pub name: &'static str,
    /// Its capacity.
    pub capacity: u16,
    /// Tokens it holds at the end.
    pub tokens: usize,
    /// The most tokens it ever held.
    pub high_water: usize,
}

/// A transition of the net at the end of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionStats {
    /// Its name.
    pub name: &'static str,
    /// Successful firings.
    pub firings: u32,
    /// Failed firings.
    pub failures: u32,
}

/// A service's breaker and backend at the end of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakerStats {
    /// The service's name.
    pub service: String,
    /// The breaker's final state.
    pub state: BreakerStateKind,
    /// The breaker's metrics.
    pub metrics: Metrics,
    /// Calls the backend received.
    pub backend_calls: u64,
}

/// What the net and the breakers look like when the run ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// The end of the run (the scenario's duration).
    pub end: Instant,
    /// Per place, in declaration order.
    pub places: Vec<PlaceStats>,
    /// Per transition, in declaration order.
    pub transitions: Vec<TransitionStats>,
    /// The net's boundary and firing counters.
    pub counters: NetCounters,
    /// Per service, in declaration order.
    pub breakers: Vec<BreakerStats>,
    /// Backend calls whose responses were still on their way at the end.
    pub in_flight: usize,
    /// Events reported.
    pub events: u64,
    /// Instants the loop stopped at (arrivals, responses and deadlines).
    pub instants: u64,
}

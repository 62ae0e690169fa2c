//! Everything observable about a breaker between calls, in one comparable value.

use crate::reference::breaker::RefBreaker;
use mycel::breaker::{BreakerState, BreakerStateKind};

use super::config::Breaker;

/// The lifetime counters, as both sides report them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Counters {
    /// Calls permitted.
    pub permitted: u64,
    /// Calls rejected.
    pub rejected: u64,
    /// Successes recorded.
    pub successes: u64,
    /// Failures recorded.
    pub failures: u64,
    /// Ignored outcomes recorded.
    pub ignored: u64,
    /// Slow outcomes recorded.
    pub slow: u64,
    /// Stale outcomes.
    pub stale: u64,
    /// State changes.
    pub state_changes: u64,
}

impl Counters {
    /// Each counter by name, in declaration order.
    #[must_use]
    pub const fn named(&self) -> [(&'static str, u64); 8] {
        [
            ("permitted", self.permitted),
            ("rejected", self.rejected),
            ("successes", self.successes),
            ("failures", self.failures),
            ("ignored", self.ignored),
            ("slow", self.slow),
            ("stale", self.stale),
            ("state_changes", self.state_changes),
        ]
    }
}

/// The observable state of a breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BreakerSnapshot {
    /// The state.
    pub state: BreakerStateKind,
    /// The generation (0 when built, +1 per change, mode change or reset).
    pub generation: u64,
    /// Half-open probe permits outstanding (0 outside HALF_OPEN).
    pub outstanding_probes: u32,
    /// The lifetime counters.
    pub counters: Counters,
    /// The current failure rate, floor percent.
    pub failure_rate: Option<u8>,
    /// The current slow-call rate, floor percent.
    pub slow_rate: Option<u8>,
    /// When the breaker changes by itself, in ticks.
    pub next_deadline: Option<u64>,
    /// When the latest state change happened, in ticks.
    pub last_change: Option<u64>,
}

impl BreakerSnapshot {
    /// The engine breaker's state.
    #[must_use]
    pub fn of_engine(breaker: &Breaker) -> Self {
        let m = breaker.metrics();
        let outstanding_probes = match breaker.state_detail() {
            BreakerState::HalfOpen { outstanding, .. } => u32::from(outstanding),
            _ => 0,
        };
        Self {
            state: breaker.state(),
            generation: u64::from(breaker.generation()),
            outstanding_probes,
            counters: Counters {
                permitted: m.permitted,
                rejected: m.rejected,
                successes: m.successes,
                failures: m.failures,
                ignored: m.ignored,
                slow: m.slow,
                stale: m.stale,
                state_changes: m.state_changes,
            },
            failure_rate: m.failure_rate_percent,
            slow_rate: m.slow_call_rate_percent,
            next_deadline: breaker.next_deadline().map(|d| d.as_ticks()),
            last_change: m.last_change.map(|at| at.as_ticks()),
        }
    }

    /// The reference breaker's state.
    ///
    /// # Panics
    /// When the reference reports an unknown state name.
    #[must_use]
    pub fn of_reference(breaker: &RefBreaker) -> Self {
        let c = breaker.counters();
        Self {
            state: BreakerStateKind::from_name(breaker.state()).unwrap_or_else(|| {
                panic!("the reference is in an unknown state {:?}", breaker.state())
            }),
            generation: breaker.generation(),
            outstanding_probes: breaker.outstanding_probes(),
            counters: Counters {
                permitted: c.permitted,
                rejected: c.rejected,
                successes: c.successes,
                failures: c.failures,
                ignored: c.ignored,
                slow: c.slow,
                stale: c.stale,
                state_changes: c.state_changes,
            },
            failure_rate: breaker.failure_rate(),
            slow_rate: breaker.slow_rate(),
            next_deadline: breaker.next_deadline(),
            last_change: breaker.changes().last().map(|c| c.at),
        }
    }
}

//! Lifetime counters of a breaker and the metrics snapshot built from them.

use super::Rate;
use crate::time::Instant;

/// Lifetime counters; every one saturates at `u64::MAX` instead of wrapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Counters {
    pub(crate) permitted: u64,
    pub(crate) rejected: u64,
    pub(crate) successes: u64,
    pub(crate) failures: u64,
    pub(crate) ignored: u64,
    pub(crate) slow: u64,
    pub(crate) stale: u64,
    pub(crate) state_changes: u64,
}

impl Counters {
    /// All zero.
    pub(crate) const fn new() -> Self {
        Self {
            permitted: 0,
            rejected: 0,
            successes: 0,
            failures: 0,
            ignored: 0,
            slow: 0,
            stale: 0,
            state_changes: 0,
        }
    }
}

/// Adds one to a lifetime counter, saturating.
#[inline]
pub(crate) fn bump(counter: &mut u64) {
    *counter = counter.saturating_add(1);
}

/// A snapshot of a breaker's metrics.
///
/// Counters are lifetime counters (never reset, not even by `reset`) and saturate at
/// `u64::MAX`. Rates are of the current window view: the count window's if one is
/// configured, else the time window's; `None` below that window's minimum calls (or
/// when no such window or no slow-call policy is configured). While OPEN the view is
/// frozen at the trip; every other state and mode starts an empty view on entry, and
/// HALF_OPEN's view holds its probes' outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Metrics {
    /// Calls permitted (DISABLED's included: it permits, it only records nothing).
    pub permitted: u64,
    /// Calls rejected (OPEN, FORCED_OPEN, or HALF_OPEN with every probe outstanding).
    pub rejected: u64,
    /// Successful outcomes recorded (stale and not-recorded ones excluded).
    pub successes: u64,
    /// Failed outcomes recorded.
    pub failures: u64,
    /// Ignored outcomes recorded.
    pub ignored: u64,
    /// Slow outcomes recorded (successes and failures alike), when a slow-call policy
    /// is configured.
    pub slow: u64,
    /// Outcomes dropped because their permit was from an earlier generation.
    pub stale: u64,
    /// State changes, HALF_OPEN self-transitions included (a reset while CLOSED is not one).
    pub state_changes: u64,
    /// Current failure rate, floor percent (`failure_rate` floored).
    pub failure_rate_percent: Option<u8>,
    /// Current slow-call rate, floor percent (`slow_call_rate` floored).
    pub slow_call_rate_percent: Option<u8>,
    /// Current failure rate, exact: failures of counted calls in the view.
    pub failure_rate: Option<Rate>,
    /// Current slow-call rate, exact: slow calls of counted calls in the view.
    pub slow_call_rate: Option<Rate>,
    /// What the current view's window holds (the count window's if configured, else
    /// the time window's; all zero with neither).
    pub window: WindowCounts,
    /// When the latest state change happened (`None` if none yet).
    #[cfg_attr(feature = "serde", serde(with = "super::serde_opt::instant"))]
    pub last_change: Option<Instant>,
}

/// The counted calls in a window view (Ignored and in-flight calls are never in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WindowCounts {
    /// Calls in the window (successes and failures).
    pub buffered: u64,
    /// Failed calls in the window.
    pub failed: u64,
    /// Successful calls in the window.
    pub successful: u64,
    /// Slow calls in the window (successes and failures alike).
    pub slow: u64,
}

/// The current view read for the metrics: its exact rates and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ViewReading {
    pub(crate) failure: Option<Rate>,
    pub(crate) slow: Option<Rate>,
    pub(crate) window: WindowCounts,
}

impl Metrics {
    pub(crate) fn from_counters(
        c: &Counters,
        view: ViewReading,
        last_change: Option<Instant>,
    ) -> Self {
        Self {
            permitted: c.permitted,
            rejected: c.rejected,
            successes: c.successes,
            failures: c.failures,
            ignored: c.ignored,
            slow: c.slow,
            stale: c.stale,
            state_changes: c.state_changes,
            failure_rate_percent: view.failure.map(|r| r.percent_floor()),
            slow_call_rate_percent: view.slow.map(|r| r.percent_floor()),
            failure_rate: view.failure,
            slow_call_rate: view.slow,
            window: view.window,
            last_change,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_saturate_instead_of_wrapping() {
        let mut c = Counters {
            rejected: u64::MAX - 1,
            ..Counters::new()
        };
        bump(&mut c.rejected);
        bump(&mut c.rejected);
        assert_eq!(c.rejected, u64::MAX);
        let view = ViewReading {
            failure: Some(Rate { bad: 1, calls: 2 }),
            ..ViewReading::default()
        };
        let m = Metrics::from_counters(&c, view, None);
        assert_eq!(m.rejected, u64::MAX);
        assert_eq!(m.failure_rate_percent, Some(50));
        assert_eq!(m.failure_rate, Some(Rate { bad: 1, calls: 2 }));
    }
}

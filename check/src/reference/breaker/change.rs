//! One state change as the reference breaker reports it.

/// A state change: `from` and `to` are state names, `at` the instant it took effect (for a
/// time-driven change, its deadline rather than the `now` that noticed it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefChange {
    /// The state left, e.g. "CLOSED".
    pub from: &'static str,
    /// The state entered, e.g. "OPEN".
    pub to: &'static str,
    /// Why: "consecutive_failures", "failure_rate", "slow_call_rate", "timeout",
    /// "probe_failure", "probes_succeeded", "probe_rate", "probes_healthy", "max_wait",
    /// "force_open", "disable", "metrics_only" or "reset".
    pub cause: &'static str,
    /// The instant of the change, in ticks.
    pub at: u64,
}

//! Lifetime counters of the reference breaker.

/// Lifetime counters; each saturates at `u64::MAX` and never decreases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefCounters {
    /// Permits granted (in every state that grants them, DISABLED included).
    pub permitted: u64,
    /// Calls refused by `try_acquire`.
    pub rejected: u64,
    /// Current-generation Success outcomes recorded (not in DISABLED).
    pub successes: u64,
    /// Current-generation Failure outcomes recorded (not in DISABLED).
    pub failures: u64,
    /// Current-generation Ignored outcomes recorded (not in DISABLED).
    pub ignored: u64,
    /// Recorded Success or Failure outcomes that were slow.
    pub slow: u64,
    /// Outcomes whose permit carried an old generation.
    pub stale: u64,
    /// State changes, operator mode changes and half-open self-transitions included.
    pub state_changes: u64,
}

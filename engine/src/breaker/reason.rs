//! Why a breaker changed state, and a typed view of its state changes.

use super::BreakerStateKind;
use crate::fsm::StateChange;
use crate::time::Instant;

/// The cause of a breaker state change, as reported in [`StateChange::cause`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Reason {
    /// `"consecutive_failures"`: CLOSED -> OPEN, the failure run reached its limit.
    ConsecutiveFailures,
    /// `"failure_rate"`: CLOSED -> OPEN, a window's failure rate reached its threshold.
    FailureRate,
    /// `"slow_call_rate"`: CLOSED -> OPEN, a window's slow-call rate reached its threshold.
    SlowCallRate,
    /// `"timeout"`: OPEN -> HALF_OPEN, the open period ended.
    Timeout,
    /// `"probe_failure"`: HALF_OPEN -> OPEN, a probe failed (close after successes).
    ProbeFailure,
    /// `"probes_succeeded"`: HALF_OPEN -> CLOSED, enough probes succeeded.
    ProbesSucceeded,
    /// `"probe_rate"`: HALF_OPEN -> OPEN, the probes' rates reached a threshold (close by rate).
    ProbeRate,
    /// `"probes_healthy"`: HALF_OPEN -> CLOSED, the probes' rates stayed below the
    /// thresholds (close by rate).
    ProbesHealthy,
    /// `"max_wait"`: HALF_OPEN -> OPEN or HALF_OPEN -> HALF_OPEN, probes never reported.
    MaxWait,
    /// `"force_open"`: operator call into FORCED_OPEN.
    ForceOpen,
    /// `"disable"`: operator call into DISABLED.
    Disable,
    /// `"metrics_only"`: operator call into METRICS_ONLY.
    MetricsOnly,
    /// `"reset"`: operator reset into CLOSED. A reset from a non-CLOSED state is this
    /// change, `X -> CLOSED`, followed by the reset itself
    /// ([`BreakerChanges::is_reset`](super::BreakerChanges::is_reset)); a reset while
    /// CLOSED reports the reset alone and no state change.
    Reset,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: [Self; 13] = [
        Self::ConsecutiveFailures,
        Self::FailureRate,
        Self::SlowCallRate,
        Self::Timeout,
        Self::ProbeFailure,
        Self::ProbesSucceeded,
        Self::ProbeRate,
        Self::ProbesHealthy,
        Self::MaxWait,
        Self::ForceOpen,
        Self::Disable,
        Self::MetricsOnly,
        Self::Reset,
    ];

    /// The cause string used in [`StateChange::cause`].
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::ConsecutiveFailures => "consecutive_failures",
            Self::FailureRate => "failure_rate",
            Self::SlowCallRate => "slow_call_rate",
            Self::Timeout => "timeout",
            Self::ProbeFailure => "probe_failure",
            Self::ProbesSucceeded => "probes_succeeded",
            Self::ProbeRate => "probe_rate",
            Self::ProbesHealthy => "probes_healthy",
            Self::MaxWait => "max_wait",
            Self::ForceOpen => "force_open",
            Self::Disable => "disable",
            Self::MetricsOnly => "metrics_only",
            Self::Reset => "reset",
        }
    }

    /// The reason whose cause string is `cause`, if any.
    #[must_use]
    pub fn from_cause(cause: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == cause)
    }
}

impl core::fmt::Display for Reason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A breaker [`StateChange`] with typed states and reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BreakerChange {
    /// The state left.
    pub from: BreakerStateKind,
    /// The state entered.
    pub to: BreakerStateKind,
    /// Why.
    pub reason: Reason,
    /// When (for a timeout, the deadline itself).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
    pub at: Instant,
    /// The breaker's instance number (its slot in a bank).
    pub instance: u32,
}

impl BreakerChange {
    /// The typed view of `change`, or `None` if it is not a breaker state change
    /// (another machine's, or names this breaker never reports).
    #[must_use]
    pub fn from_state_change(change: &StateChange) -> Option<Self> {
        if change.machine != <super::BreakerMachine<1, 1> as crate::fsm::Machine>::NAME {
            return None;
        }
        Some(Self {
            from: BreakerStateKind::from_name(change.from)?,
            to: BreakerStateKind::from_name(change.to)?,
            reason: Reason::from_cause(change.cause)?,
            at: change.at,
            instance: change.instance,
        })
    }

    /// The untyped [`StateChange`] this change stands for (as a net observer sees it).
    #[must_use]
    pub fn to_state_change(&self) -> StateChange {
        StateChange {
            machine: <super::BreakerMachine<1, 1> as crate::fsm::Machine>::NAME,
            instance: self.instance,
            from: self.from.as_str(),
            to: self.to.as_str(),
            cause: self.reason.as_str(),
            at: self.at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_round_trips_through_its_cause_string() {
        for r in Reason::ALL {
            assert_eq!(Reason::from_cause(r.as_str()), Some(r));
        }
        assert_eq!(Reason::from_cause("nope"), None);
    }

    #[test]
    fn typed_view_accepts_breaker_changes_only() {
        let change = StateChange {
            machine: "circuit_breaker",
            instance: 2,
            from: "CLOSED",
            to: "OPEN",
            cause: "failure_rate",
            at: Instant::from_ticks(9),
        };
        assert_eq!(
            BreakerChange::from_state_change(&change),
            Some(BreakerChange {
                from: BreakerStateKind::Closed,
                to: BreakerStateKind::Open,
                reason: Reason::FailureRate,
                at: Instant::from_ticks(9),
                instance: 2,
            })
        );
        let other = StateChange {
            machine: "door",
            ..change
        };
        assert_eq!(BreakerChange::from_state_change(&other), None);
    }
}

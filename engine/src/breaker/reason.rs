//! Why a breaker changed state, and a typed view of its state changes.

use super::BreakerStateKind;
pub use super::declaration::Reason;
use crate::fsm::{CauseKind, StateChange, StateKind};
use crate::time::Instant;

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
            from: BreakerStateKind::from_index(change.from.index)?,
            to: BreakerStateKind::from_index(change.to.index)?,
            reason: Reason::from_index(change.cause.index)?,
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
            from: self.from.label(),
            to: self.to.label(),
            cause: self.reason.label(),
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
            assert_eq!(Reason::from_name(r.as_str()), Some(r));
        }
        assert_eq!(Reason::from_name("nope"), None);
    }

    #[test]
    fn typed_view_accepts_breaker_changes_only() {
        let change = StateChange {
            machine: "circuit_breaker",
            instance: 2,
            from: BreakerStateKind::Closed.label(),
            to: BreakerStateKind::Open.label(),
            cause: Reason::FailureRate.label(),
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
        // Read back by position: a bare name that no declaration lists is not a reason.
        let undeclared = StateChange {
            cause: "failure_rate".into(),
            ..change
        };
        assert_eq!(BreakerChange::from_state_change(&undeclared), None);
    }
}

//! The fleet's shared state: a register ordered by epoch, merged by taking the maximum.

use super::BreakerStateKind;
use crate::time::Duration;

/// The phase of a fleet's shared breaker, timed in store time.
///
/// Store time is a [`Duration`] since the store's clock origin (for Redis, `TIME`):
/// the fleet never holds another process's [`Instant`](crate::time::Instant), whose
/// origin is that process's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FleetPhase {
    /// Calls flow; the fleet window is watched.
    Closed,
    /// Calls are rejected until `opened_at + period` (store time).
    Open {
        /// When the fleet opened (store time).
        opened_at: Duration,
        /// How long this opening lasts (backoff applied, no jitter).
        period: Duration,
    },
    /// A few probes, limited fleet-wide, test the backend.
    HalfOpen {
        /// When the fleet entered HALF_OPEN (store time).
        since: Duration,
        /// The period of the opening that led here, from which the next one grows.
        last_period: Duration,
    },
}

impl FleetPhase {
    /// Which breaker state this phase is.
    #[must_use]
    pub const fn kind(&self) -> BreakerStateKind {
        match self {
            Self::Closed => BreakerStateKind::Closed,
            Self::Open { .. } => BreakerStateKind::Open,
            Self::HalfOpen { .. } => BreakerStateKind::HalfOpen,
        }
    }

    /// The tie-break rank: the more protective phase is greater.
    const fn rank(&self) -> u8 {
        match self {
            Self::Closed => 0,
            Self::HalfOpen { .. } => 1,
            Self::Open { .. } => 2,
        }
    }

    /// The phase's two durations, in the order the tie-break compares them.
    const fn times(&self) -> (u64, u64) {
        match self {
            Self::Closed => (0, 0),
            Self::Open { opened_at, period } => (opened_at.as_ticks(), period.as_ticks()),
            Self::HalfOpen { since, last_period } => (since.as_ticks(), last_period.as_ticks()),
        }
    }
}

/// The shared state of one backend's breaker across a fleet.
///
/// Merged as a register ordered by [`Self::order_key`]: the higher `epoch` wins; at an
/// equal epoch (two changes made without the store) the more protective phase, then
/// the later time, the longer period, the more openings. The merge is the maximum under
/// that total order, hence commutative, associative and idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FleetState {
    /// The fleet generation: +1 on every shared state change.
    pub epoch: u64,
    /// The phase and its store times.
    pub phase: FleetPhase,
    /// Openings in a row (the backoff position; 0 after closing).
    pub openings: u32,
}

impl FleetState {
    /// The state every fleet starts in: CLOSED, epoch 0, no opening yet.
    pub const INITIAL: Self = Self {
        epoch: 0,
        phase: FleetPhase::Closed,
        openings: 0,
    };

    /// The total order the merge takes the maximum of.
    #[must_use]
    pub const fn order_key(&self) -> (u64, u8, u64, u64, u32) {
        let (a, b) = self.phase.times();
        (self.epoch, self.phase.rank(), a, b, self.openings)
    }

    /// Merges `other` into `self` (keeps the greater of the two); whether `self` changed.
    pub fn merge(&mut self, other: &Self) -> bool {
        if other.order_key() > self.order_key() {
            *self = *other;
            true
        } else {
            false
        }
    }

    /// Whether the state could have been made by a fleet: an OPEN period is never zero.
    #[must_use]
    pub const fn is_possible(&self) -> bool {
        match self.phase {
            FleetPhase::Open { period, .. } => period.as_ticks() > 0,
            FleetPhase::HalfOpen { last_period, .. } => last_period.as_ticks() > 0,
            FleetPhase::Closed => true,
        }
    }
}

impl Default for FleetState {
    fn default() -> Self {
        Self::INITIAL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(epoch: u64, at: u64) -> FleetState {
        FleetState {
            epoch,
            phase: FleetPhase::Open {
                opened_at: Duration::from_ticks(at),
                period: Duration::from_ticks(5),
            },
            openings: 1,
        }
    }

    #[test]
    fn the_higher_epoch_wins_whatever_its_phase() {
        let mut s = open(3, 10);
        let closed = FleetState {
            epoch: 4,
            phase: FleetPhase::Closed,
            openings: 0,
        };
        assert!(s.merge(&closed));
        assert_eq!(s, closed);
        assert!(!s.merge(&open(3, 99)));
        assert_eq!(s, closed);
    }

    #[test]
    fn at_an_equal_epoch_the_more_protective_phase_wins() {
        let mut s = FleetState {
            epoch: 2,
            phase: FleetPhase::Closed,
            openings: 0,
        };
        assert!(s.merge(&open(2, 1)));
        assert_eq!(s.phase.kind(), BreakerStateKind::Open);
    }

    #[test]
    fn a_zero_open_period_is_impossible() {
        let mut s = open(1, 1);
        assert!(s.is_possible());
        s.phase = FleetPhase::Open {
            opened_at: Duration::from_ticks(1),
            period: Duration::from_ticks(0),
        };
        assert!(!s.is_possible());
    }

    #[test]
    fn at_an_equal_epoch_and_phase_the_later_opening_wins() {
        let mut s = open(2, 10);
        assert!(s.merge(&open(2, 20)));
        assert_eq!(s, open(2, 20));
        assert!(!s.merge(&open(2, 10)));
        assert_eq!(s, open(2, 20));
    }

    #[test]
    fn a_zero_last_period_in_half_open_is_impossible() {
        let half_open = |last_period| FleetState {
            epoch: 2,
            phase: FleetPhase::HalfOpen {
                since: Duration::from_ticks(7),
                last_period: Duration::from_ticks(last_period),
            },
            openings: 1,
        };
        assert!(half_open(5).is_possible());
        assert!(!half_open(0).is_possible());
        assert!(FleetState::INITIAL.is_possible());
    }
}

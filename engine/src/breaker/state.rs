//! The breaker's states: the full state with its per-state data, and a plain kind.

pub use super::declaration::BreakerStateKind;
use crate::fsm::States;
use crate::time::{Duration, Instant};

/// The state of a breaker, with the data that belongs to that state.
///
/// This is the `State` of [`BreakerMachine`](super::BreakerMachine); the runtime holds
/// the one copy of it. Data that outlives a state (windows, counters, backoff) lives in
/// the machine instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum BreakerState {
    /// Calls flow; outcomes are recorded and the trip policies watched.
    Closed,
    /// Calls are rejected until `opened_at + period`.
    Open {
        /// When the breaker opened.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        opened_at: Instant,
        /// The period chosen at this opening (backoff and jitter applied).
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::duration"))]
        period: Duration,
    },
    /// A few probe calls test whether the backend has recovered.
    HalfOpen {
        /// Probe permits issued and not yet reported.
        outstanding: u16,
        /// Successful probes recorded in this HALF_OPEN.
        successes: u16,
        /// Failed probes recorded in this HALF_OPEN.
        failures: u16,
        /// Slow probes (successful or not) recorded in this HALF_OPEN.
        slow: u16,
        /// Probe outcomes recorded (successes + failures; ignored ones do not count).
        recorded: u16,
        /// The latest probe activity: a probe admitted or reported, or the entry instant
        /// when there was none. The maximum wait runs from here.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        last_activity: Instant,
    },
    /// Operator mode: every call is rejected; no time-driven change happens.
    ForcedOpen,
    /// Operator mode: every call is permitted and nothing is recorded.
    Disabled,
    /// Operator mode: calls flow and outcomes are recorded, but the breaker never trips.
    MetricsOnly,
}

impl BreakerState {
    /// A fresh HALF_OPEN entered at `at`: no probes yet.
    pub(crate) const fn half_open(at: Instant) -> Self {
        Self::HalfOpen {
            outstanding: 0,
            successes: 0,
            failures: 0,
            slow: 0,
            recorded: 0,
            last_activity: at,
        }
    }

    /// An OPEN about to be entered at `at`; its entry action picks the period.
    pub(crate) const fn opening(at: Instant) -> Self {
        Self::Open {
            opened_at: at,
            period: Duration::from_ticks(0),
        }
    }

    /// Which of the six states this is.
    #[must_use]
    pub const fn kind(&self) -> BreakerStateKind {
        match self {
            Self::Closed => BreakerStateKind::Closed,
            Self::Open { .. } => BreakerStateKind::Open,
            Self::HalfOpen { .. } => BreakerStateKind::HalfOpen,
            Self::ForcedOpen => BreakerStateKind::ForcedOpen,
            Self::Disabled => BreakerStateKind::Disabled,
            Self::MetricsOnly => BreakerStateKind::MetricsOnly,
        }
    }
}

impl BreakerStateKind {
    /// Whether this is one of the operator modes (FORCED_OPEN, DISABLED, METRICS_ONLY).
    #[must_use]
    pub const fn is_operator_mode(&self) -> bool {
        matches!(self, Self::ForcedOpen | Self::Disabled | Self::MetricsOnly)
    }
}

impl States for BreakerState {
    type Kind = BreakerStateKind;

    fn kind(&self) -> BreakerStateKind {
        BreakerState::kind(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_names_round_trip_through_from_name() {
        for kind in BreakerStateKind::ALL {
            assert_eq!(BreakerStateKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(BreakerStateKind::from_name("closed"), None);
    }

    #[test]
    fn state_data_maps_to_its_kind() {
        let at = Instant::from_ticks(1);
        assert_eq!(BreakerState::opening(at).kind(), BreakerStateKind::Open);
        assert_eq!(
            BreakerState::half_open(at).kind(),
            BreakerStateKind::HalfOpen
        );
        assert_eq!(
            BreakerState::MetricsOnly.kind(),
            BreakerStateKind::MetricsOnly
        );
        assert!(BreakerStateKind::Disabled.is_operator_mode());
        assert!(!BreakerStateKind::HalfOpen.is_operator_mode());
    }
}

//! What one breaker call did, in terms both the engine and the reference can report.

use crate::reference::breaker::{
    RefChange, RefClockRegression, RefPermit, RefRecorded, RefRejected,
};
use mycel::breaker::{BreakerChange, BreakerStateKind, Reason, Recorded, RejectReason};
use mycel::time::ClockRegression;

use super::ops::BreakerCall;

/// A permit as a value: its generation, issue instant and whether it is a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PermitView {
    /// The generation it was issued in.
    pub generation: u64,
    /// The instant it was issued at, in ticks.
    pub acquired_at: u64,
    /// Whether it holds a half-open probe slot.
    pub probe: bool,
}

impl PermitView {
    /// The engine permit's fields.
    #[must_use]
    pub fn of_engine(permit: &mycel::breaker::Permit) -> Self {
        Self {
            generation: u64::from(permit.generation()),
            acquired_at: permit.acquired_at().as_ticks(),
            probe: permit.is_probe(),
        }
    }

    /// The reference permit's fields.
    #[must_use]
    pub fn of_reference(permit: &RefPermit) -> Self {
        Self {
            generation: permit.generation,
            acquired_at: permit.acquired_at,
            probe: permit.probe,
        }
    }
}

/// What a call answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// `try_acquire` gave a permit.
    Permitted(PermitView),
    /// `try_acquire` refused.
    Rejected {
        /// Why.
        reason: RejectReason,
        /// When OPEN: the end of the open period, in ticks.
        retry_at: Option<u64>,
    },
    /// `record` answered.
    Recorded(Recorded),
    /// A record with no permit held: no call was made.
    NothingToRecord,
    /// `poll` or an operator call (their changes say what happened).
    Done,
    /// `poll` or an operator call refused its `now`, earlier than `last`, the latest
    /// instant the breaker had seen.
    ClockRegression {
        /// The latest instant seen, in ticks.
        last: u64,
    },
}

impl Answer {
    /// Whether the call was refused as a clock regression (in any call's shape): it
    /// changed nothing.
    #[must_use]
    pub const fn is_clock_regression(&self) -> bool {
        matches!(
            self,
            Self::Rejected {
                reason: RejectReason::ClockRegression,
                ..
            } | Self::Recorded(Recorded::ClockRegression)
                | Self::ClockRegression { .. }
        )
    }

    /// The answer of a `poll` or operator call that returned `result`.
    #[must_use]
    pub fn of_engine_done<T>(result: &Result<T, ClockRegression>) -> Self {
        match result {
            Ok(_) => Self::Done,
            Err(e) => Self::ClockRegression {
                last: e.last.as_ticks(),
            },
        }
    }

    /// The answer of a reference `poll` or operator call that returned `result`.
    #[must_use]
    pub const fn of_reference_done(result: Result<(), RefClockRegression>) -> Self {
        match result {
            Ok(()) => Self::Done,
            Err(e) => Self::ClockRegression { last: e.last },
        }
    }

    /// The reference's rejection as an answer.
    #[must_use]
    pub fn of_reference_rejection(rejected: &RefRejected) -> Self {
        Self::Rejected {
            reason: match rejected {
                RefRejected::Open { .. } => RejectReason::Open,
                RefRejected::HalfOpenFull => RejectReason::HalfOpenFull,
                RefRejected::ForcedOpen => RejectReason::ForcedOpen,
                RefRejected::ClockRegression { .. } => RejectReason::ClockRegression,
            },
            retry_at: rejected.retry_at(),
        }
    }

    /// The reference's record result as an answer.
    #[must_use]
    pub fn of_reference_record(recorded: RefRecorded) -> Self {
        Self::Recorded(match recorded {
            RefRecorded::Counted => Recorded::Counted,
            RefRecorded::Stale => Recorded::Stale,
            RefRecorded::NotRecorded => Recorded::NotRecorded,
            RefRecorded::ClockRegression(_) => Recorded::ClockRegression,
        })
    }
}

/// A state change: states, cause and instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Change {
    /// The state left.
    pub from: BreakerStateKind,
    /// The state entered.
    pub to: BreakerStateKind,
    /// Why.
    pub reason: Reason,
    /// When, in ticks (for a time-driven change, its deadline).
    pub at: u64,
}

impl Change {
    /// The engine's change.
    #[must_use]
    pub fn of_engine(change: &BreakerChange) -> Self {
        Self {
            from: change.from,
            to: change.to,
            reason: change.reason,
            at: change.at.as_ticks(),
        }
    }

    /// The reference's change.
    ///
    /// # Panics
    /// When the reference names a state or cause the engine does not know.
    #[must_use]
    pub fn of_reference(change: &RefChange) -> Self {
        let state = |name: &str| {
            BreakerStateKind::from_name(name)
                .unwrap_or_else(|| panic!("the reference reports an unknown state {name:?}"))
        };
        Self {
            from: state(change.from),
            to: state(change.to),
            reason: Reason::from_name(change.cause).unwrap_or_else(|| {
                panic!("the reference reports an unknown cause {:?}", change.cause)
            }),
            at: change.at,
        }
    }
}

/// What one call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The call.
    pub call: BreakerCall,
    /// What it answered.
    pub answer: Answer,
    /// The state changes it made, oldest first.
    pub changes: Vec<Change>,
}

//! Breaker calls as generated data ([`BreakerOp`], relative to the breaker's clock and
//! to the permits the caller holds) and as concrete calls ([`BreakerCall`]).
//!
//! Instants reuse the net suite's [`When`]: the same instant again, small, long and
//! enormous jumps (saturating at `u64::MAX`), and regressions (which a breaker reads as
//! its latest instant). Permits are chosen among the ones the caller still holds, so a
//! record may carry a stale permit, or one already reported once.

use mycel::breaker::Outcome;

use crate::net::ops::When;

/// Most operations a generated sequence keeps.
pub const MAX_BREAKER_OPS: usize = 96;
/// Most permits a caller holds; acquiring one more forgets the oldest (a lost call).
pub const MAX_HELD_PERMITS: usize = 8;

/// An operator call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
pub enum Operator {
    /// `force_open`.
    ForceOpen,
    /// `disable`.
    Disable,
    /// `metrics_only`.
    MetricsOnly,
    /// `reset`.
    Reset,
}

/// One caller operation, as generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum BreakerOp {
    /// `try_acquire`; a permit is kept.
    Acquire {
        /// When.
        at: When,
    },
    /// `record` the permit `pick % held` with `outcome` (nothing when none is held).
    Record {
        /// Chooses the permit.
        pick: u8,
        /// How the call ended.
        outcome: Outcome,
        /// When.
        at: When,
        /// Keep the permit after reporting it, to report it again later.
        keep: bool,
    },
    /// `poll`.
    Poll {
        /// When.
        at: When,
    },
    /// An operator call.
    Operator {
        /// Which.
        call: Operator,
        /// When.
        at: When,
    },
}

/// What a [`BreakerCall`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// `try_acquire(now)`.
    Acquire,
    /// `record(held[slot], outcome, now)`; `None` when no permit is held (no call).
    Record {
        /// Index into the held permits.
        slot: Option<usize>,
        /// How the call ended.
        outcome: Outcome,
        /// The permit stays held afterwards.
        keep: bool,
    },
    /// `poll(now)`.
    Poll,
    /// An operator call at `now`.
    Operator(Operator),
}

/// One concrete call with an absolute instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerCall {
    /// What.
    pub kind: CallKind,
    /// The instant passed, in ticks (may be before the breaker's latest).
    pub now: u64,
}

impl BreakerCall {
    /// Whether the call reaches the breaker (a record with no permit held does not).
    #[must_use]
    pub const fn is_made(&self) -> bool {
        !matches!(self.kind, CallKind::Record { slot: None, .. })
    }
}

impl BreakerOp {
    /// The call this operation stands for, given the latest instant the caller has used
    /// and how many permits it holds.
    #[must_use]
    pub fn resolve(self, last_used: u64, held: usize) -> BreakerCall {
        let (kind, at) = match self {
            Self::Acquire { at } => (CallKind::Acquire, at),
            Self::Record {
                pick,
                outcome,
                at,
                keep,
            } => (
                CallKind::Record {
                    slot: usize::from(pick).checked_rem(held),
                    outcome,
                    keep,
                },
                at,
            ),
            Self::Poll { at } => (CallKind::Poll, at),
            Self::Operator { call, at } => (CallKind::Operator(call), at),
        };
        BreakerCall {
            kind,
            now: at.instant(last_used),
        }
    }
}

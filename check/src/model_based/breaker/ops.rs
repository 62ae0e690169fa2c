//! Breaker calls as generated data ([`BreakerOp`], relative to the breaker's clock and
//! to the permits the caller holds) and as concrete calls ([`BreakerCall`]).
//!
//! Instants reuse the net suite's [`When`]: the same instant again, small, long and
//! enormous jumps (saturating at `u64::MAX`), and regressions (which a breaker refuses
//! and which change nothing). Permits are chosen among the ones the caller still holds, so a
//! record may carry a stale permit, or one already reported once.

use arbitrary::{Arbitrary, Unstructured};
use mycel::breaker::{Outcome, Speed};

use crate::model_based::net::ops::{Gap, When};

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
///
/// Its `Arbitrary` is written by hand to weight what a fuzzer's bytes decode to the
/// way the breaker needs: mostly acquires and records of successes and failures, an
/// ignored outcome or a repeated report now and then, few operator calls (each mode
/// blocks the breaker until a reset), and mostly short time jumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerOp {
    /// `try_acquire`; a permit is kept.
    Acquire {
        /// When.
        at: When,
    },
    /// `record_judged` the permit `pick % held` with `outcome` and `speed` (nothing
    /// when none is held); `Speed::Timed` is a plain `record`.
    Record {
        /// Chooses the permit.
        pick: u8,
        /// How the call ended.
        outcome: Outcome,
        /// Who decides whether it was slow.
        speed: Speed,
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
    /// `record_judged(held[slot], outcome, speed, now)`; `None` when no permit is held
    /// (no call).
    Record {
        /// Index into the held permits.
        slot: Option<usize>,
        /// How the call ended.
        outcome: Outcome,
        /// Who decides whether it was slow.
        speed: Speed,
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
                speed,
                at,
                keep,
            } => (
                CallKind::Record {
                    slot: usize::from(pick).checked_rem(held),
                    outcome,
                    speed,
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

/// A time for a fuzzed operation: the same instant a quarter of the time, mostly short
/// jumps, rarely long or enormous ones or a regression.
fn arbitrary_when(u: &mut Unstructured<'_>) -> arbitrary::Result<When> {
    Ok(match u.arbitrary::<u8>()? {
        0..=63 => When::Same,
        64..=191 => When::Later(Gap::Tick(u.arbitrary()?)),
        192..=231 => When::Later(Gap::Span(u.arbitrary::<u16>()? % 1024)),
        232..=239 => When::Later(Gap::Span(u.arbitrary()?)),
        240..=243 => When::Later(Gap::Enormous(u.arbitrary()?)),
        _ => When::Earlier(u.arbitrary()?),
    })
}

/// The verdict a fuzzed record byte carries: timed three times in four.
const fn speed_of(byte: u8) -> Speed {
    match byte % 8 {
        0 => Speed::Slow,
        1 => Speed::NotSlow,
        _ => Speed::Timed,
    }
}

impl<'a> Arbitrary<'a> for BreakerOp {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let kind = u.arbitrary::<u8>()?;
        let at = arbitrary_when(u)?;
        Ok(match kind {
            0..=109 => Self::Acquire { at },
            110..=229 => {
                let pick = u.arbitrary()?;
                let outcome = match u.arbitrary::<u8>()? {
                    0..=114 => Outcome::Success,
                    115..=229 => Outcome::Failure,
                    _ => Outcome::Ignored,
                };
                // One byte for both, so inputs decode to as many operations as before
                // the verdict existed: mostly timed, a caller's verdict now and then.
                let (keep, speed) = match u.arbitrary::<u8>()? {
                    byte @ 0..=23 => (true, speed_of(byte)),
                    byte => (false, speed_of(byte)),
                };
                Self::Record {
                    pick,
                    outcome,
                    speed,
                    at,
                    keep,
                }
            }
            230..=245 => Self::Poll { at },
            _ => Self::Operator {
                call: u.arbitrary()?,
                at,
            },
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (2, Some(8))
    }
}

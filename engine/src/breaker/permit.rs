//! What a caller holds between `try_acquire` and `record`, and what it reports back.

use crate::time::Instant;

/// Permission to make one call, returned by a successful `try_acquire`.
///
/// A small `Copy` value meant to travel with the request (e.g. inside a net token):
/// the breaker generation it was issued in, the instant it was issued at, and whether
/// it is a half-open probe. Hand it back to `record` with the call's [`Outcome`].
/// An outcome for a permit issued before the breaker's last state change, operator
/// mode change or reset is *stale*: it is counted and otherwise ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Permit {
    generation: u32,
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
    acquired_at: Instant,
    probe: bool,
}

impl Permit {
    pub(crate) const fn new(generation: u32, acquired_at: Instant, probe: bool) -> Self {
        Self {
            generation,
            acquired_at,
            probe,
        }
    }

    /// The breaker generation the permit was issued in.
    #[must_use]
    pub const fn generation(&self) -> u32 {
        self.generation
    }

    /// The instant the permit was issued at; a call's duration runs from here to the
    /// `now` of its `record`.
    #[must_use]
    pub const fn acquired_at(&self) -> Instant {
        self.acquired_at
    }

    /// Whether the permit was issued in HALF_OPEN, as a probe.
    #[must_use]
    pub const fn is_probe(&self) -> bool {
        self.probe
    }
}

/// How a permitted call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Outcome {
    /// The call worked (it may still be slow).
    Success,
    /// The call failed in a way that speaks about the backend's health.
    Failure,
    /// The call ended in a way that says nothing about the backend (e.g. cancelled by
    /// the caller). It is counted in the metrics, releases a half-open permit, and
    /// touches neither windows, rates nor the consecutive-failure run.
    Ignored,
}

/// Why a call was not permitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RejectReason {
    /// The breaker is OPEN.
    Open,
    /// An operator forced the breaker open.
    ForcedOpen,
    /// The breaker is HALF_OPEN and all its probe permits are outstanding.
    HalfOpenFull,
    /// The call's `now` is earlier than the latest instant the breaker has seen (a clock
    /// regression): the breaker changed nothing, not even its `rejected` counter. The
    /// rejection's `retry_at` is that latest instant; a call at or after it is judged
    /// normally.
    ClockRegression,
}

impl RejectReason {
    /// A stable lowercase name: `"open"`, `"forced_open"`, `"half_open_full"` or
    /// `"clock_regression"`.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::ForcedOpen => "forced_open",
            Self::HalfOpenFull => "half_open_full",
            Self::ClockRegression => "clock_regression",
        }
    }
}

/// The answer of a `try_acquire` that did not permit the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rejected {
    /// Why.
    pub reason: RejectReason,
    /// When OPEN: the instant the open period ends (`opened_at + period`), at which the
    /// breaker becomes HALF_OPEN and admits probes again. On a clock regression: the
    /// latest instant the breaker has seen, the earliest `now` it accepts. `None` for the
    /// other reasons, which end on an operator call or when a probe reports.
    #[cfg_attr(feature = "serde", serde(with = "super::serde_opt::instant"))]
    pub retry_at: Option<Instant>,
}

impl Rejected {
    pub(crate) const fn open(retry_at: Instant) -> Self {
        Self {
            reason: RejectReason::Open,
            retry_at: Some(retry_at),
        }
    }

    /// The rejection of a call made at a `now` earlier than `last`, the latest instant
    /// the breaker has seen.
    pub(crate) const fn clock_regression(last: Instant) -> Self {
        Self {
            reason: RejectReason::ClockRegression,
            retry_at: Some(last),
        }
    }

    /// Whether the call was refused because its `now` went back in time (nothing
    /// changed), rather than by the breaker's state.
    #[must_use]
    pub const fn is_clock_regression(&self) -> bool {
        matches!(self.reason, RejectReason::ClockRegression)
    }

    pub(crate) const fn because(reason: RejectReason) -> Self {
        Self {
            reason,
            retry_at: None,
        }
    }
}

impl core::fmt::Display for Rejected {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.retry_at {
            Some(at) if self.is_clock_regression() => write!(
                f,
                "call refused: clock regression, {} ticks were already seen",
                at.as_ticks()
            ),
            Some(at) => write!(
                f,
                "call rejected: {} until {} ticks",
                self.reason.as_str(),
                at.as_ticks()
            ),
            None => write!(f, "call rejected: {}", self.reason.as_str()),
        }
    }
}

impl core::error::Error for Rejected {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permit_is_small_and_copy() {
        fn assert_copy<T: Copy>() {}
        assert_copy::<Permit>();
        assert!(core::mem::size_of::<Permit>() <= 16);
    }

    #[test]
    fn only_an_open_rejection_carries_a_retry_instant() {
        let at = Instant::from_ticks(8);
        assert_eq!(Rejected::open(at).retry_at, Some(at));
        assert_eq!(Rejected::because(RejectReason::HalfOpenFull).retry_at, None);
        assert_eq!(RejectReason::ForcedOpen.as_str(), "forced_open");
    }

    #[test]
    fn a_clock_regression_rejection_names_the_latest_instant_seen() {
        extern crate std;
        use std::string::ToString;
        let r = Rejected::clock_regression(Instant::from_ticks(8));
        assert!(r.is_clock_regression());
        assert_eq!(r.retry_at, Some(Instant::from_ticks(8)));
        assert_eq!(RejectReason::ClockRegression.as_str(), "clock_regression");
        assert_eq!(
            r.to_string(),
            "call refused: clock regression, 8 ticks were already seen"
        );
        assert!(!Rejected::open(Instant::from_ticks(8)).is_clock_regression());
    }

    #[test]
    fn rejected_stays_small_and_copy() {
        fn assert_copy<T: Copy>() {}
        assert_copy::<Rejected>();
        assert!(core::mem::size_of::<Rejected>() <= 24);
    }
}

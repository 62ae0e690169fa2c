//! What `try_acquire` hands out or refuses.

/// Leave to make one call; hand it back to `record` with the call's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefPermit {
    /// The breaker's generation when the permit was granted; an outcome carrying another
    /// generation is stale.
    pub generation: u64,
    /// The `now` of the `try_acquire` that granted it; a call's duration is measured
    /// from here.
    pub acquired_at: u64,
    /// Whether this permit holds one of HALF_OPEN's probe slots.
    pub probe: bool,
}

/// Why `try_acquire` refused a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefRejected {
    /// The breaker is OPEN; it may admit probes from `retry_at` (= opened_at + period).
    Open {
        /// The instant the open period ends.
        retry_at: u64,
    },
    /// The breaker is HALF_OPEN and all `max_permits` probe slots are taken.
    HalfOpenFull,
    /// The operator forced the breaker open.
    ForcedOpen,
    /// The call's `now` is before `last`, the last instant seen: nothing moved, not even
    /// the `rejected` counter.
    ClockRegression {
        /// The last instant seen, the earliest `now` the breaker accepts.
        last: u64,
    },
}

impl RefRejected {
    /// The rejection reason: "open", "half_open_full", "forced_open" or
    /// "clock_regression".
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Open { .. } => "open",
            Self::HalfOpenFull => "half_open_full",
            Self::ForcedOpen => "forced_open",
            Self::ClockRegression { .. } => "clock_regression",
        }
    }

    /// When an OPEN rejection's period ends, or a clock regression's last instant seen;
    /// `None` for the other reasons.
    pub fn retry_at(&self) -> Option<u64> {
        match self {
            Self::Open { retry_at } => Some(*retry_at),
            Self::ClockRegression { last } => Some(*last),
            Self::HalfOpenFull | Self::ForcedOpen => None,
        }
    }
}

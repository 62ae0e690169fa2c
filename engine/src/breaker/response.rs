//! The shape every breaker call answers in: its value plus the state changes it made.

use super::BreakerChanges;

/// The answer to a breaker call that has a value of its own (`try_acquire`, `record`),
/// together with every state change the call made, in order.
///
/// A call first applies what time has made due (e.g. OPEN -> HALF_OPEN when the open
/// period ended), then does its own work; both kinds of change are in `changes`. Calls
/// without a value of their own (`poll` and the operator calls) return the [`BreakerChanges`]
/// alone. [`Permit`](super::Permit) stays a small `Copy` value outside this wrapper.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Response<T> {
    /// The call's own answer.
    pub value: T,
    /// The state changes the call made, oldest first (usually none).
    pub changes: BreakerChanges,
}

impl<T> Response<T> {
    /// `value` with no state change.
    #[inline]
    pub const fn quiet(value: T) -> Self {
        Self {
            value,
            changes: BreakerChanges::new(),
        }
    }

    /// The value, dropping the changes.
    #[inline]
    pub fn into_value(self) -> T {
        self.value
    }
}

/// What `record` did with an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Recorded {
    /// The outcome was for the current generation and was applied: counted in the
    /// metrics and, for successes and failures, in the windows and trip checks.
    Counted,
    /// The permit is from an earlier generation (a state change, operator mode change
    /// or reset happened since it was issued): only the `stale` counter changed.
    Stale,
    /// The breaker is DISABLED, which records nothing; the permit was released.
    NotRecorded,
    /// The report's `now` is earlier than the latest instant the breaker has seen
    /// (a clock regression; that instant is the breaker's
    /// [`last_seen`](super::CircuitBreaker::last_seen), unchanged): nothing was counted
    /// or changed, and the permit is still outstanding, so the caller may report it
    /// again with a correct instant.
    ClockRegression,
}

impl Recorded {
    /// A stable lowercase name: `"counted"`, `"stale"`, `"not_recorded"` or
    /// `"clock_regression"`.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Counted => "counted",
            Self::Stale => "stale",
            Self::NotRecorded => "not_recorded",
            Self::ClockRegression => "clock_regression",
        }
    }
}

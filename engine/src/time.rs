//! Time as the engine sees it: injected [`Instant`]s and [`Duration`]s.
//!
//! The engine never reads a clock. Every call that can depend on time takes `now`,
//! and all arithmetic here saturates, because embassy-time's `+` and `-` panic on
//! overflow and the engine must not panic on any input.
//!
//! # Clock regressions
//! A `now` earlier than the latest instant a receiver has seen is a clock regression.
//! Every receiver in the engine answers it the same way: a typed [`ClockRegression`]
//! (or an answer that carries one), and nothing changes: no state, window, counter,
//! permit, generation, deadline or latest instant moves, and no state change or notice
//! is reported. Never a panic, never time travel. Where it surfaces:
//! - the net's `inject`/`step`/`run` and a standalone
//!   [`StateMachine`](crate::fsm::StateMachine) return `Err(ClockRegression)` (an
//!   injected token is handed back);
//! - [`CircuitBreaker`](crate::breaker::CircuitBreaker) and
//!   [`BreakerBank`](crate::breaker::BreakerBank): `try_acquire` rejects with
//!   [`RejectReason::ClockRegression`](crate::breaker::RejectReason::ClockRegression)
//!   (so a caller that only checks for a permit does not call), `record` answers
//!   [`Recorded::ClockRegression`](crate::breaker::Recorded::ClockRegression) (the permit
//!   stays valid: report again with a correct instant), `poll` and the operator calls
//!   return `Err(ClockRegression)`. The refusals of the two hot calls carry no
//!   [`ClockRegression`] value, to keep their answers small: the latest instant is the
//!   rejection's `retry_at` or the breaker's `last_seen`, and the caller knows its `now`;
//! - a machine embedded in a net that has seen a later instant than the net's `now`
//!   (because the application also drives it directly) fails the firing with
//!   [`FiringError::ClockRegression`](crate::sched::FiringError::ClockRegression): the
//!   consumed tokens go back and the machine is as it was.
//!
//! Callers that read a clock themselves and share a receiver between threads must
//! order their instants before handing them in: a thread that read the clock before
//! another took the lock holds an earlier instant. `mycel-std`'s shared breakers do this
//! under their lock.

pub use embassy_time::{Duration, Instant};

/// `at + d`, saturating at [`Instant::MAX`] instead of panicking.
#[inline]
#[must_use]
pub fn add(at: Instant, d: Duration) -> Instant {
    Instant::from_ticks(at.as_ticks().saturating_add(d.as_ticks()))
}

/// `later - earlier`, or zero when `later` is not after `earlier`.
#[inline]
#[must_use]
pub fn since(later: Instant, earlier: Instant) -> Duration {
    Duration::from_ticks(later.as_ticks().saturating_sub(earlier.as_ticks()))
}

/// The earlier of two optional deadlines (`None` means "never").
#[inline]
#[must_use]
pub fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y < x { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// A `now` earlier than the last instant the receiver has seen.
///
/// Returned (or carried in the answer) by every time-taking call that detects it; the
/// call changes nothing (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ClockRegression {
    /// The latest instant seen before the call.
    pub last: Instant,
    /// The instant the call was made with.
    pub now: Instant,
}

impl core::fmt::Display for ClockRegression {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "clock regression: now is {} ticks but {} ticks were already seen",
            self.now.as_ticks(),
            self.last.as_ticks()
        )
    }
}

impl core::error::Error for ClockRegression {}

/// Tracks the latest instant seen and rejects regressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Clock {
    last: Instant,
}

impl Clock {
    /// A clock that has seen `start` and nothing later.
    #[must_use]
    pub const fn new(start: Instant) -> Self {
        Self { last: start }
    }

    /// The latest instant seen.
    #[must_use]
    pub const fn last(&self) -> Instant {
        self.last
    }

    /// Checks that `now` does not go back in time, without recording it.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen.
    #[inline]
    pub fn check(&self, now: Instant) -> Result<(), ClockRegression> {
        if now < self.last {
            Err(ClockRegression {
                last: self.last,
                now,
            })
        } else {
            Ok(())
        }
    }

    /// Checks `now` and records it as the latest instant seen.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen; nothing is recorded.
    #[inline]
    pub fn advance(&mut self, now: Instant) -> Result<(), ClockRegression> {
        self.check(now)?;
        self.last = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_saturates_instead_of_panicking() {
        assert_eq!(add(Instant::MAX, Duration::from_ticks(1)), Instant::MAX);
        assert_eq!(
            add(Instant::from_ticks(1), Duration::from_ticks(2)),
            Instant::from_ticks(3)
        );
    }

    #[test]
    fn since_is_zero_when_not_later() {
        assert_eq!(
            since(Instant::from_ticks(1), Instant::from_ticks(5)),
            Duration::from_ticks(0)
        );
        assert_eq!(
            since(Instant::from_ticks(7), Instant::from_ticks(5)),
            Duration::from_ticks(2)
        );
    }

    #[test]
    fn earliest_prefers_the_smaller_deadline_and_ignores_none() {
        let a = Some(Instant::from_ticks(3));
        let b = Some(Instant::from_ticks(2));
        assert_eq!(earliest(a, b), b);
        assert_eq!(earliest(a, None), a);
        assert_eq!(earliest(None, b), b);
        assert_eq!(earliest(None, None), None);
    }

    #[test]
    fn clock_rejects_regression_and_keeps_the_last_instant() {
        let mut c = Clock::new(Instant::from_ticks(10));
        assert!(c.advance(Instant::from_ticks(10)).is_ok());
        let err = c.advance(Instant::from_ticks(9)).unwrap_err();
        assert_eq!(err.last, Instant::from_ticks(10));
        assert_eq!(c.last(), Instant::from_ticks(10));
        assert!(c.advance(Instant::from_ticks(11)).is_ok());
        assert_eq!(c.last(), Instant::from_ticks(11));
    }
}

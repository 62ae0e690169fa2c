//! The simulator's manual clock: simulated time only moves when the event loop moves it.

use mycel::time::{ClockRegression, Instant};

/// A clock that reads whatever instant it was last moved to, and never goes back.
///
/// The simulator owns it and jumps it straight to the next event, so simulated time
/// costs nothing to pass: nothing sleeps and nothing reads the wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManualClock {
    now: Instant,
}

impl ManualClock {
    /// A clock reading `start`.
    #[must_use]
    pub const fn starting_at(start: Instant) -> Self {
        Self { now: start }
    }

    /// The instant the clock reads.
    #[must_use]
    pub const fn now(&self) -> Instant {
        self.now
    }

    /// Moves the clock to `at`; staying at the same instant is allowed.
    ///
    /// # Errors
    /// [`ClockRegression`] if `at` is earlier than the instant the clock reads; the
    /// clock is left where it was.
    pub fn advance_to(&mut self, at: Instant) -> Result<(), ClockRegression> {
        if at < self.now {
            return Err(ClockRegression {
                last: self.now,
                now: at,
            });
        }
        self.now = at;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_only_moves_forward_and_a_regression_changes_nothing() {
        let mut clock = ManualClock::starting_at(Instant::from_secs(1));
        clock.advance_to(Instant::from_secs(5)).unwrap();
        clock.advance_to(Instant::from_secs(5)).unwrap();
        assert_eq!(clock.now(), Instant::from_secs(5));
        let err = clock.advance_to(Instant::from_secs(4)).unwrap_err();
        assert_eq!(err.last, Instant::from_secs(5));
        assert_eq!(clock.now(), Instant::from_secs(5));
    }
}

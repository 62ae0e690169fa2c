//! The injected clock: a simulated tick count that only the program advances.
//!
//! The engine never reads this clock (nor any other): the program passes
//! [`SimClock::now`] into every engine call that depends on time. No embassy-time
//! driver is linked into the firmware, so a call to `Instant::now()` anywhere would
//! fail to link. On hardware the same role would be played by a timer's tick count,
//! and [`SimClock::advance_to`] by sleeping until the engine's next deadline.

use mycel::time::{self, ClockRegression, Duration, Instant};

/// The instant the simulated run starts at.
pub const START: Instant = Instant::from_ticks(0);

/// Simulated time: moves only when the program advances it, never backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimClock {
    now: Instant,
}

impl SimClock {
    /// A clock reading `start`.
    pub const fn new(start: Instant) -> Self {
        Self { now: start }
    }

    /// The current simulated instant.
    pub const fn now(&self) -> Instant {
        self.now
    }

    /// Moves time forward by `step` (saturating at the end of time) and returns the new instant.
    pub fn advance_by(&mut self, step: Duration) -> Instant {
        self.now = time::add(self.now, step);
        self.now
    }

    /// Jumps to `at`, e.g. the engine's next deadline, as a tickless sleep would.
    ///
    /// # Errors
    /// [`ClockRegression`] when `at` is earlier than the current instant; the clock
    /// does not move.
    pub fn advance_to(&mut self, at: Instant) -> Result<Instant, ClockRegression> {
        if at < self.now {
            return Err(ClockRegression {
                last: self.now,
                now: at,
            });
        }
        self.now = at;
        Ok(self.now)
    }
}

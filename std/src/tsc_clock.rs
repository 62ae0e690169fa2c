//! [`TscClock`]: a cheaper `now` than [`StdClock`](crate::StdClock)'s, for services
//! whose breakers are called millions of times a second.

use crate::clock::{Clock, ticks_since_origin};
use mycel::time::Instant;

/// The CPU's time-stamp counter, calibrated against the OS monotonic clock when the
/// clock is made (the `quanta` crate), mapped onto the engine's [`Instant`] as
/// [`StdClock`](crate::StdClock) maps std's: instant 0 is the moment the clock was
/// made, saturating at [`Instant::MAX`].
///
/// Every protected call reads its clock twice, and one read of the std clock costs
/// more than the engine's whole `try_acquire` + `record`; a counter read and a scaling
/// cost less (see `std/README.md` for the numbers). Without an invariant counter (or
/// off x86), it reads the OS monotonic clock, as [`StdClock`](crate::StdClock) does.
///
/// Its readings do not go backwards on one clock; across clones they come from one
/// calibration. Should a reading ever be earlier than one the breaker saw, the engine
/// takes the later one: time stops, it never goes back.
///
/// Making one calibrates the counter (some milliseconds, once per process): make it at
/// start-up, and clone it.
#[derive(Debug, Clone)]
pub struct TscClock {
    clock: quanta::Clock,
    origin: quanta::Instant,
}

impl TscClock {
    /// A clock whose instant 0 is now.
    #[must_use]
    pub fn new() -> Self {
        let clock = quanta::Clock::new();
        let origin = clock.now();
        Self { clock, origin }
    }
}

impl Default for TscClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TscClock {
    #[inline]
    fn now(&self) -> Instant {
        ticks_since_origin(self.clock.now().saturating_duration_since(self.origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tsc_clock_never_goes_back_and_measures_a_sleep_at_least_as_long() {
        let clock = TscClock::new();
        let first = clock.now();
        let mut last = first;
        for _ in 0..10_000 {
            let now = clock.clone().now();
            assert!(now >= last, "{now:?} < {last:?}");
            last = now;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        // A sleep lasts at least what was asked; a calibration error is parts per
        // million, far below the fifth allowed here.
        let measured = clock.now().as_ticks() - first.as_ticks();
        let slept = mycel::time::Duration::from_millis(20).as_ticks();
        assert!(measured >= slept * 4 / 5, "{measured} < {slept}");
    }
}

//! [`RecentClock`]: a `now` that costs one atomic load, at a millisecond's precision.

use crate::clock::{Clock, ticks_since_origin};
use mycel::time::Instant;
use std::sync::OnceLock;
use std::time::Duration;

/// How often the upkeep thread refreshes the recent time: the clock's precision.
pub const RECENT_CLOCK_PRECISION: Duration = Duration::from_millis(1);

/// The upkeep thread this crate started, kept for the life of the process (stopping
/// it would freeze every recent clock, and with them every open period).
static UPKEEP: OnceLock<Option<quanta::Handle>> = OnceLock::new();

/// The time of the `quanta` crate's *recent* clock: a process-wide instant that an
/// upkeep thread refreshes every [`RECENT_CLOCK_PRECISION`], so a read is one atomic
/// load and a subtraction, mapped onto the engine's [`Instant`] as
/// [`StdClock`](crate::StdClock) maps std's (instant 0 is the moment it was made).
///
/// The price is precision: a reading lags the true time by up to a millisecond (more
/// if the machine is so loaded that the upkeep thread is not scheduled), so a call's
/// measured duration, for the slow-call policy, is off by up to that much, and an open
/// period may end up to that much late. It never goes backwards. Choose it where a
/// call costs nanoseconds and the breaker's thresholds are tens of milliseconds or
/// more; [`TscClock`](crate::TscClock) reads the counter itself (exact, about 13 ns),
/// [`StdClock`](crate::StdClock) is std's clock.
///
/// The first [`RecentClock::new`] in a process starts the upkeep thread (named
/// `quanta-upkeep`), which then runs until the process ends. If another part of the
/// process started `quanta`'s upkeep first, that one is used, at its interval, and
/// must keep running as long as any recent clock is read: a stopped upkeep freezes
/// the time these clocks read.
#[derive(Debug, Clone, Copy)]
pub struct RecentClock {
    origin: quanta::Instant,
}

impl RecentClock {
    /// A clock whose instant 0 is now, starting the upkeep thread if none runs.
    #[must_use]
    pub fn new() -> Self {
        // A start that fails (an upkeep already running, or no thread could be
        // spawned) leaves the recent time to the running upkeep, or to `quanta`'s
        // fallback: the full clock, read on every call.
        UPKEEP.get_or_init(|| quanta::Upkeep::new(RECENT_CLOCK_PRECISION).start().ok());
        Self {
            origin: quanta::Instant::recent(),
        }
    }

    /// Whether this crate's upkeep thread runs (`false`: another upkeep refreshes the
    /// recent time, or none does and each read falls back to the full clock).
    #[must_use]
    pub fn upkeep_started_here() -> bool {
        UPKEEP.get().is_some_and(Option::is_some)
    }
}

impl Default for RecentClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for RecentClock {
    #[inline]
    fn now(&self) -> Instant {
        ticks_since_origin(quanta::Instant::recent().saturating_duration_since(self.origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recent_clock_never_goes_back_and_moves_on_with_real_time() {
        let clock = RecentClock::new();
        assert!(RecentClock::upkeep_started_here());
        let first = clock.now();
        let mut last = first;
        for _ in 0..10_000 {
            let now = clock.now();
            assert!(now >= last, "{now:?} < {last:?}");
            last = now;
        }
        // After a 20 ms sleep the upkeep shows at least 20 ms passed, at its next
        // refresh (waited for, however loaded the machine, for up to a minute).
        std::thread::sleep(Duration::from_millis(20));
        let floor = ticks_since_origin(Duration::from_millis(20)).as_ticks();
        let give_up = std::time::Instant::now() + Duration::from_secs(60);
        while clock.now().as_ticks() - first.as_ticks() < floor {
            assert!(
                std::time::Instant::now() < give_up,
                "the recent time stopped"
            );
            std::thread::sleep(RECENT_CLOCK_PRECISION);
        }
    }
}

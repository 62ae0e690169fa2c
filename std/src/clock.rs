//! Clocks that give the engine its `now`: [`StdClock`] for services, [`ManualClock`]
//! for tests that must not depend on how fast the machine is.

use mycel::time::Instant;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A source of the engine's [`Instant`]s: monotonic, never failing.
///
/// The engine never reads a clock; every wrapper in this crate reads its clock once
/// before asking the breaker for a permit and once when the call ends, so a call's
/// duration (for the slow-call policy) is measured by this clock.
pub trait Clock: Send + Sync + 'static {
    /// The current instant. Must never go backwards. (The engine refuses an earlier
    /// `now` as a clock regression; this crate's shared wrappers order the readings of
    /// racing threads under their lock, which also absorbs a clock that stumbles.)
    fn now(&self) -> Instant;
}

/// The monotonic [`std::time::Instant`] mapped onto the engine's [`Instant`].
///
/// Instant 0 is the moment the clock was made; each tick is `1 / TICK_HZ` seconds
/// (embassy-time's tick rate, 1 MHz by default). The conversion saturates at
/// [`Instant::MAX`] instead of overflowing, which at 1 MHz is over 500,000 years
/// away: no process lives to see it, and none panics if it does.
#[derive(Debug, Clone, Copy)]
pub struct StdClock {
    origin: std::time::Instant,
}

impl StdClock {
    /// A clock whose instant 0 is now.
    #[must_use]
    pub fn new() -> Self {
        Self {
            origin: std::time::Instant::now(),
        }
    }

    /// The engine instant of a std instant; instants before the clock's origin map to 0.
    #[must_use]
    pub fn instant_of(&self, at: std::time::Instant) -> Instant {
        ticks_since_origin(at.saturating_duration_since(self.origin))
    }
}

impl Default for StdClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for StdClock {
    #[inline]
    fn now(&self) -> Instant {
        ticks_since_origin(self.origin.elapsed())
    }
}

/// `elapsed` in engine ticks, saturating at [`Instant::MAX`].
#[inline]
#[must_use]
pub fn ticks_since_origin(elapsed: std::time::Duration) -> Instant {
    const NANOS_PER_SEC: u64 = 1_000_000_000;
    let whole = elapsed.as_secs().saturating_mul(embassy_time::TICK_HZ);
    // `subsec_nanos < 10^9`, so this product fits in a u64 for any tick rate up to
    // 18 GHz; embassy's rates stop far below.
    let part =
        u64::from(elapsed.subsec_nanos()).saturating_mul(embassy_time::TICK_HZ) / NANOS_PER_SEC;
    Instant::from_ticks(whole.saturating_add(part))
}

/// An engine duration as a std duration (`retry_after` and the like).
#[must_use]
pub fn std_duration(d: mycel::time::Duration) -> std::time::Duration {
    let ticks = d.as_ticks();
    let hz = embassy_time::TICK_HZ;
    let secs = ticks / hz;
    let rest = ticks % hz;
    // `rest < hz`, and `rest * 10^9 / hz < 10^9`.
    let nanos = u128::from(rest) * 1_000_000_000 / u128::from(hz);
    std::time::Duration::new(secs, u32::try_from(nanos).unwrap_or(999_999_999))
}

/// A clock that moves only when told: for deterministic tests of slow calls, open
/// periods and half-open maximum waits. Clones share the same time.
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    ticks: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock at instant 0.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward by `d` (saturating).
    pub fn advance(&self, d: mycel::time::Duration) {
        let _ = self
            .ticks
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_add(d.as_ticks()))
            });
    }

    /// Sets the clock to `at`, if that is not earlier than its current instant (a
    /// clock never goes back).
    pub fn set(&self, at: Instant) {
        self.ticks.fetch_max(at.as_ticks(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    #[inline]
    fn now(&self) -> Instant {
        Instant::from_ticks(self.ticks.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn std_durations_map_to_ticks_exactly() {
        let hz = embassy_time::TICK_HZ;
        assert_eq!(
            ticks_since_origin(Duration::from_secs(3)).as_ticks(),
            3 * hz
        );
        assert_eq!(
            ticks_since_origin(Duration::from_millis(1500)).as_ticks(),
            hz * 3 / 2
        );
        assert_eq!(ticks_since_origin(Duration::ZERO).as_ticks(), 0);
    }

    #[test]
    fn a_thousand_years_of_uptime_neither_panics_nor_wraps() {
        let millennium = Duration::from_secs(1000 * 365 * 24 * 3600);
        let at = ticks_since_origin(millennium);
        assert!(at > ticks_since_origin(Duration::from_secs(999 * 365 * 24 * 3600)));
        assert_eq!(ticks_since_origin(Duration::MAX), Instant::MAX);
    }

    #[test]
    fn engine_durations_come_back_as_the_same_std_duration() {
        let d = mycel::time::Duration::from_millis(2750);
        assert_eq!(std_duration(d), Duration::from_millis(2750));
        assert_eq!(
            std_duration(mycel::time::Duration::from_ticks(u64::MAX)).as_secs(),
            u64::MAX / embassy_time::TICK_HZ
        );
    }

    #[test]
    fn the_std_clock_never_goes_back_and_maps_its_origin_to_zero() {
        let clock = StdClock::new();
        let before = std::time::Instant::now()
            .checked_sub(Duration::from_secs(1))
            .unwrap_or_else(std::time::Instant::now);
        assert_eq!(clock.instant_of(before), Instant::from_ticks(0));
        let a = clock.now();
        let b = clock.now();
        assert!(b >= a);
    }

    #[test]
    fn a_manual_clock_moves_only_forward() {
        let clock = ManualClock::new();
        clock.advance(mycel::time::Duration::from_secs(2));
        clock.set(Instant::from_secs(1));
        assert_eq!(clock.now(), Instant::from_secs(2));
        clock.set(Instant::from_secs(5));
        assert_eq!(clock.clone().now(), Instant::from_secs(5));
    }
}

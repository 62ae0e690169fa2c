//! The demo's timeline, as the tasks play it on the chip's clock.
//!
//! A request arrives every 500 ms from 500 ms to 30 s (one of them malformed); the
//! backend answers in 30 ms and fails every call it receives from 10 s to 17 s. With
//! the breaker of [`crate::breaker`] this tells the five-beat story: normal traffic,
//! degradation (three failures open the breaker), OPEN (requests rejected, no backend
//! call), HALF_OPEN when the open period ends, and recovery (a failed probe reopens
//! for longer, then two good probes close the breaker).
//!
//! One last request comes after 10 s of quiet: with nothing to wait for but that
//! instant, the time driver runs SysTick through its longest period several times
//! (about 0.7 s to 1.4 s on these boards) before the alarm, so every run exercises
//! that path too.

use mycel::time::{Duration, Instant};

/// Time between two arrivals; the first arrives this long after start.
pub const SPACING: Duration = Duration::from_millis(500);
/// How many requests arrive: every [`SPACING`] up to 30 s, then one after [`QUIET`].
pub const ARRIVALS: u32 = 61;
/// The quiet stretch before the last request.
pub const QUIET: Duration = Duration::from_secs(10);
/// The one malformed request (by id), which validation sends to `invalid`.
pub const MALFORMED_ID: u32 = 5;
/// How long the backend takes to answer.
pub const LATENCY: Duration = Duration::from_millis(30);
/// The backend fails every call it receives from this instant...
pub const OUTAGE_FROM: Instant = Instant::from_millis(10_000);
/// ...until this one.
pub const OUTAGE_UNTIL: Instant = Instant::from_millis(17_000);
/// The latest a task may wake after the instant it slept until. Every instant logged
/// is in whole milliseconds, so within this bound the logs do not depend on how fast
/// a board runs the code.
pub const LATENESS_BOUND: Duration = Duration::from_millis(1);

/// When request `id` (counting from 1) arrives.
pub const fn arrival_of(id: u32) -> Instant {
    let spaced = ARRIVALS - 1;
    let steps = if id < spaced { id } else { spaced };
    let at = SPACING.as_ticks().saturating_mul(steps as u64);
    if id > spaced {
        Instant::from_ticks(at.saturating_add(QUIET.as_ticks()))
    } else {
        Instant::from_ticks(at)
    }
}

/// `at` in whole milliseconds, for the logs, in 32-bit arithmetic: every instant of
/// the run is below 2^32 us (71 minutes), and a 64-bit division would link a routine
/// of about 900 B for it (a later instant logs as `u32::MAX`).
pub fn millis(at: Instant) -> u32 {
    u32::try_from(at.as_micros()).map_or(u32::MAX, |micros| micros / 1000)
}

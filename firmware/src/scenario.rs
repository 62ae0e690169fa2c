//! The demo's timeline, as the tasks play it on the chip's clock.
//!
//! A request arrives every 500 ms from 500 ms to 30 s (one of them malformed); the
//! backend answers in 30 ms and fails every call it receives from 10 s to 17 s. With
//! the breaker of [`crate::breaker`] this tells the five-beat story: normal traffic,
//! degradation (three failures open the breaker), OPEN (requests rejected, no backend
//! call), HALF_OPEN when the open period ends, and recovery (a failed probe reopens
//! for longer, then two good probes close the breaker).

use mycel::time::{Duration, Instant};

/// Time between two arrivals; the first arrives this long after start.
pub const SPACING: Duration = Duration::from_millis(500);
/// How many requests arrive.
pub const ARRIVALS: u32 = 60;
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
    Instant::from_ticks(SPACING.as_ticks().saturating_mul(id as u64))
}

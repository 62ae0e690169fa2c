//! Threads read the clock before they take a shared breaker's lock, so instants reach
//! it out of order; the wrappers order them, and no call is lost to a clock regression.

use mycel::breaker::BreakerConfig;
use mycel::time::{Duration, Instant};
use mycel_std::{Clock, SharedBank, SharedBreaker, StdClock};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

const CALLS_PER_THREAD: u64 = 5_000;

/// A clock that goes back now and then, as two threads' readings do when one is
/// descheduled between reading the clock and taking the lock: every third reading is
/// 25 ticks older than the one before it.
#[derive(Default)]
struct Jittery(AtomicU64);

impl Clock for Jittery {
    fn now(&self) -> Instant {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        let back = if n % 3 == 2 { 25 } else { 0 };
        Instant::from_ticks((1_000 + n * 10).saturating_sub(back))
    }
}

fn config() -> BreakerConfig {
    BreakerConfig::consecutive(3, Duration::from_secs(5), 1)
}

fn hammer(calls: impl Fn() -> bool + Sync) -> u64 {
    thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| s.spawn(|| (0..CALLS_PER_THREAD).filter(|_| calls()).count() as u64))
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    })
}

#[test]
fn two_threads_hammering_one_breaker_get_every_outcome_counted() {
    let breaker = SharedBreaker::with_clock("backend", config(), Jittery::default()).unwrap();
    let ran = hammer(|| breaker.call(|| Ok::<_, ()>(())).is_ok());
    let m = breaker.metrics();
    assert_eq!(ran, 2 * CALLS_PER_THREAD, "no call was refused");
    assert_eq!((m.permitted, m.successes, m.rejected), (ran, ran, 0));
    assert_eq!(breaker.view_counts().not_permitted, 0);
}

#[test]
fn two_threads_hammering_a_std_clocked_breaker_get_every_outcome_counted() {
    let breaker = SharedBreaker::with_clock("backend", config(), StdClock::new()).unwrap();
    let ran = hammer(|| breaker.call(|| Ok::<_, ()>(())).is_ok());
    let m = breaker.metrics();
    assert_eq!(ran, 2 * CALLS_PER_THREAD);
    assert_eq!((m.permitted, m.successes, m.rejected), (ran, ran, 0));
}

#[test]
fn two_threads_hammering_one_bank_key_get_every_outcome_counted() {
    let bank: SharedBank<u8, 2, Jittery> =
        SharedBank::with_clock(config(), Jittery::default()).unwrap();
    let ran = hammer(|| bank.call(7, || Ok::<_, ()>(())).is_ok());
    let m = bank.metrics(&7).unwrap();
    assert_eq!(ran, 2 * CALLS_PER_THREAD);
    assert_eq!((m.permitted, m.successes, m.rejected), (ran, ran, 0));
}

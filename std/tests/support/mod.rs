//! Shared helpers for the crate's integration tests.
#![allow(dead_code)]

pub mod fleet;
pub mod redis_server;

use mycel::breaker::{BreakerConfig, HalfOpenPolicy};
use mycel::time::Duration;
use mycel_std::{ManualClock, SharedBreaker};

/// Trips after 2 consecutive failures, stays OPEN 1 s, admits one probe that closes it.
pub fn two_strikes() -> BreakerConfig {
    BreakerConfig::consecutive(2, Duration::from_secs(1), 1)
        .with_half_open(HalfOpenPolicy::after_successes(1, 1))
}

/// A breaker on a manual clock, and the clock.
pub fn manual(config: BreakerConfig) -> (SharedBreaker<ManualClock>, ManualClock) {
    let clock = ManualClock::new();
    let breaker = SharedBreaker::with_clock("inventory", config, clock.clone()).unwrap();
    (breaker, clock)
}

/// An error type for protected calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boom(pub &'static str);

impl std::fmt::Display for Boom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Boom {}

/// Two failed calls: the breaker is OPEN afterwards.
pub fn trip(breaker: &SharedBreaker<ManualClock>) {
    for _ in 0..2 {
        let _ = breaker.call(|| Err::<(), _>(Boom("down")));
    }
}

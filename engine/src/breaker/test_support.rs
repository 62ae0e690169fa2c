//! Helpers shared by the breaker's rule and worked-example tests.

use super::{BreakerChanges, CircuitBreaker};
use crate::time::Instant;

/// The breaker type the tests drive.
pub(super) type Breaker = CircuitBreaker<4, 10>;

/// State changes as (from, to, cause, millis) tuples, easy to compare with literals.
pub(super) type Trace = heapless::Vec<(&'static str, &'static str, &'static str, u64), 4>;

pub(super) fn ms(v: u64) -> Instant {
    Instant::from_millis(v)
}

pub(super) fn secs(v: u64) -> Instant {
    Instant::from_secs(v)
}

/// The changes as (from, to, cause, millis) tuples.
pub(super) fn trace(changes: &BreakerChanges) -> Trace {
    changes
        .iter()
        .map(|c| {
            (
                c.from.as_str(),
                c.to.as_str(),
                c.reason.as_str(),
                c.at.as_millis(),
            )
        })
        .collect()
}

//! Breaker equality compares everything a breaker is: a copy is equal, and a breaker
//! that differs from it in just one part (the instant last seen, the instance number,
//! the extended state) is not.

use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome};
use mycel::time::{Duration, Instant};

fn t(ticks: u64) -> Instant {
    Instant::from_ticks(ticks)
}

fn breaker() -> CircuitBreaker {
    let config = BreakerConfig::consecutive(3, Duration::from_ticks(100), 1);
    let mut b = CircuitBreaker::new(config, t(0)).unwrap();
    let permit = b.try_acquire(t(5)).value.unwrap();
    b.record(permit, Outcome::Failure, t(5));
    b
}

#[test]
fn a_copy_of_a_breaker_is_equal_to_it() {
    let b = breaker();
    assert_eq!(b.clone(), b);
}

#[test]
fn a_breaker_that_has_seen_a_later_instant_is_not_equal() {
    let b = breaker();
    let mut later = b.clone();
    // CLOSED with no time window: polling changes nothing but the instant last seen.
    assert!(later.poll(t(9)).unwrap().is_empty());
    assert_eq!(later.state(), b.state());
    assert_ne!(later, b);
}

#[test]
fn a_breaker_with_another_instance_number_is_not_equal() {
    let b = breaker();
    let mut other = b.clone();
    let renumbered = other.state_machine_mut().clone().with_instance(7);
    *other.state_machine_mut() = renumbered;
    assert_ne!(other, b);
}

#[test]
fn a_breaker_with_other_counts_is_not_equal() {
    let b = breaker();
    let mut other = b.clone();
    // Same instant, same state: only the extended state (counters, window) changes.
    let permit = other.try_acquire(t(5)).value.unwrap();
    other.record(permit, Outcome::Success, t(5));
    assert_eq!(other.state(), b.state());
    assert_ne!(other, b);
}

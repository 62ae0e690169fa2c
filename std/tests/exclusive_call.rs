//! What only `ExclusiveBreaker` has: a permit that holds the breaker, and an engine
//! breaker handed in and out. What it shares with `LocalBreaker` is tested for both in
//! `one_owner_call.rs`.

mod support;

use mycel::breaker::{BreakerStateKind, CircuitBreaker, Outcome};
use mycel::time::{Duration, Instant};
use mycel_std::{ExclusiveBreaker, ManualClock};
use support::{Boom, two_strikes};

fn exclusive(
    config: mycel::breaker::BreakerConfig,
) -> (ExclusiveBreaker<ManualClock>, ManualClock) {
    let clock = ManualClock::new();
    let breaker = ExclusiveBreaker::with_clock("inventory", config, clock.clone()).unwrap();
    (breaker, clock)
}

#[test]
fn a_half_open_probe_permit_dropped_unreported_is_ignored_and_frees_its_slot() {
    let (mut breaker, clock) = exclusive(two_strikes());
    for _ in 0..2 {
        let _ = breaker.call(|| Err::<(), _>(Boom("down")));
    }
    clock.advance(Duration::from_secs(1));
    let probe = breaker.acquire().expect("the probe");
    assert!(probe.permit().is_probe());
    drop(probe);
    assert_eq!(
        breaker.metrics().ignored,
        1,
        "an unreported permit is ignored"
    );
    let probe = breaker.acquire().expect("the probe slot is free again");
    probe.record(Outcome::Success);
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
}

#[test]
fn an_engine_breaker_handed_in_keeps_its_state_and_time_never_goes_back() {
    let mut engine: CircuitBreaker =
        CircuitBreaker::new(two_strikes(), Instant::from_ticks(0)).unwrap();
    let later = Instant::from_ticks(0) + Duration::from_secs(5);
    let permit = engine.try_acquire(later).value.unwrap();
    let _ = engine.record(permit, Outcome::Failure, later);
    // A fresh clock reads 0, before the 5 s the engine has seen: calls count at 5 s.
    let mut breaker = ExclusiveBreaker::from_engine("inventory", engine, ManualClock::new());
    assert!(breaker.call(|| Err::<(), _>(Boom("down"))).is_err());
    assert_eq!(breaker.state(), BreakerStateKind::Open);
    let rejection = breaker
        .call(|| Ok::<_, Boom>(()))
        .unwrap_err()
        .rejection()
        .cloned()
        .expect("rejected while OPEN");
    assert_eq!(
        rejection.retry_after,
        Some(std::time::Duration::from_secs(1))
    );
    let engine = breaker.into_engine();
    assert_eq!(engine.metrics().failures, 2);
    assert_eq!(engine.last_seen(), later);
}

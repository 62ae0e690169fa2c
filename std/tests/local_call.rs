//! What only `LocalBreaker` has: `&self` calls, so the protected code and code beside
//! a call in flight may use the same breaker. What it shares with `ExclusiveBreaker` is
//! tested for both in `one_owner_call.rs`.

mod support;

use mycel::breaker::{BreakerStateKind, HalfOpenPolicy};
use mycel::time::Duration;
use mycel_std::{LocalBreaker, ManualClock};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};
use support::{Boom, two_strikes};

fn local(config: mycel::breaker::BreakerConfig) -> (LocalBreaker<ManualClock>, ManualClock) {
    let clock = ManualClock::new();
    let breaker = LocalBreaker::with_clock("inventory", config, clock.clone()).unwrap();
    (breaker, clock)
}

#[test]
fn the_protected_code_may_call_the_same_breaker() {
    let (breaker, _) = local(two_strikes());
    let outer = breaker.call(|| breaker.call(|| Ok::<_, Boom>(2)).map(|n| n + 1));
    assert_eq!(outer, Ok(3));
    assert_eq!(breaker.metrics().successes, 2);
}

#[test]
fn a_call_in_flight_holds_its_probe_and_the_breaker_stays_readable() {
    let config = two_strikes().with_half_open(HalfOpenPolicy::after_successes(1, 1));
    let (breaker, clock) = local(config);
    for _ in 0..2 {
        let _ = breaker.call(|| Err::<(), _>(Boom("down")));
    }
    clock.advance(Duration::from_secs(1));
    let mut cx = Context::from_waker(Waker::noop());
    let mut call = pin!(breaker.call_async(std::future::pending::<Result<(), Boom>>()));
    assert!(call.as_mut().poll(&mut cx).is_pending());
    assert_eq!(breaker.state(), BreakerStateKind::HalfOpen);
    assert_eq!(breaker.engine().outstanding_permits(), 1);
    let rejected = breaker.call(|| Ok::<_, Boom>(()));
    assert!(
        rejected.is_err_and(|e| e.is_rejected()),
        "the one probe slot is taken"
    );
}

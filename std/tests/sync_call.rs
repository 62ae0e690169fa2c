//! `SharedBreaker::call`: outcomes, rejections, classification, slow calls, panics.

mod support;

use mycel::breaker::{BreakerStateKind, CountWindowPolicy, Outcome, RejectReason, SlowCallPolicy};
use mycel::time::Duration;
use mycel_std::{CallError, SharedBreaker};
use std::panic::{AssertUnwindSafe, catch_unwind};
use support::{Boom, manual, trip, two_strikes};

#[test]
fn a_successful_call_returns_its_value_and_counts_as_a_success() {
    let (breaker, _) = manual(two_strikes());
    assert_eq!(breaker.call(|| Ok::<_, Boom>(7)), Ok(7));
    let m = breaker.metrics();
    assert_eq!((m.permitted, m.successes, m.failures), (1, 1, 0));
}

#[test]
fn a_failed_call_returns_its_own_error_and_counts_as_a_failure() {
    let (breaker, _) = manual(two_strikes());
    let err = breaker.call(|| Err::<(), _>(Boom("down"))).unwrap_err();
    assert_eq!(err, CallError::Inner(Boom("down")));
    assert!(!err.is_rejected());
    assert_eq!(breaker.metrics().failures, 1);
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
}

#[test]
fn an_open_breaker_rejects_without_running_the_call_and_says_when_to_retry() {
    let (breaker, clock) = manual(two_strikes());
    trip(&breaker);
    assert_eq!(breaker.state(), BreakerStateKind::Open);
    clock.advance(Duration::from_millis(250));

    let mut ran = false;
    let err = breaker
        .call(|| {
            ran = true;
            Ok::<_, Boom>(())
        })
        .unwrap_err();
    assert!(!ran, "a rejected call never runs");
    let rejection = err.rejection().expect("a rejection");
    assert_eq!(&*rejection.breaker, "inventory");
    assert_eq!(rejection.state, BreakerStateKind::Open);
    assert_eq!(rejection.reason, RejectReason::Open);
    assert_eq!(
        rejection.retry_after,
        Some(std::time::Duration::from_millis(750))
    );
    assert!(err.to_string().contains("inventory"), "{err}");
    assert_eq!(breaker.metrics().rejected, 1);
}

#[test]
fn after_the_open_period_a_successful_probe_closes_the_breaker() {
    let (breaker, clock) = manual(two_strikes());
    trip(&breaker);
    clock.advance(Duration::from_secs(1));
    assert_eq!(breaker.call(|| Ok::<_, Boom>(1)), Ok(1));
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
}

#[test]
fn a_forced_open_breaker_rejects_with_no_retry_instant() {
    let (breaker, _) = manual(two_strikes());
    breaker.force_open();
    let err = breaker.call(|| Ok::<_, Boom>(())).unwrap_err();
    let rejection = err.rejection().unwrap();
    assert_eq!(rejection.state, BreakerStateKind::ForcedOpen);
    assert_eq!(rejection.reason, RejectReason::ForcedOpen);
    assert_eq!(rejection.retry_after, None);
    breaker.reset();
    assert_eq!(breaker.call(|| Ok::<_, Boom>(2)), Ok(2));
}

#[test]
fn a_classifier_can_ignore_errors_that_say_nothing_about_the_backend() {
    let (breaker, _) = manual(two_strikes());
    let not_found = |r: &Result<(), Boom>| match r {
        Err(Boom("not found")) => Outcome::Ignored,
        Err(_) => Outcome::Failure,
        Ok(_) => Outcome::Success,
    };
    for _ in 0..5 {
        let err = breaker
            .call_classified(&not_found, || Err(Boom("not found")))
            .unwrap_err();
        assert_eq!(err.into_inner(), Some(Boom("not found")));
    }
    let m = breaker.metrics();
    assert_eq!((m.ignored, m.failures), (5, 0));
    assert_eq!(
        breaker.state(),
        BreakerStateKind::Closed,
        "ignored never trips"
    );
}

#[test]
fn a_call_longer_than_the_slow_threshold_is_slow_by_the_clock() {
    let config = two_strikes()
        .with_count_window(CountWindowPolicy {
            size: 10,
            failure_rate_percent: 100,
            minimum_calls: 10,
        })
        .with_slow_calls(SlowCallPolicy {
            threshold: Duration::from_millis(100),
            rate_percent: 100,
        });
    let (breaker, clock) = manual(config);
    breaker
        .call(|| {
            clock.advance(Duration::from_millis(100));
            Ok::<_, Boom>(())
        })
        .unwrap();
    assert_eq!(
        breaker.metrics().slow,
        0,
        "exactly the threshold is not slow"
    );
    breaker
        .call(|| {
            clock.advance(Duration::from_millis(101));
            Ok::<_, Boom>(())
        })
        .unwrap();
    assert_eq!(breaker.metrics().slow, 1);
}

#[test]
fn a_panicking_call_records_a_failure_and_the_panic_goes_on() {
    let (breaker, _) = manual(two_strikes());
    let caught = catch_unwind(AssertUnwindSafe(|| {
        let _ = breaker.call(|| -> Result<(), Boom> { panic!("backend client bug") });
    }));
    let payload = caught.expect_err("the panic reaches the caller");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"backend client bug"));
    let m = breaker.metrics();
    assert_eq!((m.failures, m.successes), (1, 0));
    assert_eq!(breaker.with_engine(|b| b.outstanding_permits()), 0);
}

#[test]
fn a_dropped_guard_records_ignored_and_frees_the_half_open_probe() {
    let (breaker, clock) = manual(two_strikes());
    trip(&breaker);
    clock.advance(Duration::from_secs(1));
    let probe = breaker.acquire().expect("a probe");
    assert_eq!(breaker.state(), BreakerStateKind::HalfOpen);
    assert!(breaker.acquire().is_err(), "one probe at a time");
    drop(probe);
    assert_eq!(breaker.metrics().ignored, 1);
    let again = breaker.acquire().expect("the slot is free again");
    again.record(Outcome::Success);
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
}

#[test]
fn the_shared_breaker_is_send_sync_and_clones_share_one_breaker() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<SharedBreaker>();
    let (breaker, _) = manual(two_strikes());
    let clone = breaker.clone();
    trip(&clone);
    assert_eq!(breaker.state(), BreakerStateKind::Open);
}

#[test]
fn calls_from_many_threads_are_all_accounted_for() {
    let config = mycel::breaker::BreakerConfig::consecutive(u32::MAX, Duration::from_secs(1), 1);
    let (breaker, _) = manual(config);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let breaker = breaker.clone();
            std::thread::spawn(move || {
                for i in 0..500u32 {
                    let _ = breaker.call(|| {
                        if (i + t) % 3 == 0 {
                            Err(Boom("x"))
                        } else {
                            Ok(())
                        }
                    });
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let m = breaker.metrics();
    assert_eq!(m.permitted, 2000);
    assert_eq!(m.successes + m.failures, 2000);
    assert_eq!(breaker.with_engine(|b| b.outstanding_permits()), 0);
}

#[test]
fn a_permit_leaked_past_every_guard_heals_by_the_default_half_open_maximum_wait() {
    let (breaker, clock) = manual(two_strikes());
    trip(&breaker);
    clock.advance(Duration::from_secs(1));
    let probe = breaker.acquire().expect("a probe");
    std::mem::forget(probe); // no drop, no report: the permit is lost for good
    assert!(breaker.acquire().is_err(), "HALF_OPEN waits for its probe");
    clock.advance(mycel::breaker::HalfOpenPolicy::DEFAULT_MAX_WAIT);
    assert_eq!(
        breaker.state(),
        BreakerStateKind::Open,
        "gave up on the probe"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        breaker.call(|| Ok::<_, Boom>(())),
        Ok(()),
        "a new probe closes it"
    );
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
}

#[test]
fn rejections_are_counted_per_state_and_start_over_at_each_change() {
    let (breaker, clock) = manual(two_strikes());
    trip(&breaker);
    for _ in 0..3 {
        assert!(breaker.call(|| Ok::<_, Boom>(())).is_err());
    }
    let counts = breaker.view_counts();
    assert_eq!(counts.not_permitted, 3);
    assert_eq!(
        (counts.window.buffered, counts.window.failed),
        (0, 0),
        "no window view"
    );
    clock.advance(Duration::from_secs(1));
    breaker.call(|| Ok::<_, Boom>(())).unwrap();
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
    assert_eq!(breaker.view_counts().not_permitted, 0);
    assert_eq!(
        breaker.metrics().rejected,
        3,
        "the lifetime counter keeps them"
    );
}

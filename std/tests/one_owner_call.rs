//! The two single-owner breakers, `ExclusiveBreaker` (`&mut self`) and `LocalBreaker`
//! (`&self`), share their behaviour: calls, rejections, classification, panics,
//! cancellation, listeners and operator calls. Each test here runs once for each;
//! what only one of them has is in `exclusive_call.rs` and `local_call.rs`.

mod support;

macro_rules! one_owner_tests {
    ($module:ident, $wrapper:ident) => {
        mod $module {
            // One body for both: a `LocalBreaker` bound `mut` needs no `mut`.
            #![allow(unused_mut)]

            use super::support::{Boom, two_strikes};
            use mycel::breaker::{
                BreakerConfig, BreakerStateKind, CountWindowPolicy, HalfOpenPolicy, Notice,
                Outcome, RejectReason, SlowCallPolicy,
            };
            use mycel::time::Duration;
            use mycel_std::{CallError, Clock, ManualClock, RecentClock, Verdict};
            use std::future::Future;
            use std::panic::{AssertUnwindSafe, catch_unwind};
            use std::pin::pin;
            use std::sync::{Arc, Mutex};
            use std::task::{Context, Waker};

            type Breaker<C = ManualClock> = mycel_std::$wrapper<C>;

            fn manual(config: BreakerConfig) -> (Breaker, ManualClock) {
                let clock = ManualClock::new();
                let breaker = Breaker::with_clock("inventory", config, clock.clone()).unwrap();
                (breaker, clock)
            }

            fn trip<C: Clock>(breaker: &mut Breaker<C>) {
                for _ in 0..2 {
                    let _ = breaker.call(|| Err::<(), _>(Boom("down")));
                }
            }

            #[test]
            fn calls_count_their_outcomes_and_two_failures_open_the_breaker() {
                let (mut breaker, _) = manual(two_strikes());
                assert_eq!(breaker.call(|| Ok::<_, Boom>(7)), Ok(7));
                assert_eq!(
                    breaker.call(|| Err::<(), _>(Boom("down"))),
                    Err(CallError::Inner(Boom("down")))
                );
                let m = breaker.metrics();
                assert_eq!((m.permitted, m.successes, m.failures), (2, 1, 1));
                trip(&mut breaker);
                assert_eq!(breaker.state(), BreakerStateKind::Open);
            }

            #[test]
            fn an_open_breaker_rejects_without_running_the_call_and_says_when_to_retry() {
                let (mut breaker, clock) = manual(two_strikes());
                trip(&mut breaker);
                clock.advance(Duration::from_millis(250));
                let mut ran = false;
                let err = breaker
                    .call(|| {
                        ran = true;
                        Ok::<_, Boom>(())
                    })
                    .unwrap_err();
                assert!(!ran);
                let rejection = err.rejection().expect("a rejection");
                assert_eq!(&*rejection.breaker, "inventory");
                assert_eq!(rejection.state, BreakerStateKind::Open);
                assert_eq!(rejection.reason, RejectReason::Open);
                assert_eq!(
                    rejection.retry_after,
                    Some(std::time::Duration::from_millis(750))
                );
                assert_eq!(breaker.view_counts().not_permitted, 1);
                // After the open period a successful probe closes it.
                clock.advance(Duration::from_millis(750));
                assert_eq!(breaker.call(|| Ok::<_, Boom>(1)), Ok(1));
                assert_eq!(breaker.state(), BreakerStateKind::Closed);
                assert_eq!(breaker.view_counts().not_permitted, 0);
            }

            #[test]
            fn a_panicking_call_records_a_failure_and_the_panic_goes_on() {
                let (mut breaker, _) = manual(two_strikes());
                for _ in 0..2 {
                    let unwound = catch_unwind(AssertUnwindSafe(|| {
                        let _ = breaker.call(|| -> Result<(), Boom> { panic!("bug") });
                    }));
                    assert!(unwound.is_err());
                }
                assert_eq!(breaker.metrics().failures, 2);
                assert_eq!(breaker.state(), BreakerStateKind::Open);
            }

            #[test]
            fn the_classifier_decides_failures_ignored_calls_and_slowness() {
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
                let (mut breaker, clock) = manual(config);
                let classify = |result: &Result<u32, Boom>| match result {
                    Ok(0) => Verdict::slow(Outcome::Success),
                    Ok(_) => Verdict::timed(Outcome::Success),
                    Err(_) => Verdict::timed(Outcome::Ignored),
                };
                let _ = breaker.call_classified(&classify, || Ok(0));
                let _ = breaker.call_classified(&classify, || Ok(1));
                let _ = breaker.call_classified(&classify, || Err(Boom("bad request")));
                // Timed by the clock: this call takes 150 ms, over the threshold.
                let _ = breaker.call_classified(&classify, || {
                    clock.advance(Duration::from_millis(150));
                    Ok(2)
                });
                let m = breaker.metrics();
                assert_eq!((m.successes, m.slow, m.ignored, m.failures), (3, 2, 1, 0));
            }

            #[test]
            fn a_future_dropped_mid_call_records_ignored_and_frees_its_half_open_probe() {
                let config = two_strikes().with_half_open(HalfOpenPolicy::after_successes(1, 1));
                let (mut breaker, clock) = manual(config);
                trip(&mut breaker);
                clock.advance(Duration::from_secs(1));
                {
                    let mut cx = Context::from_waker(Waker::noop());
                    let mut call =
                        pin!(breaker.call_async(std::future::pending::<Result<(), Boom>>()));
                    assert!(call.as_mut().poll(&mut cx).is_pending());
                    // Dropped here, mid-call.
                }
                assert_eq!(breaker.engine().state(), BreakerStateKind::HalfOpen);
                assert_eq!(breaker.metrics().ignored, 1);
                assert_eq!(breaker.engine().outstanding_permits(), 0);
                assert_eq!(
                    breaker.call(|| Ok::<_, Boom>(())),
                    Ok(()),
                    "the probe slot is free again"
                );
                assert_eq!(breaker.state(), BreakerStateKind::Closed);
            }

            #[tokio::test]
            async fn an_async_call_returns_its_value_and_records_the_classifier_verdict() {
                let (mut breaker, _) = manual(two_strikes());
                assert_eq!(breaker.call_async(async { Ok::<_, Boom>(3) }).await, Ok(3));
                let ignored = |_: &Result<(), Boom>| Outcome::Ignored;
                let err = breaker
                    .call_async_classified(&ignored, async { Err(Boom("cancelled upstream")) })
                    .await;
                assert_eq!(err, Err(CallError::Inner(Boom("cancelled upstream"))));
                let m = breaker.metrics();
                assert_eq!((m.successes, m.ignored, m.failures), (1, 1, 0));
            }

            #[test]
            fn a_listener_hears_the_trip_and_each_call_until_it_unsubscribes() {
                let (mut breaker, _) = manual(two_strikes());
                let heard = Arc::new(Mutex::new(Vec::new()));
                let sink = Arc::clone(&heard);
                let id = breaker.subscribe(move |event| {
                    assert_eq!(&*event.breaker, "inventory");
                    sink.lock().unwrap().push(event.notice);
                });
                trip(&mut breaker);
                let _ = breaker.call(|| Ok::<_, Boom>(()));
                assert!(breaker.unsubscribe(id));
                let _ = breaker.call(|| Ok::<_, Boom>(()));
                let heard = heard.lock().unwrap();
                assert!(
                    heard.iter().any(|n| matches!(
                        n,
                        Notice::StateTransition(change) if change.to == BreakerStateKind::Open
                    )),
                    "{heard:?}"
                );
                let count = |f: fn(&Notice) -> bool| heard.iter().filter(|n| f(n)).count();
                assert_eq!(count(|n| matches!(n, Notice::Error { .. })), 2);
                assert_eq!(
                    count(|n| matches!(n, Notice::CallNotPermitted { .. })),
                    1,
                    "one rejection heard, none after unsubscribing"
                );
            }

            #[test]
            fn operators_force_open_disable_trip_never_and_reset_with_their_events() {
                let (mut breaker, _) = manual(two_strikes());
                let heard = Arc::new(Mutex::new(Vec::new()));
                let sink = Arc::clone(&heard);
                breaker.subscribe(move |event| sink.lock().unwrap().push(event.notice.kind()));

                breaker.force_open();
                let rejection = breaker
                    .call(|| Ok::<_, Boom>(()))
                    .unwrap_err()
                    .rejection()
                    .cloned()
                    .expect("rejected while forced open");
                assert_eq!(rejection.reason, RejectReason::ForcedOpen);
                assert_eq!(rejection.retry_after, None);

                breaker.metrics_only();
                trip(&mut breaker);
                assert_eq!(breaker.state(), BreakerStateKind::MetricsOnly, "never trips");

                breaker.disable();
                let failures = breaker.metrics().failures;
                trip(&mut breaker);
                assert_eq!(breaker.metrics().failures, failures, "records nothing");

                breaker.reset();
                assert_eq!(breaker.state(), BreakerStateKind::Closed);
                assert_eq!(breaker.call(|| Ok::<_, Boom>(2)), Ok(2));
                let heard = heard.lock().unwrap();
                let transitions = heard.iter().filter(|k| **k == "state_transition").count();
                assert_eq!(transitions, 4, "{heard:?}");
                assert!(heard.contains(&"call_not_permitted"));
                assert_eq!(heard.iter().rev().nth(1), Some(&"reset"), "{heard:?}");
            }

            #[test]
            fn a_breaker_on_the_recent_clock_protects_calls() {
                let mut breaker: Breaker<RecentClock> =
                    mycel_std::$wrapper::new("search", two_strikes()).unwrap();
                assert_eq!(breaker.call(|| Ok::<_, Boom>(5)), Ok(5));
                trip(&mut breaker);
                assert_eq!(breaker.state(), BreakerStateKind::Open);
                assert!(
                    breaker
                        .call(|| Ok::<_, Boom>(5))
                        .is_err_and(|e| e.is_rejected())
                );
            }
        }
    };
}

one_owner_tests!(exclusive, ExclusiveBreaker);
one_owner_tests!(local, LocalBreaker);

//! `SharedBreaker::call_async`: outcomes, cancellation and panics.

mod support;

use mycel::breaker::BreakerStateKind;
use mycel::time::Duration;
use mycel_std::CallError;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use support::{Boom, manual, trip, two_strikes};

#[tokio::test]
async fn an_async_call_returns_its_value_or_its_own_error() {
    let (breaker, _) = manual(two_strikes());
    assert_eq!(breaker.call_async(async { Ok::<_, Boom>(3) }).await, Ok(3));
    let err = breaker
        .call_async(async { Err::<(), _>(Boom("down")) })
        .await
        .unwrap_err();
    assert_eq!(err, CallError::Inner(Boom("down")));
    let m = breaker.metrics();
    assert_eq!((m.successes, m.failures), (1, 1));
}

#[tokio::test]
async fn an_open_breaker_rejects_an_async_call_without_polling_it() {
    let (breaker, _) = manual(two_strikes());
    trip(&breaker);
    let mut polled = false;
    let err = breaker
        .call_async(async {
            polled = true;
            Ok::<_, Boom>(())
        })
        .await
        .unwrap_err();
    assert!(err.is_rejected());
    assert!(!polled);
}

#[test]
fn a_future_dropped_mid_call_records_ignored_and_frees_its_half_open_probe() {
    let (breaker, clock) = manual(two_strikes());
    trip(&breaker);
    clock.advance(Duration::from_secs(1));
    {
        let mut call = pin!(breaker.call_async(std::future::pending::<Result<(), Boom>>()));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(call.as_mut().poll(&mut cx).is_pending());
        assert_eq!(breaker.state(), BreakerStateKind::HalfOpen);
        assert_eq!(breaker.with_engine(|b| b.outstanding_permits()), 1);
    } // cancelled here
    assert_eq!(breaker.metrics().ignored, 1);
    assert_eq!(breaker.with_engine(|b| b.outstanding_permits()), 0);
    assert_eq!(
        breaker.state(),
        BreakerStateKind::HalfOpen,
        "nothing learned"
    );
    assert_eq!(
        breaker.call(|| Ok::<_, Boom>(())),
        Ok(()),
        "the probe slot is free"
    );
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
}

#[test]
fn a_future_never_polled_takes_no_permit() {
    let (breaker, _) = manual(two_strikes());
    drop(breaker.call_async(async { Ok::<_, Boom>(()) }));
    let m = breaker.metrics();
    assert_eq!((m.permitted, m.ignored), (0, 0));
}

#[test]
fn a_panicking_future_records_a_failure_and_the_panic_goes_on() {
    let (breaker, _) = manual(two_strikes());
    let caught = catch_unwind(AssertUnwindSafe(|| {
        let mut call = pin!(breaker.call_async(async {
            panic!("bug");
            #[allow(unreachable_code)]
            Ok::<(), Boom>(())
        }));
        let mut cx = Context::from_waker(Waker::noop());
        let _ = call.as_mut().poll(&mut cx);
    }));
    assert!(caught.is_err());
    let m = breaker.metrics();
    assert_eq!((m.failures, m.ignored), (1, 0));
    assert_eq!(breaker.with_engine(|b| b.outstanding_permits()), 0);
}

#[test]
fn a_ready_future_completes_on_its_first_poll() {
    let (breaker, _) = manual(two_strikes());
    let mut call = pin!(breaker.call_async(async { Ok::<_, Boom>(5) }));
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(call.as_mut().poll(&mut cx), Poll::Ready(Ok(5)));
}

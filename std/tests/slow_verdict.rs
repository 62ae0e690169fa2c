//! A classifier decides whether a call was slow: through `call_classified`, the async
//! wrappers, a bank, the tower layer and the listeners' notices.

mod support;

use mycel::breaker::{
    BreakerConfig, BreakerStateKind, CountWindowPolicy, Notice, Outcome, SlowCallPolicy,
};
use mycel::time::Duration;
use mycel_std::{CircuitBreakerLayer, ManualClock, SharedBank, SharedBreaker, Speed, Verdict};
use std::sync::{Arc, Mutex};
use support::{Boom, manual};
use tower::{Layer, Service};

/// Trips only on the slow-call rate: half of 4 calls slower than 100 ms.
fn slow_rate_only() -> BreakerConfig {
    BreakerConfig::consecutive(1, Duration::from_secs(1), 1)
        .with_consecutive_failures(None)
        .with_count_window(CountWindowPolicy {
            size: 4,
            failure_rate_percent: 100,
            minimum_calls: 4,
        })
        .with_slow_calls(SlowCallPolicy {
            threshold: Duration::from_millis(100),
            rate_percent: 50,
        })
}

/// A reply that says whether the backend served it from its degraded path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reply {
    degraded: bool,
}

/// Degraded replies are slow whatever they took; the others are timed.
fn degraded_is_slow(result: &Result<Reply, Boom>) -> Verdict {
    match result {
        Ok(Reply { degraded: true }) => Verdict::slow(Outcome::Success),
        Ok(_) => Verdict::timed(Outcome::Success),
        Err(_) => Verdict::timed(Outcome::Failure),
    }
}

/// Every success is quick, whatever the clock says (e.g. the backend streams and its
/// length is the payload's, not the backend's health).
fn never_slow(result: &Result<Reply, Boom>) -> Verdict {
    let outcome = if result.is_ok() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    Verdict::new(outcome, Speed::NotSlow)
}

/// Four calls, each taking `took` on `clock` and returning `reply`.
fn four_calls(
    breaker: &SharedBreaker<ManualClock>,
    clock: &ManualClock,
    took: Duration,
    reply: Reply,
    classify: fn(&Result<Reply, Boom>) -> Verdict,
) {
    for _ in 0..4 {
        let answer = breaker.call_classified(&classify, || {
            clock.advance(took);
            Ok::<_, Boom>(reply)
        });
        assert_eq!(answer, Ok(reply));
    }
}

#[test]
fn quick_replies_the_classifier_calls_slow_trip_the_slow_call_rate() {
    let quick = Duration::from_millis(1);
    let (timed, clock) = manual(slow_rate_only());
    four_calls(
        &timed,
        &clock,
        quick,
        Reply { degraded: false },
        degraded_is_slow,
    );
    assert_eq!(timed.state(), BreakerStateKind::Closed, "by clock: quick");
    assert_eq!(timed.metrics().slow, 0);

    let (judged, clock) = manual(slow_rate_only());
    four_calls(
        &judged,
        &clock,
        quick,
        Reply { degraded: true },
        degraded_is_slow,
    );
    assert_eq!(judged.state(), BreakerStateKind::Open);
    assert_eq!(judged.metrics().slow, 4);
}

#[test]
fn slow_by_clock_replies_the_classifier_calls_not_slow_do_not_trip() {
    let long = Duration::from_millis(500);
    let reply = Reply { degraded: false };
    let (timed, clock) = manual(slow_rate_only());
    four_calls(&timed, &clock, long, reply, degraded_is_slow);
    assert_eq!(timed.state(), BreakerStateKind::Open, "by clock: slow");

    let (judged, clock) = manual(slow_rate_only());
    four_calls(&judged, &clock, long, reply, never_slow);
    assert_eq!(judged.state(), BreakerStateKind::Closed);
    assert_eq!(judged.metrics().slow, 0);
}

#[test]
fn a_closure_returning_an_outcome_is_still_a_classifier_timed_by_the_clock() {
    let (breaker, clock) = manual(slow_rate_only());
    for _ in 0..4 {
        let _ = breaker.call_classified(&|_: &Result<(), Boom>| Outcome::Success, || {
            clock.advance(Duration::from_millis(101));
            Ok(())
        });
    }
    assert_eq!(breaker.metrics().slow, 4);
    assert_eq!(breaker.state(), BreakerStateKind::Open);
}

#[test]
fn a_listener_hears_the_slowness_the_classifier_decided() {
    let (breaker, _) = manual(slow_rate_only());
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&heard);
    breaker.subscribe(move |event| sink.lock().unwrap().push(event.notice));
    let _ = breaker.call_classified(&degraded_is_slow, || Ok(Reply { degraded: true }));
    let _ = breaker.call_classified(&degraded_is_slow, || Ok(Reply { degraded: false }));
    let slow: Vec<bool> = heard
        .lock()
        .unwrap()
        .iter()
        .filter_map(|notice| match notice {
            Notice::Success { slow, .. } => Some(*slow),
            _ => None,
        })
        .collect();
    assert_eq!(slow, [true, false]);
}

#[tokio::test]
async fn an_async_call_records_the_classifier_verdict() {
    let (breaker, _) = manual(slow_rate_only());
    for _ in 0..4 {
        let reply = breaker
            .call_async_classified(&degraded_is_slow, async { Ok(Reply { degraded: true }) })
            .await;
        assert_eq!(reply, Ok(Reply { degraded: true }));
    }
    assert_eq!(breaker.metrics().slow, 4);
    assert_eq!(breaker.state(), BreakerStateKind::Open);
}

#[tokio::test]
async fn a_bank_records_the_classifier_verdict_sync_and_async() {
    let clock = ManualClock::new();
    let bank: SharedBank<u8, 4, ManualClock> =
        SharedBank::with_clock(slow_rate_only(), clock.clone()).unwrap();
    for _ in 0..4 {
        let _ = bank.call_classified(1, &degraded_is_slow, || Ok(Reply { degraded: true }));
        let _ = bank
            .call_async_classified(2, &degraded_is_slow, async { Ok(Reply { degraded: true }) })
            .await;
        let _ = bank.call_classified(3, &never_slow, || {
            clock.advance(Duration::from_millis(500));
            Ok(Reply { degraded: false })
        });
    }
    assert_eq!(bank.state(&1), Some(BreakerStateKind::Open), "sync");
    assert_eq!(bank.state(&2), Some(BreakerStateKind::Open), "async");
    assert_eq!(
        bank.state(&3),
        Some(BreakerStateKind::Closed),
        "judged quick"
    );
    assert_eq!(bank.metrics(&3).map(|m| m.slow), Some(0));
}

/// A service that answers `Reply { degraded }` for `degraded`.
#[derive(Clone)]
struct Backend;

impl Service<bool> for Backend {
    type Response = Reply;
    type Error = Boom;
    type Future = std::future::Ready<Result<Reply, Boom>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Boom>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, degraded: bool) -> Self::Future {
        std::future::ready(Ok(Reply { degraded }))
    }
}

#[tokio::test]
async fn the_tower_layer_records_its_classifier_verdict() {
    let (breaker, _) = manual(slow_rate_only());
    let mut service = CircuitBreakerLayer::new(breaker.clone())
        .with_classifier(degraded_is_slow)
        .layer(Backend);
    for degraded in [false, true, false, true] {
        let reply = service.call(degraded).await;
        assert_eq!(reply, Ok(Reply { degraded }));
    }
    let m = breaker.metrics();
    assert_eq!((m.successes, m.slow), (4, 2));
    assert_eq!(breaker.state(), BreakerStateKind::Open);
    assert_eq!(
        breaker
            .metrics()
            .slow_call_rate
            .map(|rate| (rate.bad, rate.calls)),
        Some((2, 4))
    );
}

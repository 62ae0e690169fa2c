//! `SharedBank`: one breaker per backend, named by its key.

mod support;

use mycel::breaker::BreakerStateKind;
use mycel::time::Duration;
use mycel_std::{BankCallError, ManualClock, SharedBank};
use std::pin::pin;
use std::task::{Context, Waker};
use support::{Boom, two_strikes};

fn bank() -> (SharedBank<&'static str, 2, ManualClock>, ManualClock) {
    let clock = ManualClock::new();
    (
        SharedBank::with_clock(two_strikes(), clock.clone()).unwrap(),
        clock,
    )
}

#[test]
fn each_key_has_its_own_breaker_and_rejections_name_it() {
    let (bank, _) = bank();
    for _ in 0..2 {
        let _ = bank.call("payments", || Err::<(), _>(Boom("down")));
    }
    assert_eq!(bank.state(&"payments"), Some(BreakerStateKind::Open));
    assert_eq!(bank.call("search", || Ok::<_, Boom>(1)), Ok(1));
    match bank.call("payments", || Ok::<_, Boom>(())) {
        Err(BankCallError::Call(e)) => {
            assert_eq!(&*e.rejection().unwrap().breaker, "payments");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn a_full_bank_never_evicts_an_open_breaker() {
    let (bank, _) = bank();
    for key in ["a", "b"] {
        for _ in 0..2 {
            let _ = bank.call(key, || Err::<(), _>(Boom("down")));
        }
    }
    let err = bank.call("c", || Ok::<_, Boom>(())).unwrap_err();
    assert_eq!(err, BankCallError::Bank(mycel::breaker::BankError::Full));
}

#[test]
fn a_cancelled_bank_call_frees_its_half_open_probe() {
    let (bank, clock) = bank();
    for _ in 0..2 {
        let _ = bank.call("a", || Err::<(), _>(Boom("down")));
    }
    clock.advance(Duration::from_secs(1));
    {
        let mut call = pin!(bank.call_async("a", std::future::pending::<Result<(), Boom>>()));
        let _ = call.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert_eq!(bank.state(&"a"), Some(BreakerStateKind::HalfOpen));
    }
    assert_eq!(bank.metrics(&"a").unwrap().ignored, 1);
    assert_eq!(bank.call("a", || Ok::<_, Boom>(())), Ok(()));
    assert_eq!(bank.state(&"a"), Some(BreakerStateKind::Closed));
}

#[test]
fn the_shared_bank_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<SharedBank<u16, 8>>();
}

#[test]
fn a_bank_listener_hears_each_breaker_by_its_key() {
    let (bank, _) = bank();
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&heard);
    bank.subscribe(move |e| {
        sink.lock()
            .unwrap()
            .push((e.breaker.to_string(), e.notice.kind()))
    });
    let _ = bank.call("search", || Ok::<_, Boom>(()));
    for _ in 0..2 {
        let _ = bank.call("payments", || Err::<(), _>(Boom("down")));
    }
    let _ = bank.call("payments", || Ok::<_, Boom>(()));
    let heard = heard.lock().unwrap();
    let expected = [
        ("search", "success"),
        ("payments", "error"),
        ("payments", "error"),
        ("payments", "state_transition"),
        ("payments", "call_not_permitted"),
    ];
    assert_eq!(
        heard
            .iter()
            .map(|(b, k)| (b.as_str(), *k))
            .collect::<Vec<_>>(),
        expected
    );
}

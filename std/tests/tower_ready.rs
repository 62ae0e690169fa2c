//! The layer's `poll_ready` is the inner service's, whatever the breaker's state.

mod support;

use mycel_std::{CallError, CircuitBreakerLayer};
use std::future::{Future, Ready};
use std::task::{Context, Poll, Waker};
use support::{manual, trip, two_strikes};
use tower::{Layer, Service};

/// A service that is ready only when told, and counts its calls.
#[derive(Default)]
struct Gate {
    open: bool,
    calls: u32,
}

impl Service<u32> for Gate {
    type Response = u32;
    type Error = &'static str;
    type Future = Ready<Result<u32, &'static str>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        if self.open {
            Poll::Ready(Ok(()))
        } else {
            Poll::Pending
        }
    }

    fn call(&mut self, n: u32) -> Self::Future {
        self.calls += 1;
        std::future::ready(Ok(n))
    }
}

#[test]
fn poll_ready_follows_the_inner_service_and_never_the_breaker() {
    let (breaker, _) = manual(two_strikes());
    let mut service = CircuitBreakerLayer::new(breaker.clone()).layer(Gate::default());
    let mut cx = Context::from_waker(Waker::noop());
    assert!(service.poll_ready(&mut cx).is_pending(), "inner not ready");

    trip(&breaker);
    assert!(
        service.poll_ready(&mut cx).is_pending(),
        "still the inner's answer"
    );

    let mut ready = CircuitBreakerLayer::new(breaker.clone()).layer(Gate {
        open: true,
        calls: 0,
    });
    assert_eq!(
        ready.poll_ready(&mut cx),
        Poll::Ready(Ok(())),
        "an OPEN breaker does not make the service unready"
    );
    let rejected = std::pin::pin!(ready.call(7));
    match rejected.poll(&mut cx) {
        Poll::Ready(Err(CallError::Rejected(r))) => assert_eq!(&*r.breaker, "inventory"),
        other => panic!("expected an immediate rejection, got {other:?}"),
    }
    assert_eq!(ready.get_ref().calls, 0, "the inner service never saw it");
}

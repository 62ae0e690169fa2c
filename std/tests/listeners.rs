//! Subscriptions: every kind of event, in order, named by the backend, serializable.

mod support;

use mycel::breaker::{BreakerStateKind, Notice, Rate, Reason};
use mycel::time::Duration;
use mycel_std::Event;
use std::sync::{Arc, Mutex};
use support::{Boom, manual, trip, two_strikes};

fn recorder() -> (
    Arc<Mutex<Vec<Event>>>,
    impl Fn(&Event) + Send + Sync + 'static,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |e: &Event| sink.lock().unwrap().push(e.clone()))
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.notice.kind()).collect()
}

#[test]
fn a_listener_hears_outcomes_transitions_rejections_and_resets_in_order() {
    let (breaker, clock) = manual(two_strikes());
    let (seen, listener) = recorder();
    breaker.subscribe(listener);

    breaker.call(|| Ok::<_, Boom>(())).unwrap();
    trip(&breaker);
    let _ = breaker.call(|| Ok::<_, Boom>(()));
    breaker.force_open();
    breaker.reset();
    clock.advance(Duration::from_millis(5));
    let _ = breaker.call(|| Err::<(), _>(Boom("down")));
    breaker.reset();

    let events = seen.lock().unwrap();
    assert_eq!(
        kinds(&events),
        [
            "success",
            "error",
            "error",
            "state_transition",
            "call_not_permitted",
            "state_transition",
            "state_transition",
            "reset",
            "error",
            "reset",
        ]
    );
    assert!(events.iter().all(|e| &*e.breaker == "inventory"));
    match events[3].notice {
        Notice::StateTransition(change) => {
            assert_eq!(
                (change.from, change.to, change.reason),
                (
                    BreakerStateKind::Closed,
                    BreakerStateKind::Open,
                    Reason::ConsecutiveFailures
                )
            );
        }
        other => panic!("expected the trip, got {other:?}"),
    }
}

#[test]
fn a_rate_trip_is_heard_with_its_exact_rate() {
    let config = mycel::breaker::BreakerConfig::failure_rate(50, 4, 4, Duration::from_secs(1));
    let (breaker, _) = manual(config);
    let (seen, listener) = recorder();
    breaker.subscribe(listener);
    for ok in [true, false, true, false] {
        let _ = breaker.call(|| if ok { Ok(()) } else { Err(Boom("down")) });
    }
    let events = seen.lock().unwrap();
    let exceeded = events
        .iter()
        .find_map(|e| match e.notice {
            Notice::FailureRateExceeded { rate, .. } => Some(rate),
            _ => None,
        })
        .expect("a failure-rate-exceeded event");
    assert_eq!(exceeded, Some(Rate { bad: 2, calls: 4 }));
}

#[test]
fn cancelled_and_ignored_calls_are_heard_as_ignored() {
    let (breaker, _) = manual(two_strikes());
    let (seen, listener) = recorder();
    breaker.subscribe(listener);
    drop(breaker.acquire().unwrap());
    assert_eq!(kinds(&seen.lock().unwrap()), ["ignored"]);
}

#[test]
fn an_unsubscribed_listener_hears_nothing_more() {
    let (breaker, _) = manual(two_strikes());
    let (seen, listener) = recorder();
    let id = breaker.subscribe(listener);
    breaker.call(|| Ok::<_, Boom>(())).unwrap();
    assert!(breaker.unsubscribe(id));
    assert!(!breaker.unsubscribe(id), "only once");
    breaker.call(|| Ok::<_, Boom>(())).unwrap();
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn a_listener_may_use_the_breaker_it_listens_to() {
    let (breaker, _) = manual(two_strikes());
    let inner = breaker.clone();
    let states = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&states);
    breaker.subscribe(move |_| sink.lock().unwrap().push(inner.metrics().permitted));
    breaker.call(|| Ok::<_, Boom>(())).unwrap();
    assert_eq!(*states.lock().unwrap(), [1]);
}

#[test]
fn events_serialize_to_json_and_back() {
    let (breaker, _) = manual(two_strikes());
    let (seen, listener) = recorder();
    breaker.subscribe(listener);
    trip(&breaker);
    breaker.reset();
    let events = seen.lock().unwrap().clone();
    let json = serde_json::to_string(&events).unwrap();
    assert!(json.contains(r#""breaker":"inventory""#), "{json}");
    assert!(json.contains("ConsecutiveFailures"), "{json}");
    let back: Vec<Event> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, events);
}

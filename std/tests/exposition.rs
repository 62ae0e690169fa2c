//! Metrics export: the OpenMetrics text parsed back with a Prometheus parser, and the
//! `metrics` facade seen through a debugging recorder.

mod support;

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use mycel::time::Duration;
use mycel_std::{BreakerCollector, ManualClock, SharedBreaker, report_to_metrics};
use prometheus_client::registry::Registry;
use prometheus_parse::{Sample, Scrape, Value};
use support::{Boom, trip, two_strikes};

fn scrape(registry: &Registry) -> Scrape {
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, registry).unwrap();
    assert!(
        text.ends_with("# EOF\n"),
        "OpenMetrics text ends with # EOF"
    );
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).unwrap()
}

fn value(sample: &Sample) -> f64 {
    match sample.value {
        Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => v,
        _ => f64::NAN,
    }
}

/// The value of `metric` for `breaker` (and the extra label, if any); `None` if absent.
fn find(scrape: &Scrape, metric: &str, breaker: &str, extra: Option<(&str, &str)>) -> Option<f64> {
    scrape
        .samples
        .iter()
        .find(|s| {
            s.metric == metric
                && s.labels.get("breaker") == Some(breaker)
                && extra.is_none_or(|(k, v)| s.labels.get(k) == Some(v))
        })
        .map(value)
}

#[test]
fn the_exposition_parses_and_labels_every_sample_by_breaker_name() {
    let clock = ManualClock::new();
    let payments = SharedBreaker::with_clock("payments", two_strikes(), clock.clone()).unwrap();
    let search = SharedBreaker::with_clock("search", two_strikes(), clock.clone()).unwrap();
    let collector = BreakerCollector::new();
    collector.add(&payments);
    collector.add(&search);
    let mut registry = Registry::default();
    registry.register_collector(Box::new(collector));

    search.call(|| Ok::<_, Boom>(())).unwrap();
    trip(&payments);
    let _ = payments.call(|| Ok::<_, Boom>(()));
    clock.advance(Duration::from_millis(10));

    let scrape = scrape(&registry);
    let failures = "mycel_breaker_failures_total";
    assert_eq!(find(&scrape, failures, "payments", None), Some(2.0));
    assert_eq!(find(&scrape, failures, "search", None), Some(0.0));
    assert_eq!(
        find(&scrape, "mycel_breaker_rejected_total", "payments", None),
        Some(1.0)
    );
    assert_eq!(
        find(&scrape, "mycel_breaker_successes_total", "search", None),
        Some(1.0)
    );
    let state = "mycel_breaker_state";
    assert_eq!(
        find(&scrape, state, "payments", Some(("state", "OPEN"))),
        Some(1.0)
    );
    assert_eq!(
        find(&scrape, state, "payments", Some(("state", "CLOSED"))),
        Some(0.0)
    );
    assert_eq!(
        find(&scrape, state, "search", Some(("state", "CLOSED"))),
        Some(1.0)
    );
    assert!(
        scrape
            .samples
            .iter()
            .all(|s| s.labels.get("breaker").is_some()),
        "every sample names its breaker"
    );
}

#[test]
fn rates_are_exported_as_the_exact_fraction_and_window_counts_by_kind() {
    let config = mycel::breaker::BreakerConfig::failure_rate(100, 4, 4, Duration::from_secs(1));
    let breaker = SharedBreaker::with_clock("ledger", config, ManualClock::new()).unwrap();
    let collector = BreakerCollector::new();
    collector.add(&breaker);
    let mut registry = Registry::default();
    registry.register_collector(Box::new(collector));

    let before = scrape(&registry);
    assert_eq!(
        find(&before, "mycel_breaker_failure_rate", "ledger", None),
        None,
        "unreadable"
    );
    for ok in [true, false, false] {
        let _ = breaker.call(|| if ok { Ok(()) } else { Err(Boom("down")) });
    }
    // Below the minimum of 4: still no rate, but the window shows its three calls.
    let s = scrape(&registry);
    assert_eq!(find(&s, "mycel_breaker_failure_rate", "ledger", None), None);
    let window = "mycel_breaker_window_calls";
    assert_eq!(
        find(&s, window, "ledger", Some(("kind", "buffered"))),
        Some(3.0)
    );
    assert_eq!(
        find(&s, window, "ledger", Some(("kind", "failed"))),
        Some(2.0)
    );
    let _ = breaker.call(|| Err::<(), _>(Boom("down")));
    let s = scrape(&registry);
    assert_eq!(
        find(&s, "mycel_breaker_failure_rate", "ledger", None),
        Some(0.75)
    );
}

#[test]
fn the_metrics_facade_counts_events_by_kind_and_tracks_the_state() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        let (breaker, _) = support::manual(two_strikes());
        report_to_metrics(&breaker);
        breaker.call(|| Ok::<_, Boom>(())).unwrap();
        trip(&breaker);
    });
    let mut errors = None;
    let mut state = None;
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        let key = key.key();
        let label = |name: &str| {
            key.labels()
                .find(|l| l.key() == name)
                .map(|l| l.value().to_owned())
        };
        assert_eq!(label("breaker").as_deref(), Some("inventory"));
        match (key.name(), label("kind").as_deref(), value) {
            ("mycel_breaker_events_total", Some("error"), DebugValue::Counter(n)) => {
                errors = Some(n)
            }
            ("mycel_breaker_state", None, DebugValue::Gauge(g)) => state = Some(g.into_inner()),
            _ => {}
        }
    }
    assert_eq!(errors, Some(2));
    assert_eq!(
        state,
        Some(mycel_std::state_code(
            mycel::breaker::BreakerStateKind::Open
        ))
    );
}

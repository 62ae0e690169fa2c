//! OpenMetrics (Prometheus) text exposition of breakers with `prometheus-client`.
//!
//! A [`BreakerCollector`] reads each breaker's engine metrics at scrape time, so
//! every number is the engine's own lifetime counter or current view, never a second
//! count kept beside it. Every sample carries the label `breaker="<name>"`.

use crate::{Clock, SharedBreaker};
use mycel::breaker::{BreakerStateKind, Metrics, Rate};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use std::sync::{Arc, PoisonError, RwLock};

/// What a collector reads from one breaker at scrape time.
trait Scraped: Send + Sync {
    fn name(&self) -> &str;
    fn read(&self) -> (BreakerStateKind, Metrics, u64);
}

impl<C: Clock, const W: usize, const B: usize> Scraped for SharedBreaker<C, W, B> {
    fn name(&self) -> &str {
        SharedBreaker::name(self)
    }

    fn read(&self) -> (BreakerStateKind, Metrics, u64) {
        (
            self.state(),
            self.metrics(),
            self.view_counts().not_permitted,
        )
    }
}

/// A lifetime counter exposed: its name, help text and where it is read.
type CounterSpec = (&'static str, &'static str, fn(&Metrics) -> u64);

/// The lifetime counters exposed.
const COUNTERS: [CounterSpec; 8] = [
    ("mycel_breaker_permitted", "Calls permitted.", |m| {
        m.permitted
    }),
    ("mycel_breaker_rejected", "Calls not permitted.", |m| {
        m.rejected
    }),
    (
        "mycel_breaker_successes",
        "Successful outcomes recorded.",
        |m| m.successes,
    ),
    ("mycel_breaker_failures", "Failed outcomes recorded.", |m| {
        m.failures
    }),
    ("mycel_breaker_ignored", "Ignored outcomes recorded.", |m| {
        m.ignored
    }),
    ("mycel_breaker_slow", "Slow outcomes recorded.", |m| m.slow),
    (
        "mycel_breaker_stale",
        "Outcomes dropped because their permit was from an earlier generation.",
        |m| m.stale,
    ),
    ("mycel_breaker_state_changes", "State changes.", |m| {
        m.state_changes
    }),
];

/// The states of the one-hot state gauge.
const STATES: [BreakerStateKind; 6] = [
    BreakerStateKind::Closed,
    BreakerStateKind::Open,
    BreakerStateKind::HalfOpen,
    BreakerStateKind::ForcedOpen,
    BreakerStateKind::Disabled,
    BreakerStateKind::MetricsOnly,
];

/// A `prometheus-client` collector for any number of named breakers.
///
/// Register it once (`registry.register_collector(Box::new(collector.clone()))`) and
/// [`add`](Self::add) breakers at any time; clones share the same list. Exposes, per
/// breaker: the lifetime counters (`mycel_breaker_permitted_total`, `..._rejected_total`,
/// `..._successes_total`, `..._failures_total`, `..._ignored_total`, `..._slow_total`,
/// `..._stale_total`, `..._state_changes_total`), the state as a one-hot gauge
/// (`mycel_breaker_state{state="OPEN"} 1`), the current view's exact rates as
/// fractions (`mycel_breaker_failure_rate`, `mycel_breaker_slow_call_rate`, absent while
/// unreadable) and what its window holds (`mycel_breaker_window_calls{kind=...}`:
/// buffered, failed, successful, slow, and not_permitted since the latest state change).
#[derive(Clone, Default)]
pub struct BreakerCollector {
    breakers: Arc<RwLock<Vec<Box<dyn Scraped>>>>,
}

impl std::fmt::Debug for BreakerCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = self.breakers.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_list()
            .entries(list.iter().map(|b| b.name()))
            .finish()
    }
}

impl BreakerCollector {
    /// A collector with no breaker yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `breaker` (a handle to it: the collector shares the breaker).
    pub fn add<C: Clock, const W: usize, const B: usize>(&self, breaker: &SharedBreaker<C, W, B>) {
        self.breakers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Box::new(breaker.clone()));
    }
}

fn encode_rate(
    encoder: &mut DescriptorEncoder<'_>,
    name: &str,
    help: &str,
    samples: &[(&str, Option<Rate>)],
) -> Result<(), std::fmt::Error> {
    let probe = ConstGauge::new(0.0f64);
    let mut family = encoder.encode_descriptor(name, help, None, probe.metric_type())?;
    for (breaker, rate) in samples {
        if let Some(rate) = rate {
            let labels = [("breaker", *breaker)];
            ConstGauge::new(rate.as_f64()).encode(family.encode_family(&labels)?)?;
        }
    }
    Ok(())
}

impl Collector for BreakerCollector {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let list = self.breakers.read().unwrap_or_else(PoisonError::into_inner);
        let read: Vec<(&str, BreakerStateKind, Metrics, u64)> = list
            .iter()
            .map(|b| {
                let (state, metrics, not_permitted) = b.read();
                (b.name(), state, metrics, not_permitted)
            })
            .collect();

        for (name, help, value) in COUNTERS {
            let probe = ConstCounter::new(0u64);
            let mut family = encoder.encode_descriptor(name, help, None, probe.metric_type())?;
            for (breaker, _, metrics, _) in &read {
                let labels = [("breaker", *breaker)];
                ConstCounter::new(value(metrics)).encode(family.encode_family(&labels)?)?;
            }
        }

        let probe = ConstGauge::new(0i64);
        let mut family = encoder.encode_descriptor(
            "mycel_breaker_state",
            "1 for the state the breaker is in, 0 for the others.",
            None,
            probe.metric_type(),
        )?;
        for (breaker, state, _, _) in &read {
            for each in STATES {
                let labels = [("breaker", *breaker), ("state", each.as_str())];
                ConstGauge::new(i64::from(each == *state))
                    .encode(family.encode_family(&labels)?)?;
            }
        }

        let failure: Vec<_> = read
            .iter()
            .map(|(b, _, m, _)| (*b, m.failure_rate))
            .collect();
        encode_rate(
            &mut encoder,
            "mycel_breaker_failure_rate",
            "Failures of the counted calls in the current view (exact fraction as a float).",
            &failure,
        )?;
        let slow: Vec<_> = read
            .iter()
            .map(|(b, _, m, _)| (*b, m.slow_call_rate))
            .collect();
        encode_rate(
            &mut encoder,
            "mycel_breaker_slow_call_rate",
            "Slow calls of the counted calls in the current view (exact fraction as a float).",
            &slow,
        )?;

        let probe = ConstGauge::new(0i64);
        let mut family = encoder.encode_descriptor(
            "mycel_breaker_window_calls",
            "Calls in the current window by kind; not_permitted: rejections since the latest state change.",
            None,
            probe.metric_type(),
        )?;
        for (breaker, _, m, not_permitted) in &read {
            let w = m.window;
            for (kind, value) in [
                ("buffered", w.buffered),
                ("failed", w.failed),
                ("successful", w.successful),
                ("slow", w.slow),
                ("not_permitted", *not_permitted),
            ] {
                let labels = [("breaker", *breaker), ("kind", kind)];
                let value = i64::try_from(value).unwrap_or(i64::MAX);
                ConstGauge::new(value).encode(family.encode_family(&labels)?)?;
            }
        }
        Ok(())
    }
}

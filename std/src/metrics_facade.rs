//! Reporting a breaker's events to the `metrics` facade (whatever recorder the
//! application installed: Prometheus, StatsD, ...).

use crate::{Clock, Event, ListenerId, SharedBreaker};
use mycel::breaker::{BreakerStateKind, Notice};

/// The value of the `mycel_breaker_state` gauge for each state.
#[must_use]
pub const fn state_code(state: BreakerStateKind) -> f64 {
    match state {
        BreakerStateKind::Closed => 0.0,
        BreakerStateKind::Open => 1.0,
        BreakerStateKind::HalfOpen => 2.0,
        BreakerStateKind::ForcedOpen => 3.0,
        BreakerStateKind::Disabled => 4.0,
        BreakerStateKind::MetricsOnly => 5.0,
    }
}

/// Subscribes a listener that reports every event of `breaker` to the `metrics`
/// facade: the counter `mycel_breaker_events_total{breaker, kind}` (kind as in
/// [`Notice::kind`]) and, on each transition, the gauge `mycel_breaker_state{breaker}`
/// ([`state_code`]: 0 CLOSED, 1 OPEN, 2 HALF_OPEN, 3 FORCED_OPEN, 4 DISABLED,
/// 5 METRICS_ONLY). Returns the subscription, to stop it with
/// [`SharedBreaker::unsubscribe`].
pub fn report_to_metrics<C: Clock, const W: usize, const B: usize>(
    breaker: &SharedBreaker<C, W, B>,
) -> ListenerId {
    let name = breaker.name().to_owned();
    metrics::gauge!("mycel_breaker_state", "breaker" => name.clone())
        .set(state_code(breaker.state()));
    breaker.subscribe(move |event: &Event| {
        metrics::counter!(
            "mycel_breaker_events_total",
            "breaker" => name.clone(),
            "kind" => event.notice.kind()
        )
        .increment(1);
        if let Notice::StateTransition(change) = event.notice {
            metrics::gauge!("mycel_breaker_state", "breaker" => name.clone())
                .set(state_code(change.to));
        }
    })
}

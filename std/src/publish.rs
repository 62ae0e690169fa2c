//! What every std wrapper does once the engine has answered a call that was not quiet:
//! log its state changes by the backend's name, hand its notices to the listeners, and
//! turn a refusal into a [`Rejection`] that names the breaker.

use crate::Rejection;
use crate::clock::std_duration;
use crate::listeners::Listeners;
use mycel::breaker::{BreakerChanges, BreakerStateKind, Notices, Rejected};
use mycel::time::{self, Instant};
use std::sync::Arc;

/// Whether `changes` holds neither a state change nor a reset: nothing to log or settle.
#[inline]
pub(crate) fn is_quiet(changes: &BreakerChanges) -> bool {
    changes.is_empty() && !changes.is_reset()
}

/// Hands `notices` (built only when someone listens) to `listeners`, then logs each
/// state change and a reset, naming the breaker `name`.
pub(crate) fn publish(
    name: &Arc<str>,
    listeners: &Listeners,
    changes: &BreakerChanges,
    notices: Option<Notices>,
) {
    if let Some(notices) = notices {
        listeners.deliver(name, &notices);
    }
    for change in changes {
        log::info!(
            "breaker {}: {} -> {} ({})",
            name,
            change.from,
            change.to,
            change.reason
        );
    }
    if changes.is_reset() {
        log::info!("breaker {}: reset", name);
    }
}

/// The error a caller gets for a call the breaker `name` refused at `now` while in
/// `state`: the reason, and when OPEN how long until probes are admitted again.
pub(crate) fn rejection(
    name: &Arc<str>,
    rejected: Rejected,
    state: BreakerStateKind,
    now: Instant,
) -> Rejection {
    log::debug!(
        "breaker {}: call rejected ({})",
        name,
        rejected.reason.as_str()
    );
    Rejection {
        breaker: Arc::clone(name),
        state,
        reason: rejected.reason,
        retry_after: rejected
            .retry_at
            .map(|at| std_duration(time::since(at, now))),
    }
}

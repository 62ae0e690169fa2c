//! What every std wrapper does once the engine has answered a call that was not quiet:
//! log its state changes by the backend's name, hand its notices to the listeners, and
//! turn a refusal into a [`Rejection`] that names the breaker; and how a wrapper keeps
//! the routine permit apart from all that.

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

/// The permit in `$answer` (the engine's `try_acquire_routine` answer) when it is
/// routine and nobody listens (`$listening` is false). Otherwise the answer, as a whole
/// `Response`, is bound to `$response` for `$reported` (the wrapper's out-of-line
/// reporting, which returns `Result<Permit, Rejection>`), and the macro evaluates to
/// its permit or returns from the calling function with `$rejected(rejection)`.
///
/// A macro rather than a method returning `Result`: merged with the reporting path's
/// answer into one `Result`, the routine permit is kept in memory and read back with
/// wider loads than the stores that wrote it, a store-forwarding stall on every call
/// (about 6 of an `ExclusiveBreaker` call's 10 ns on x86-64); taken out of either
/// answer at once, it stays in registers.
macro_rules! routine_permit_or_return {
    ($answer:expr, $listening:expr, |$response:ident| $reported:expr, $rejected:expr) => {
        match $answer {
            Ok(permit) if !$listening => permit,
            answer => {
                let $response = answer.map_or_else(
                    |response| response,
                    |permit| mycel::breaker::Response::quiet(Ok(permit)),
                );
                match $reported {
                    Ok(permit) => permit,
                    Err(rejection) => return $rejected(rejection),
                }
            }
        }
    };
}
pub(crate) use routine_permit_or_return;

/// The operator calls every wrapper offers, each `self.apply_now(op)` on the wrapper's
/// own `apply_now` (the engine's operator call at the clock's instant, its changes
/// reported); `exclusive` for a wrapper called through `&mut self`, `shared` for `&self`.
macro_rules! operator_calls {
    (exclusive) => {
        operator_calls!(@calls mut);
    };
    (shared) => {
        operator_calls!(@calls);
    };
    (@calls $($mutable:tt)?) => {
        /// Operator: reject every call until [`reset`](Self::reset) or another operator
        /// call.
        pub fn force_open(&$($mutable)? self) {
            self.apply_now(CircuitBreaker::force_open);
        }

        /// Operator: permit every call and record nothing until [`reset`](Self::reset).
        pub fn disable(&$($mutable)? self) {
            self.apply_now(CircuitBreaker::disable);
        }

        /// Operator: record outcomes but never trip until [`reset`](Self::reset).
        pub fn metrics_only(&$($mutable)? self) {
            self.apply_now(CircuitBreaker::metrics_only);
        }

        /// Operator: back to a fresh CLOSED breaker (windows cleared, outstanding
        /// permits stale, lifetime counters kept).
        pub fn reset(&$($mutable)? self) {
            self.apply_now(CircuitBreaker::reset);
        }
    };
}
pub(crate) use operator_calls;

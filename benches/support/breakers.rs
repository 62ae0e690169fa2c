//! Breakers configured alike for the overhead comparison: mycel's and the peers'
//! (`failsafe`, `recloser`), each set up as closely as its API allows.
//!
//! | policy | mycel | failsafe | recloser |
//! |---|---|---|---|
//! | consecutive | 5 failures in a row | `consecutive_failures(5)` | ring of 5 at 100% failures |
//! | count window | 50% of the last 100 calls | (none; its rate policy is time-based) | ring of 100 at 50% |
//! | time window | 50% over 10 buckets of 1 s, from 20 calls | `success_rate_over_time_window(0.5, 20, 10 s)` | (none; its rate policy is count-based) |
//!
//! Where a peer has no matching policy, its nearest one stands in, and the README says so.

use failsafe::{backoff, failure_policy};
use mycel::breaker::{BreakerConfig, CircuitBreaker, CountWindowPolicy, Outcome, TimeWindowPolicy};
use mycel::time::{Duration, Instant};
use std::time::Duration as StdDuration;

/// How long every breaker stays open after a trip.
pub const OPEN_FOR_SECS: u64 = 30;
/// Consecutive failures that trip the consecutive policy.
pub const CONSECUTIVE: u32 = 5;
/// Calls in the count window.
pub const COUNT_WINDOW: u32 = 100;
/// Failure rate that trips a rate policy.
pub const RATE_PERCENT: u8 = 50;
/// Buckets of the time window, each one second wide.
pub const BUCKETS: u32 = 10;
/// Calls the time window needs before its rate counts.
pub const TIME_WINDOW_MINIMUM: u32 = 20;

/// Which trip policy a breaker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Trip on consecutive failures.
    Consecutive,
    /// Trip on the failure rate of the last N calls.
    CountWindow,
    /// Trip on the failure rate of the last B seconds.
    TimeWindow,
}

impl Policy {
    /// Every policy, in report order.
    pub const ALL: [Self; 3] = [Self::Consecutive, Self::CountWindow, Self::TimeWindow];

    /// The name used in bench ids and tables.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Consecutive => "consecutive",
            Self::CountWindow => "count_window",
            Self::TimeWindow => "time_window",
        }
    }
}

/// mycel's configuration for `policy`.
pub fn mycel_config(policy: Policy) -> BreakerConfig {
    let open_for = Duration::from_secs(OPEN_FOR_SECS);
    match policy {
        Policy::Consecutive => BreakerConfig::consecutive(CONSECUTIVE, open_for, 1),
        Policy::CountWindow => BreakerConfig::consecutive(CONSECUTIVE, open_for, 1)
            .with_consecutive_failures(None)
            .with_count_window(CountWindowPolicy {
                size: COUNT_WINDOW,
                failure_rate_percent: RATE_PERCENT,
                minimum_calls: COUNT_WINDOW,
            }),
        Policy::TimeWindow => BreakerConfig::consecutive(CONSECUTIVE, open_for, 1)
            .with_consecutive_failures(None)
            .with_time_window(TimeWindowPolicy {
                bucket_width: Duration::from_secs(1),
                buckets: BUCKETS,
                failure_rate_percent: RATE_PERCENT,
                minimum_calls: TIME_WINDOW_MINIMUM,
            }),
    }
}

/// A CLOSED mycel breaker for `policy`, started at tick 0.
pub fn mycel(policy: Policy) -> CircuitBreaker {
    CircuitBreaker::new(mycel_config(policy), Instant::from_ticks(0)).expect("valid config")
}

/// A mycel breaker for `policy` tripped OPEN at tick 0 (not forced: a real trip, so the
/// rejection path checks the open period's end on every call).
pub fn mycel_open(policy: Policy) -> CircuitBreaker {
    let mut breaker = mycel(policy);
    let now = Instant::from_ticks(0);
    for _ in 0..COUNT_WINDOW {
        if let Ok(permit) = breaker.try_acquire(now).value {
            let _ = breaker.record(permit, Outcome::Failure, now);
        }
    }
    assert_eq!(breaker.state(), mycel::breaker::BreakerStateKind::Open);
    breaker
}

/// One admitted call: `try_acquire` then `record(Success)`, both at `now`.
#[inline]
pub fn mycel_call(breaker: &mut CircuitBreaker, now: Instant) -> bool {
    match breaker.try_acquire(now).value {
        Ok(permit) => {
            let _ = breaker.record(permit, Outcome::Success, now);
            true
        }
        Err(_) => false,
    }
}

/// One call while OPEN: `try_acquire`, answering whether it was permitted (as the
/// peers' call helpers do, so every crate hands the bench loop the same `bool`).
#[inline]
pub fn mycel_reject(breaker: &mut CircuitBreaker, now: Instant) -> bool {
    breaker.try_acquire(now).value.is_ok()
}

/// failsafe's breaker with its consecutive-failures policy.
pub type FailsafeConsecutive =
    failsafe::StateMachine<failure_policy::ConsecutiveFailures<backoff::Constant>, ()>;

/// failsafe's breaker with its success-rate-over-time policy.
pub type FailsafeRate =
    failsafe::StateMachine<failure_policy::SuccessRateOverTimeWindow<backoff::Constant>, ()>;

/// failsafe's nearest configuration to mycel's consecutive policy (exact).
pub fn failsafe_consecutive() -> FailsafeConsecutive {
    let backoff = backoff::constant(StdDuration::from_secs(OPEN_FOR_SECS));
    let policy = failure_policy::consecutive_failures(CONSECUTIVE, backoff);
    failsafe::StateMachine::new(policy, ())
}

/// failsafe's nearest configuration to mycel's rate policies: a success rate of
/// `1 - 50%` over 10 s from 20 calls (the only rate policy failsafe has).
pub fn failsafe_rate() -> FailsafeRate {
    let backoff = backoff::constant(StdDuration::from_secs(OPEN_FOR_SECS));
    let policy = failure_policy::success_rate_over_time_window(
        1.0 - f64::from(RATE_PERCENT) / 100.0,
        TIME_WINDOW_MINIMUM,
        StdDuration::from_secs(u64::from(BUCKETS)),
        backoff,
    );
    failsafe::StateMachine::new(policy, ())
}

/// One admitted failsafe call: `is_call_permitted` then `on_success`.
#[inline]
pub fn failsafe_call<P: failsafe::FailurePolicy>(breaker: &failsafe::StateMachine<P, ()>) -> bool {
    if breaker.is_call_permitted() {
        breaker.on_success();
        true
    } else {
        false
    }
}

/// A failsafe breaker tripped open by failures.
pub fn failsafe_open<P: failsafe::FailurePolicy>(
    breaker: failsafe::StateMachine<P, ()>,
) -> failsafe::StateMachine<P, ()> {
    for _ in 0..COUNT_WINDOW {
        if breaker.is_call_permitted() {
            breaker.on_error();
        }
    }
    assert!(
        !breaker.is_call_permitted(),
        "failsafe breaker did not open"
    );
    breaker
}

/// recloser with a ring of `len` calls tripping at `rate` failures.
pub fn recloser(len: usize, rate: f32) -> recloser::Recloser {
    recloser::Recloser::custom()
        .error_rate(rate)
        .closed_len(len)
        .half_open_len(1)
        .open_wait(StdDuration::from_secs(OPEN_FOR_SECS))
        .build()
}

/// recloser's nearest configuration to `policy`: a ring of 5 at 100% for consecutive
/// failures (exact: all of the last 5 failed), a ring of 100 at 50% for both windows
/// (exact for the count window; recloser has no time window).
pub fn recloser_for(policy: Policy) -> recloser::Recloser {
    match policy {
        Policy::Consecutive => recloser(CONSECUTIVE as usize, 1.0),
        Policy::CountWindow | Policy::TimeWindow => {
            recloser(COUNT_WINDOW as usize, f32::from(RATE_PERCENT) / 100.0)
        }
    }
}

/// One recloser call through its only API, `call` with a closure that succeeds.
#[inline]
pub fn recloser_call(breaker: &recloser::Recloser) -> bool {
    breaker.call(|| Ok::<(), ()>(())).is_ok()
}

/// A recloser tripped open by failing calls.
pub fn recloser_open(policy: Policy) -> recloser::Recloser {
    let breaker = recloser_for(policy);
    // recloser rates its ring only once it has seen one call more than it holds.
    for _ in 0..=COUNT_WINDOW {
        let _ = breaker.call(|| Err::<(), ()>(()));
    }
    assert!(!recloser_call(&breaker), "recloser did not open");
    breaker
}

//! The one place that maps breaker configurations between the engine and the reference.
//!
//! The two are plain data with the same fields; the reference counts time in `u64`
//! ticks and its half-open counts in `u32`. [`to_reference`] is total;
//! [`to_engine`] fails only where a reference value does not fit the engine's field.

use crate::reference::breaker::{
    RefBreakerConfig, RefClose, RefCountWindow, RefHalfOpen, RefMaxWait, RefOpen, RefSlowCalls,
    RefTimeWindow,
};
use mycel::breaker::{
    BreakerConfig, CloseRule, CountWindowPolicy, HalfOpenPolicy, MaxWaitAction, OpenPolicy,
    SlowCallPolicy, TimeWindowPolicy,
};
use mycel::time::Duration;

/// The reference configuration with the same fields as `config`.
#[must_use]
pub fn to_reference(config: &BreakerConfig) -> RefBreakerConfig {
    let half = &config.half_open;
    RefBreakerConfig {
        consecutive_failures: config.consecutive_failures,
        count_window: config.count_window.map(|c| RefCountWindow {
            size: c.size,
            failure_rate_percent: c.failure_rate_percent,
            minimum_calls: c.minimum_calls,
        }),
        time_window: config.time_window.map(|t| RefTimeWindow {
            bucket_width: t.bucket_width.as_ticks(),
            buckets: t.buckets,
            failure_rate_percent: t.failure_rate_percent,
            minimum_calls: t.minimum_calls,
        }),
        slow_calls: config.slow_calls.map(|s| RefSlowCalls {
            threshold: s.threshold.as_ticks(),
            rate_percent: s.rate_percent,
        }),
        open: RefOpen {
            base: config.open.base.as_ticks(),
            multiplier_percent: config.open.multiplier_percent,
            cap: config.open.cap.as_ticks(),
            jitter_percent: config.open.jitter_percent,
            seed: config.open.seed,
        },
        half_open: RefHalfOpen {
            max_permits: u32::from(half.max_permits),
            close: match half.close {
                CloseRule::AfterSuccesses(n) => RefClose::AfterSuccesses(u32::from(n)),
                CloseRule::ByRate => RefClose::ByRate,
            },
            max_wait: half.max_wait.map(|wait| wait.as_ticks()),
            on_max_wait: match half.on_max_wait {
                MaxWaitAction::Reopen => RefMaxWait::Reopen,
                MaxWaitAction::Repermit => RefMaxWait::Repermit,
            },
        },
    }
}

/// A reference value that has no engine counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingError {
    /// `half_open.max_permits` is above `u16::MAX`.
    MaxPermits(u32),
    /// `half_open.close` asks for more than `u16::MAX` successes.
    Successes(u32),
}

impl core::fmt::Display for MappingError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::MaxPermits(n) => write!(f, "half_open.max_permits {n} does not fit in u16"),
            Self::Successes(n) => write!(f, "half_open.close successes {n} do not fit in u16"),
        }
    }
}

impl std::error::Error for MappingError {}

/// The engine configuration with the same fields as `config`.
///
/// # Errors
/// [`MappingError`] when a half-open count does not fit the engine's `u16`.
pub fn to_engine(config: &RefBreakerConfig) -> Result<BreakerConfig, MappingError> {
    let half = &config.half_open;
    let max_permits =
        u16::try_from(half.max_permits).map_err(|_| MappingError::MaxPermits(half.max_permits))?;
    let close = match half.close {
        RefClose::AfterSuccesses(n) => {
            CloseRule::AfterSuccesses(u16::try_from(n).map_err(|_| MappingError::Successes(n))?)
        }
        RefClose::ByRate => CloseRule::ByRate,
    };
    Ok(BreakerConfig {
        consecutive_failures: config.consecutive_failures,
        count_window: config.count_window.map(|c| CountWindowPolicy {
            size: c.size,
            failure_rate_percent: c.failure_rate_percent,
            minimum_calls: c.minimum_calls,
        }),
        time_window: config.time_window.map(|t| TimeWindowPolicy {
            bucket_width: Duration::from_ticks(t.bucket_width),
            buckets: t.buckets,
            failure_rate_percent: t.failure_rate_percent,
            minimum_calls: t.minimum_calls,
        }),
        slow_calls: config.slow_calls.map(|s| SlowCallPolicy {
            threshold: Duration::from_ticks(s.threshold),
            rate_percent: s.rate_percent,
        }),
        open: OpenPolicy {
            base: Duration::from_ticks(config.open.base),
            multiplier_percent: config.open.multiplier_percent,
            cap: Duration::from_ticks(config.open.cap),
            jitter_percent: config.open.jitter_percent,
            seed: config.open.seed,
        },
        half_open: HalfOpenPolicy {
            max_permits,
            close,
            max_wait: half.max_wait.map(Duration::from_ticks),
            on_max_wait: match half.on_max_wait {
                RefMaxWait::Reopen => MaxWaitAction::Reopen,
                RefMaxWait::Repermit => MaxWaitAction::Repermit,
            },
        },
    })
}

//! Invalid breaker configurations made on purpose, one broken field at a time, each
//! with the [`ConfigError`] the engine must report for it.
//!
//! The reference breaker validates nothing (it is only fed valid configurations), so
//! the expected error comes from the documented rules: a [`ConfigSabotage`] applied to
//! a repaired (valid) configuration breaks exactly one rule, adjusting only what it
//! must so that no rule checked earlier (in the order of [`ConfigError`]'s variants)
//! breaks first.

use mycel::breaker::{
    BreakerConfig, CloseRule, ConfigError, CountWindowPolicy, SlowCallPolicy, TimeWindowPolicy,
};
use mycel::time::Duration;

use super::config::{MAX_BUCKETS, MAX_COUNT_WINDOW};

/// One rule of [`BreakerConfig::validate`] to break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
pub enum ConfigSabotage {
    /// Remove every trip policy.
    NoTripPolicy,
    /// `consecutive_failures = Some(0)`.
    ZeroConsecutiveFailures,
    /// A count window of 0 calls, or more than the breaker holds.
    CountWindowSize,
    /// A count-window failure rate of 0 or above 100.
    CountWindowRate,
    /// A count window with `minimum_calls = 0`.
    CountWindowMinimum,
    /// A time window with zero-width buckets.
    TimeWindowWidth,
    /// A time window of 0 buckets, or more than the breaker holds.
    TimeWindowBuckets,
    /// A time-window failure rate of 0 or above 100.
    TimeWindowRate,
    /// A time window with `minimum_calls = 0`.
    TimeWindowMinimum,
    /// A slow-call rate of 0 or above 100.
    SlowCallRate,
    /// A slow-call policy with no window to measure over.
    SlowCallsWithoutWindow,
    /// A zero open base.
    ZeroOpenBase,
    /// A multiplier below 100%.
    ShrinkingMultiplier,
    /// A cap below the base.
    CapBelowBase,
    /// Jitter above 100%.
    JitterAbove100,
    /// No half-open permits.
    ZeroPermits,
    /// Close after 0 successes.
    ZeroSuccesses,
    /// Close by rate with no window to take thresholds from.
    ByRateWithoutWindow,
    /// A zero half-open maximum wait.
    ZeroMaxWait,
}

/// Every sabotage, for strategies and exhaustive tests.
pub const ALL_CONFIG_SABOTAGES: [ConfigSabotage; 19] = [
    ConfigSabotage::NoTripPolicy,
    ConfigSabotage::ZeroConsecutiveFailures,
    ConfigSabotage::CountWindowSize,
    ConfigSabotage::CountWindowRate,
    ConfigSabotage::CountWindowMinimum,
    ConfigSabotage::TimeWindowWidth,
    ConfigSabotage::TimeWindowBuckets,
    ConfigSabotage::TimeWindowRate,
    ConfigSabotage::TimeWindowMinimum,
    ConfigSabotage::SlowCallRate,
    ConfigSabotage::SlowCallsWithoutWindow,
    ConfigSabotage::ZeroOpenBase,
    ConfigSabotage::ShrinkingMultiplier,
    ConfigSabotage::CapBelowBase,
    ConfigSabotage::JitterAbove100,
    ConfigSabotage::ZeroPermits,
    ConfigSabotage::ZeroSuccesses,
    ConfigSabotage::ByRateWithoutWindow,
    ConfigSabotage::ZeroMaxWait,
];

/// A rate outside `1..=100`, chosen by `pick`.
fn bad_percent(pick: u8) -> u8 {
    if pick.is_multiple_of(2) {
        0
    } else {
        101 + pick % 155
    }
}

/// A valid count window to break, keeping the configuration's own if it has one.
fn count_window(config: &BreakerConfig) -> CountWindowPolicy {
    config.count_window.unwrap_or(CountWindowPolicy {
        size: 10,
        failure_rate_percent: 50,
        minimum_calls: 5,
    })
}

/// A valid time window to break, keeping the configuration's own if it has one.
fn time_window(config: &BreakerConfig) -> TimeWindowPolicy {
    config.time_window.unwrap_or(TimeWindowPolicy {
        bucket_width: Duration::from_ticks(10),
        buckets: 3,
        failure_rate_percent: 50,
        minimum_calls: 2,
    })
}

/// A valid slow-call policy to break, keeping the configuration's own if it has one.
fn slow_calls(config: &BreakerConfig) -> SlowCallPolicy {
    config.slow_calls.unwrap_or(SlowCallPolicy {
        threshold: Duration::from_ticks(5),
        rate_percent: 50,
    })
}

/// Removes both windows and everything that needs one, keeping a trip policy.
fn without_windows(config: &mut BreakerConfig) {
    config.count_window = None;
    config.time_window = None;
    config.slow_calls = None;
    if config.consecutive_failures.is_none() {
        config.consecutive_failures = Some(1);
    }
    if config.half_open.close == CloseRule::ByRate {
        config.half_open.close = CloseRule::AfterSuccesses(1);
    }
}

impl ConfigSabotage {
    /// Breaks this rule in `config` (a valid configuration), with `pick` choosing among
    /// the ways to break it, and returns the error the engine must report.
    pub fn apply(self, config: &mut BreakerConfig, pick: u8) -> ConfigError {
        match self {
            Self::NoTripPolicy => {
                config.consecutive_failures = None;
                config.count_window = None;
                config.time_window = None;
                ConfigError::NoTripPolicy
            }
            Self::ZeroConsecutiveFailures => {
                config.consecutive_failures = Some(0);
                ConfigError::ConsecutiveFailures
            }
            Self::CountWindowSize => {
                let size = if pick.is_multiple_of(2) {
                    0
                } else {
                    MAX_COUNT_WINDOW + 1 + u32::from(pick)
                };
                config.count_window = Some(CountWindowPolicy {
                    size,
                    ..count_window(config)
                });
                ConfigError::CountWindowSize {
                    max: MAX_COUNT_WINDOW,
                }
            }
            Self::CountWindowRate => {
                config.count_window = Some(CountWindowPolicy {
                    failure_rate_percent: bad_percent(pick),
                    ..count_window(config)
                });
                ConfigError::CountWindowFailureRate
            }
            Self::CountWindowMinimum => {
                config.count_window = Some(CountWindowPolicy {
                    minimum_calls: 0,
                    ..count_window(config)
                });
                ConfigError::CountWindowMinimumCalls
            }
            Self::TimeWindowWidth => {
                config.time_window = Some(TimeWindowPolicy {
                    bucket_width: Duration::from_ticks(0),
                    ..time_window(config)
                });
                ConfigError::TimeWindowBucketWidth
            }
            Self::TimeWindowBuckets => {
                let buckets = if pick.is_multiple_of(2) {
                    0
                } else {
                    MAX_BUCKETS + 1 + u32::from(pick)
                };
                config.time_window = Some(TimeWindowPolicy {
                    buckets,
                    ..time_window(config)
                });
                ConfigError::TimeWindowBuckets { max: MAX_BUCKETS }
            }
            Self::TimeWindowRate => {
                config.time_window = Some(TimeWindowPolicy {
                    failure_rate_percent: bad_percent(pick),
                    ..time_window(config)
                });
                ConfigError::TimeWindowFailureRate
            }
            Self::TimeWindowMinimum => {
                config.time_window = Some(TimeWindowPolicy {
                    minimum_calls: 0,
                    ..time_window(config)
                });
                ConfigError::TimeWindowMinimumCalls
            }
            Self::SlowCallRate => {
                if config.count_window.is_none() && config.time_window.is_none() {
                    config.count_window = Some(count_window(config));
                }
                config.slow_calls = Some(SlowCallPolicy {
                    rate_percent: bad_percent(pick),
                    ..slow_calls(config)
                });
                ConfigError::SlowCallRate
            }
            Self::SlowCallsWithoutWindow => {
                let slow = slow_calls(config);
                without_windows(config);
                config.slow_calls = Some(slow);
                ConfigError::SlowCallsNeedWindow
            }
            Self::ZeroOpenBase => {
                config.open.base = Duration::from_ticks(0);
                ConfigError::OpenBase
            }
            Self::ShrinkingMultiplier => {
                config.open.multiplier_percent = u32::from(pick % 100);
                ConfigError::OpenMultiplier
            }
            Self::CapBelowBase => {
                let base = config.open.base.as_ticks().max(2);
                config.open.base = Duration::from_ticks(base);
                config.open.cap = Duration::from_ticks(u64::from(pick) % base.min(256));
                ConfigError::OpenCapBelowBase
            }
            Self::JitterAbove100 => {
                config.open.jitter_percent = 101 + pick % 155;
                ConfigError::OpenJitter
            }
            Self::ZeroPermits => {
                config.half_open.max_permits = 0;
                ConfigError::HalfOpenPermits
            }
            Self::ZeroSuccesses => {
                config.half_open.close = CloseRule::AfterSuccesses(0);
                ConfigError::HalfOpenSuccesses
            }
            Self::ByRateWithoutWindow => {
                without_windows(config);
                config.half_open.close = CloseRule::ByRate;
                ConfigError::HalfOpenByRateNeedsWindow
            }
            Self::ZeroMaxWait => {
                config.half_open.max_wait = Some(Duration::from_ticks(0));
                ConfigError::HalfOpenMaxWait
            }
        }
    }
}

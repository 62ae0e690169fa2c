//! Errors of the breaker: invalid configurations and a full bank.

/// A [`BreakerConfig`](super::BreakerConfig) field that fails validation.
///
/// Each variant names the field at fault; [`BreakerConfig::validate`](super::BreakerConfig::validate)
/// reports the first one found, in the order the variants are listed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ConfigError {
    /// No trip policy is configured (consecutive failures, count window or time window),
    /// so the breaker could never open.
    NoTripPolicy,
    /// `consecutive_failures` is 0; it must be at least 1.
    ConsecutiveFailures,
    /// `count_window.size` is 0 or larger than the `32 * W` calls the window can hold.
    CountWindowSize {
        /// The largest size this breaker's `W` allows.
        max: u32,
    },
    /// `count_window.failure_rate_percent` is outside `1..=100`.
    CountWindowFailureRate,
    /// `count_window.minimum_calls` is 0; it must be at least 1.
    CountWindowMinimumCalls,
    /// `time_window.bucket_width` is zero.
    TimeWindowBucketWidth,
    /// `time_window.buckets` is 0 or larger than the breaker's `B`.
    TimeWindowBuckets {
        /// The largest bucket count this breaker's `B` allows.
        max: u32,
    },
    /// `time_window.failure_rate_percent` is outside `1..=100`.
    TimeWindowFailureRate,
    /// `time_window.minimum_calls` is 0; it must be at least 1.
    TimeWindowMinimumCalls,
    /// `slow_calls.rate_percent` is outside `1..=100`.
    SlowCallRate,
    /// `slow_calls` is set but neither a count window nor a time window is, so there
    /// is nothing to measure the slow-call rate over.
    SlowCallsNeedWindow,
    /// `open.base` is zero.
    OpenBase,
    /// `open.multiplier_percent` is below 100 (open periods would shrink on repeated trips).
    OpenMultiplier,
    /// `open.cap` is shorter than `open.base`.
    OpenCapBelowBase,
    /// `open.jitter_percent` is above 100.
    OpenJitter,
    /// `half_open.max_permits` is 0; at least one probe must be admitted.
    HalfOpenPermits,
    /// `half_open.close` is `AfterSuccesses(0)`; at least one success must be required.
    HalfOpenSuccesses,
    /// `half_open.close` is `ByRate` but no count or time window gives the rate thresholds.
    HalfOpenByRateNeedsWindow,
    /// `half_open.max_wait` is `Some(0)`: probes would time out the instant they start.
    HalfOpenMaxWait,
}

impl ConfigError {
    /// The configuration field at fault, as a dotted path (`"count_window.size"`).
    #[must_use]
    pub const fn field(&self) -> &'static str {
        match self {
            Self::NoTripPolicy => "consecutive_failures|count_window|time_window",
            Self::ConsecutiveFailures => "consecutive_failures",
            Self::CountWindowSize { .. } => "count_window.size",
            Self::CountWindowFailureRate => "count_window.failure_rate_percent",
            Self::CountWindowMinimumCalls => "count_window.minimum_calls",
            Self::TimeWindowBucketWidth => "time_window.bucket_width",
            Self::TimeWindowBuckets { .. } => "time_window.buckets",
            Self::TimeWindowFailureRate => "time_window.failure_rate_percent",
            Self::TimeWindowMinimumCalls => "time_window.minimum_calls",
            Self::SlowCallRate => "slow_calls.rate_percent",
            Self::SlowCallsNeedWindow => "slow_calls",
            Self::OpenBase => "open.base",
            Self::OpenMultiplier => "open.multiplier_percent",
            Self::OpenCapBelowBase => "open.cap",
            Self::OpenJitter => "open.jitter_percent",
            Self::HalfOpenPermits => "half_open.max_permits",
            Self::HalfOpenSuccesses => "half_open.close",
            Self::HalfOpenByRateNeedsWindow => "half_open.close",
            Self::HalfOpenMaxWait => "half_open.max_wait",
        }
    }
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let field = self.field();
        match self {
            Self::NoTripPolicy => {
                f.write_str("no trip policy: set consecutive_failures, count_window or time_window")
            }
            Self::ConsecutiveFailures => write!(f, "{field} must be at least 1"),
            Self::CountWindowSize { max } | Self::TimeWindowBuckets { max } => {
                write!(f, "{field} must be in 1..={max}")
            }
            Self::CountWindowFailureRate | Self::TimeWindowFailureRate | Self::SlowCallRate => {
                write!(f, "{field} must be in 1..=100")
            }
            Self::CountWindowMinimumCalls | Self::TimeWindowMinimumCalls => {
                write!(f, "{field} must be at least 1")
            }
            Self::TimeWindowBucketWidth | Self::OpenBase => write!(f, "{field} must not be zero"),
            Self::SlowCallsNeedWindow => {
                write!(
                    f,
                    "{field} needs a count_window or a time_window to measure over"
                )
            }
            Self::OpenMultiplier => write!(f, "{field} must be at least 100"),
            Self::OpenCapBelowBase => write!(f, "{field} must not be shorter than open.base"),
            Self::OpenJitter => write!(f, "{field} must be at most 100"),
            Self::HalfOpenPermits => write!(f, "{field} must be at least 1"),
            Self::HalfOpenSuccesses => {
                write!(f, "{field}: AfterSuccesses needs at least 1 success")
            }
            Self::HalfOpenByRateNeedsWindow => {
                write!(f, "{field}: ByRate needs a count_window or a time_window")
            }
            Self::HalfOpenMaxWait => write!(f, "{field} must not be zero (use None for no limit)"),
        }
    }
}

impl core::error::Error for ConfigError {}

/// Why a [`BreakerBank`](super::BreakerBank) call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum BankError {
    /// Every slot is taken and no breaker may be evicted: only an idle CLOSED breaker
    /// (no permit outstanding) can make room, and none is.
    Full,
    /// The key has no breaker in the bank (never inserted, or evicted since).
    UnknownKey,
    /// `insert_with` was called for a key that already has a breaker.
    DuplicateKey,
    /// The per-key configuration given to `insert_with` is invalid.
    Config(ConfigError),
}

impl core::fmt::Display for BankError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Full => f.write_str("breaker bank full and no idle CLOSED breaker to evict"),
            Self::UnknownKey => f.write_str("no breaker for this key in the bank"),
            Self::DuplicateKey => f.write_str("a breaker for this key is already in the bank"),
            Self::Config(e) => write!(f, "invalid breaker configuration: {e}"),
        }
    }
}

impl core::error::Error for BankError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Config(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ConfigError> for BankError {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    #[test]
    fn config_error_display_names_the_field() {
        let mut s: heapless::String<96> = heapless::String::new();
        write!(s, "{}", ConfigError::CountWindowSize { max: 128 }).unwrap();
        assert_eq!(s.as_str(), "count_window.size must be in 1..=128");
        assert_eq!(ConfigError::OpenCapBelowBase.field(), "open.cap");
    }

    #[test]
    fn bank_error_exposes_the_config_error_as_source() {
        use core::error::Error;
        let e = BankError::from(ConfigError::HalfOpenPermits);
        assert!(e.source().is_some());
        assert!(BankError::Full.source().is_none());
    }
}

//! A breaker's configuration together with the policy checks every recorded outcome
//! asks about, worked out once when the breaker is built.

use super::BreakerConfig;

/// A slow-call policy is configured: every outcome's duration is measured.
pub(crate) const SLOW: u8 = 1;
/// A count window is configured: outcomes go into it and its rates are checked.
pub(crate) const COUNT: u8 = 2;
/// A time window is configured: outcomes go into it and its rates are checked.
pub(crate) const TIME: u8 = 4;
/// A consecutive-failure threshold of 0, which even a success reaches. Validation
/// rejects it, both when a breaker is built and when one is deserialized, so no
/// breaker outside this crate's tests has it; the check keeps such a machine safe.
pub(crate) const ZERO_RUN: u8 = 8;

/// A [`BreakerConfig`], the bit set of the checks it asks for ([`SLOW`], [`COUNT`],
/// [`TIME`], [`ZERO_RUN`]) and the trip thresholds of its rate policies.
///
/// Testing one byte of bits and reading plain thresholds costs less on every record
/// than unpacking each `Option` of the configuration. All of it depends on the
/// configuration alone, so it is never serialized: the serialized form is the
/// configuration's, and deserializing works the rest out again.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(from = "BreakerConfig", into = "BreakerConfig")
)]
pub(crate) struct Configured {
    config: BreakerConfig,
    checks: u8,
    count_percent: u8,
    time_percent: u8,
    slow_percent: u8,
    count_minimum: u32,
    time_minimum: u32,
}

impl Configured {
    /// `config` with its checks worked out.
    // Always inlined: a breaker is usually built from a constant configuration, and
    // then all of this folds away.
    #[inline(always)]
    pub(crate) const fn new(config: BreakerConfig) -> Self {
        let mut checks = 0;
        if config.slow_calls.is_some() {
            checks |= SLOW;
        }
        if config.count_window.is_some() {
            checks |= COUNT;
        }
        if config.time_window.is_some() {
            checks |= TIME;
        }
        if matches!(config.consecutive_failures, Some(0)) {
            checks |= ZERO_RUN;
        }
        let (count_percent, count_minimum) = match &config.count_window {
            Some(cw) => (
                cw.failure_rate_percent,
                at_least_one(cw.effective_minimum()),
            ),
            None => (0, 1),
        };
        let (time_percent, time_minimum) = match &config.time_window {
            Some(tw) => (tw.failure_rate_percent, at_least_one(tw.minimum_calls)),
            None => (0, 1),
        };
        let slow_percent = match &config.slow_calls {
            Some(slow) => slow.rate_percent,
            None => 0,
        };
        Self {
            config,
            checks,
            count_percent,
            time_percent,
            slow_percent,
            count_minimum,
            time_minimum,
        }
    }

    /// The configuration.
    #[inline]
    pub(crate) const fn get(&self) -> &BreakerConfig {
        &self.config
    }

    /// The checks the configuration asks for, as a bit set.
    #[inline]
    pub(crate) const fn checks(&self) -> u8 {
        self.checks
    }

    /// The count window's failure-rate threshold, percent (0 without one).
    #[inline]
    pub(crate) const fn count_percent(&self) -> u8 {
        self.count_percent
    }

    /// The fewest calls in the count window for its rates to trip: its effective
    /// minimum, or 1 if that is 0, since no rate trips over no calls.
    #[inline]
    pub(crate) const fn count_minimum(&self) -> u32 {
        self.count_minimum
    }

    /// The time window's failure-rate threshold, percent (0 without one).
    #[inline]
    pub(crate) const fn time_percent(&self) -> u8 {
        self.time_percent
    }

    /// The fewest calls in the time window for its rates to trip, as for
    /// [`Self::count_minimum`].
    #[inline]
    pub(crate) const fn time_minimum(&self) -> u32 {
        self.time_minimum
    }

    /// The slow-call rate threshold, percent (0 without a slow-call policy).
    #[inline]
    pub(crate) const fn slow_percent(&self) -> u8 {
        self.slow_percent
    }
}

/// `minimum`, or 1 if it is 0.
const fn at_least_one(minimum: u32) -> u32 {
    if minimum == 0 { 1 } else { minimum }
}

impl From<BreakerConfig> for Configured {
    fn from(config: BreakerConfig) -> Self {
        Self::new(config)
    }
}

impl From<Configured> for BreakerConfig {
    fn from(configured: Configured) -> Self {
        configured.config
    }
}

/// The configuration's own output: the checks are derived from it.
impl core::fmt::Debug for Configured {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.config.fmt(f)
    }
}

impl core::ops::Deref for Configured {
    type Target = BreakerConfig;

    #[inline]
    fn deref(&self) -> &BreakerConfig {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{CountWindowPolicy, SlowCallPolicy, TimeWindowPolicy};
    use crate::time::Duration;

    #[test]
    fn the_checks_follow_the_configured_policies() {
        let base = BreakerConfig::consecutive(3, Duration::from_secs(1), 1);
        assert_eq!(Configured::new(base).checks(), 0);
        let all = base
            .with_count_window(CountWindowPolicy {
                size: 10,
                failure_rate_percent: 50,
                minimum_calls: 5,
            })
            .with_time_window(TimeWindowPolicy {
                bucket_width: Duration::from_secs(1),
                buckets: 4,
                failure_rate_percent: 50,
                minimum_calls: 5,
            })
            .with_slow_calls(SlowCallPolicy {
                threshold: Duration::from_millis(10),
                rate_percent: 50,
            });
        let configured = Configured::new(all);
        assert_eq!(configured.checks(), SLOW | COUNT | TIME);
        assert_eq!(
            (
                configured.count_percent(),
                configured.count_minimum(),
                configured.time_percent(),
                configured.time_minimum(),
                configured.slow_percent()
            ),
            (50, 5, 50, 5, 50)
        );
        let zero = base.with_consecutive_failures(Some(0));
        assert_eq!(Configured::new(zero).checks(), ZERO_RUN);
        assert_eq!(
            Configured::new(base.with_consecutive_failures(None)).checks(),
            0
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serializes_as_the_configuration_and_works_the_checks_out_again() {
        let config = BreakerConfig::consecutive(3, Duration::from_secs(1), 1).with_count_window(
            CountWindowPolicy {
                size: 10,
                failure_rate_percent: 50,
                minimum_calls: 0,
            },
        );
        let (mut a, mut b) = ([0u8; 128], [0u8; 128]);
        let ours = postcard::to_slice(&Configured::new(config), &mut a).unwrap();
        let plain = postcard::to_slice(&config, &mut b).unwrap();
        assert_eq!(ours, plain);
        let back: Configured = postcard::from_bytes(ours).unwrap();
        assert_eq!(back, Configured::new(config));
        assert_eq!((back.checks(), back.count_minimum()), (COUNT, 1));
    }

    #[test]
    fn debug_output_is_the_configuration_s() {
        extern crate std;
        let config = BreakerConfig::consecutive(3, Duration::from_secs(1), 1);
        assert_eq!(
            std::format!("{:?}", Configured::new(config)),
            std::format!("{config:?}")
        );
    }
}

//! The breaker's configuration: trip policies, the open period and the half-open rules.
//!
//! Every policy is plain data, constructible in `const` context, and checked once by
//! [`BreakerConfig::validate`] when a breaker is built.

use super::ConfigError;
use crate::time::Duration;

/// Trip on a failure rate over the last `size` counted calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CountWindowPolicy {
    /// How many of the latest counted calls the window holds (`N`, in `1..=32 * W`).
    ///
    /// `N` is a runtime value; the storage is not. A breaker's count window always
    /// takes 2 bits for each of the `32 * W` calls its type can hold (two arrays of
    /// `W` `u32` words, `8 * W` bytes), whatever `N` is, so a smaller `N` saves no
    /// memory. Without a heap the storage has to be sized at compile time, while a
    /// runtime `N` lets one breaker type take configurations chosen at run time (each
    /// key of a bank its own, a configuration loaded or restored from a snapshot).
    pub size: u32,
    /// Trip when `failures * 100 >= failure_rate_percent * calls` (in `1..=100`).
    pub failure_rate_percent: u8,
    /// No rate is evaluated or reported below `min(minimum_calls, size)` calls (at least 1).
    pub minimum_calls: u32,
}

impl CountWindowPolicy {
    /// The number of calls the window must hold before its rates count:
    /// `min(minimum_calls, size)`, so a small window can still trip.
    #[must_use]
    pub const fn effective_minimum(&self) -> u32 {
        if self.minimum_calls < self.size {
            self.minimum_calls
        } else {
            self.size
        }
    }
}

/// Trip on a failure rate over the last `buckets` time buckets of `bucket_width` each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TimeWindowPolicy {
    /// Width of one bucket; an outcome recorded at `now` goes into bucket
    /// `floor(now / bucket_width)` (must not be zero).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::duration"))]
    pub bucket_width: Duration,
    /// How many buckets the window spans (in `1..=B`).
    pub buckets: u32,
    /// Trip when `failures * 100 >= failure_rate_percent * calls` (in `1..=100`).
    pub failure_rate_percent: u8,
    /// No rate is evaluated or reported below this many calls in the window (at least 1).
    pub minimum_calls: u32,
}

/// Count calls longer than `threshold` as slow, and trip on their rate.
///
/// Evaluated over every configured window, each with its own minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SlowCallPolicy {
    /// A call is slow iff it took strictly longer than this, measured from the permit's
    /// acquire instant to the `now` of its `record`.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::duration"))]
    pub threshold: Duration,
    /// Trip when `slow * 100 >= rate_percent * calls` (in `1..=100`).
    pub rate_percent: u8,
}

/// How long the breaker stays OPEN.
///
/// The k-th opening in a row lasts `period_k`: `period_1 = base`, and
/// `period_k = min(period_(k-1) * multiplier_percent / 100, cap)`, computed in ticks with
/// saturating arithmetic and floored at each step (so 150% of 3 ticks is 4, then 6).
/// With `jitter_percent > 0` a deterministic offset in `±jitter_percent` of `period_k`,
/// drawn from a PRNG seeded with `seed`, is added, and the result is clamped to `1..=cap`:
/// an opening always lasts at least one tick, even when 100% jitter draws an offset that
/// cancels the whole period (an OPEN state that ended the instant it began would reject
/// nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OpenPolicy {
    /// The first open period (must not be zero).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::duration"))]
    pub base: Duration,
    /// Growth of the period per reopen, in percent (at least 100; 200 doubles it).
    pub multiplier_percent: u32,
    /// The longest period (at least `base`).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::duration"))]
    pub cap: Duration,
    /// Jitter as a percentage of the period (`0..=100`; 0 disables it). The jittered
    /// period is at least one tick and at most `cap`.
    pub jitter_percent: u8,
    /// Seed of the jitter PRNG, so two devices can be given different jitter.
    pub seed: u64,
}

impl OpenPolicy {
    /// The same period for every opening: `base = cap = period`, no growth, no jitter.
    #[must_use]
    pub const fn fixed(period: Duration) -> Self {
        Self {
            base: period,
            multiplier_percent: 100,
            cap: period,
            jitter_percent: 0,
            seed: 0,
        }
    }

    /// Periods that start at `base` and grow by `multiplier_percent` per reopen up to
    /// `cap`, without jitter.
    #[must_use]
    pub const fn exponential(base: Duration, multiplier_percent: u32, cap: Duration) -> Self {
        Self {
            base,
            multiplier_percent,
            cap,
            jitter_percent: 0,
            seed: 0,
        }
    }

    /// The same policy with `jitter_percent` of jitter drawn from a PRNG seeded with `seed`.
    #[must_use]
    pub const fn with_jitter(mut self, jitter_percent: u8, seed: u64) -> Self {
        self.jitter_percent = jitter_percent;
        self.seed = seed;
        self
    }
}

/// How HALF_OPEN decides to close or reopen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CloseRule {
    /// Close after this many successful probes; the first failed probe reopens.
    /// A slow success still counts as a success here.
    AfterSuccesses(u16),
    /// Once `max_permits` probe outcomes are recorded, reopen if their failure rate or
    /// slow-call rate reaches the configured threshold, else close. The failure threshold
    /// is the count window's if configured, else the time window's; the slow threshold is
    /// `slow_calls.rate_percent` (if slow calls are configured).
    ByRate,
}

/// What the half-open maximum wait does when probes never report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MaxWaitAction {
    /// Reopen with the next backoff period.
    Reopen,
    /// Stay HALF_OPEN but start over: the lost probes become stale and new probes may
    /// be admitted (a HALF_OPEN -> HALF_OPEN self-transition).
    Repermit,
}

/// The HALF_OPEN rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HalfOpenPolicy {
    /// At most this many probe permits outstanding at once (`P`, at least 1).
    pub max_permits: u16,
    /// When to close or reopen.
    pub close: CloseRule,
    /// How long HALF_OPEN waits, while at least one probe is outstanding, after the
    /// latest probe activity (a probe admitted or reported) before giving up on the
    /// probes. `None` waits forever; `Some(0)` is invalid.
    #[cfg_attr(feature = "serde", serde(with = "super::serde_opt::duration"))]
    pub max_wait: Option<Duration>,
    /// What happens when `max_wait` runs out.
    pub on_max_wait: MaxWaitAction,
}

impl HalfOpenPolicy {
    /// The maximum wait the constructors set: a probe permit that is never reported
    /// (its caller panicked, was cancelled, or lost it) cannot hold HALF_OPEN for
    /// longer than this after the latest probe activity; the breaker then reopens.
    /// A minute is far beyond any sane call, and short enough that a leak heals.
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60);

    /// `max_permits` probes at once, closing after `successes` successes; lost probes
    /// are given up after [`Self::DEFAULT_MAX_WAIT`] (reopen).
    #[must_use]
    pub const fn after_successes(max_permits: u16, successes: u16) -> Self {
        Self {
            max_permits,
            close: CloseRule::AfterSuccesses(successes),
            max_wait: Some(Self::DEFAULT_MAX_WAIT),
            on_max_wait: MaxWaitAction::Reopen,
        }
    }

    /// `max_permits` probes, then close or reopen by the rates of their outcomes; lost
    /// probes are given up after [`Self::DEFAULT_MAX_WAIT`] (reopen).
    #[must_use]
    pub const fn by_rate(max_permits: u16) -> Self {
        Self {
            max_permits,
            close: CloseRule::ByRate,
            max_wait: Some(Self::DEFAULT_MAX_WAIT),
            on_max_wait: MaxWaitAction::Reopen,
        }
    }

    /// The same policy waiting for lost probes forever (a probe permit that is never
    /// reported then holds HALF_OPEN until an operator call).
    #[must_use]
    pub const fn without_max_wait(mut self) -> Self {
        self.max_wait = None;
        self
    }

    /// The same policy giving up on lost probes after `max_wait`, doing `action`.
    #[must_use]
    pub const fn with_max_wait(mut self, max_wait: Duration, action: MaxWaitAction) -> Self {
        self.max_wait = Some(max_wait);
        self.on_max_wait = action;
        self
    }
}

/// The complete configuration of one breaker.
///
/// Any combination of trip policies may be set; at least one of
/// `consecutive_failures`, `count_window` and `time_window` must be. When several trip
/// at once the first in this order names the cause: consecutive failures, count-window
/// failure rate, count-window slow rate, time-window failure rate, time-window slow rate.
///
/// Start from [`BreakerConfig::consecutive`] and adjust with the `with_*` methods, or
/// write the struct out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BreakerConfig {
    /// Trip when this many failures come in a row (a success, a state change or a reset
    /// ends the run; ignored outcomes do not). At least 1.
    ///
    /// The run is not bounded by any window: a failure stays in it however long ago it
    /// happened and however many calls ago a count window would have dropped it, until
    /// a success, a state change or a reset ends the run (gobreaker's
    /// `ConsecutiveFailures`). This differs from reading the run as "the trailing
    /// failures still inside the window" on purpose: the policy means n failures with
    /// no success between them, which must not depend on whether a window is
    /// configured or how long it is, and a backend that fails rarely but never
    /// succeeds should still trip it.
    pub consecutive_failures: Option<u32>,
    /// Trip on the failure rate of the last N counted calls.
    pub count_window: Option<CountWindowPolicy>,
    /// Trip on the failure rate of the last B time buckets.
    pub time_window: Option<TimeWindowPolicy>,
    /// Trip on the slow-call rate over the configured windows.
    pub slow_calls: Option<SlowCallPolicy>,
    /// How long OPEN lasts.
    pub open: OpenPolicy,
    /// The HALF_OPEN rules.
    pub half_open: HalfOpenPolicy,
}

impl BreakerConfig {
    /// The classic breaker: open after `failures` consecutive failures for a fixed
    /// `open_for`, then admit one probe at a time and close after `successes` successes.
    ///
    /// Defaults of everything else: no windows, no slow-call policy, no backoff growth
    /// (multiplier 100%, cap = `open_for`), no jitter (seed 0), one probe at a time
    /// (`max_permits = 1`), a half-open maximum wait of
    /// [`HalfOpenPolicy::DEFAULT_MAX_WAIT`] that reopens.
    #[must_use]
    pub const fn consecutive(failures: u32, open_for: Duration, successes: u16) -> Self {
        Self {
            consecutive_failures: Some(failures),
            count_window: None,
            time_window: None,
            slow_calls: None,
            open: OpenPolicy::fixed(open_for),
            half_open: HalfOpenPolicy::after_successes(1, successes),
        }
    }

    /// A failure-rate breaker: open when at least `percent`% of the last `size` calls
    /// failed (once `minimum_calls` are recorded) for a fixed `open_for`, then admit one
    /// probe at a time and close after one success. Other defaults as in
    /// [`BreakerConfig::consecutive`].
    #[must_use]
    pub const fn failure_rate(
        percent: u8,
        size: u32,
        minimum_calls: u32,
        open_for: Duration,
    ) -> Self {
        Self {
            consecutive_failures: None,
            count_window: Some(CountWindowPolicy {
                size,
                failure_rate_percent: percent,
                minimum_calls,
            }),
            time_window: None,
            slow_calls: None,
            open: OpenPolicy::fixed(open_for),
            half_open: HalfOpenPolicy::after_successes(1, 1),
        }
    }

    /// The same configuration tripping on `n` consecutive failures (`None` turns it off).
    #[must_use]
    pub const fn with_consecutive_failures(mut self, n: Option<u32>) -> Self {
        self.consecutive_failures = n;
        self
    }

    /// The same configuration with a count window.
    #[must_use]
    pub const fn with_count_window(mut self, policy: CountWindowPolicy) -> Self {
        self.count_window = Some(policy);
        self
    }

    /// The same configuration with a time window.
    #[must_use]
    pub const fn with_time_window(mut self, policy: TimeWindowPolicy) -> Self {
        self.time_window = Some(policy);
        self
    }

    /// The same configuration with a slow-call policy.
    #[must_use]
    pub const fn with_slow_calls(mut self, policy: SlowCallPolicy) -> Self {
        self.slow_calls = Some(policy);
        self
    }

    /// The same configuration with another open policy.
    #[must_use]
    pub const fn with_open(mut self, policy: OpenPolicy) -> Self {
        self.open = policy;
        self
    }

    /// The same configuration with another half-open policy.
    #[must_use]
    pub const fn with_half_open(mut self, policy: HalfOpenPolicy) -> Self {
        self.half_open = policy;
        self
    }

    /// Checks the configuration for a breaker whose count window holds up to `32 * W`
    /// calls and whose time window has up to `B` buckets.
    ///
    /// # Errors
    /// The first invalid field found, checked in the order of [`ConfigError`]'s variants.
    pub const fn validate<const W: usize, const B: usize>(&self) -> Result<(), ConfigError> {
        if self.consecutive_failures.is_none()
            && self.count_window.is_none()
            && self.time_window.is_none()
        {
            return Err(ConfigError::NoTripPolicy);
        }
        if let Some(0) = self.consecutive_failures {
            return Err(ConfigError::ConsecutiveFailures);
        }
        if let Some(cw) = &self.count_window {
            let max = max_count_window::<W>();
            if cw.size == 0 || cw.size > max {
                return Err(ConfigError::CountWindowSize { max });
            }
            if !is_percent(cw.failure_rate_percent) {
                return Err(ConfigError::CountWindowFailureRate);
            }
            if cw.minimum_calls == 0 {
                return Err(ConfigError::CountWindowMinimumCalls);
            }
        }
        if let Some(tw) = &self.time_window {
            if tw.bucket_width.as_ticks() == 0 {
                return Err(ConfigError::TimeWindowBucketWidth);
            }
            let max = max_buckets::<B>();
            if tw.buckets == 0 || tw.buckets > max {
                return Err(ConfigError::TimeWindowBuckets { max });
            }
            if !is_percent(tw.failure_rate_percent) {
                return Err(ConfigError::TimeWindowFailureRate);
            }
            if tw.minimum_calls == 0 {
                return Err(ConfigError::TimeWindowMinimumCalls);
            }
        }
        let has_window = self.count_window.is_some() || self.time_window.is_some();
        if let Some(slow) = &self.slow_calls {
            if !is_percent(slow.rate_percent) {
                return Err(ConfigError::SlowCallRate);
            }
            if !has_window {
                return Err(ConfigError::SlowCallsNeedWindow);
            }
        }
        let open = &self.open;
        if open.base.as_ticks() == 0 {
            return Err(ConfigError::OpenBase);
        }
        if open.multiplier_percent < 100 {
            return Err(ConfigError::OpenMultiplier);
        }
        if open.cap.as_ticks() < open.base.as_ticks() {
            return Err(ConfigError::OpenCapBelowBase);
        }
        if open.jitter_percent > 100 {
            return Err(ConfigError::OpenJitter);
        }
        let half = &self.half_open;
        if half.max_permits == 0 {
            return Err(ConfigError::HalfOpenPermits);
        }
        match half.close {
            CloseRule::AfterSuccesses(0) => return Err(ConfigError::HalfOpenSuccesses),
            CloseRule::ByRate if !has_window => {
                return Err(ConfigError::HalfOpenByRateNeedsWindow);
            }
            _ => {}
        }
        if let Some(wait) = half.max_wait
            && wait.as_ticks() == 0
        {
            return Err(ConfigError::HalfOpenMaxWait);
        }
        Ok(())
    }
}

/// The largest count window a breaker with `W` words per bit array can hold: `32 * W`.
#[must_use]
pub(crate) const fn max_count_window<const W: usize>() -> u32 {
    let calls = W.saturating_mul(32);
    if calls > u32::MAX as usize {
        u32::MAX
    } else {
        calls as u32
    }
}

/// The largest time window a breaker with `B` buckets can span.
#[must_use]
pub(crate) const fn max_buckets<const B: usize>() -> u32 {
    if B > u32::MAX as usize {
        u32::MAX
    } else {
        B as u32
    }
}

const fn is_percent(p: u8) -> bool {
    p >= 1 && p <= 100
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);
    const CLASSIC: BreakerConfig = BreakerConfig::consecutive(3, Duration::from_secs(5), 2);

    fn check(c: &BreakerConfig) -> Result<(), ConfigError> {
        c.validate::<4, 10>()
    }

    const fn count(size: u32, percent: u8, minimum: u32) -> CountWindowPolicy {
        CountWindowPolicy {
            size,
            failure_rate_percent: percent,
            minimum_calls: minimum,
        }
    }

    const fn time(width: Duration, buckets: u32, percent: u8, minimum: u32) -> TimeWindowPolicy {
        TimeWindowPolicy {
            bucket_width: width,
            buckets,
            failure_rate_percent: percent,
            minimum_calls: minimum,
        }
    }

    #[test]
    fn classic_constructor_is_valid_and_documents_its_defaults() {
        assert_eq!(check(&CLASSIC), Ok(()));
        assert_eq!(CLASSIC.consecutive_failures, Some(3));
        assert_eq!(CLASSIC.open.base, Duration::from_secs(5));
        assert_eq!(CLASSIC.open.cap, Duration::from_secs(5));
        assert_eq!(CLASSIC.open.multiplier_percent, 100);
        assert_eq!(CLASSIC.open.jitter_percent, 0);
        assert_eq!(CLASSIC.half_open.max_permits, 1);
        assert_eq!(CLASSIC.half_open.close, CloseRule::AfterSuccesses(2));
        assert_eq!(
            CLASSIC.half_open.max_wait,
            Some(HalfOpenPolicy::DEFAULT_MAX_WAIT)
        );
        assert_eq!(CLASSIC.half_open.on_max_wait, MaxWaitAction::Reopen);
        assert_eq!(
            check(&BreakerConfig::failure_rate(50, 20, 10, SECOND)),
            Ok(())
        );
    }

    #[test]
    fn a_config_without_trip_policy_is_rejected() {
        let c = CLASSIC.with_consecutive_failures(None);
        assert_eq!(check(&c), Err(ConfigError::NoTripPolicy));
    }

    #[test]
    fn consecutive_failures_must_be_at_least_one() {
        let c = CLASSIC.with_consecutive_failures(Some(0));
        assert_eq!(check(&c), Err(ConfigError::ConsecutiveFailures));
    }

    #[test]
    fn count_window_size_must_fit_thirty_two_calls_per_word() {
        let too_big = CLASSIC.with_count_window(count(129, 50, 1));
        assert_eq!(
            check(&too_big),
            Err(ConfigError::CountWindowSize { max: 128 })
        );
        let empty = CLASSIC.with_count_window(count(0, 50, 1));
        assert_eq!(
            check(&empty),
            Err(ConfigError::CountWindowSize { max: 128 })
        );
        assert_eq!(check(&CLASSIC.with_count_window(count(128, 50, 1))), Ok(()));
        assert_eq!(
            CLASSIC
                .with_count_window(count(33, 50, 1))
                .validate::<1, 1>(),
            Err(ConfigError::CountWindowSize { max: 32 })
        );
    }

    #[test]
    fn failure_rate_thresholds_must_be_within_one_to_one_hundred() {
        for bad in [0, 101, 255] {
            let c = CLASSIC.with_count_window(count(10, bad, 1));
            assert_eq!(check(&c), Err(ConfigError::CountWindowFailureRate));
            let t = CLASSIC.with_time_window(time(SECOND, 5, bad, 1));
            assert_eq!(check(&t), Err(ConfigError::TimeWindowFailureRate));
        }
        for good in [1, 100] {
            assert_eq!(
                check(&CLASSIC.with_count_window(count(10, good, 1))),
                Ok(())
            );
            assert_eq!(
                check(&CLASSIC.with_time_window(time(SECOND, 5, good, 1))),
                Ok(())
            );
        }
    }

    #[test]
    fn minimum_calls_must_be_at_least_one() {
        let c = CLASSIC.with_count_window(count(10, 50, 0));
        assert_eq!(check(&c), Err(ConfigError::CountWindowMinimumCalls));
        let t = CLASSIC.with_time_window(time(SECOND, 5, 50, 0));
        assert_eq!(check(&t), Err(ConfigError::TimeWindowMinimumCalls));
    }

    #[test]
    fn time_window_needs_a_nonzero_width_and_at_most_b_buckets() {
        let zero = CLASSIC.with_time_window(time(Duration::from_ticks(0), 5, 50, 1));
        assert_eq!(check(&zero), Err(ConfigError::TimeWindowBucketWidth));
        let many = CLASSIC.with_time_window(time(SECOND, 11, 50, 1));
        assert_eq!(
            check(&many),
            Err(ConfigError::TimeWindowBuckets { max: 10 })
        );
        let none = CLASSIC.with_time_window(time(SECOND, 0, 50, 1));
        assert_eq!(
            check(&none),
            Err(ConfigError::TimeWindowBuckets { max: 10 })
        );
    }

    #[test]
    fn slow_call_policy_needs_a_valid_rate_and_a_window() {
        let slow = SlowCallPolicy {
            threshold: SECOND,
            rate_percent: 50,
        };
        assert_eq!(
            check(&CLASSIC.with_slow_calls(slow)),
            Err(ConfigError::SlowCallsNeedWindow)
        );
        let windowed = CLASSIC.with_count_window(count(10, 50, 5));
        assert_eq!(check(&windowed.with_slow_calls(slow)), Ok(()));
        let zero_rate = SlowCallPolicy {
            rate_percent: 0,
            ..slow
        };
        assert_eq!(
            check(&windowed.with_slow_calls(zero_rate)),
            Err(ConfigError::SlowCallRate)
        );
    }

    #[test]
    fn open_policy_needs_nonzero_base_growth_cap_at_least_base_and_bounded_jitter() {
        let zero = CLASSIC.with_open(OpenPolicy::fixed(Duration::from_ticks(0)));
        assert_eq!(check(&zero), Err(ConfigError::OpenBase));
        let shrinking = CLASSIC.with_open(OpenPolicy::exponential(SECOND, 99, SECOND));
        assert_eq!(check(&shrinking), Err(ConfigError::OpenMultiplier));
        let low_cap = CLASSIC.with_open(OpenPolicy::exponential(
            SECOND,
            200,
            Duration::from_millis(999),
        ));
        assert_eq!(check(&low_cap), Err(ConfigError::OpenCapBelowBase));
        let jitter = CLASSIC.with_open(OpenPolicy::fixed(SECOND).with_jitter(101, 7));
        assert_eq!(check(&jitter), Err(ConfigError::OpenJitter));
        let full_jitter = CLASSIC.with_open(OpenPolicy::fixed(SECOND).with_jitter(100, 7));
        assert_eq!(check(&full_jitter), Ok(()));
    }

    #[test]
    fn half_open_policy_needs_permits_successes_a_window_for_by_rate_and_nonzero_max_wait() {
        let no_permits = CLASSIC.with_half_open(HalfOpenPolicy::after_successes(0, 1));
        assert_eq!(check(&no_permits), Err(ConfigError::HalfOpenPermits));
        let no_successes = CLASSIC.with_half_open(HalfOpenPolicy::after_successes(1, 0));
        assert_eq!(check(&no_successes), Err(ConfigError::HalfOpenSuccesses));
        let by_rate = CLASSIC.with_half_open(HalfOpenPolicy::by_rate(4));
        assert_eq!(check(&by_rate), Err(ConfigError::HalfOpenByRateNeedsWindow));
        assert_eq!(check(&by_rate.with_count_window(count(10, 50, 5))), Ok(()));
        let zero_wait = CLASSIC.with_half_open(
            HalfOpenPolicy::after_successes(1, 1)
                .with_max_wait(Duration::from_ticks(0), MaxWaitAction::Reopen),
        );
        assert_eq!(check(&zero_wait), Err(ConfigError::HalfOpenMaxWait));
    }

    #[test]
    fn count_window_effective_minimum_is_the_smaller_of_minimum_and_size() {
        assert_eq!(count(10, 50, 20).effective_minimum(), 10);
        assert_eq!(count(10, 50, 4).effective_minimum(), 4);
    }

    #[test]
    fn validation_is_usable_in_const_context() {
        const { assert!(CLASSIC.validate::<4, 10>().is_ok()) };
        const { assert!(CLASSIC.validate::<1, 1>().is_ok()) };
    }
}

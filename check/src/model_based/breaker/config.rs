//! Breaker configurations as generated data ([`ConfigDraft`]) and the engine breaker
//! type the suites test ([`Breaker`]).
//!
//! A draft holds small raw numbers that [`ConfigDraft::repair`] maps onto a valid
//! [`BreakerConfig`] for [`Breaker`]: every policy combination, windows up to the
//! type's capacity, short, long and enormous durations, fractional and huge
//! multipliers, caps, jitter, both close rules and both maximum-wait actions.

use mycel::breaker::{
    BreakerConfig, CircuitBreaker, CloseRule, CountWindowPolicy, HalfOpenPolicy, MaxWaitAction,
    OpenPolicy, SlowCallPolicy, TimeWindowPolicy,
};
use mycel::time::Duration;

/// Words of the count window of [`Breaker`]: windows of up to `32 * WORDS` calls.
pub const WORDS: usize = 2;
/// Buckets of the time window of [`Breaker`].
pub const BUCKETS: usize = 6;
/// The largest count window [`Breaker`] accepts.
pub const MAX_COUNT_WINDOW: u32 = 32 * WORDS as u32;
/// The most time buckets [`Breaker`] accepts.
pub const MAX_BUCKETS: u32 = BUCKETS as u32;

/// The engine breaker under test: small windows, so generated sequences fill them.
pub type Breaker = CircuitBreaker<WORDS, BUCKETS>;

/// A generated duration, at one of three scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum DurationDraft {
    /// `1 + n % 32` ticks: the scale of the generated time jumps.
    Short(u8),
    /// `1 + n` ticks.
    Long(u16),
    /// `u64::MAX / 4 - n` ticks: enormous, so deadlines approach the end of time.
    Huge(u16),
}

impl DurationDraft {
    /// The duration in ticks (never zero).
    #[must_use]
    pub fn ticks(self) -> u64 {
        match self {
            Self::Short(n) => 1 + u64::from(n % 32),
            Self::Long(n) => 1 + u64::from(n),
            Self::Huge(n) => u64::MAX / 4 - u64::from(n),
        }
    }
}

/// A generated count window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct CountDraft {
    /// Chooses the size, `1..=MAX_COUNT_WINDOW`.
    pub size: u8,
    /// Chooses the failure rate, `1..=100`.
    pub rate: u8,
    /// Chooses the minimum calls, `1..=MAX_COUNT_WINDOW + 8` (may exceed the size).
    pub minimum: u8,
}

/// A generated time window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct TimeDraft {
    /// The bucket width.
    pub width: DurationDraft,
    /// Chooses the bucket count, `1..=MAX_BUCKETS`.
    pub buckets: u8,
    /// Chooses the failure rate, `1..=100`.
    pub rate: u8,
    /// Chooses the minimum calls, `1..=16`.
    pub minimum: u8,
}

/// A generated slow-call policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct SlowDraft {
    /// The threshold in ticks, `0..=31` (0: any call that takes time is slow).
    pub threshold: u8,
    /// Chooses the slow-call rate, `1..=100`.
    pub rate: u8,
}

/// A generated open policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct OpenDraft {
    /// The first period.
    pub base: DurationDraft,
    /// The growth per reopen: `100 + n` percent (100% is no growth).
    pub multiplier: u16,
    /// How far the cap lies above the base (`None`: cap = base).
    pub cap_above_base: Option<DurationDraft>,
    /// Chooses the jitter: `n % 101` percent when `n` is odd, else none.
    pub jitter: u8,
    /// The jitter seed.
    pub seed: u64,
}

/// A generated half-open close rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum CloseDraft {
    /// Close after `1 + n % 4` successes.
    AfterSuccesses(u8),
    /// Close or reopen by the probes' rates (needs a window; else after one success).
    ByRate,
}

/// A generated half-open policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct HalfOpenDraft {
    /// Chooses the probe permits, `1..=4`.
    pub permits: u8,
    /// The close rule.
    pub close: CloseDraft,
    /// The maximum wait, if any.
    pub max_wait: Option<DurationDraft>,
    /// What the maximum wait does.
    pub repermit: bool,
}

/// A breaker configuration as generated: small raw numbers, repaired before use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct ConfigDraft {
    /// Chooses the consecutive-failure limit, `1..=8`.
    pub consecutive: Option<u8>,
    /// The count window.
    pub count_window: Option<CountDraft>,
    /// The time window.
    pub time_window: Option<TimeDraft>,
    /// The slow-call policy (dropped when no window is configured).
    pub slow_calls: Option<SlowDraft>,
    /// The open policy.
    pub open: OpenDraft,
    /// The half-open policy.
    pub half_open: HalfOpenDraft,
}

const fn percent(n: u8) -> u8 {
    1 + n % 100
}

impl ConfigDraft {
    /// The valid configuration this draft stands for.
    ///
    /// Ranges are mapped as each field documents; a draft without any trip policy trips
    /// on one failure, a slow-call policy without a window is dropped, and `ByRate`
    /// without a window becomes "close after one success".
    #[must_use]
    pub fn repair(&self) -> BreakerConfig {
        let count_window = self.count_window.map(|c| CountWindowPolicy {
            size: 1 + u32::from(c.size) % MAX_COUNT_WINDOW,
            failure_rate_percent: percent(c.rate),
            minimum_calls: 1 + u32::from(c.minimum) % (MAX_COUNT_WINDOW + 8),
        });
        let time_window = self.time_window.map(|t| TimeWindowPolicy {
            bucket_width: Duration::from_ticks(t.width.ticks()),
            buckets: 1 + u32::from(t.buckets) % MAX_BUCKETS,
            failure_rate_percent: percent(t.rate),
            minimum_calls: 1 + u32::from(t.minimum % 16),
        });
        let has_window = count_window.is_some() || time_window.is_some();
        let consecutive_failures = match self.consecutive {
            Some(n) => Some(1 + u32::from(n % 8)),
            None if has_window => None,
            None => Some(1),
        };
        let slow_calls = self
            .slow_calls
            .filter(|_| has_window)
            .map(|s| SlowCallPolicy {
                threshold: Duration::from_ticks(u64::from(s.threshold % 32)),
                rate_percent: percent(s.rate),
            });
        let base = self.open.base.ticks();
        let cap = self
            .open
            .cap_above_base
            .map_or(base, |above| base.saturating_add(above.ticks()));
        let open = OpenPolicy {
            base: Duration::from_ticks(base),
            multiplier_percent: 100 + u32::from(self.open.multiplier),
            cap: Duration::from_ticks(cap),
            jitter_percent: if self.open.jitter % 2 == 1 {
                self.open.jitter % 101
            } else {
                0
            },
            seed: self.open.seed,
        };
        let h = self.half_open;
        let close = match h.close {
            CloseDraft::AfterSuccesses(n) => CloseRule::AfterSuccesses(1 + u16::from(n % 4)),
            CloseDraft::ByRate if has_window => CloseRule::ByRate,
            CloseDraft::ByRate => CloseRule::AfterSuccesses(1),
        };
        let half_open = HalfOpenPolicy {
            max_permits: 1 + u16::from(h.permits % 4),
            close,
            max_wait: h.max_wait.map(|d| Duration::from_ticks(d.ticks())),
            on_max_wait: if h.repermit {
                MaxWaitAction::Repermit
            } else {
                MaxWaitAction::Reopen
            },
        };
        BreakerConfig {
            consecutive_failures,
            count_window,
            time_window,
            slow_calls,
            open,
            half_open,
        }
    }
}

//! A breaker configuration as people write it in a file: durations as `"5s"` or
//! `"250ms"` (humantime), raw engine ticks still accepted.

use crate::clock::ticks_since_origin;
use mycel::breaker::{
    BreakerConfig, CloseRule, CountWindowPolicy, HalfOpenPolicy, MaxWaitAction, OpenPolicy,
    SlowCallPolicy, TimeWindowPolicy,
};
use mycel::time::Duration;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration in a configuration file: a human string (`"5s"`, `"250ms"`,
/// `"1m 30s"`, parsed by humantime) or a whole number of engine ticks. It is written
/// back as a human string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigDuration(pub Duration);

#[derive(Deserialize)]
#[serde(untagged)]
enum DurationRepr {
    Human(#[serde(with = "humantime_serde")] std::time::Duration),
    Ticks(u64),
}

impl<'de> Deserialize<'de> for ConfigDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(match DurationRepr::deserialize(d)? {
            DurationRepr::Human(std) => Duration::from_ticks(ticks_since_origin(std).as_ticks()),
            DurationRepr::Ticks(ticks) => Duration::from_ticks(ticks),
        }))
    }
}

impl Serialize for ConfigDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        humantime_serde::serialize(&crate::std_duration(self.0), s)
    }
}

fn default_multiplier() -> u32 {
    100
}

fn one() -> u16 {
    1
}

fn default_close() -> CloseRule {
    CloseRule::AfterSuccesses(1)
}

fn default_max_wait() -> Option<ConfigDuration> {
    Some(ConfigDuration(HalfOpenPolicy::DEFAULT_MAX_WAIT))
}

fn default_on_max_wait() -> MaxWaitAction {
    MaxWaitAction::Reopen
}

/// [`TimeWindowPolicy`] with a human bucket width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeWindowSettings {
    /// Width of one bucket.
    pub bucket_width: ConfigDuration,
    /// Number of buckets.
    pub buckets: u32,
    /// Trip at this failure rate.
    pub failure_rate_percent: u8,
    /// No trip below this many calls.
    pub minimum_calls: u32,
}

/// [`SlowCallPolicy`] with a human threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlowCallSettings {
    /// A call strictly longer than this is slow.
    pub threshold: ConfigDuration,
    /// Trip at this slow-call rate.
    pub rate_percent: u8,
}

/// [`OpenPolicy`] with human durations; `cap` defaults to `base`, growth to none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenSettings {
    /// The first open period.
    pub base: ConfigDuration,
    /// Growth of the period on repeated trips, in percent (100: none).
    #[serde(default = "default_multiplier")]
    pub multiplier_percent: u32,
    /// The longest period (default: `base`).
    #[serde(default)]
    pub cap: Option<ConfigDuration>,
    /// Deterministic jitter, in percent of the period.
    #[serde(default)]
    pub jitter_percent: u8,
    /// Seed of the jitter.
    #[serde(default)]
    pub seed: u64,
}

/// [`HalfOpenPolicy`] with a human maximum wait; defaults: one probe, close after one
/// success, give up on lost probes after [`HalfOpenPolicy::DEFAULT_MAX_WAIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HalfOpenSettings {
    /// Probes outstanding at once.
    #[serde(default = "one")]
    pub max_permits: u16,
    /// When to close or reopen.
    #[serde(default = "default_close")]
    pub close: CloseRule,
    /// How long to wait for lost probes; absent: the default.
    #[serde(default = "default_max_wait")]
    pub max_wait: Option<ConfigDuration>,
    /// Wait for lost probes forever (overrides `max_wait`).
    #[serde(default)]
    pub wait_forever: bool,
    /// What the maximum wait does.
    #[serde(default = "default_on_max_wait")]
    pub on_max_wait: MaxWaitAction,
}

impl Default for HalfOpenSettings {
    fn default() -> Self {
        Self {
            max_permits: one(),
            close: default_close(),
            max_wait: default_max_wait(),
            wait_forever: false,
            on_max_wait: default_on_max_wait(),
        }
    }
}

/// A [`BreakerConfig`] as written in a file (TOML, JSON, YAML, ...).
///
/// ```
/// let settings: mycel_std::BreakerSettings = toml::from_str(r#"
///     consecutive_failures = 5
///     open = { base = "5s", cap = "1m", multiplier_percent = 200 }
///     half_open = { max_permits = 2, max_wait = "30s" }
///     slow_calls = { threshold = "250ms", rate_percent = 80 }
///     count_window = { size = 50, failure_rate_percent = 50, minimum_calls = 10 }
/// "#)?;
/// let config = settings.to_config();
/// assert_eq!(config.open.base, mycel::time::Duration::from_secs(5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerSettings {
    /// Trip after this many failures in a row.
    #[serde(default)]
    pub consecutive_failures: Option<u32>,
    /// Trip on the failure rate of the last N calls.
    #[serde(default)]
    pub count_window: Option<CountWindowPolicy>,
    /// Trip on the failure rate of the last B time buckets.
    #[serde(default)]
    pub time_window: Option<TimeWindowSettings>,
    /// Trip on the slow-call rate.
    #[serde(default)]
    pub slow_calls: Option<SlowCallSettings>,
    /// How long OPEN lasts.
    pub open: OpenSettings,
    /// The HALF_OPEN rules.
    #[serde(default)]
    pub half_open: HalfOpenSettings,
}

impl BreakerSettings {
    /// The engine configuration these settings describe. It is validated where it is
    /// used ([`SharedBreaker::new`](crate::SharedBreaker::new) and the engine's
    /// constructors answer a [`ConfigError`](mycel::breaker::ConfigError) naming the
    /// field), against the window capacities of the breaker it configures.
    #[must_use]
    pub fn to_config(&self) -> BreakerConfig {
        let base = self.open.base.0;
        let half = &self.half_open;
        BreakerConfig {
            consecutive_failures: self.consecutive_failures,
            count_window: self.count_window,
            time_window: self.time_window.map(|t| TimeWindowPolicy {
                bucket_width: t.bucket_width.0,
                buckets: t.buckets,
                failure_rate_percent: t.failure_rate_percent,
                minimum_calls: t.minimum_calls,
            }),
            slow_calls: self.slow_calls.map(|s| SlowCallPolicy {
                threshold: s.threshold.0,
                rate_percent: s.rate_percent,
            }),
            open: OpenPolicy::exponential(
                base,
                self.open.multiplier_percent,
                self.open.cap.map_or(base, |c| c.0),
            )
            .with_jitter(self.open.jitter_percent, self.open.seed),
            half_open: HalfOpenPolicy {
                max_permits: half.max_permits,
                close: half.close,
                max_wait: if half.wait_forever {
                    None
                } else {
                    half.max_wait.map(|w| w.0)
                },
                on_max_wait: half.on_max_wait,
            },
        }
    }
}

//! The scenario file exactly as written: serde types that mirror the TOML.
//!
//! Unknown fields are errors everywhere, so a typo never silently falls back to a
//! default. Defaults are filled in and values checked in `validate`.

use super::duration::SimDuration;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub seed: u64,
    pub duration: SimDuration,
    #[serde(default)]
    pub phase: Vec<RawPhase>,
    pub breaker: RawBreaker,
    pub service: Vec<RawService>,
    #[serde(default)]
    pub traffic: Vec<RawTraffic>,
}

/// `[[phase]]`: a named stretch of the run, for the report and the plot.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    pub name: String,
    pub from: SimDuration,
    #[serde(default)]
    pub description: String,
}

/// `[breaker]` or `[service.breaker]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreaker {
    pub consecutive_failures: Option<u32>,
    pub count_window: Option<RawCountWindow>,
    pub time_window: Option<RawTimeWindow>,
    pub slow_calls: Option<RawSlowCalls>,
    pub open: RawOpen,
    pub half_open: Option<RawHalfOpen>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCountWindow {
    pub size: u32,
    pub failure_rate_percent: u8,
    pub minimum_calls: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimeWindow {
    pub bucket_width: SimDuration,
    pub buckets: u32,
    pub failure_rate_percent: u8,
    pub minimum_calls: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlowCalls {
    pub threshold: SimDuration,
    pub rate_percent: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpen {
    pub base: SimDuration,
    pub multiplier_percent: Option<u32>,
    pub cap: Option<SimDuration>,
    pub jitter_percent: Option<u8>,
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawCloseRule {
    AfterSuccesses,
    ByRate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawMaxWaitAction {
    Reopen,
    Repermit,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHalfOpen {
    pub max_permits: Option<u16>,
    pub close: Option<RawCloseRule>,
    pub successes: Option<u16>,
    pub max_wait: Option<SimDuration>,
    pub on_max_wait: Option<RawMaxWaitAction>,
}

/// `[[service]]`: one backend behind its own breaker.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: String,
    pub latency: RawLatency,
    #[serde(default)]
    pub failure_probability: f64,
    pub timeout: Option<SimDuration>,
    pub breaker: Option<RawBreaker>,
    #[serde(default)]
    pub profile: Vec<RawProfile>,
    #[serde(default)]
    pub outage: Vec<RawOutage>,
    #[serde(default)]
    pub slow: Vec<RawSlow>,
}

/// `[[service.profile]]`: the backend's behaviour during one phase.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub phase: String,
    pub latency: Option<RawLatency>,
    pub failure_probability: Option<f64>,
}

/// `[[service.outage]]`: every call fails.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutage {
    pub from: SimDuration,
    pub until: SimDuration,
    pub latency: Option<RawLatency>,
}

/// `[[service.slow]]`: calls take this long.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlow {
    pub from: SimDuration,
    pub until: SimDuration,
    pub latency: RawLatency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawTrafficKind {
    Schedule,
    Constant,
    Burst,
}

/// `[[traffic]]`: requests to one service. Which fields apply depends on `kind`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraffic {
    pub service: String,
    pub kind: RawTrafficKind,
    pub at: Option<Vec<SimDuration>>,
    pub every: Option<SimDuration>,
    pub from: Option<SimDuration>,
    pub until: Option<SimDuration>,
    pub count: Option<u32>,
    pub spread: Option<SimDuration>,
}

/// A latency as written: `"30ms"` (fixed) or `{ min = "20ms", max = "40ms" }` (uniform).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawLatency {
    Fixed(SimDuration),
    Uniform { min: SimDuration, max: SimDuration },
}

impl<'de> serde::Deserialize<'de> for RawLatency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LatencyVisitor)
    }
}

struct LatencyVisitor;

impl<'de> Visitor<'de> for LatencyVisitor {
    type Value = RawLatency;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a duration such as \"30ms\" or a table { min = \"20ms\", max = \"40ms\" }")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawLatency, E> {
        SimDuration::parse(v)
            .map(RawLatency::Fixed)
            .map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLatency, A::Error> {
        const FIELDS: &[&str] = &["min", "max"];
        let (mut min, mut max) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "min" => min = Some(map.next_value::<SimDuration>()?),
                "max" => max = Some(map.next_value::<SimDuration>()?),
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
        }
        let min = min.ok_or_else(|| de::Error::missing_field("min"))?;
        let max = max.ok_or_else(|| de::Error::missing_field("max"))?;
        Ok(RawLatency::Uniform { min, max })
    }
}

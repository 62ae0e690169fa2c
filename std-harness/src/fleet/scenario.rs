//! Fleet scenario files: N instances of one service, one backend, a shared store with
//! latency and outages (`std-harness/scenarios/fleet.toml` explains every field).

use crate::scenario::{FieldPath, Limits, RawBreaker, SimDuration, breaker_config};
use mycel::breaker::BreakerConfig;
use serde::Deserialize;
use std::path::Path;

/// Most instances a fleet scenario may have.
pub const MAX_INSTANCES: u32 = 32;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFleet {
    name: String,
    #[serde(default)]
    description: String,
    seed: u64,
    duration: SimDuration,
    instances: u32,
    interval: SimDuration,
    breaker: RawBreaker,
    store: RawStore,
    backend: Vec<RawBackendPhase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    latency: SimDuration,
    sync_every_calls: u32,
    sync_interval: SimDuration,
    #[serde(default)]
    outage: Vec<RawStoreOutage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStoreOutage {
    from: SimDuration,
    to: SimDuration,
    #[serde(default)]
    instances: Vec<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBackendPhase {
    from: SimDuration,
    failure_probability: f64,
}

/// A stretch of time during which some instances (all, if `instances` is empty) cannot
/// reach the store: an outage, or a partition.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreOutage {
    /// Start, in microseconds since the run began.
    pub from: u64,
    /// End (exclusive).
    pub to: u64,
    /// The instances cut off; empty means every one.
    pub instances: Vec<u32>,
}

/// The shared store's behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreSpec {
    /// Round-trip time of one sync, in microseconds (the request lands halfway).
    pub latency: u64,
    /// Sync before every N-th call...
    pub sync_every_calls: u32,
    /// ...or once this many microseconds have passed since the last sync.
    pub sync_interval: u64,
    /// When which instances cannot reach it.
    pub outages: Vec<StoreOutage>,
}

impl StoreSpec {
    /// Whether `instance` can reach the store at `t`.
    #[must_use]
    pub fn reachable(&self, instance: u32, t: u64) -> bool {
        !self.outages.iter().any(|o| {
            (o.from..o.to).contains(&t)
                && (o.instances.is_empty() || o.instances.contains(&instance))
        })
    }
}

/// A checked fleet scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetScenario {
    /// Its name.
    pub name: String,
    /// What it shows.
    pub description: String,
    /// Seed of the backend's randomness.
    pub seed: u64,
    /// Length of the run, in microseconds.
    pub duration: u64,
    /// How many instances call the backend.
    pub instances: u32,
    /// Each instance calls once per interval (microseconds), instance `i` offset by
    /// `i * interval / instances`.
    pub interval: u64,
    /// Every instance's breaker.
    pub breaker: BreakerConfig,
    /// The shared store.
    pub store: StoreSpec,
    /// `(from, failure_probability)`, sorted by `from`, the first from 0.
    pub backend: Vec<(u64, f64)>,
}

impl FleetScenario {
    /// The backend's failure probability at `t`.
    #[must_use]
    pub fn failure_probability(&self, t: u64) -> f64 {
        self.backend
            .iter()
            .take_while(|(from, _)| *from <= t)
            .last()
            .map_or(0.0, |(_, p)| *p)
    }
}

/// Reads, parses and checks the fleet scenario in `path` within `limits`: a file over
/// `max_file_bytes`, or one whose instances would make more than `max_requests` calls
/// in all, is refused before anything runs.
///
/// # Errors
/// A message naming the file, then the field at fault and, for a limit, the flag that
/// raises it.
pub fn load_within(path: &Path, limits: &Limits) -> Result<FleetScenario, String> {
    use std::io::Read as _;
    let name = path.display();
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(limits.max_file_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
        })
        .map_err(|e| format!("{name}: cannot read: {e}"))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(format!(
            "{name}: larger than the limit of {} bytes (raise it with --max-file-bytes)",
            limits.max_file_bytes
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| format!("{name}: not UTF-8 text ({e})"))?;
    let scenario = parse(&text).map_err(|e| format!("{name}: {e}"))?;
    let calls = (scenario.duration / scenario.interval.max(1))
        .saturating_add(1)
        .saturating_mul(u64::from(scenario.instances));
    if calls > limits.max_requests {
        return Err(format!(
            "{name}: duration: {} instances calling every {} us for {} us make {calls} calls, \
             over the limit of {} (raise it with --max-requests)",
            scenario.instances, scenario.interval, scenario.duration, limits.max_requests
        ));
    }
    Ok(scenario)
}

/// Parses and checks a fleet scenario.
///
/// # Errors
/// A message naming the field at fault.
pub fn parse(text: &str) -> Result<FleetScenario, String> {
    let raw: RawFleet = toml::from_str(text).map_err(|e| e.to_string())?;
    let breaker = breaker_config(&raw.breaker, &FieldPath::root().key("breaker"))
        .map_err(|(at, message)| format!("{at}: {message}"))?;
    if breaker.time_window.is_none() {
        return Err("breaker: a fleet shares the time window; give one".into());
    }
    if !(1..=MAX_INSTANCES).contains(&raw.instances) {
        return Err(format!("instances: must be in 1..={MAX_INSTANCES}"));
    }
    if raw.interval.micros == 0 || raw.duration.micros == 0 {
        return Err("interval and duration must not be zero".into());
    }
    if raw.store.sync_every_calls == 0 {
        return Err("store.sync_every_calls: at least 1".into());
    }
    let mut backend: Vec<(u64, f64)> = raw
        .backend
        .iter()
        .map(|p| (p.from.micros, p.failure_probability))
        .collect();
    backend.sort_by_key(|(from, _)| *from);
    if backend.first().is_none_or(|(from, _)| *from != 0) {
        return Err("backend: the first phase starts at \"0s\"".into());
    }
    if backend.iter().any(|(_, p)| !(0.0..=1.0).contains(p)) {
        return Err("backend.failure_probability: in 0..=1".into());
    }
    let outages = raw
        .store
        .outage
        .iter()
        .map(|o| {
            if o.to.micros <= o.from.micros {
                return Err("store.outage: `to` must be after `from`".to_owned());
            }
            if o.instances.iter().any(|i| *i >= raw.instances) {
                return Err("store.outage.instances: no such instance".to_owned());
            }
            Ok(StoreOutage {
                from: o.from.micros,
                to: o.to.micros,
                instances: o.instances.clone(),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(FleetScenario {
        name: raw.name,
        description: raw.description,
        seed: raw.seed,
        duration: raw.duration.micros,
        instances: raw.instances,
        interval: raw.interval.micros,
        breaker,
        store: StoreSpec {
            latency: raw.store.latency.micros,
            sync_every_calls: raw.store.sync_every_calls,
            sync_interval: raw.store.sync_interval.micros,
            outages,
        },
        backend,
    })
}

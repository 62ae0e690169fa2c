//! Checks a parsed scenario file and turns it into a [`Scenario`].

use super::breaker::breaker_config;
use super::duration::SimDuration;
use super::model::{
    BackendSpec, Latency, MAX_SERVICES, Outage, Pattern, Phase, Profile, Scenario, Service,
    SlowPeriod, Traffic,
};
use super::path::FieldPath;
use super::raw::{RawLatency, RawScenario, RawService, RawTraffic, RawTrafficKind};
use mycel::time::{Duration, Instant};

/// A field at fault and what is wrong with it.
pub type Invalid = (FieldPath, String);

fn invalid<T>(path: FieldPath, message: impl Into<String>) -> Result<T, Invalid> {
    Err((path, message.into()))
}

fn instant(d: SimDuration) -> Instant {
    Instant::from_micros(d.micros)
}

fn duration(d: SimDuration) -> Duration {
    Duration::from_micros(d.micros)
}

fn positive(d: SimDuration, path: FieldPath) -> Result<Duration, Invalid> {
    if d.micros == 0 {
        return invalid(path, "must be greater than zero");
    }
    Ok(duration(d))
}

/// The checked scenario, or the first field at fault, in file order.
///
/// # Errors
/// The path of the offending field and a message.
pub fn validate(raw: &RawScenario) -> Result<Scenario, Invalid> {
    let root = FieldPath::root();
    if raw.name.trim().is_empty() {
        return invalid(root.key("name"), "must not be empty");
    }
    let length = positive(raw.duration, root.key("duration"))?;
    let end = Instant::from_ticks(length.as_ticks());
    let phases = phases(raw, end)?;
    let default_breaker = breaker_config(&raw.breaker, &root.key("breaker"))?;
    if raw.service.is_empty() {
        return invalid(root.key("service"), "declare at least one [[service]]");
    }
    if raw.service.len() > MAX_SERVICES {
        return invalid(
            root.key("service").index(MAX_SERVICES),
            format!("at most {MAX_SERVICES} services are supported"),
        );
    }
    // Without [[phase]] tables the run is one implicit phase no profile can name.
    let named_phases: &[Phase] = if raw.phase.is_empty() { &[] } else { &phases };
    let mut services: Vec<Service> = Vec::with_capacity(raw.service.len());
    for (i, s) in raw.service.iter().enumerate() {
        let at = root.key("service").index(i);
        if s.name.trim().is_empty() {
            return invalid(at.key("name"), "must not be empty");
        }
        if services.iter().any(|o| o.name == s.name) {
            return invalid(
                at.key("name"),
                format!("service \"{}\" is declared twice", s.name),
            );
        }
        let breaker = match &s.breaker {
            Some(b) => breaker_config(b, &at.key("breaker"))?,
            None => default_breaker,
        };
        services.push(Service {
            name: s.name.clone(),
            breaker,
            backend: backend(s, &at, named_phases)?,
        });
    }
    let mut traffic = Vec::with_capacity(raw.traffic.len());
    for (i, t) in raw.traffic.iter().enumerate() {
        traffic.push(generator(t, &root.key("traffic").index(i), &services, end)?);
    }
    Ok(Scenario {
        name: raw.name.clone(),
        description: raw.description.trim().to_owned(),
        seed: raw.seed,
        duration: length,
        phases,
        services,
        traffic,
    })
}

fn phases(raw: &RawScenario, end: Instant) -> Result<Vec<Phase>, Invalid> {
    if raw.phase.is_empty() {
        return Ok(vec![Phase {
            name: "run".to_owned(),
            description: String::new(),
            from: Instant::from_ticks(0),
            until: end,
        }]);
    }
    let mut phases: Vec<Phase> = Vec::with_capacity(raw.phase.len());
    for (i, p) in raw.phase.iter().enumerate() {
        let at = FieldPath::root().key("phase").index(i);
        if p.name.trim().is_empty() {
            return invalid(at.key("name"), "must not be empty");
        }
        if phases.iter().any(|o| o.name == p.name) {
            return invalid(
                at.key("name"),
                format!("phase \"{}\" is declared twice", p.name),
            );
        }
        let from = instant(p.from);
        match phases.last_mut() {
            None if from.as_ticks() != 0 => {
                return invalid(at.key("from"), "the first phase must start at \"0s\"");
            }
            Some(previous) if from <= previous.from => {
                return invalid(at.key("from"), "phases must start in increasing order");
            }
            Some(previous) => previous.until = from,
            None => {}
        }
        if from >= end {
            return invalid(
                at.key("from"),
                "starts at or after the end of the run (duration)",
            );
        }
        phases.push(Phase {
            name: p.name.clone(),
            description: p.description.trim().to_owned(),
            from,
            until: end,
        });
    }
    Ok(phases)
}

fn latency(raw: RawLatency, at: &FieldPath) -> Result<Latency, Invalid> {
    match raw {
        RawLatency::Fixed(d) => Ok(Latency::Fixed(positive(d, at.clone())?)),
        RawLatency::Uniform { min, max } => {
            let min = positive(min, at.key("min"))?;
            if max.micros < min.as_micros() {
                return invalid(at.key("max"), "must not be shorter than min");
            }
            Ok(Latency::Uniform {
                min,
                max: duration(max),
            })
        }
    }
}

fn probability(p: f64, at: FieldPath) -> Result<f64, Invalid> {
    if !(0.0..=1.0).contains(&p) {
        return invalid(at, format!("{p} is not a probability: must be in [0, 1]"));
    }
    Ok(p)
}

fn period(
    from: SimDuration,
    until: SimDuration,
    at: &FieldPath,
) -> Result<(Instant, Instant), Invalid> {
    if until <= from {
        return invalid(at.key("until"), "must be later than from");
    }
    Ok((instant(from), instant(until)))
}

fn backend(s: &RawService, at: &FieldPath, phases: &[Phase]) -> Result<BackendSpec, Invalid> {
    let default = Profile {
        latency: latency(s.latency, &at.key("latency"))?,
        failure_probability: probability(s.failure_probability, at.key("failure_probability"))?,
    };
    let timeout = match s.timeout {
        Some(t) => Some(positive(t, at.key("timeout"))?),
        None => None,
    };
    let mut by_phase: Vec<(usize, Profile)> = Vec::new();
    for (i, p) in s.profile.iter().enumerate() {
        let here = at.key("profile").index(i);
        let Some(index) = phases.iter().position(|ph| ph.name == p.phase) else {
            let known: Vec<&str> = phases.iter().map(|ph| ph.name.as_str()).collect();
            let declared = if known.is_empty() {
                "no [[phase]] is declared".to_owned()
            } else {
                format!("declared: {}", known.join(", "))
            };
            return invalid(
                here.key("phase"),
                format!("unknown phase \"{}\" ({declared})", p.phase),
            );
        };
        if by_phase.iter().any(|(j, _)| *j == index) {
            return invalid(
                here.key("phase"),
                format!("phase \"{}\" already has a profile", p.phase),
            );
        }
        let profile = Profile {
            latency: match p.latency {
                Some(l) => latency(l, &here.key("latency"))?,
                None => default.latency,
            },
            failure_probability: match p.failure_probability {
                Some(f) => probability(f, here.key("failure_probability"))?,
                None => default.failure_probability,
            },
        };
        by_phase.push((index, profile));
    }
    let mut outages = Vec::with_capacity(s.outage.len());
    for (i, o) in s.outage.iter().enumerate() {
        let here = at.key("outage").index(i);
        let (from, until) = period(o.from, o.until, &here)?;
        let latency = match o.latency {
            Some(l) => Some(latency(l, &here.key("latency"))?),
            None => None,
        };
        outages.push(Outage {
            from,
            until,
            latency,
        });
    }
    let mut slow = Vec::with_capacity(s.slow.len());
    for (i, o) in s.slow.iter().enumerate() {
        let here = at.key("slow").index(i);
        let (from, until) = period(o.from, o.until, &here)?;
        slow.push(SlowPeriod {
            from,
            until,
            latency: latency(o.latency, &here.key("latency"))?,
        });
    }
    Ok(BackendSpec {
        default,
        phases: by_phase,
        outages,
        slow,
        timeout,
    })
}

/// Rejects a field that `kind` does not use.
fn unused<T>(value: Option<&T>, at: &FieldPath, field: &str, kind: &str) -> Result<(), Invalid> {
    if value.is_some() {
        return invalid(
            at.key(field),
            format!("does not apply to kind = \"{kind}\""),
        );
    }
    Ok(())
}

fn required<T: Copy>(
    value: Option<T>,
    at: &FieldPath,
    field: &str,
    kind: &str,
) -> Result<T, Invalid> {
    value.ok_or_else(|| (at.key(field), format!("is required for kind = \"{kind}\"")))
}

fn generator(
    t: &RawTraffic,
    at: &FieldPath,
    services: &[Service],
    end: Instant,
) -> Result<Traffic, Invalid> {
    let Some(service) = services.iter().position(|s| s.name == t.service) else {
        let known: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
        return invalid(
            at.key("service"),
            format!(
                "unknown service \"{}\" (declared: {})",
                t.service,
                known.join(", ")
            ),
        );
    };
    let from = t.from.map_or(Instant::from_ticks(0), instant);
    let until = t.until.map_or(end, instant).min(end);
    let window = |kind: &str| -> Result<(), Invalid> {
        if from >= until {
            let field = if t.until.is_some() { "until" } else { "from" };
            return invalid(
                at.key(field),
                format!(
                    "kind = \"{kind}\" needs from < until (and from before the end of the run)"
                ),
            );
        }
        Ok(())
    };
    let pattern = match t.kind {
        RawTrafficKind::Schedule => {
            let kind = "schedule";
            for (value, field) in [
                (t.every, "every"),
                (t.from, "from"),
                (t.until, "until"),
                (t.spread, "spread"),
            ] {
                unused(value.as_ref(), at, field, kind)?;
            }
            unused(t.count.as_ref(), at, "count", kind)?;
            let Some(times) = &t.at else {
                return invalid(at.key("at"), "is required for kind = \"schedule\"");
            };
            if times.is_empty() {
                return invalid(at.key("at"), "must list at least one instant");
            }
            let mut instants = Vec::with_capacity(times.len());
            for (i, d) in times.iter().enumerate() {
                let when = instant(*d);
                if when >= end {
                    return invalid(
                        at.key("at").index(i),
                        "is at or after the end of the run (duration)",
                    );
                }
                instants.push(when);
            }
            instants.sort();
            Pattern::Schedule(instants)
        }
        RawTrafficKind::Constant => {
            let kind = "constant";
            unused(t.at.as_ref(), at, "at", kind)?;
            unused(t.count.as_ref(), at, "count", kind)?;
            unused(t.spread.as_ref(), at, "spread", kind)?;
            let every = positive(required(t.every, at, "every", kind)?, at.key("every"))?;
            window(kind)?;
            Pattern::Constant { every, from, until }
        }
        RawTrafficKind::Burst => {
            let kind = "burst";
            unused(t.at.as_ref(), at, "at", kind)?;
            let count = required(t.count, at, "count", kind)?;
            if count == 0 {
                return invalid(at.key("count"), "must be at least 1");
            }
            let every = match t.every {
                Some(e) => Some(positive(e, at.key("every"))?),
                None => None,
            };
            let spread = t.spread.map_or(Duration::from_ticks(0), duration);
            // Overlapping bursts would make arrivals go back in time.
            if every.is_some_and(|e| spread >= e) {
                return invalid(at.key("spread"), "must be shorter than every");
            }
            window(kind)?;
            Pattern::Burst {
                count,
                spread,
                from,
                every,
                until,
            }
        }
    };
    Ok(Traffic { service, pattern })
}

//! The simulated backend of a service: how long each call takes and whether it fails.

use crate::rng::SimRng;
use crate::scenario::{BackendSpec, Latency, Phase, Profile};
use mycel::time::{Duration, Instant};

/// What the backend does with one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    /// How long the call takes: its response arrives this long after the call.
    pub latency: Duration,
    /// Whether the call succeeds.
    pub ok: bool,
    /// Why it fails, when it does.
    pub cause: Option<FailureCause>,
}

/// Why a simulated call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureCause {
    /// The backend was in a scripted outage.
    Outage,
    /// The backend's failure probability came up.
    Error,
    /// The call took longer than the caller's timeout.
    Timeout,
}

impl FailureCause {
    /// A stable lowercase name: `"outage"`, `"error"` or `"timeout"`.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Outage => "outage",
            Self::Error => "error",
            Self::Timeout => "timeout",
        }
    }
}

/// One service's backend, answering calls from its scripted behaviour and its own
/// random stream.
#[derive(Debug, Clone)]
pub struct Backend {
    spec: BackendSpec,
    /// The phase boundaries, to find a call's phase profile.
    phase_starts: Vec<Instant>,
    rng: SimRng,
    calls: u64,
}

impl Backend {
    /// The backend described by `spec` in a scenario with `phases`, drawing from `rng`.
    #[must_use]
    pub fn new(spec: BackendSpec, phases: &[Phase], rng: SimRng) -> Self {
        Self {
            spec,
            phase_starts: phases.iter().map(|p| p.from).collect(),
            rng,
            calls: 0,
        }
    }

    /// How many calls the backend has received.
    #[must_use]
    pub const fn calls(&self) -> u64 {
        self.calls
    }

    /// Receives a call at `at` and decides its reply.
    ///
    /// Precedence: an outage fails the call (after the outage's latency, else the
    /// profile's); a slow period sets the latency; otherwise the current phase's profile
    /// (or the default) gives latency and failure probability. A latency over the
    /// timeout becomes a failure after the timeout. Latency is drawn before failure, so
    /// the random stream advances the same way whatever the outcome.
    pub fn call(&mut self, at: Instant) -> Reply {
        self.calls = self.calls.saturating_add(1);
        let profile = self.profile_at(at);
        let outage = self
            .spec
            .outages
            .iter()
            .find(|o| o.from <= at && at < o.until)
            .copied();
        let slow = self
            .spec
            .slow
            .iter()
            .find(|s| s.from <= at && at < s.until)
            .copied();
        let latency_spec = match (outage, slow) {
            (Some(o), _) => o.latency.unwrap_or(profile.latency),
            (None, Some(s)) => s.latency,
            (None, None) => profile.latency,
        };
        let latency = self.draw(latency_spec);
        let (mut ok, mut cause) = if outage.is_some() {
            (false, Some(FailureCause::Outage))
        } else if self.rng.chance(profile.failure_probability) {
            (false, Some(FailureCause::Error))
        } else {
            (true, None)
        };
        let mut latency = latency;
        if let Some(timeout) = self.spec.timeout
            && latency > timeout
        {
            latency = timeout;
            ok = false;
            cause = cause.or(Some(FailureCause::Timeout));
        }
        Reply { latency, ok, cause }
    }

    fn profile_at(&self, at: Instant) -> Profile {
        // Phase starts are increasing (checked), so the search halves each time.
        let phase = self
            .phase_starts
            .partition_point(|&from| from <= at)
            .checked_sub(1);
        phase
            .and_then(|index| {
                self.spec
                    .phases
                    .iter()
                    .find(|(p, _)| *p == index)
                    .map(|(_, profile)| *profile)
            })
            .unwrap_or(self.spec.default)
    }

    fn draw(&mut self, latency: Latency) -> Duration {
        match latency {
            Latency::Fixed(d) => d,
            Latency::Uniform { min, max } => {
                Duration::from_ticks(self.rng.uniform(min.as_ticks(), max.as_ticks()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Outage, SlowPeriod};

    fn secs(s: u64) -> Instant {
        Instant::from_secs(s)
    }

    fn phases() -> Vec<Phase> {
        ["calm", "rough"]
            .iter()
            .enumerate()
            .map(|(i, n)| Phase {
                name: (*n).to_owned(),
                description: String::new(),
                from: secs(10 * i as u64),
                until: secs(10 * (i as u64 + 1)),
            })
            .collect()
    }

    fn spec() -> BackendSpec {
        let ms = Duration::from_millis;
        BackendSpec {
            default: Profile {
                latency: Latency::Fixed(ms(10)),
                failure_probability: 0.0,
            },
            phases: vec![(
                1,
                Profile {
                    latency: Latency::Fixed(ms(20)),
                    failure_probability: 1.0,
                },
            )],
            outages: vec![Outage {
                from: secs(2),
                until: secs(3),
                latency: Some(Latency::Fixed(ms(1))),
            }],
            slow: vec![SlowPeriod {
                from: secs(2),
                until: secs(5),
                latency: Latency::Fixed(ms(900)),
            }],
            timeout: Some(ms(500)),
        }
    }

    fn backend() -> Backend {
        Backend::new(spec(), &phases(), SimRng::new(1, 0))
    }

    #[test]
    fn the_default_profile_applies_outside_scripted_periods() {
        let reply = backend().call(secs(1));
        assert_eq!(
            reply,
            Reply {
                latency: Duration::from_millis(10),
                ok: true,
                cause: None
            }
        );
    }

    #[test]
    fn an_outage_beats_a_slow_period_and_fails_after_its_own_latency() {
        let reply = backend().call(secs(2));
        assert_eq!(reply.cause, Some(FailureCause::Outage));
        assert_eq!(reply.latency, Duration::from_millis(1));
    }

    #[test]
    fn a_slow_call_past_the_timeout_fails_when_the_timeout_runs_out() {
        let reply = backend().call(secs(4));
        assert_eq!(reply.cause, Some(FailureCause::Timeout));
        assert_eq!(reply.latency, Duration::from_millis(500));
    }

    #[test]
    fn a_phase_profile_replaces_the_default_during_its_phase() {
        let reply = backend().call(secs(12));
        assert_eq!(reply.cause, Some(FailureCause::Error));
        assert_eq!(reply.latency, Duration::from_millis(20));
    }

    #[test]
    fn every_call_is_counted() {
        let mut b = backend();
        for s in 0..5 {
            b.call(secs(s));
        }
        assert_eq!(b.calls(), 5);
    }
}

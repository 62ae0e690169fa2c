//! A checked scenario: what the simulator runs.

use mycel::breaker::BreakerConfig;
use mycel::time::{Duration, Instant};

/// The most services one scenario may declare (the size of the simulator's breaker bank).
pub const MAX_SERVICES: usize = 16;

/// Words of 32 calls in each simulated breaker's count window: windows of up to 128 calls.
pub const COUNT_WINDOW_WORDS: usize = 4;

/// Buckets in each simulated breaker's time window: `time_window.buckets` is at most 10.
pub const TIME_WINDOW_BUCKETS: usize = 10;

/// A scenario that passed every check: services, breaker configurations, phases and
/// traffic, with defaults filled in. Instants count from the start of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Its name, as reports print it.
    pub name: String,
    /// A few words on what it shows.
    pub description: String,
    /// The seed used unless the command line gives another.
    pub seed: u64,
    /// How much simulated time the run covers: nothing happens at or after this instant.
    pub duration: Duration,
    /// Named stretches of the run, in order, covering it from 0 to `duration`.
    pub phases: Vec<Phase>,
    /// The backends, each behind its own breaker, in declaration order.
    pub services: Vec<Service>,
    /// The request generators.
    pub traffic: Vec<Traffic>,
}

impl Scenario {
    /// The instant the run ends (exclusive).
    #[must_use]
    pub fn end(&self) -> Instant {
        Instant::from_ticks(self.duration.as_ticks())
    }

    /// The index of the phase holding `at` (the last phase for instants past the end).
    #[must_use]
    pub fn phase_at(&self, at: Instant) -> usize {
        // Phases start in increasing order (checked), so the search halves each time.
        self.phases
            .partition_point(|p| p.from <= at)
            .saturating_sub(1)
    }

    /// The same scenario cut to its first `duration` (phases, traffic and backend
    /// periods past it simply never happen); a longer `duration` changes nothing.
    ///
    /// Used to test long scenarios quickly in debug builds.
    #[must_use]
    pub fn truncated(&self, duration: Duration) -> Self {
        let mut s = self.clone();
        if duration >= s.duration {
            return s;
        }
        s.duration = duration;
        let end = s.end();
        s.phases.retain(|p| p.from < end);
        for p in &mut s.phases {
            p.until = p.until.min(end);
        }
        s
    }
}

/// A named stretch of the run, `[from, until)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// Its name.
    pub name: String,
    /// What happens in it, for the report.
    pub description: String,
    /// Its first instant.
    pub from: Instant,
    /// The first instant after it (the next phase's start, or the end of the run).
    pub until: Instant,
}

/// One backend and the breaker in front of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Its name.
    pub name: String,
    /// Its breaker's configuration (validated for the simulator's breakers).
    pub breaker: BreakerConfig,
    /// How its simulated backend answers.
    pub backend: BackendSpec,
}

/// How long calls take: a fixed time or a time drawn uniformly from a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latency {
    /// Always this long.
    Fixed(Duration),
    /// Drawn uniformly from `min..=max` (in whole microseconds).
    Uniform {
        /// The shortest call.
        min: Duration,
        /// The longest call.
        max: Duration,
    },
}

/// A backend's behaviour: its latency and the probability that a call fails.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    /// How long calls take.
    pub latency: Latency,
    /// The probability, in `[0, 1]`, that a call fails.
    pub failure_probability: f64,
}

/// A stretch `[from, until)` during which every call fails, after `latency` (the
/// backend's own latency when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outage {
    /// The first instant of the outage.
    pub from: Instant,
    /// The first instant after it.
    pub until: Instant,
    /// How long a failing call takes.
    pub latency: Option<Latency>,
}

/// A stretch `[from, until)` during which calls take `latency` (and still fail with
/// the backend's probability).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlowPeriod {
    /// The first instant of the slow period.
    pub from: Instant,
    /// The first instant after it.
    pub until: Instant,
    /// How long calls take meanwhile.
    pub latency: Latency,
}

/// Everything the simulated backend of a service does, in order of precedence: an
/// outage beats a slow period, which beats the current phase's profile, which beats
/// the default profile. Calls longer than `timeout` fail when it runs out.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendSpec {
    /// The behaviour outside any phase profile.
    pub default: Profile,
    /// Behaviour per phase, by phase index (the default's values where unset).
    pub phases: Vec<(usize, Profile)>,
    /// When the backend is down.
    pub outages: Vec<Outage>,
    /// When the backend is slow.
    pub slow: Vec<SlowPeriod>,
    /// The caller's timeout: a call that would take longer fails after this long.
    pub timeout: Option<Duration>,
}

/// One request generator, for one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traffic {
    /// The service index the requests go to.
    pub service: usize,
    /// When the requests arrive.
    pub pattern: Pattern,
}

/// When a generator's requests arrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// At exactly these instants (sorted).
    Schedule(Vec<Instant>),
    /// One request every `every`, at `from`, `from + every`, … before `until`.
    Constant {
        /// The interval between requests.
        every: Duration,
        /// The first request.
        from: Instant,
        /// No request at or after this instant.
        until: Instant,
    },
    /// `count` requests spread evenly over `spread` starting at `from` (all at once
    /// when `spread` is zero), repeated every `every` if set, before `until`.
    Burst {
        /// Requests per burst.
        count: u32,
        /// How long one burst lasts.
        spread: Duration,
        /// The first burst's start.
        from: Instant,
        /// The interval between burst starts (`None`: a single burst).
        every: Option<Duration>,
        /// No request at or after this instant.
        until: Instant,
    },
}

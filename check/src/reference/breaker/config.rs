//! Configuration of the reference breaker: plain data, every time value in ticks.
//!
//! The model does not validate a configuration (the tests only feed valid ones), but it
//! never panics on any value: arithmetic on these fields saturates.

/// Everything that shapes a [`RefBreaker`](super::RefBreaker).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefBreakerConfig {
    /// Trip when the run of consecutive failures reaches this many (`None`: policy off).
    pub consecutive_failures: Option<u32>,
    /// Failure (and slow) rate over the last `size` counted outcomes (`None`: policy off).
    pub count_window: Option<RefCountWindow>,
    /// Failure (and slow) rate over the last `buckets` time buckets (`None`: policy off).
    pub time_window: Option<RefTimeWindow>,
    /// Slow-call threshold and rate, evaluated over each configured window (`None`: off).
    pub slow_calls: Option<RefSlowCalls>,
    /// How long OPEN lasts and how that grows on repeated openings.
    pub open: RefOpen,
    /// How HALF_OPEN admits probes and decides to close or reopen.
    pub half_open: RefHalfOpen,
}

/// A window over the last `size` counted outcomes (Success or Failure).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefCountWindow {
    /// How many of the latest counted outcomes the window holds.
    pub size: u32,
    /// Trip when `failures * 100 >= failure_rate_percent * calls`.
    pub failure_rate_percent: u8,
    /// No rate is judged below `min(minimum_calls, size)` calls in the window.
    pub minimum_calls: u32,
}

/// A window over the last `buckets` buckets of `bucket_width` ticks each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefTimeWindow {
    /// Width of one bucket in ticks; an outcome recorded at `now` falls in bucket
    /// `now / bucket_width`.
    pub bucket_width: u64,
    /// How many buckets (the current one included) the window holds.
    pub buckets: u32,
    /// Trip when `failures * 100 >= failure_rate_percent * calls`.
    pub failure_rate_percent: u8,
    /// No rate is judged below this many calls in the window.
    pub minimum_calls: u32,
}

/// What makes a call slow and how many slow calls are too many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefSlowCalls {
    /// A call is slow iff `record now - acquired_at > threshold` (strictly).
    pub threshold: u64,
    /// Trip when `slow * 100 >= rate_percent * calls` in a window.
    pub rate_percent: u8,
}

/// The open period: base, exponential growth, cap and seeded jitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefOpen {
    /// Period of the first opening in a row, in ticks.
    pub base: u64,
    /// Each further opening in a row lasts `previous * multiplier_percent / 100`.
    pub multiplier_percent: u32,
    /// No period (before or after jitter) exceeds this many ticks.
    pub cap: u64,
    /// Jitter span as a percentage of the un-jittered period (0: no jitter, no draws).
    pub jitter_percent: u8,
    /// Seed of the splitmix64 stream the jitter draws from.
    pub seed: u64,
}

/// How HALF_OPEN admits probes and how it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefHalfOpen {
    /// At most this many probe permits outstanding at once.
    pub max_permits: u32,
    /// When HALF_OPEN closes (or reopens).
    pub close: RefClose,
    /// Longest time without probe activity while probes are outstanding (`None`: forever).
    pub max_wait: Option<u64>,
    /// What happens when `max_wait` expires.
    pub on_max_wait: RefMaxWait,
}

/// The rule that ends HALF_OPEN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefClose {
    /// Close after this many probe successes; the first probe failure reopens.
    AfterSuccesses(u32),
    /// Once `max_permits` probe outcomes are recorded, judge their failure (and slow) rate
    /// against the thresholds; any rate at or above its threshold reopens, else close.
    ByRate,
}

/// What an expired half-open maximum wait does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefMaxWait {
    /// Reopen with the next backoff period.
    Reopen,
    /// Stay HALF_OPEN under a new generation with every probe slot free again.
    Repermit,
}

//! How much work a scenario file may ask for, checked before anything runs.
//!
//! A run's work and memory grow with three things a file controls, each capped by a
//! [`Limits`] field (and a `mycel run`/`check` flag to raise it):
//!
//! | what | limit | flag | default |
//! |---|---|---|---|
//! | the file's size | [`Limits::max_file_bytes`] | `--max-file-bytes` | 4 MiB |
//! | entries of any one table array (`[[phase]]`, `[[traffic]]`, a service's `[[service.outage]]`, ...) | [`Limits::max_entries`] | `--max-entries` | 1 000 |
//! | requests the traffic makes (an upper bound, from the patterns alone) | [`Limits::max_requests`] | `--max-requests` | 2 000 000 |
//! | state changes the breakers' timers can make with no request (OPEN → HALF_OPEN → OPEN by a half-open maximum wait, over and over) | [`Limits::max_timed_changes`] | `--max-timed-changes` | 2 000 000 |
//!
//! Within these limits a run's work is linear in requests plus timed changes (each
//! costs a bounded number of steps; per-event lookups are logarithmic in phases and
//! linear in a service's outages and slow periods, at most `max_entries`), and its
//! memory is bounded by
//!
//! ```text
//! heap ≲ 25 × file bytes + 50 B × requests in flight + 2 MB × services + 4 MB
//! ```
//!
//! Requests in flight (scheduled backend responses) are at most `max_requests`. What
//! grows with state changes is capped: the report and summary list the first
//! [`MAX_LISTED_CHANGES`](crate::stats::MAX_LISTED_CHANGES) per phase and count the
//! rest, and a plot's state line keeps one change per
//! [`STATE_SLICES`](crate::timeline::STATE_SLICES)th of the run (16 B each, the
//! `2 MB × services`). Traces are written line by line as the run goes and never held.
//!
//! Measured in a release build at the default limits: a 3.9 MB file (300 000
//! scheduled requests) peaks at 96 MB; 2 000 000 requests all in flight at once at
//! 97 MB in 2.4 s; 2 000 000 requests through a breaker that trips and recovers on
//! most of them at 16 MB with a plot, in 1.3 s.

use super::model::{Pattern, Scenario};
use super::path::FieldPath;
use super::raw::RawScenario;
use super::validate::Invalid;
use mycel::time::Instant;

/// Default of [`Limits::max_file_bytes`]: 4 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 4 << 20;
/// Default of [`Limits::max_entries`].
pub const DEFAULT_MAX_ENTRIES: usize = 1_000;
/// Default of [`Limits::max_requests`].
pub const DEFAULT_MAX_REQUESTS: u64 = 2_000_000;
/// Default of [`Limits::max_timed_changes`].
pub const DEFAULT_MAX_TIMED_CHANGES: u64 = 2_000_000;

/// The most work a scenario file may ask for (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read, in bytes.
    pub max_file_bytes: u64,
    /// The most entries in any one table array of the file.
    pub max_entries: usize,
    /// The most requests the traffic may make, counted as an upper bound from the
    /// patterns (a last partial burst counts whole).
    pub max_requests: u64,
    /// The most state changes the breakers' own timers may make, counted as an upper
    /// bound from their configuration and the run's duration.
    pub max_timed_changes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_entries: DEFAULT_MAX_ENTRIES,
            max_requests: DEFAULT_MAX_REQUESTS,
            max_timed_changes: DEFAULT_MAX_TIMED_CHANGES,
        }
    }
}

fn over(path: FieldPath, what: String, limit: impl core::fmt::Display, flag: &str) -> Invalid {
    (
        path,
        format!("{what}, more than the limit of {limit} (raise it with {flag})"),
    )
}

impl Limits {
    /// Checks that no table array of `raw` has more than [`Limits::max_entries`]
    /// entries; done before the file's values are checked, whose cost grows with them.
    ///
    /// # Errors
    /// The first array over the limit, with a message naming the limit and its flag.
    pub fn check_entries(&self, raw: &RawScenario) -> Result<(), Invalid> {
        let root = FieldPath::root();
        let mut arrays = vec![
            (root.key("phase"), raw.phase.len()),
            (root.key("service"), raw.service.len()),
            (root.key("traffic"), raw.traffic.len()),
        ];
        for (i, s) in raw.service.iter().enumerate() {
            let at = root.key("service").index(i);
            arrays.push((at.key("profile"), s.profile.len()));
            arrays.push((at.key("outage"), s.outage.len()));
            arrays.push((at.key("slow"), s.slow.len()));
        }
        for (path, len) in arrays {
            if len > self.max_entries {
                return Err(over(
                    path.index(self.max_entries),
                    format!("{len} entries"),
                    self.max_entries,
                    "--max-entries",
                ));
            }
        }
        Ok(())
    }

    /// Checks the work `scenario` asks for: its requests and its breakers' timed state
    /// changes.
    ///
    /// # Errors
    /// The generator making the most requests, or the breaker whose timers change state
    /// most often, when the total is over its limit; the message gives the total, the
    /// limit and the flag that raises it.
    pub fn check_work(&self, scenario: &Scenario, raw: &RawScenario) -> Result<(), Invalid> {
        let root = FieldPath::root();
        let end = scenario.end();
        let counts: Vec<u128> = scenario
            .traffic
            .iter()
            .map(|t| requests(&t.pattern, end))
            .collect();
        let total = counts.iter().fold(0u128, |a, &c| a.saturating_add(c));
        if total > u128::from(self.max_requests) {
            let (worst, most) = counts
                .iter()
                .enumerate()
                .max_by_key(|&(i, c)| (*c, core::cmp::Reverse(i)))
                .map_or((0, 0), |(i, c)| (i, *c));
            let what =
                format!("the traffic makes up to {total} requests ({most} from this generator)");
            return Err(over(
                root.key("traffic").index(worst),
                what,
                self.max_requests,
                "--max-requests",
            ));
        }
        let changes: Vec<u128> = scenario
            .services
            .iter()
            .map(|s| timed_changes(&s.breaker, scenario))
            .collect();
        let total = changes.iter().fold(0u128, |a, &c| a.saturating_add(c));
        if total > u128::from(self.max_timed_changes) {
            let worst = changes
                .iter()
                .enumerate()
                .max_by_key(|&(i, c)| (*c, core::cmp::Reverse(i)))
                .map_or(0, |(i, _)| i);
            let path = match raw.service.get(worst).and_then(|s| s.breaker.as_ref()) {
                Some(_) => root.key("service").index(worst).key("breaker"),
                None => root.key("breaker"),
            };
            let what = format!(
                "the breakers' open periods and half-open maximum waits can change state up to {total} times with no request"
            );
            return Err(over(
                path.dotted("half_open.max_wait"),
                what,
                self.max_timed_changes,
                "--max-timed-changes",
            ));
        }
        Ok(())
    }
}

/// At most how many requests `pattern` makes before `end`.
#[must_use]
pub fn requests(pattern: &Pattern, end: Instant) -> u128 {
    match pattern {
        Pattern::Schedule(at) => at.iter().filter(|a| **a < end).count() as u128,
        Pattern::Constant { every, from, until } => {
            let span = span(*from, (*until).min(end));
            span.div_ceil(u128::from(every.as_ticks().max(1)))
        }
        Pattern::Burst {
            count,
            from,
            every,
            until,
            ..
        } => {
            let span = span(*from, (*until).min(end));
            let bursts = match every {
                _ if span == 0 => 0,
                Some(every) => span.div_ceil(u128::from(every.as_ticks().max(1))),
                None => 1,
            };
            bursts.saturating_mul(u128::from(*count))
        }
    }
}

/// Ticks from `from` to `until`, zero when `until` is not later.
fn span(from: Instant, until: Instant) -> u128 {
    u128::from(until.as_ticks().saturating_sub(from.as_ticks()))
}

/// At most how many state changes `config`'s own timers make over `scenario`'s run
/// with no request: with a half-open maximum wait, every shortest open period plus
/// wait may bring OPEN → HALF_OPEN → OPEN (open periods only grow); without one, a
/// timer only ends an open period, which a request's outcome started, so requests
/// bound those changes.
fn timed_changes(config: &mycel::breaker::BreakerConfig, scenario: &Scenario) -> u128 {
    let Some(wait) = config.half_open.max_wait else {
        return 0;
    };
    let cycle = config
        .open
        .base
        .as_ticks()
        .saturating_add(wait.as_ticks())
        .max(1);
    let cycles = u128::from(scenario.duration.as_ticks()).div_ceil(u128::from(cycle));
    cycles.saturating_mul(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Traffic;
    use crate::traffic::Arrivals;
    use mycel::time::Duration;

    fn us(v: u64) -> Instant {
        Instant::from_micros(v)
    }

    /// The count is an upper bound of what the generator makes, and exact but for a
    /// last partial burst.
    #[test]
    fn the_request_count_bounds_the_arrivals_of_every_pattern() {
        let d = Duration::from_micros;
        let patterns = [
            Pattern::Schedule(vec![us(1), us(1), us(50), us(500)]),
            Pattern::Constant {
                every: d(7),
                from: us(3),
                until: us(200),
            },
            Pattern::Constant {
                every: d(7),
                from: us(300),
                until: us(200),
            },
            Pattern::Burst {
                count: 5,
                spread: d(4),
                from: us(10),
                every: Some(d(9)),
                until: us(100),
            },
            Pattern::Burst {
                count: 3,
                spread: d(0),
                from: us(10),
                every: None,
                until: us(1_000),
            },
        ];
        let end = us(120);
        for pattern in patterns {
            let made = Arrivals::new(&Traffic {
                service: 0,
                pattern: pattern.clone(),
            })
            .take_while(|at| *at < end)
            .count() as u128;
            let bound = requests(&pattern, end);
            assert!(made <= bound, "{pattern:?}: {made} > {bound}");
            let slack = match &pattern {
                Pattern::Burst { count, .. } => u128::from(*count),
                _ => 0,
            };
            assert!(bound <= made + slack, "{pattern:?}: {bound} vs {made}");
        }
    }
}

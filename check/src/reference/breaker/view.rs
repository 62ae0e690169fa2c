//! The window view: the counted outcomes (Success or Failure) since the view started.
//!
//! Both windows are derived from one plain list, re-scanned on every question, so the
//! count window and the time window can never disagree about what was recorded.

use super::config::{RefCountWindow, RefTimeWindow};

/// One counted outcome as the view remembers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CountedOutcome {
    /// The `now` of the `record` call.
    at: u64,
    /// Failure (true) or Success (false).
    failure: bool,
    /// Whether the call took strictly longer than the slow threshold.
    slow: bool,
}

/// Calls, failures and slow calls inside one window at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WindowStats {
    /// Counted outcomes in the window.
    pub calls: u64,
    /// Failures among them.
    pub failures: u64,
    /// Slow calls among them (successes and failures alike).
    pub slow: u64,
}

impl WindowStats {
    /// Whether `bad` out of these calls trips a `threshold_percent` rate with `minimum` calls:
    /// `calls >= minimum && bad * 100 >= threshold * calls`, and never on zero calls.
    pub fn trips(&self, bad: u64, threshold_percent: u8, minimum: u64) -> bool {
        self.calls > 0
            && self.calls >= minimum
            && u128::from(bad) * 100 >= u128::from(threshold_percent) * u128::from(self.calls)
    }

    /// `bad * 100 / calls` (floor), or `None` below `minimum` calls or with no calls.
    pub fn percent(&self, bad: u64, minimum: u64) -> Option<u8> {
        if self.calls == 0 || self.calls < minimum {
            return None;
        }
        let percent = u128::from(bad) * 100 / u128::from(self.calls);
        Some(u8::try_from(percent).unwrap_or(u8::MAX))
    }
}

/// The bucket of an instant: `at / width`; a zero width reads as width 1 (never panics).
fn bucket_of(at: u64, width: u64) -> u64 {
    at.checked_div(width).unwrap_or(at)
}

/// Whether bucket `index` lies in `(current - buckets, current]`.
fn bucket_in_window(index: u64, current: u64, buckets: u32) -> bool {
    index <= current && u128::from(index) + u128::from(buckets) > u128::from(current)
}

/// The counted outcomes since the view started plus the consecutive-failure run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WindowView {
    outcomes: Vec<CountedOutcome>,
    consecutive_failures: u64,
}

impl WindowView {
    /// Starts an empty view: no outcomes, a consecutive run of 0.
    pub fn clear(&mut self) {
        self.outcomes.clear();
        self.consecutive_failures = 0;
    }

    /// Adds a counted outcome recorded at `at`. A failure extends the consecutive run, a
    /// success ends it (Ignored never reaches the view).
    pub fn push(&mut self, at: u64, failure: bool, slow: bool) {
        self.outcomes.push(CountedOutcome { at, failure, slow });
        self.consecutive_failures = if failure {
            self.consecutive_failures.saturating_add(1)
        } else {
            0
        };
    }

    /// Failures since the last Success, state change or reset (no window bounds it).
    pub fn consecutive_failures(&self) -> u64 {
        self.consecutive_failures
    }

    /// The last `size` counted outcomes.
    pub fn count_stats(&self, window: &RefCountWindow) -> WindowStats {
        let size = usize::try_from(window.size).unwrap_or(usize::MAX);
        let skip = self.outcomes.len().saturating_sub(size);
        Self::stats(self.outcomes.iter().skip(skip))
    }

    /// The outcomes whose bucket lies in the window at `now`.
    pub fn time_stats(&self, window: &RefTimeWindow, now: u64) -> WindowStats {
        let current = bucket_of(now, window.bucket_width);
        Self::stats(self.outcomes.iter().filter(|outcome| {
            bucket_in_window(
                bucket_of(outcome.at, window.bucket_width),
                current,
                window.buckets,
            )
        }))
    }

    /// Forgets the oldest outcomes that no configured window can ever see again (time only
    /// moves forward), so a long fuzz run does not grow the list without bound.
    pub fn forget_unreachable(
        &mut self,
        count: Option<&RefCountWindow>,
        time: Option<&RefTimeWindow>,
        now: u64,
    ) {
        loop {
            let len = self.outcomes.len();
            let Some(oldest) = self.outcomes.first() else {
                return;
            };
            let count_needs = count.is_some_and(|window| {
                usize::try_from(window.size).map_or(true, |size| len <= size)
            });
            let time_needs = time.is_some_and(|window| {
                let current = bucket_of(now, window.bucket_width);
                let index = bucket_of(oldest.at, window.bucket_width);
                u128::from(index) + u128::from(window.buckets) > u128::from(current)
            });
            if count_needs || time_needs {
                return;
            }
            self.outcomes.remove(0);
        }
    }

    fn stats<'a>(outcomes: impl Iterator<Item = &'a CountedOutcome>) -> WindowStats {
        let mut stats = WindowStats::default();
        for outcome in outcomes {
            stats.calls = stats.calls.saturating_add(1);
            if outcome.failure {
                stats.failures = stats.failures.saturating_add(1);
            }
            if outcome.slow {
                stats.slow = stats.slow.saturating_add(1);
            }
        }
        stats
    }
}

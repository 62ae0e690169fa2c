//! Call outcomes and what `record` did with them.

/// How a permitted call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefOutcome {
    /// The call worked; it is counted and ends a consecutive-failure run.
    Success,
    /// The call failed; it is counted.
    Failure,
    /// The call says nothing about the backend's health: never counted, but it frees a
    /// half-open probe slot.
    Ignored,
}

/// Who decides whether a counted call was slow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefSpeed {
    /// The clock: slow when it took strictly longer than the threshold.
    Timed,
    /// The caller: slow whatever it took.
    Slow,
    /// The caller: not slow whatever it took.
    NotSlow,
}

use super::RefClockRegression;

/// What `record` did with an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefRecorded {
    /// The permit was current and the outcome was taken into account (for Ignored: the
    /// `ignored` counter and, in HALF_OPEN, the freed probe slot).
    Counted,
    /// The permit's generation is not the current one: only the `stale` counter moved.
    Stale,
    /// The permit was current but the state records nothing (DISABLED, or a current
    /// permit presented while OPEN/FORCED_OPEN, which genuine permits never are).
    NotRecorded,
    /// The report's `now` is before the last instant seen: nothing moved and the permit
    /// is still outstanding.
    ClockRegression(RefClockRegression),
}

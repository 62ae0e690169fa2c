//! What the reference answers to a `now` earlier than the last one it has seen.

/// A call made at `now`, earlier than `last`, the latest instant the breaker has seen: a
/// clock regression. The call changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefClockRegression {
    /// The latest instant seen before the call.
    pub last: u64,
    /// The instant the call was made with.
    pub now: u64,
}

//! The six states and operator modes of the reference breaker.

/// Where the breaker is. [`RefState::as_str`] gives the exact names tests compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefState {
    /// Calls flow; outcomes are counted and trip checks run.
    Closed,
    /// Calls are rejected until the open period ends.
    Open,
    /// A few probe calls decide whether to close or reopen.
    HalfOpen,
    /// Operator mode: every call is rejected.
    ForcedOpen,
    /// Operator mode: every call is permitted and nothing is recorded.
    Disabled,
    /// Operator mode: every call is permitted and recorded, and nothing ever trips.
    MetricsOnly,
}

impl RefState {
    /// The state's name: "CLOSED", "OPEN", "HALF_OPEN", "FORCED_OPEN", "DISABLED" or
    /// "METRICS_ONLY".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Closed => "CLOSED",
            Self::Open => "OPEN",
            Self::HalfOpen => "HALF_OPEN",
            Self::ForcedOpen => "FORCED_OPEN",
            Self::Disabled => "DISABLED",
            Self::MetricsOnly => "METRICS_ONLY",
        }
    }
}

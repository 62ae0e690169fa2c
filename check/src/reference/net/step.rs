//! What `step` and `run` report.

use std::fmt;

/// Why an action poisoned a firing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefEmissionError {
    /// The place is not an Output of the firing transition ("undeclared_output").
    UndeclaredOutput,
    /// More tokens were sent to the place than its Output weight ("weight_exceeded").
    WeightExceeded,
    /// `Forward` named an input index that was not consumed ("no_such_input").
    NoSuchInput,
    /// `Forward` named an input already forwarded ("already_forwarded").
    AlreadyForwarded,
}

impl RefEmissionError {
    /// The error's name as the pinned rules spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UndeclaredOutput => "undeclared_output",
            Self::WeightExceeded => "weight_exceeded",
            Self::NoSuchInput => "no_such_input",
            Self::AlreadyForwarded => "already_forwarded",
        }
    }
}

/// Why a firing failed (the first that applies, in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefFault {
    /// The behaviour returned `Err(code)` ("behaviour").
    Behaviour(u16),
    /// An action was invalid; carries the first such error ("emission").
    Emission(RefEmissionError),
    /// A non-sink produced fewer tokens than it consumed ("lost_tokens").
    LostTokens,
    /// A non-source produced more tokens than it consumed ("invented_tokens").
    InventedTokens,
}

impl RefFault {
    /// The fault's name: "behaviour", "emission", "lost_tokens" or "invented_tokens".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Behaviour(_) => "behaviour",
            Self::Emission(_) => "emission",
            Self::LostTokens => "lost_tokens",
            Self::InventedTokens => "invented_tokens",
        }
    }
}

/// What one `step` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefStep {
    /// No transition was ready.
    Idle,
    /// A transition fired successfully.
    Fired {
        /// Index of the transition.
        transition: usize,
        /// Tokens consumed.
        consumed: usize,
        /// Tokens produced.
        produced: usize,
    },
    /// A transition's firing failed; nothing was produced.
    Failed {
        /// Index of the transition.
        transition: usize,
        /// Why.
        fault: RefFault,
        /// Whether the consumed tokens went to the error place (else they rolled back).
        to_error_place: bool,
    },
}

/// What one `run` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefRun {
    /// Successful firings.
    pub fired: u32,
    /// Failed firings.
    pub failed: u32,
    /// The budget ran out while a transition was still ready.
    pub exhausted: bool,
}

/// A `now` earlier than the last instant seen; the call changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockRegression {
    /// The `now` passed in.
    pub now: u64,
    /// The last instant the net had seen.
    pub last_seen: u64,
}

impl fmt::Display for ClockRegression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "clock went back from {} to {}", self.last_seen, self.now)
    }
}

impl std::error::Error for ClockRegression {}

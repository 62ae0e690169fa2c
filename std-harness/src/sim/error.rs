//! Why a simulation could not finish.

use super::MAX_STEPS_PER_INSTANT;
use mycel::time::{ClockRegression, Instant};
use std::fmt;

/// Why a simulation could not finish. Each would be a bug in the simulator or the
/// engine, not in the scenario: scenarios are checked before they run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    /// A breaker could not be created.
    Bank(mycel::breaker::BankError),
    /// Time went backwards.
    Clock(ClockRegression),
    /// The net kept changing at one instant without coming to rest.
    Stuck {
        /// The instant it got stuck at.
        at: Instant,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bank(e) => write!(f, "cannot create the breakers: {e}"),
            Self::Clock(e) => write!(f, "simulated {e}"),
            Self::Stuck { at } => write!(
                f,
                "the net did not come to rest at {} us after {MAX_STEPS_PER_INSTANT} steps",
                at.as_ticks()
            ),
        }
    }
}

impl std::error::Error for SimError {}

impl From<ClockRegression> for SimError {
    fn from(e: ClockRegression) -> Self {
        Self::Clock(e)
    }
}

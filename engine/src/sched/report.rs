//! Results of `step` and `run`, and the net's counters.

use super::{Disposition, FiringError};
use crate::net::TransitionId;

/// What one [`Net::step`](super::Net::step) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Step {
    /// No transition was ready.
    Idle,
    /// A transition fired.
    Fired {
        /// The transition.
        transition: TransitionId,
        /// Tokens it consumed.
        consumed: u16,
        /// Tokens it produced.
        produced: u16,
    },
    /// A transition's firing failed and was undone.
    Failed {
        /// The transition.
        transition: TransitionId,
        /// Why the firing failed.
        error: FiringError,
        /// Where its consumed tokens went.
        disposition: Disposition,
    },
}

impl Step {
    /// The transition that fired or failed, if any.
    #[must_use]
    pub const fn transition(&self) -> Option<TransitionId> {
        match self {
            Self::Idle => None,
            Self::Fired { transition, .. } | Self::Failed { transition, .. } => Some(*transition),
        }
    }
}

/// What one [`Net::run`](super::Net::run) did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RunReport {
    /// Successful firings.
    pub fired: u32,
    /// Failed firings.
    pub failed: u32,
    /// The budget ran out while a transition was still ready.
    pub exhausted: bool,
}

/// Lifetime counts of tokens crossing the net's boundary, all saturating.
///
/// At any time `injected + created == taken + retired + held` where `held` is the
/// number of tokens in places ([`Net::held`](super::Net::held)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NetCounters {
    /// Tokens the host injected.
    pub injected: u64,
    /// Tokens the host took.
    pub taken: u64,
    /// Tokens sources produced beyond what they consumed.
    pub created: u64,
    /// Tokens sinks consumed beyond what they produced.
    pub retired: u64,
    /// Successful firings.
    pub firings: u64,
    /// Failed firings.
    pub failures: u64,
}

//! Where a transition stands in a running net's scheduler, as a host or a checker reads
//! it.

use crate::time::Instant;

/// Where a transition stands in the scheduler: what [`Net::schedule_of`](super::Net::schedule_of)
/// answers.
///
/// Together with the tokens of every place (in queue order), this is everything the
/// net's future firings depend on besides its behaviour: a checker that compares two
/// running nets by their markings and schedules compares them by what they will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Schedule {
    /// Not enabled by the marking.
    Disabled,
    /// Enabled and ready to fire at the next step.
    Ready,
    /// Enabled, waiting for its delay: ready at `due`.
    Waiting {
        /// When its delay has run.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        due: Instant,
    },
    /// Enabled, but its last firing was rolled back: not retried before `due` unless
    /// one of its places changes.
    Held {
        /// When it is retried if nothing changes before.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        due: Instant,
    },
}

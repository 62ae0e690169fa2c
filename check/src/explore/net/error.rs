//! Why a running net could not be explored.

use mycel::net::PlaceId;
use mycel::time::Instant;

/// Why a net's state could not be written as the bytes that identify it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The net owns machines that [`declared_subject!`](crate::declared_subject) does not
    /// list: without them two states that differ only in a machine would be taken for
    /// one.
    #[error(
        "the net owns {count} machine(s) that declared_subject! does not list: add `machines {{ .. }}` naming each"
    )]
    UnlistedMachines {
        /// How many machines the net owns.
        count: usize,
    },
    /// A token, machine or behaviour could not be serialized.
    #[error("a token, machine or behaviour could not be serialized: {0}")]
    Serialize(#[from] postcard::Error),
}

/// An exploration of a running net that ended without a report. Hitting the state
/// limit is not an error: it returns an incomplete
/// [`NetExploration`](super::NetExploration).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetExploreError {
    /// A state could not be encoded.
    #[error("a state could not be encoded: {0}")]
    Encode(#[from] EncodeError),
    /// The net was still firing after `budget` firings at one instant: it does not come
    /// to rest on its own (a source that is always enabled, or a cycle of transitions
    /// that never waits), so its states between outside events are not defined.
    #[error("the net did not come to rest within {budget} firings at {at:?}")]
    Restless {
        /// The firings allowed between two outside events.
        budget: u32,
        /// The instant it was running at.
        at: Instant,
    },
    /// The net refused an instant the explorer gave it (never expected: the explorer
    /// only moves time forward).
    #[error("the net refused instant {0:?} as a clock regression")]
    ClockRegression(Instant),
    /// An outside event names a place that is not the net's: out of range, or an id
    /// another build of the net handed out.
    #[error("outside event \"{event}\" names place {place:?}, which is not one of the net's")]
    UnknownPlace {
        /// The event's name.
        event: String,
        /// The place it names.
        place: PlaceId,
    },
    /// The environment has more events than labels fit in 32 bits.
    #[error("the environment has {0} events; the explorer handles at most {max}", max = u32::MAX - 1)]
    TooManyEvents(usize),
}

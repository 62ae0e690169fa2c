//! Why a [`PtNetBuilder`](super::PtNetBuilder) refuses to build a net.

/// A net that is not a valid place/transition net. Each variant names the offending
/// element by its id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// An id is the empty string.
    #[error("a {kind} has an empty id")]
    EmptyId {
        /// `"net"`, `"place"`, `"transition"` or `"arc"`.
        kind: &'static str,
    },
    /// Two elements share an id (ids are unique among places, transitions and arcs).
    #[error("id \"{id}\" is used by more than one place, transition or arc")]
    DuplicateId {
        /// The shared id.
        id: String,
    },
    /// An arc has weight 0.
    #[error("arc \"{arc}\" has weight 0")]
    ZeroWeight {
        /// The arc's id.
        arc: String,
    },
    /// An arc names a place or transition index that was not declared in this builder.
    #[error("arc \"{arc}\" joins a place or transition that this net does not declare")]
    UnknownEnd {
        /// The arc's id.
        arc: String,
    },
    /// Two arcs join the same place and transition in the same direction.
    #[error("arcs \"{first}\" and \"{second}\" join the same place and transition the same way")]
    ParallelArcs {
        /// The first arc's id.
        first: String,
        /// The second arc's id.
        second: String,
    },
}

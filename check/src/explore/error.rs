//! Why an exploration could not run to a result.

/// An exploration that ended without a report. Hitting the state limit is not an
/// error: it returns an incomplete [`Exploration`](super::Exploration).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExploreError {
    /// A place would hold more than `u64::MAX` tokens.
    #[error("place \"{place}\" would hold more than {} tokens", u64::MAX)]
    TokenOverflow {
        /// The place's id.
        place: String,
    },
    /// The net has more transitions than labels fit in 32 bits.
    #[error(
        "the net has {transitions} transitions; the explorer handles at most {}",
        u32::MAX
    )]
    TooManyTransitions {
        /// The number of transitions.
        transitions: usize,
    },
}

//! Why a net definition is rejected by [`NetBuilder::build`](super::NetBuilder::build).

use super::ids::Named;
use super::{PlaceId, TransitionId};

/// A structural error found while building a net. The net is not built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum BuildError {
    /// More places were declared than the net's `P` capacity.
    TooManyPlaces {
        /// The capacity `P`.
        max: usize,
    },
    /// More transitions were declared than the net's `T` capacity.
    TooManyTransitions {
        /// The capacity `T`.
        max: usize,
    },
    /// More arcs were declared than the net's `A` capacity (an error place counts as one arc).
    TooManyArcs {
        /// The capacity `A`.
        max: usize,
    },
    /// The net's `P` capacity is larger than 16-bit place ids can address.
    PlacesTooLarge {
        /// The largest supported `P`.
        max: usize,
    },
    /// The net's `T` capacity is larger than 16-bit transition ids can address.
    TransitionsTooLarge {
        /// The largest supported `T`.
        max: usize,
    },
    /// The net's `A` capacity is larger than 16-bit arc indices can address.
    ArcsTooLarge {
        /// The largest supported `A`.
        max: usize,
    },
    /// The token pool `K` is larger than the engine's 16-bit slot indices allow.
    PoolTooLarge {
        /// The largest supported pool.
        max: usize,
    },
    /// An arc or an error place names a place that was not declared.
    UnknownPlace {
        /// The unknown place.
        place: PlaceId,
    },
    /// An arc or an error place names a place handed out by another net's builder.
    ForeignPlace {
        /// The foreign place.
        place: PlaceId,
    },
    /// An arc names a transition handed out by another net's builder.
    ForeignTransition {
        /// The foreign transition.
        transition: TransitionId,
    },
    /// An arc names a transition that was not declared.
    UnknownTransition {
        /// The unknown transition.
        transition: TransitionId,
    },
    /// An arc has weight 0.
    ZeroWeight {
        /// The arc's transition.
        transition: TransitionId,
        /// The arc's place.
        place: PlaceId,
        /// The transition's name.
        transition_name: &'static str,
        /// The place's name.
        place_name: &'static str,
    },
    /// A place has capacity 0.
    ZeroCapacity {
        /// The place.
        place: PlaceId,
        /// Its name.
        name: &'static str,
    },
    /// A place's capacity is larger than the token pool.
    CapacityAbovePool {
        /// The place.
        place: PlaceId,
        /// Its name.
        name: &'static str,
    },
    /// The same transition has two arcs of the same kind to the same place, or both an
    /// input and a read arc to it.
    DuplicateArc {
        /// The transition.
        transition: TransitionId,
        /// The place.
        place: PlaceId,
        /// The transition's name.
        transition_name: &'static str,
        /// The place's name.
        place_name: &'static str,
    },
    /// A transition without input arcs that is not declared a source.
    NoInputs {
        /// The transition.
        transition: TransitionId,
        /// Its name.
        name: &'static str,
    },
    /// An output arc's weight is larger than its place's capacity, so the transition could
    /// never be enabled.
    OutputAboveCapacity {
        /// The arc's transition.
        transition: TransitionId,
        /// The arc's place.
        place: PlaceId,
        /// The transition's name.
        transition_name: &'static str,
        /// The place's name.
        place_name: &'static str,
    },
    /// A transition's error place is also connected to it by an arc.
    ErrorPlaceConflict {
        /// The transition.
        transition: TransitionId,
        /// The error place.
        place: PlaceId,
        /// The transition's name.
        transition_name: &'static str,
        /// The place's name.
        place_name: &'static str,
    },
    /// One firing of the transition would consume more than
    /// [`MAX_FIRING_INPUTS`](super::MAX_FIRING_INPUTS) tokens.
    TooManyInputs {
        /// The transition.
        transition: TransitionId,
        /// Its name.
        name: &'static str,
    },
    /// The token pool cannot hold every place full plus the largest firing's output (for
    /// a non-source, at most what it consumes), so a firing could run out of slots.
    /// Raise `K` to at least `needed`.
    PoolTooSmall {
        /// The pool size the net needs.
        needed: usize,
    },
}

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::TooManyPlaces { max } => write!(f, "more than {max} places declared"),
            Self::TooManyTransitions { max } => write!(f, "more than {max} transitions declared"),
            Self::TooManyArcs { max } => {
                write!(f, "more than {max} arcs (error places included) declared")
            }
            Self::PlacesTooLarge { max } => {
                write!(f, "a net may have room for at most {max} places")
            }
            Self::TransitionsTooLarge { max } => {
                write!(f, "a net may have room for at most {max} transitions")
            }
            Self::ArcsTooLarge { max } => write!(f, "a net may have room for at most {max} arcs"),
            Self::PoolTooLarge { max } => write!(f, "the token pool may hold at most {max} tokens"),
            Self::UnknownPlace { place } => write!(f, "place {place} is not declared"),
            Self::ForeignPlace { place } => {
                write!(f, "place {place} belongs to another net")
            }
            Self::ForeignTransition { transition } => {
                write!(f, "transition {transition} belongs to another net")
            }
            Self::UnknownTransition { transition } => {
                write!(f, "transition {transition} is not declared")
            }
            Self::ZeroWeight {
                transition,
                place,
                transition_name,
                place_name,
            } => write!(
                f,
                "the arc between transition {} and place {} has weight 0",
                Named(transition_name, transition.index()),
                Named(place_name, place.index())
            ),
            Self::ZeroCapacity { place, name } => {
                write!(f, "place {} has capacity 0", Named(name, place.index()))
            }
            Self::CapacityAbovePool { place, name } => write!(
                f,
                "place {} has a capacity larger than the token pool",
                Named(name, place.index())
            ),
            Self::DuplicateArc {
                transition,
                place,
                transition_name,
                place_name,
            } => write!(
                f,
                "transition {} has conflicting or duplicate arcs to place {}",
                Named(transition_name, transition.index()),
                Named(place_name, place.index())
            ),
            Self::NoInputs { transition, name } => write!(
                f,
                "transition {} has no input arc and is not declared a source",
                Named(name, transition.index())
            ),
            Self::OutputAboveCapacity {
                transition,
                place,
                transition_name,
                place_name,
            } => write!(
                f,
                "transition {} outputs more tokens to place {} than it can hold",
                Named(transition_name, transition.index()),
                Named(place_name, place.index())
            ),
            Self::ErrorPlaceConflict {
                transition,
                place,
                transition_name,
                place_name,
            } => write!(
                f,
                "error place {} of transition {} is also one of its arcs' places",
                Named(place_name, place.index()),
                Named(transition_name, transition.index())
            ),
            Self::TooManyInputs { transition, name } => write!(
                f,
                "one firing of transition {} would consume too many tokens",
                Named(name, transition.index())
            ),
            Self::PoolTooSmall { needed } => {
                write!(f, "the token pool needs at least {needed} slots")
            }
        }
    }
}

impl core::error::Error for BuildError {}

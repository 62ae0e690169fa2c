//! Arcs between transitions and places.

use super::{PlaceId, TransitionId};

/// What an arc does when its transition fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum ArcKind {
    /// Needs `weight` tokens in the place and consumes them.
    Input,
    /// May produce up to `weight` tokens into the place; the place must have room for all
    /// of them (after the transition's own consumption) for the transition to be enabled.
    Output,
    /// Needs `weight` tokens in the place and consumes none (a test arc).
    Read,
    /// Enabled only while the place holds fewer than `weight` tokens.
    Inhibitor,
}

/// An arc as declared: a transition, a place, a kind and a weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Arc {
    /// The transition the arc belongs to.
    pub transition: TransitionId,
    /// The place it connects.
    pub place: PlaceId,
    /// What it does.
    pub kind: ArcKind,
    /// How many tokens (at least 1).
    pub weight: u16,
}

impl Arc {
    pub(crate) const EMPTY: Self = Self {
        transition: TransitionId::new(0),
        place: PlaceId::new(0),
        kind: ArcKind::Read,
        weight: 0,
    };
}

//! Typed indices of places and transitions.

/// The most places, transitions or arcs one net can have (its `P`, `T` and `A`): they are
/// numbered with 16-bit indices, and their counts are kept in 16 bits too.
pub const MAX_IDS: usize = u16::MAX as usize;

/// A place of a net, numbered in declaration order from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PlaceId(pub u16);

/// A transition of a net, numbered in declaration order from 0.
///
/// Ids are plain numbers so behaviours can match on them as constants
/// (`const ROUTE: TransitionId = TransitionId(1);`); the builder returns the same values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct TransitionId(pub u16);

impl PlaceId {
    /// The position of the place in declaration order.
    #[inline]
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

impl TransitionId {
    /// The position of the transition in declaration order.
    #[inline]
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

impl core::fmt::Display for PlaceId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "p{}", self.0)
    }
}

impl core::fmt::Display for TransitionId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "t{}", self.0)
    }
}

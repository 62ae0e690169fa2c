//! The validated, immutable structure of a net, with the indexes firing needs.

use super::{Arc, NetTag, PlaceId, PlaceSpec, TransitionId, TransitionSpec};

/// A transition as built: its declaration plus derived facts.
#[derive(Debug)]
pub(crate) struct TransitionDef<C> {
    pub(crate) name: &'static str,
    pub(crate) spec: TransitionSpec<C>,
    /// Its arcs: `arcs[start..end]` of the structure.
    pub(crate) arcs: (u16, u16),
    /// Tokens one firing consumes (sum of input weights).
    pub(crate) consumes: u16,
    /// Not a source, and its output weights add up to what it consumes: pass-through
    /// flow forwards every consumed token and fills every output arc, so it cannot fail.
    pub(crate) forwards_all: bool,
}

impl<C> Clone for TransitionDef<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for TransitionDef<C> {}

impl<C> TransitionDef<C> {
    pub(crate) const EMPTY: Self = Self {
        name: "",
        spec: TransitionSpec::new(),
        arcs: (0, 0),
        consumes: 0,
        forwards_all: false,
    };
}

/// An arc as seen from its place: everything updating enabling needs, in one record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlaceArc {
    pub(crate) transition: u16,
    /// The arc allows its transition while `lo <= len <= hi`.
    pub(crate) lo: u16,
    pub(crate) hi: u16,
    /// The transition has a guard, which must be asked again whenever the place changes.
    pub(crate) guarded: bool,
}

impl PlaceArc {
    pub(crate) const EMPTY: Self = Self {
        transition: 0,
        lo: 0,
        hi: 0,
        guarded: false,
    };
}

/// Places, transitions and arcs, fixed after build, plus the reverse index from each
/// place to the transitions whose enabling depends on it.
#[derive(Debug, Clone)]
pub(crate) struct Structure<C, const P: usize, const T: usize, const A: usize> {
    pub(crate) places: [PlaceSpec; P],
    pub(crate) place_count: u16,
    pub(crate) transitions: [TransitionDef<C>; T],
    pub(crate) transition_count: u16,
    /// Arcs grouped by transition, in declaration order within each group, followed by
    /// one internal arc per error place (its room for everything the transition consumes).
    pub(crate) arcs: [Arc; A],
    /// How many of `arcs` are declared arcs; the rest are error-place arcs.
    pub(crate) declared_arcs: u16,
    /// Declared plus error-place arcs.
    pub(crate) all_arcs: u16,
    /// For each arc, the range of tokens its place may hold for the arc to allow firing:
    /// input and read `[w, MAX]`, inhibitor `[0, w-1]`, output `[0, cap - w + consumed]`.
    pub(crate) bounds: [(u16, u16); A],
    /// The arcs (declared and error-place) on each place: `place_arcs[start..end]`.
    pub(crate) place_ranges: [(u16, u16); P],
    pub(crate) place_arcs: [PlaceArc; A],
    /// The tag of the builder that declared the net: its ids, and ids made from a bare
    /// position, are the net's own; any other id is foreign.
    pub(crate) tag: NetTag,
    /// Ties among equal priorities go round-robin (see
    /// [`NetBuilder::round_robin`](super::NetBuilder::round_robin)).
    pub(crate) round_robin: bool,
}

impl<C, const P: usize, const T: usize, const A: usize> Structure<C, P, T, A> {
    /// The stored index of `t` if it is one of this net's transitions.
    #[inline]
    pub(crate) fn own_transition(&self, t: TransitionId) -> Option<u16> {
        (t.raw() < self.transition_count && t.fits(self.tag)).then_some(t.raw())
    }

    #[inline]
    pub(crate) fn transition(&self, t: u16) -> Option<&TransitionDef<C>> {
        if t < self.transition_count {
            self.transitions.get(usize::from(t))
        } else {
            None
        }
    }

    #[inline]
    pub(crate) fn place(&self, p: PlaceId) -> Option<&PlaceSpec> {
        if p.raw() < self.place_count && p.fits(self.tag) {
            self.places.get(p.index())
        } else {
            None
        }
    }

    #[inline]
    pub(crate) fn arcs_of(&self, def: &TransitionDef<C>) -> &[Arc] {
        self.arcs
            .get(usize::from(def.arcs.0)..usize::from(def.arcs.1))
            .unwrap_or(&[])
    }

    /// The number of places.
    pub(crate) fn place_count(&self) -> usize {
        usize::from(self.place_count)
    }

    /// The number of transitions.
    pub(crate) fn transition_count(&self) -> usize {
        usize::from(self.transition_count)
    }

    pub(crate) fn transition_ids(&self) -> impl Iterator<Item = TransitionId> {
        let tag = self.tag;
        (0..self.transition_count).map(move |t| TransitionId::tagged(t, tag))
    }
}

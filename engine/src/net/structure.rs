//! The validated, immutable structure of a net, with the indexes firing needs.

use super::{Arc, PlaceId, PlaceSpec, TransitionId, TransitionSpec};

/// A transition as built: its declaration plus derived facts.
#[derive(Debug)]
pub(crate) struct TransitionDef<C> {
    pub(crate) name: &'static str,
    pub(crate) spec: TransitionSpec<C>,
    /// Its arcs: `arcs[start..end]` of the structure.
    pub(crate) arcs: (u16, u16),
    /// Tokens one firing consumes (sum of input weights).
    pub(crate) consumes: u16,
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
    };
}

/// Places, transitions and arcs, fixed after build, plus the reverse index from each
/// place to the transitions whose enabling depends on it.
#[derive(Debug)]
pub(crate) struct Structure<C, const P: usize, const T: usize, const A: usize> {
    pub(crate) places: [PlaceSpec; P],
    pub(crate) place_count: u16,
    pub(crate) transitions: [TransitionDef<C>; T],
    pub(crate) transition_count: u16,
    /// Arcs grouped by transition, in declaration order within each group.
    pub(crate) arcs: [Arc; A],
    /// For each arc, the range of tokens its place may hold for the arc to allow firing:
    /// input and read `[w, MAX]`, inhibitor `[0, w-1]`, output `[0, cap - w + consumed]`.
    pub(crate) bounds: [(u16, u16); A],
    /// Transitions touching each place: `touch[start..end]`, ascending, no repeats.
    pub(crate) place_touch: [(u16, u16); P],
    pub(crate) touch: [u16; A],
}

impl<C, const P: usize, const T: usize, const A: usize> Structure<C, P, T, A> {
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
        if p.0 < self.place_count {
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
        (0..self.transition_count).map(TransitionId)
    }
}

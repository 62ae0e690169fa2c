//! The validating builder of a [`PtNet`].

use std::collections::{HashMap, HashSet};

use super::{Arc, Direction, NetError, Place, PlaceIndex, PtNet, Transition, TransitionIndex};

/// Declares places, transitions and arcs, then validates them into a [`PtNet`] with
/// [`PtNetBuilder::build`].
///
/// Declaring never fails on the spot; [`PtNetBuilder::build`] reports the first problem.
/// Arcs declared with [`PtNetBuilder::input`] or [`PtNetBuilder::output`] get the id
/// `"arc<n>"` (n counts every arc declared so far); use [`PtNetBuilder::arc`] to choose it.
///
/// ```
/// use mycel_check::PtNet;
/// use mycel_check::pt_net::NetError;
///
/// let mut b = PtNet::builder("bad");
/// let p = b.place("p", 0);
/// let t = b.transition("t");
/// b.input(t, p, 0);
/// assert_eq!(b.build(), Err(NetError::ZeroWeight { arc: "arc0".into() }));
/// ```
#[derive(Debug, Clone)]
pub struct PtNetBuilder {
    net: PtNet,
}

impl PtNetBuilder {
    /// An empty net with the given id.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            net: PtNet {
                id: id.into(),
                name: None,
                places: Vec::new(),
                transitions: Vec::new(),
                arcs: Vec::new(),
            },
        }
    }

    /// Gives the net a human-readable name.
    pub fn name(&mut self, name: impl Into<String>) -> &mut Self {
        self.net.name = Some(name.into());
        self
    }

    /// Declares a place with id `id`, no name, and `initial_marking` tokens.
    pub fn place(&mut self, id: impl Into<String>, initial_marking: u64) -> PlaceIndex {
        self.place_named(id, None, initial_marking)
    }

    /// Declares a place with an optional name.
    pub fn place_named(
        &mut self,
        id: impl Into<String>,
        name: Option<String>,
        initial_marking: u64,
    ) -> PlaceIndex {
        self.net.places.push(Place {
            id: id.into(),
            name,
            initial_marking,
        });
        PlaceIndex(self.net.places.len().saturating_sub(1))
    }

    /// Declares a transition with id `id` and no name.
    pub fn transition(&mut self, id: impl Into<String>) -> TransitionIndex {
        self.transition_named(id, None)
    }

    /// Declares a transition with an optional name.
    pub fn transition_named(
        &mut self,
        id: impl Into<String>,
        name: Option<String>,
    ) -> TransitionIndex {
        self.net.transitions.push(Transition {
            id: id.into(),
            name,
        });
        TransitionIndex(self.net.transitions.len().saturating_sub(1))
    }

    /// Declares an arc with the given id.
    pub fn arc(
        &mut self,
        id: impl Into<String>,
        transition: TransitionIndex,
        place: PlaceIndex,
        direction: Direction,
        weight: u64,
    ) -> &mut Self {
        self.net.arcs.push(Arc {
            id: id.into(),
            place,
            transition,
            direction,
            weight,
        });
        self
    }

    /// `transition` consumes `weight` tokens from `place`.
    pub fn input(
        &mut self,
        transition: TransitionIndex,
        place: PlaceIndex,
        weight: u64,
    ) -> &mut Self {
        let id = format!("arc{}", self.net.arcs.len());
        self.arc(id, transition, place, Direction::PlaceToTransition, weight)
    }

    /// `transition` produces `weight` tokens into `place`.
    pub fn output(
        &mut self,
        transition: TransitionIndex,
        place: PlaceIndex,
        weight: u64,
    ) -> &mut Self {
        let id = format!("arc{}", self.net.arcs.len());
        self.arc(id, transition, place, Direction::TransitionToPlace, weight)
    }

    /// `transition` is enabled only while `place` holds fewer than `weight` tokens (an
    /// inhibitor arc).
    pub fn inhibitor(
        &mut self,
        transition: TransitionIndex,
        place: PlaceIndex,
        weight: u64,
    ) -> &mut Self {
        let id = format!("arc{}", self.net.arcs.len());
        self.arc(id, transition, place, Direction::Inhibitor, weight)
    }

    /// Validates the declarations into a net.
    ///
    /// # Errors
    /// The first problem, checked in this order: an empty id ([`NetError::EmptyId`]),
    /// an id used twice ([`NetError::DuplicateId`]), then for each arc in order: an end
    /// not declared here ([`NetError::UnknownEnd`]), weight 0 ([`NetError::ZeroWeight`]),
    /// a second arc with the same ends and direction ([`NetError::ParallelArcs`]).
    pub fn build(&self) -> Result<PtNet, NetError> {
        let net = &self.net;
        if net.id.is_empty() {
            return Err(NetError::EmptyId { kind: "net" });
        }
        let ids = net
            .places
            .iter()
            .map(|p| ("place", &p.id))
            .chain(net.transitions.iter().map(|t| ("transition", &t.id)))
            .chain(net.arcs.iter().map(|a| ("arc", &a.id)));
        let mut seen = HashSet::new();
        for (kind, id) in ids {
            if id.is_empty() {
                return Err(NetError::EmptyId { kind });
            }
            if !seen.insert(id.as_str()) {
                return Err(NetError::DuplicateId { id: id.clone() });
            }
        }
        let mut ends: HashMap<(usize, usize, Direction), &str> = HashMap::new();
        for arc in &net.arcs {
            if arc.place.0 >= net.places.len() || arc.transition.0 >= net.transitions.len() {
                return Err(NetError::UnknownEnd {
                    arc: arc.id.clone(),
                });
            }
            if arc.weight == 0 {
                return Err(NetError::ZeroWeight {
                    arc: arc.id.clone(),
                });
            }
            let key = (arc.place.0, arc.transition.0, arc.direction);
            if let Some(first) = ends.insert(key, &arc.id) {
                return Err(NetError::ParallelArcs {
                    first: first.to_owned(),
                    second: arc.id.clone(),
                });
            }
        }
        Ok(net.clone())
    }
}

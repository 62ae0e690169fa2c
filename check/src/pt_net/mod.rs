//! The place/transition net every check in this crate works on: places with initial
//! markings, transitions, and weighted arcs between them, all owned and validated.
//!
//! A [`PtNet`] is built with a [`PtNetBuilder`] (by hand, from PNML, or by a proptest
//! strategy) and cannot be changed afterwards, so every `PtNet` in hand is known valid:
//! ids are unique, arcs join a place and a transition of this net, weights are positive,
//! and no two arcs join the same place and transition in the same direction.

mod builder;
mod error;

pub use builder::PtNetBuilder;
pub use error::NetError;

/// The position of a place in its net's [`PtNet::places`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceIndex(pub usize);

/// The position of a transition in its net's [`PtNet::transitions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransitionIndex(pub usize);

/// A place: a unique id, an optional human-readable name, and its initial marking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The id, unique among all the net's places, transitions and arcs.
    pub id: String,
    /// The name shown to people, if the net gives one.
    pub name: Option<String>,
    /// The number of tokens in the place at the start.
    pub initial_marking: u64,
}

/// A transition: a unique id and an optional human-readable name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The id, unique among all the net's places, transitions and arcs.
    pub id: String,
    /// The name shown to people, if the net gives one.
    pub name: Option<String>,
}

/// Which way an arc points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From a place to a transition: firing the transition consumes `weight` tokens.
    PlaceToTransition,
    /// From a transition to a place: firing the transition produces `weight` tokens.
    TransitionToPlace,
    /// An inhibitor arc, from a place to a transition: the transition is enabled only
    /// while the place holds fewer than `weight` tokens; firing moves no token along it.
    Inhibitor,
}

/// A weighted arc between a place and a transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arc {
    /// The id, unique among all the net's places, transitions and arcs.
    pub id: String,
    /// The place end.
    pub place: PlaceIndex,
    /// The transition end.
    pub transition: TransitionIndex,
    /// Which way the arc points.
    pub direction: Direction,
    /// How many tokens one firing moves along the arc; never 0.
    pub weight: u64,
}

/// An owned, validated place/transition net.
///
/// ```
/// use mycel_check::PtNet;
///
/// let mut b = PtNet::builder("pingpong");
/// let ping = b.place("ping", 1);
/// let pong = b.place("pong", 0);
/// let serve = b.transition("serve");
/// b.input(serve, ping, 1).output(serve, pong, 1);
/// let net = b.build()?;
/// assert_eq!(net.places().len(), 2);
/// assert_eq!(net.initial_marking(), vec![1, 0]);
/// # Ok::<(), mycel_check::pt_net::NetError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PtNet {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) places: Vec<Place>,
    pub(crate) transitions: Vec<Transition>,
    pub(crate) arcs: Vec<Arc>,
}

impl PtNet {
    /// Starts declaring a net with the given id (see [`PtNetBuilder`]).
    #[must_use]
    pub fn builder(id: impl Into<String>) -> PtNetBuilder {
        PtNetBuilder::new(id)
    }

    /// The net's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The net's human-readable name, if it has one.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The places, in declaration order ([`PlaceIndex`] `i` is element `i`).
    #[must_use]
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The transitions, in declaration order ([`TransitionIndex`] `i` is element `i`).
    #[must_use]
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// The arcs, in declaration order.
    #[must_use]
    pub fn arcs(&self) -> &[Arc] {
        &self.arcs
    }

    /// The initial marking, one count per place in declaration order.
    #[must_use]
    pub fn initial_marking(&self) -> Vec<u64> {
        self.places.iter().map(|p| p.initial_marking).collect()
    }

    /// The index of the place with this id, if there is one.
    #[must_use]
    pub fn place_index(&self, id: &str) -> Option<PlaceIndex> {
        self.places.iter().position(|p| p.id == id).map(PlaceIndex)
    }

    /// The index of the transition with this id, if there is one.
    #[must_use]
    pub fn transition_index(&self, id: &str) -> Option<TransitionIndex> {
        self.transitions
            .iter()
            .position(|t| t.id == id)
            .map(TransitionIndex)
    }

    /// The incidence matrix as `(place, transition, produced − consumed)` entries,
    /// one per place and transition joined by at least one arc, with a non-zero effect.
    ///
    /// The effect fits an `i128` whatever the weights (each is at most `u64::MAX`).
    #[must_use]
    pub fn incidence(&self) -> Vec<(PlaceIndex, TransitionIndex, i128)> {
        let mut effects: std::collections::BTreeMap<(usize, usize), i128> =
            std::collections::BTreeMap::new();
        for arc in &self.arcs {
            let effect = effects.entry((arc.place.0, arc.transition.0)).or_insert(0);
            let weight = i128::from(arc.weight);
            *effect = match arc.direction {
                Direction::PlaceToTransition => effect.saturating_sub(weight),
                Direction::TransitionToPlace => effect.saturating_add(weight),
                Direction::Inhibitor => *effect,
            };
        }
        effects
            .into_iter()
            .filter(|&(_, e)| e != 0)
            .map(|((p, t), e)| (PlaceIndex(p), TransitionIndex(t), e))
            .collect()
    }
}

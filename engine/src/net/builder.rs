//! The builder that declares and validates a net.

use super::structure::Structure;
use super::{Arc, ArcKind, BuildError, NetTag, PlaceId, PlaceSpec, TransitionId, TransitionSpec};

/// The most tokens one firing may consume (the builder rejects larger input weights).
pub const MAX_FIRING_INPUTS: usize = 32;

/// Declares places, transitions and arcs, then validates them into a running net with
/// [`NetBuilder::build`].
///
/// Declaring never fails on the spot: ids are handed out in declaration order and the
/// first problem is kept and returned by [`NetBuilder::build`], so a definition reads
/// top to bottom without `?` on every line. Nothing here panics, whatever the input.
///
/// ```
/// use mycel::net::{NetBuilder, TransitionSpec};
/// let mut b = NetBuilder::<u8, 2, 2, 4, 4>::new();
/// let ping = b.place("ping", 1);
/// let pong = b.place("pong", 1);
/// let there = b.transition("there");
/// let back = b.transition("back");
/// b.input(there, ping, 1).output(there, pong, 1);
/// b.input(back, pong, 1).output(back, ping, 1);
/// let net = b.build().unwrap();
/// assert_eq!(net.place_count(), 2);
/// ```
#[derive(Debug)]
pub struct NetBuilder<C, const P: usize, const T: usize, const A: usize, const K: usize> {
    places: heapless::Vec<PlaceSpec, P>,
    transitions: heapless::Vec<(&'static str, TransitionSpec<C>), T>,
    arcs: heapless::Vec<Arc, A>,
    declared_places: usize,
    declared_transitions: usize,
    round_robin: bool,
    error: Option<BuildError>,
    /// The tag of the ids this builder hands out, taken at the first declaration
    /// (`new` is `const`, so it cannot take one).
    tag: NetTag,
}

impl<C, const P: usize, const T: usize, const A: usize, const K: usize> Default
    for NetBuilder<C, P, T, A, K>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<C, const P: usize, const T: usize, const A: usize, const K: usize> NetBuilder<C, P, T, A, K> {
    /// An empty definition.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            places: heapless::Vec::new(),
            transitions: heapless::Vec::new(),
            arcs: heapless::Vec::new(),
            declared_places: 0,
            declared_transitions: 0,
            round_robin: false,
            error: None,
            tag: NetTag::ANY,
        }
    }

    /// The tag of this builder's ids (and of the net it builds).
    pub(crate) fn tag(&mut self) -> NetTag {
        if self.tag == NetTag::ANY {
            self.tag = NetTag::fresh();
        }
        self.tag
    }

    fn fail(&mut self, error: BuildError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Keeps a [`BuildError::ForeignPlace`] if `place` was handed out by another builder.
    fn check_place(&mut self, place: PlaceId) {
        let tag = self.tag();
        if !place.fits(tag) {
            self.fail(BuildError::ForeignPlace { place });
        }
    }

    /// Declares a place holding at most `capacity` tokens.
    pub fn place(&mut self, name: &'static str, capacity: u16) -> PlaceId {
        let index = u16::try_from(self.declared_places).unwrap_or(u16::MAX);
        let id = PlaceId::tagged(index, self.tag());
        self.declared_places = self.declared_places.saturating_add(1);
        if self.places.push(PlaceSpec { name, capacity }).is_err() {
            self.fail(BuildError::TooManyPlaces { max: P });
        }
        id
    }

    /// Declares a transition with default options (see [`TransitionSpec::new`]).
    pub fn transition(&mut self, name: &'static str) -> TransitionId {
        self.transition_with(name, TransitionSpec::new())
    }

    /// Declares a transition with the given options.
    pub fn transition_with(&mut self, name: &'static str, spec: TransitionSpec<C>) -> TransitionId {
        let index = u16::try_from(self.declared_transitions).unwrap_or(u16::MAX);
        let id = TransitionId::tagged(index, self.tag());
        self.declared_transitions = self.declared_transitions.saturating_add(1);
        if let Some(place) = spec.error_place {
            self.check_place(place);
        }
        if self.transitions.push((name, spec)).is_err() {
            self.fail(BuildError::TooManyTransitions { max: T });
        }
        id
    }

    /// Declares an arc of any kind.
    pub fn arc(
        &mut self,
        transition: TransitionId,
        place: PlaceId,
        kind: ArcKind,
        weight: u16,
    ) -> &mut Self {
        self.check_place(place);
        let tag = self.tag();
        if !transition.fits(tag) {
            self.fail(BuildError::ForeignTransition { transition });
        }
        let arc = Arc {
            transition,
            place,
            kind,
            weight,
        };
        if self.arcs.push(arc).is_err() {
            self.fail(BuildError::TooManyArcs { max: A });
        }
        self
    }

    /// `transition` consumes `weight` tokens from `place`.
    pub fn input(&mut self, transition: TransitionId, place: PlaceId, weight: u16) -> &mut Self {
        self.arc(transition, place, ArcKind::Input, weight)
    }

    /// `transition` may produce up to `weight` tokens into `place`.
    pub fn output(&mut self, transition: TransitionId, place: PlaceId, weight: u16) -> &mut Self {
        self.arc(transition, place, ArcKind::Output, weight)
    }

    /// `transition` needs `weight` tokens in `place` but consumes none.
    pub fn read(&mut self, transition: TransitionId, place: PlaceId, weight: u16) -> &mut Self {
        self.arc(transition, place, ArcKind::Read, weight)
    }

    /// `transition` is enabled only while `place` holds fewer than `weight` tokens.
    pub fn inhibitor(
        &mut self,
        transition: TransitionId,
        place: PlaceId,
        weight: u16,
    ) -> &mut Self {
        self.arc(transition, place, ArcKind::Inhibitor, weight)
    }

    /// Breaks ties between enabled transitions of equal priority by least recent firing
    /// (a deterministic round-robin) instead of declaration order.
    pub fn round_robin(&mut self, on: bool) -> &mut Self {
        self.round_robin = on;
        self
    }

    /// Whether ties among equal priorities go round-robin (see [`NetBuilder::round_robin`]).
    pub(crate) const fn is_round_robin(&self) -> bool {
        self.round_robin
    }

    /// The validated structure, or the first [`BuildError`] in the order
    /// [`NetBuilder::build`] documents, for `build` to turn into a running net.
    pub(crate) fn structure(&self) -> Result<Structure<C, P, T, A>, BuildError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.validate()
    }

    fn validate(&self) -> Result<Structure<C, P, T, A>, BuildError> {
        super::declare::validate::<C, P, T, A, K>(
            &self.places,
            &self.transitions,
            &self.arcs,
            self.tag,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::declare::check_capacities;
    use crate::net::{MAX_IDS, MAX_POOL};
    use crate::time::Duration;

    type B = NetBuilder<u8, 3, 3, 6, 8>;

    fn err(b: &B) -> BuildError {
        b.build().map(|_| ()).unwrap_err()
    }

    #[test]
    fn more_places_transitions_or_arcs_than_capacity_are_errors() {
        let mut b = B::new();
        for _ in 0..4 {
            b.place("p", 1);
        }
        assert_eq!(err(&b), BuildError::TooManyPlaces { max: 3 });
        let mut b = B::new();
        for _ in 0..4 {
            b.transition("t");
        }
        assert_eq!(err(&b), BuildError::TooManyTransitions { max: 3 });
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition("t");
        for _ in 0..7 {
            b.input(t, p, 1);
        }
        assert_eq!(err(&b), BuildError::TooManyArcs { max: 6 });
    }

    #[test]
    fn an_error_place_counts_as_an_arc() {
        let mut b = NetBuilder::<u8, 3, 3, 2, 8>::new();
        let p = b.place("p", 1);
        let q = b.place("q", 1);
        let e = b.place("e", 1);
        let t = b.transition_with("t", TransitionSpec::new().error_place(e));
        b.input(t, p, 1).output(t, q, 1);
        assert_eq!(
            b.build().map(|_| ()).unwrap_err(),
            BuildError::TooManyArcs { max: 2 }
        );
    }

    #[test]
    fn arcs_to_unknown_places_or_transitions_are_errors() {
        let mut b = B::new();
        let t = b.transition("t");
        b.input(t, PlaceId::new(2), 1);
        assert_eq!(
            err(&b),
            BuildError::UnknownPlace {
                place: PlaceId::new(2)
            }
        );
        let mut b = B::new();
        let p = b.place("p", 1);
        b.input(TransitionId::new(1), p, 1);
        assert_eq!(
            err(&b),
            BuildError::UnknownTransition {
                transition: TransitionId::new(1)
            }
        );
    }

    #[test]
    fn zero_weight_and_zero_capacity_are_errors() {
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition("t");
        b.input(t, p, 0);
        assert_eq!(
            err(&b),
            BuildError::ZeroWeight {
                transition: t,
                place: p,
                transition_name: "t",
                place_name: "p",
            }
        );
        let mut b = B::new();
        let p = b.place("p", 0);
        assert_eq!(
            err(&b),
            BuildError::ZeroCapacity {
                place: p,
                name: "p",
            }
        );
    }

    #[test]
    fn build_errors_name_the_place_and_transition_with_the_index_in_brackets() {
        let mut b = B::new();
        let _ = b.place("requests", 1);
        let done = b.place("done", 1);
        let t = b.transition("route");
        b.output(t, done, 1);
        let shown = |e: BuildError| {
            let mut out = heapless::String::<128>::new();
            core::fmt::write(&mut out, format_args!("{e}")).unwrap();
            out
        };
        assert_eq!(
            shown(err(&b)).as_str(),
            "transition route[0] has no input arc and is not declared a source"
        );
        let mut b = B::new();
        let requests = b.place("requests", 1);
        let t = b.transition("route");
        b.input(t, requests, 0);
        assert_eq!(
            shown(err(&b)).as_str(),
            "the arc between transition route[0] and place requests[0] has weight 0"
        );
    }

    #[test]
    fn capacity_above_the_pool_is_an_error() {
        let mut b = B::new();
        let p = b.place("p", 9);
        assert_eq!(
            err(&b),
            BuildError::CapacityAbovePool {
                place: p,
                name: "p",
            }
        );
    }

    #[test]
    fn duplicate_and_conflicting_arcs_are_errors() {
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition("t");
        b.input(t, p, 1).input(t, p, 1);
        assert_eq!(
            err(&b),
            BuildError::DuplicateArc {
                transition: t,
                place: p,
                transition_name: "t",
                place_name: "p",
            }
        );
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition("t");
        b.input(t, p, 1).read(t, p, 1);
        assert_eq!(
            err(&b),
            BuildError::DuplicateArc {
                transition: t,
                place: p,
                transition_name: "t",
                place_name: "p",
            }
        );
        // An input and an output on the same place is a legal self-loop.
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition("t");
        b.input(t, p, 1).output(t, p, 1);
        assert!(b.build().is_ok());
    }

    #[test]
    fn a_transition_without_inputs_must_be_a_source() {
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition("t");
        b.output(t, p, 1);
        assert_eq!(
            err(&b),
            BuildError::NoInputs {
                transition: t,
                name: "t",
            }
        );
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition_with("t", TransitionSpec::new().source());
        b.output(t, p, 1);
        assert!(b.build().is_ok());
    }

    #[test]
    fn output_weight_above_the_place_capacity_is_an_error() {
        let mut b = B::new();
        let p = b.place("p", 1);
        let q = b.place("q", 2);
        let t = b.transition("t");
        b.input(t, p, 1).output(t, q, 3);
        assert_eq!(
            err(&b),
            BuildError::OutputAboveCapacity {
                transition: t,
                place: q,
                transition_name: "t",
                place_name: "q",
            }
        );
    }

    #[test]
    fn error_place_must_be_known_and_not_one_of_the_transitions_places() {
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition_with("t", TransitionSpec::new().error_place(PlaceId::new(2)));
        b.input(t, p, 1);
        assert_eq!(
            err(&b),
            BuildError::UnknownPlace {
                place: PlaceId::new(2)
            }
        );
        let mut b = B::new();
        let p = b.place("p", 1);
        let t = b.transition_with("t", TransitionSpec::new().error_place(p));
        b.input(t, p, 1);
        assert_eq!(
            err(&b),
            BuildError::ErrorPlaceConflict {
                transition: t,
                place: p,
                transition_name: "t",
                place_name: "p",
            }
        );
    }

    #[test]
    fn more_inputs_than_one_firing_can_hold_is_an_error() {
        let mut b = NetBuilder::<u8, 2, 1, 2, 64>::new();
        let p = b.place("p", 33);
        let t = b.transition_with("t", TransitionSpec::new().sink());
        b.input(t, p, 33);
        assert_eq!(
            b.build().map(|_| ()).unwrap_err(),
            BuildError::TooManyInputs {
                transition: t,
                name: "t",
            }
        );
    }

    #[test]
    fn a_pool_smaller_than_full_places_plus_one_firing_is_an_error() {
        let mut b = B::new();
        let p = b.place("p", 4);
        let q = b.place("q", 4);
        let t = b.transition("t");
        b.input(t, p, 1).output(t, q, 1);
        assert_eq!(err(&b), BuildError::PoolTooSmall { needed: 9 });
    }

    #[test]
    fn capacities_beyond_sixteen_bit_ids_are_named_errors() {
        let big = MAX_IDS + 1;
        assert_eq!(
            check_capacities(MAX_IDS, MAX_IDS, MAX_IDS, MAX_POOL),
            Ok(())
        );
        assert_eq!(
            check_capacities(big, 1, 1, 1),
            Err(BuildError::PlacesTooLarge { max: MAX_IDS })
        );
        assert_eq!(
            check_capacities(70_000, 1, 1, 1),
            Err(BuildError::PlacesTooLarge { max: MAX_IDS })
        );
        assert_eq!(
            check_capacities(1, big, 1, 1),
            Err(BuildError::TransitionsTooLarge { max: MAX_IDS })
        );
        assert_eq!(
            check_capacities(1, 1, big, 1),
            Err(BuildError::ArcsTooLarge { max: MAX_IDS })
        );
        assert_eq!(
            check_capacities(1, 1, 1, MAX_POOL + 1),
            Err(BuildError::PoolTooLarge { max: MAX_POOL })
        );
    }

    /// Runs `f` on a thread with a stack big enough for nets of 65 536 places,
    /// transitions or arcs, which do not fit a test thread's default stack.
    fn on_a_big_stack(f: fn()) {
        extern crate std;
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn build_refuses_more_places_than_sixteen_bit_ids_address() {
        on_a_big_stack(|| {
            let mut b = NetBuilder::<u8, { MAX_IDS + 1 }, 1, 1, 1>::new();
            b.place("p", 1);
            assert_eq!(
                b.build().map(|_| ()).unwrap_err(),
                BuildError::PlacesTooLarge { max: MAX_IDS }
            );
        });
    }

    #[test]
    fn build_refuses_more_transitions_than_sixteen_bit_ids_address() {
        on_a_big_stack(|| {
            let b = NetBuilder::<u8, 1, { MAX_IDS + 1 }, 1, 1>::new();
            assert_eq!(
                b.build().map(|_| ()).unwrap_err(),
                BuildError::TransitionsTooLarge { max: MAX_IDS }
            );
        });
    }

    #[test]
    fn build_refuses_more_arcs_than_sixteen_bit_indices_address() {
        on_a_big_stack(|| {
            let b = NetBuilder::<u8, 1, 1, { MAX_IDS + 1 }, 1>::new();
            assert_eq!(
                b.build().map(|_| ()).unwrap_err(),
                BuildError::ArcsTooLarge { max: MAX_IDS }
            );
        });
    }

    #[test]
    fn a_pool_beyond_sixteen_bit_slots_is_an_error() {
        let b = NetBuilder::<u8, 1, 1, 1, 70000>::new();
        assert_eq!(
            b.build().map(|_| ()).unwrap_err(),
            BuildError::PoolTooLarge { max: MAX_POOL }
        );
    }

    #[test]
    fn ids_are_handed_out_in_declaration_order() {
        let mut b = B::new();
        assert_eq!(b.place("a", 1), PlaceId::new(0));
        assert_eq!(b.place("b", 1), PlaceId::new(1));
        assert_eq!(b.transition("t"), TransitionId::new(0));
        let spec = TransitionSpec::new()
            .delay(Duration::from_ticks(3))
            .priority(4);
        assert_eq!(b.transition_with("u", spec), TransitionId::new(1));
    }
    #[test]
    fn a_place_may_be_as_large_as_the_pool_when_nothing_else_needs_a_slot() {
        let mut b = NetBuilder::<u8, 1, 1, 1, 4>::new();
        let p = b.place("all", 4);
        let t = b.transition_with("drain", TransitionSpec::new().sink());
        b.input(t, p, 1);
        assert!(b.build().is_ok(), "capacity 4 fits a pool of 4");
        let mut b = NetBuilder::<u8, 1, 1, 1, 4>::new();
        b.place("too_big", 5);
        assert!(matches!(err_of(&b), BuildError::CapacityAbovePool { .. }));
    }

    #[test]
    fn the_pool_holds_every_place_full_plus_the_largest_firing_s_fresh_tokens() {
        // A transition that merges two tokens into one needs one fresh slot, not two.
        let mut b = NetBuilder::<u8, 2, 1, 2, 4>::new();
        let (a, z) = (b.place("a", 2), b.place("z", 1));
        let t = b.transition("merge");
        b.input(t, a, 2).output(t, z, 1);
        assert!(b.build().is_ok(), "2 + 1 held and 1 fresh fit a pool of 4");
        // A source's outputs are all fresh: 2 held and 2 fresh do not fit 3.
        let mut b = NetBuilder::<u8, 1, 1, 1, 3>::new();
        let z = b.place("z", 2);
        let t = b.transition_with("make", TransitionSpec::new().source());
        b.output(t, z, 2);
        assert_eq!(err_of(&b), BuildError::PoolTooSmall { needed: 4 });
    }

    fn err_of<const P: usize, const T: usize, const A: usize, const K: usize>(
        b: &NetBuilder<u8, P, T, A, K>,
    ) -> BuildError {
        b.build().map(|_| ()).unwrap_err()
    }
}

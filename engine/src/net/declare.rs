//! The one validation of a net's structure, as a `const fn`: the runtime
//! [`NetBuilder`](super::NetBuilder) runs it when it builds, and a net declared with
//! [`net!`](crate::net!) runs it at compile time, so a declared net needs neither the
//! builder's code nor a failure path in the firmware that runs it.
//!
//! Written with `while` loops and checked slice access (`split_at_checked`), the only
//! forms a `const fn` allows that can never panic.

use super::structure::{PlaceArc, Structure, TransitionDef};
use super::{
    Arc, ArcKind, BuildError, MAX_FIRING_INPUTS, MAX_IDS, MAX_POOL, NetTag, PlaceId, PlaceSpec,
    TransitionId, TransitionSpec,
};

/// Element `i` of `s`, or `None` past its end.
const fn at<T>(s: &[T], i: usize) -> Option<&T> {
    match s.split_at_checked(i) {
        Some((_, rest)) => rest.first(),
        None => None,
    }
}

/// Element `i` of `s` to write, or `None` past its end.
const fn at_mut<T>(s: &mut [T], i: usize) -> Option<&mut T> {
    match s.split_at_mut_checked(i) {
        Some((_, rest)) => rest.first_mut(),
        None => None,
    }
}

/// The declared name of `place`, or `""` past the declared places.
const fn place_name(places: &[PlaceSpec], place: PlaceId) -> &'static str {
    match at(places, place.index()) {
        Some(p) => p.name,
        None => "",
    }
}

const fn same_kind(a: ArcKind, b: ArcKind) -> bool {
    matches!(
        (a, b),
        (ArcKind::Input, ArcKind::Input)
            | (ArcKind::Output, ArcKind::Output)
            | (ArcKind::Read, ArcKind::Read)
            | (ArcKind::Inhibitor, ArcKind::Inhibitor)
    )
}

/// Two arcs of one transition to one place that cannot stand together: the same kind
/// twice, or an input and a read arc.
const fn clash(a: &Arc, b: &Arc) -> bool {
    a.place.raw() == b.place.raw()
        && (same_kind(a.kind, b.kind)
            || matches!(
                (a.kind, b.kind),
                (ArcKind::Input, ArcKind::Read) | (ArcKind::Read, ArcKind::Input)
            ))
}

/// Checks that capacities of `p` places, `t` transitions, `a` arcs and a pool of `k`
/// slots fit the engine's 16-bit indices, naming the first that does not.
///
/// # Errors
/// [`BuildError::PlacesTooLarge`], [`BuildError::TransitionsTooLarge`],
/// [`BuildError::ArcsTooLarge`] or [`BuildError::PoolTooLarge`], checked in that order.
pub(crate) const fn check_capacities(
    p: usize,
    t: usize,
    a: usize,
    k: usize,
) -> Result<(), BuildError> {
    if p > MAX_IDS {
        Err(BuildError::PlacesTooLarge { max: MAX_IDS })
    } else if t > MAX_IDS {
        Err(BuildError::TransitionsTooLarge { max: MAX_IDS })
    } else if a > MAX_IDS {
        Err(BuildError::ArcsTooLarge { max: MAX_IDS })
    } else if k > MAX_POOL {
        Err(BuildError::PoolTooLarge { max: MAX_POOL })
    } else {
        Ok(())
    }
}

/// Validates places, transitions and arcs (in declaration order) into the structure a
/// net runs on, with `tag` as the tag its ids are checked against.
///
/// # Errors
/// The first [`BuildError`], in the order [`NetBuilder::build`](super::NetBuilder::build)
/// documents.
#[allow(clippy::too_many_lines)] // one pass in the documented order reads best whole
pub(crate) const fn validate<C, const P: usize, const T: usize, const A: usize, const K: usize>(
    places: &[PlaceSpec],
    transitions: &[(&'static str, TransitionSpec<C>)],
    arcs: &[Arc],
    tag: NetTag,
) -> Result<Structure<C, P, T, A>, BuildError> {
    if places.len() > P {
        return Err(BuildError::TooManyPlaces { max: P });
    }
    if transitions.len() > T {
        return Err(BuildError::TooManyTransitions { max: T });
    }
    if arcs.len() > A {
        return Err(BuildError::TooManyArcs { max: A });
    }
    if let Err(e) = check_capacities(P, T, A, K) {
        return Err(e);
    }
    // From here on every count and index fits in a u16, so `as u16` is lossless.
    let mut total_capacity: usize = 0;
    let mut i = 0;
    while let Some(p) = at(places, i) {
        let place = PlaceId::new(i as u16);
        if p.capacity == 0 {
            return Err(BuildError::ZeroCapacity {
                place,
                name: p.name,
            });
        }
        if p.capacity as usize > K {
            return Err(BuildError::CapacityAbovePool {
                place,
                name: p.name,
            });
        }
        total_capacity = total_capacity.saturating_add(p.capacity as usize);
        i = i.saturating_add(1);
    }
    let mut i = 0;
    while let Some(a) = at(arcs, i) {
        if a.transition.index() >= transitions.len() {
            return Err(BuildError::UnknownTransition {
                transition: a.transition,
            });
        }
        let Some(place) = at(places, a.place.index()) else {
            return Err(BuildError::UnknownPlace { place: a.place });
        };
        let transition_name = match at(transitions, a.transition.index()) {
            Some((name, _)) => *name,
            None => "",
        };
        if a.weight == 0 {
            return Err(BuildError::ZeroWeight {
                transition: a.transition,
                place: a.place,
                transition_name,
                place_name: place.name,
            });
        }
        if matches!(a.kind, ArcKind::Output) && a.weight > place.capacity {
            return Err(BuildError::OutputAboveCapacity {
                transition: a.transition,
                place: a.place,
                transition_name,
                place_name: place.name,
            });
        }
        i = i.saturating_add(1);
    }

    let mut s = Structure {
        places: [PlaceSpec::EMPTY; P],
        place_count: places.len() as u16,
        transitions: [TransitionDef::EMPTY; T],
        transition_count: transitions.len() as u16,
        arcs: [Arc::EMPTY; A],
        bounds: [(0, 0); A],
        declared_arcs: arcs.len() as u16,
        all_arcs: arcs.len() as u16,
        place_ranges: [(0, 0); P],
        place_arcs: [PlaceArc::EMPTY; A],
        tag,
        round_robin: false,
    };
    let mut i = 0;
    while let (Some(src), Some(dst)) = (at(places, i), at_mut(&mut s.places, i)) {
        *dst = *src;
        i = i.saturating_add(1);
    }
    group_arcs_by_transition(&mut s, arcs);

    let mut error_places: usize = 0;
    let mut largest_output: usize = 0;
    let mut t = 0;
    while let Some((name, spec)) = at(transitions, t) {
        let transition = TransitionId::new(t as u16);
        let Some(def) = at(&s.transitions, t) else {
            break;
        };
        let (start, end) = (def.arcs.0 as usize, def.arcs.1 as usize);
        let mut consumes: usize = 0;
        let mut produces: usize = 0;
        let mut j = start;
        while j < end {
            let Some(a) = at(&s.arcs, j) else { break };
            let mut k = j.saturating_add(1);
            while k < end {
                if let Some(b) = at(&s.arcs, k)
                    && clash(a, b)
                {
                    return Err(BuildError::DuplicateArc {
                        transition,
                        place: a.place,
                        transition_name: name,
                        place_name: place_name(places, a.place),
                    });
                }
                k = k.saturating_add(1);
            }
            match a.kind {
                ArcKind::Input => consumes = consumes.saturating_add(a.weight as usize),
                ArcKind::Output => produces = produces.saturating_add(a.weight as usize),
                ArcKind::Read | ArcKind::Inhibitor => {}
            }
            j = j.saturating_add(1);
        }
        if consumes == 0 && !spec.source {
            return Err(BuildError::NoInputs { transition, name });
        }
        if consumes > MAX_FIRING_INPUTS {
            return Err(BuildError::TooManyInputs { transition, name });
        }
        if let Some(place) = spec.error_place {
            if at(places, place.index()).is_none() {
                return Err(BuildError::UnknownPlace { place });
            }
            let mut j = start;
            while j < end {
                if let Some(a) = at(&s.arcs, j)
                    && a.place.raw() == place.raw()
                {
                    return Err(BuildError::ErrorPlaceConflict {
                        transition,
                        place,
                        transition_name: name,
                        place_name: place_name(places, place),
                    });
                }
                j = j.saturating_add(1);
            }
            error_places = error_places.saturating_add(1);
        }
        // A non-source never produces more than it consumed, so a firing needs at
        // most that many fresh slots.
        let fresh = if spec.source || produces < consumes {
            produces
        } else {
            consumes
        };
        if fresh > largest_output {
            largest_output = fresh;
        }
        if let Some(d) = at_mut(&mut s.transitions, t) {
            d.name = name;
            d.spec = *spec;
            d.consumes = consumes as u16;
            d.forwards_all = !spec.source && produces == consumes;
        }
        t = t.saturating_add(1);
    }
    if arcs.len().saturating_add(error_places) > A {
        return Err(BuildError::TooManyArcs { max: A });
    }
    let needed = total_capacity.saturating_add(largest_output);
    if needed > K {
        return Err(BuildError::PoolTooSmall { needed });
    }
    append_error_place_arcs(&mut s);
    compute_bounds(&mut s);
    index_arcs_by_place(&mut s);
    Ok(s)
}

/// A stable counting sort of the arcs by transition, so each transition's arcs are one
/// slice in declaration order. Linear in arcs plus transitions (it runs in `const`
/// evaluation, where time is bounded): each transition's `arcs` range is first its
/// count, then its start, then filled up to its end.
const fn group_arcs_by_transition<C, const P: usize, const T: usize, const A: usize>(
    s: &mut Structure<C, P, T, A>,
    arcs: &[Arc],
) {
    let mut i = 0;
    while let Some(a) = at(arcs, i) {
        if let Some(def) = at_mut(&mut s.transitions, a.transition.index()) {
            def.arcs.1 = def.arcs.1.saturating_add(1);
        }
        i = i.saturating_add(1);
    }
    let mut start: u16 = 0;
    let mut t = 0;
    while t < s.transition_count as usize {
        if let Some(def) = at_mut(&mut s.transitions, t) {
            let count = def.arcs.1;
            def.arcs = (start, start);
            start = start.saturating_add(count);
        }
        t = t.saturating_add(1);
    }
    let mut i = 0;
    while let Some(a) = at(arcs, i) {
        if let Some(def) = at_mut(&mut s.transitions, a.transition.index()) {
            let slot = def.arcs.1 as usize;
            def.arcs.1 = def.arcs.1.saturating_add(1);
            if let Some(dst) = at_mut(&mut s.arcs, slot) {
                *dst = *a;
            }
        }
        i = i.saturating_add(1);
    }
}

/// Adds one internal arc per error place after the declared arcs, so the error
/// place's room takes part in enabling like any other arc.
const fn append_error_place_arcs<C, const P: usize, const T: usize, const A: usize>(
    s: &mut Structure<C, P, T, A>,
) {
    let mut next = s.declared_arcs as usize;
    let mut t = 0usize;
    while t < s.transition_count as usize {
        if let Some(def) = at(&s.transitions, t)
            && let Some(place) = def.spec.error_place
        {
            let consumes = def.consumes;
            if let Some(slot) = at_mut(&mut s.arcs, next) {
                *slot = Arc {
                    transition: TransitionId::new(t as u16),
                    place,
                    kind: ArcKind::Output,
                    weight: consumes,
                };
                next = next.saturating_add(1);
            }
        }
        t = t.saturating_add(1);
    }
    s.all_arcs = next as u16;
}

/// The weight of the input arc from `place` among `transition`'s arcs, or 0.
const fn own_input<C, const P: usize, const T: usize, const A: usize>(
    s: &Structure<C, P, T, A>,
    transition: u16,
    place: u16,
) -> u16 {
    let Some(def) = at(&s.transitions, transition as usize) else {
        return 0;
    };
    let mut j = def.arcs.0 as usize;
    while j < def.arcs.1 as usize {
        if let Some(b) = at(&s.arcs, j)
            && b.place.raw() == place
            && matches!(b.kind, ArcKind::Input)
        {
            return b.weight;
        }
        j = j.saturating_add(1);
    }
    0
}

/// Turns every arc's condition into a range of allowed token counts, so checking
/// whether an arc allows its transition is one comparison pair.
const fn compute_bounds<C, const P: usize, const T: usize, const A: usize>(
    s: &mut Structure<C, P, T, A>,
) {
    let mut i = 0usize;
    while i < s.all_arcs as usize {
        let Some(a) = at(&s.arcs, i) else { break };
        let a = *a;
        let capacity = match at(&s.places, a.place.index()) {
            Some(p) => p.capacity,
            None => 0,
        };
        let bounds = if i >= s.declared_arcs as usize {
            // Error place: room for all `weight` consumed tokens, or never.
            match capacity.checked_sub(a.weight) {
                Some(hi) => (0, hi),
                None => (1, 0),
            }
        } else {
            let own = own_input(s, a.transition.raw(), a.place.raw());
            match a.kind {
                ArcKind::Input | ArcKind::Read => (a.weight, u16::MAX),
                ArcKind::Inhibitor => (0, a.weight.saturating_sub(1)),
                ArcKind::Output => (0, capacity.saturating_sub(a.weight).saturating_add(own)),
            }
        };
        if let Some(b) = at_mut(&mut s.bounds, i) {
            *b = bounds;
        }
        i = i.saturating_add(1);
    }
}

/// Builds the place -> arcs index used to update enabling when a place changes: a
/// stable counting sort of the arcs by place, linear like the one by transition.
const fn index_arcs_by_place<C, const P: usize, const T: usize, const A: usize>(
    s: &mut Structure<C, P, T, A>,
) {
    let all = s.all_arcs as usize;
    let mut i = 0usize;
    while i < all {
        if let Some(a) = at(&s.arcs, i) {
            let place = a.place.index();
            if let Some(range) = at_mut(&mut s.place_ranges, place) {
                range.1 = range.1.saturating_add(1);
            }
        }
        i = i.saturating_add(1);
    }
    let mut start: u16 = 0;
    let mut p = 0usize;
    while p < s.place_count as usize {
        if let Some(range) = at_mut(&mut s.place_ranges, p) {
            let count = range.1;
            *range = (start, start);
            start = start.saturating_add(count);
        }
        p = p.saturating_add(1);
    }
    let mut i = 0usize;
    while i < all {
        if let Some(a) = at(&s.arcs, i) {
            let a = *a;
            let (lo, hi) = match at(&s.bounds, i) {
                Some(b) => *b,
                None => (1, 0),
            };
            let transition = a.transition.raw();
            let guarded = match at(&s.transitions, transition as usize) {
                Some(d) => d.spec.guard.is_some(),
                None => false,
            };
            let mut slot = usize::MAX;
            if let Some(range) = at_mut(&mut s.place_ranges, a.place.index()) {
                slot = range.1 as usize;
                range.1 = range.1.saturating_add(1);
            }
            if let Some(dst) = at_mut(&mut s.place_arcs, slot) {
                *dst = PlaceArc {
                    transition,
                    lo,
                    hi,
                    guarded,
                };
            }
        }
        i = i.saturating_add(1);
    }
}

/// A net's structure validated at compile time: what [`net!`](crate::net!) generates,
/// to be run with [`Net::declared`](crate::sched::Net::declared). Nothing at run time
/// validates it again or can fail.
#[derive(Debug, Clone)]
pub struct Declaration<C, const P: usize, const T: usize, const A: usize, const K: usize> {
    pub(crate) structure: Structure<C, P, T, A>,
}

impl<C, const P: usize, const T: usize, const A: usize, const K: usize> Declaration<C, P, T, A, K> {
    /// Whether `at_rank` lists the transitions in the order the engine fires ready ones
    /// without round-robin: higher priority first, then declaration order, each once.
    /// The code `net!` generates asserts it while compiling, so the ranks it writes
    /// out are those of the engine's ready set.
    #[doc(hidden)]
    #[must_use]
    pub const fn __ranks_agree(&self, at_rank: &[u16]) -> bool {
        if at_rank.len() != self.structure.transition_count as usize {
            return false;
        }
        let mut seen = [false; T];
        let mut r = 0usize;
        let mut previous: Option<(u8, u16)> = None;
        while let Some(&t) = at(at_rank, r) {
            let fresh = match at_mut(&mut seen, t as usize) {
                Some(s) if !*s => {
                    *s = true;
                    true
                }
                _ => false,
            };
            let Some(def) = at(&self.structure.transitions, t as usize) else {
                return false;
            };
            let priority = def.spec.priority;
            let ordered = match previous {
                Some((p, u)) => p > priority || (p == priority && u < t),
                None => true,
            };
            if !fresh || !ordered {
                return false;
            }
            previous = Some((priority, t));
            r = r.saturating_add(1);
        }
        true
    }

    /// Whether `arcs`, as `(k, transition, lo, hi)`, are exactly the entries of the
    /// place-to-arc index, each once: entry `k` is an arc of `transition` that allows it
    /// while its place holds `lo..=hi` tokens. The code `net!` generates for
    /// straight-line firing asserts it while compiling, so the arcs it updates are the
    /// engine's own.
    #[doc(hidden)]
    #[must_use]
    pub const fn __agrees(&self, arcs: &[(u16, u16, u16, u16)]) -> bool {
        if arcs.len() != self.structure.all_arcs as usize {
            return false;
        }
        let mut seen = [false; A];
        let mut i = 0usize;
        while let Some(&(k, t, lo, hi)) = at(arcs, i) {
            let fresh = match at_mut(&mut seen, k as usize) {
                Some(s) if !*s => {
                    *s = true;
                    true
                }
                _ => false,
            };
            let same = match at(&self.structure.place_arcs, k as usize) {
                Some(pa) => pa.transition == t && pa.lo == lo && pa.hi == hi,
                None => false,
            };
            if !fresh || !same {
                return false;
            }
            i = i.saturating_add(1);
        }
        true
    }

    /// Validates a declaration; called, in a `const`, by the code `net!` generates.
    ///
    /// # Errors
    /// The first [`BuildError`], as [`NetBuilder::build`](super::NetBuilder::build)
    /// would report it. In a `const` an error stops the compilation.
    #[doc(hidden)]
    pub const fn __new(
        places: &[PlaceSpec],
        transitions: &[(&'static str, TransitionSpec<C>)],
        arcs: &[Arc],
        round_robin: bool,
    ) -> Result<Self, BuildError> {
        match validate::<C, P, T, A, K>(places, transitions, arcs, NetTag::ANY) {
            Ok(mut structure) => {
                structure.round_robin = round_robin;
                Ok(Self { structure })
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{PlaceId, TransitionId, TransitionSpec};

    type Decl = Declaration<u8, 3, 3, 6, 16>;

    /// `a -> b -> c -> a`, one transition per hop, with the given priorities.
    fn ring(priorities: [u8; 3]) -> Decl {
        let places = [
            PlaceSpec {
                name: "a",
                capacity: 2,
            },
            PlaceSpec {
                name: "b",
                capacity: 2,
            },
            PlaceSpec {
                name: "c",
                capacity: 2,
            },
        ];
        let names = ["ab", "bc", "ca"];
        let transitions: [(&'static str, TransitionSpec<u8>); 3] =
            core::array::from_fn(|t| (names[t], TransitionSpec::new().priority(priorities[t])));
        let arc = |t: u16, p: u16, kind| Arc {
            transition: TransitionId::new(t),
            place: PlaceId::new(p),
            kind,
            weight: 1,
        };
        let arcs = [
            arc(0, 0, ArcKind::Input),
            arc(0, 1, ArcKind::Output),
            arc(1, 1, ArcKind::Input),
            arc(1, 2, ArcKind::Output),
            arc(2, 2, ArcKind::Input),
            arc(2, 0, ArcKind::Output),
        ];
        match Decl::__new(&places, &transitions, &arcs, false) {
            Ok(d) => d,
            Err(e) => panic!("a valid ring: {e}"),
        }
    }

    #[test]
    fn ranks_agree_only_with_priority_first_then_declaration_order_each_once() {
        let equal = ring([0, 0, 0]);
        assert!(equal.__ranks_agree(&[0, 1, 2]));
        assert!(
            !equal.__ranks_agree(&[1, 0, 2]),
            "declaration order within a priority"
        );
        assert!(!equal.__ranks_agree(&[0, 0, 1]), "each transition once");
        assert!(!equal.__ranks_agree(&[0, 1]), "every transition");
        assert!(
            !equal.__ranks_agree(&[0, 1, 2, 2]),
            "no more than every transition"
        );
        assert!(
            !equal.__ranks_agree(&[0, 1, 3]),
            "only the net's transitions"
        );
        let ranked = ring([1, 3, 2]);
        assert!(ranked.__ranks_agree(&[1, 2, 0]));
        assert!(!ranked.__ranks_agree(&[0, 1, 2]), "higher priority first");
        assert!(!ranked.__ranks_agree(&[2, 1, 0]));
    }

    #[test]
    fn arcs_agree_only_with_the_place_arc_index_entry_for_entry_each_once() {
        let d = ring([0, 0, 0]);
        let all = usize::from(d.structure.all_arcs);
        let entries: heapless::Vec<(u16, u16, u16, u16), 6> = (0..all)
            .map(|k| {
                let pa = &d.structure.place_arcs[k];
                (k as u16, pa.transition, pa.lo, pa.hi)
            })
            .collect();
        assert!(d.__agrees(&entries));
        let mut reversed = entries.clone();
        reversed.reverse();
        assert!(d.__agrees(&reversed), "in any order");
        assert!(!d.__agrees(&entries[1..]), "every entry");
        let mut twice = entries.clone();
        twice[1] = twice[0];
        assert!(!d.__agrees(&twice), "each entry once");
        for field in 1..4 {
            let mut wrong = entries.clone();
            let e = &mut wrong[0];
            match field {
                1 => e.1 = (e.1 + 1) % 3,
                2 => e.2 ^= 1,
                _ => e.3 ^= 1,
            }
            assert!(!d.__agrees(&wrong), "field {field} of an entry must match");
        }
    }
}

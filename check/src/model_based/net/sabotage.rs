//! Invalid nets made on purpose, one defect at a time, so that the engine's builder and
//! the reference's validator can be compared on the kind of error, not only on
//! "valid or not".
//!
//! The two report their first error in different orders, so their kinds are comparable
//! only when a net has a single defect. A [`Sabotage`] applied to a repaired (valid) net
//! adds exactly one, and says which [`Expectation`] both sides must then agree on.

use crate::reference::net::{ArcKind, ArcSpec, NetSpec, RefBuildError};
use mycel::net::BuildError;

use super::engine::POOL;

/// The kind of a build error, common to the engine and the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefectKind {
    /// More places, transitions or arcs than the engine's capacities (engine only).
    TooLarge,
    /// An arc or error place names a place that does not exist.
    UnknownPlace,
    /// An id from another net's builder (never made by these tests' ids).
    Foreign,
    /// An arc names a transition that does not exist.
    UnknownTransition,
    /// An arc has weight 0.
    ZeroWeight,
    /// A place has capacity 0.
    ZeroCapacity,
    /// A place holds more than the pool.
    CapacityAbovePool,
    /// Two arcs of one kind, or an input and a read arc, on one place for one transition.
    DuplicateArc,
    /// A transition without input arcs that is not a source.
    NoInputs,
    /// An output arc weighs more than its place can hold.
    OutputAboveCapacity,
    /// A transition's error place is also on one of its arcs.
    ErrorPlaceConflict,
    /// One firing would consume more than 32 tokens.
    TooManyInputs,
    /// The pool cannot hold every place full plus the largest firing.
    PoolTooSmall,
}

impl DefectKind {
    /// The kind of an engine build error.
    #[must_use]
    pub fn of_engine(error: BuildError) -> Self {
        match error {
            BuildError::TooManyPlaces { .. }
            | BuildError::TooManyTransitions { .. }
            | BuildError::TooManyArcs { .. }
            | BuildError::PlacesTooLarge { .. }
            | BuildError::TransitionsTooLarge { .. }
            | BuildError::ArcsTooLarge { .. }
            | BuildError::PoolTooLarge { .. } => Self::TooLarge,
            BuildError::UnknownPlace { .. } => Self::UnknownPlace,
            BuildError::UnknownTransition { .. } => Self::UnknownTransition,
            BuildError::ForeignPlace { .. } | BuildError::ForeignTransition { .. } => Self::Foreign,
            BuildError::ZeroWeight { .. } => Self::ZeroWeight,
            BuildError::ZeroCapacity { .. } => Self::ZeroCapacity,
            BuildError::CapacityAbovePool { .. } => Self::CapacityAbovePool,
            BuildError::DuplicateArc { .. } => Self::DuplicateArc,
            BuildError::NoInputs { .. } => Self::NoInputs,
            BuildError::OutputAboveCapacity { .. } => Self::OutputAboveCapacity,
            BuildError::ErrorPlaceConflict { .. } => Self::ErrorPlaceConflict,
            BuildError::TooManyInputs { .. } => Self::TooManyInputs,
            BuildError::PoolTooSmall { .. } => Self::PoolTooSmall,
        }
    }

    /// The kind of a reference validation error.
    #[must_use]
    pub fn of_reference(error: RefBuildError) -> Self {
        match error {
            RefBuildError::UnknownTransition { .. } => Self::UnknownTransition,
            RefBuildError::UnknownPlace { .. } | RefBuildError::UnknownErrorPlace { .. } => {
                Self::UnknownPlace
            }
            RefBuildError::ZeroWeight { .. } => Self::ZeroWeight,
            RefBuildError::ZeroCapacity { .. } => Self::ZeroCapacity,
            RefBuildError::CapacityExceedsPool { .. } => Self::CapacityAbovePool,
            RefBuildError::DuplicateArc { .. } => Self::DuplicateArc,
            RefBuildError::NoInput { .. } => Self::NoInputs,
            RefBuildError::OutputExceedsCapacity { .. } => Self::OutputAboveCapacity,
            RefBuildError::ErrorPlaceOnArc { .. } => Self::ErrorPlaceConflict,
            RefBuildError::PoolTooSmall { .. } => Self::PoolTooSmall,
            RefBuildError::TooManyConsumed { .. } => Self::TooManyInputs,
        }
    }
}

/// What both sides must say about a sabotaged net.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation {
    /// The net is valid.
    Valid,
    /// The net has exactly this defect.
    Defect(DefectKind),
}

/// One way to break a valid net.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum Sabotage {
    /// An arc gets weight 0.
    ZeroWeight,
    /// A place gets capacity 0.
    ZeroCapacity,
    /// A place gets a capacity one above the pool.
    CapacityAbovePool,
    /// An output arc gets a weight one above its place's capacity.
    OutputAboveCapacity,
    /// An arc is declared twice.
    DuplicateArc,
    /// An input arc gets a read arc beside it.
    InputAndRead,
    /// A transition loses its input arcs and is no longer a source.
    NoInputs,
    /// A transition's error place becomes one of its arcs' places.
    ErrorPlaceOnArc,
    /// An arc names the first place index past the end.
    UnknownPlace,
    /// A transition's error place is the first place index past the end.
    UnknownErrorPlace,
    /// An arc names the first transition index past the end.
    UnknownTransition,
    /// An input arc consumes 33 tokens.
    TooManyInputs,
    /// A place's capacity is set so the pool is exactly large enough (`over: false`) or
    /// one slot short (`over: true`), following the engine's pool rule.
    PoolBoundary {
        /// One slot short.
        over: bool,
    },
}

/// Every sabotage, for strategies that pick one.
pub const ALL_SABOTAGES: [Sabotage; 14] = [
    Sabotage::ZeroWeight,
    Sabotage::ZeroCapacity,
    Sabotage::CapacityAbovePool,
    Sabotage::OutputAboveCapacity,
    Sabotage::DuplicateArc,
    Sabotage::InputAndRead,
    Sabotage::NoInputs,
    Sabotage::ErrorPlaceOnArc,
    Sabotage::UnknownPlace,
    Sabotage::UnknownErrorPlace,
    Sabotage::UnknownTransition,
    Sabotage::TooManyInputs,
    Sabotage::PoolBoundary { over: false },
    Sabotage::PoolBoundary { over: true },
];

/// The most tokens one firing of transition `t` may need fresh pool slots for, by the
/// engine's rule: a source may produce its whole output weight, any other transition
/// at most what it consumed.
#[must_use]
pub fn fresh_slots(spec: &NetSpec<u32>, t: usize) -> u64 {
    let sum = |kind: ArcKind| -> u64 {
        spec.arcs
            .iter()
            .filter(|a| a.transition == t && a.kind == kind)
            .map(|a| u64::from(a.weight))
            .sum()
    };
    let produces = sum(ArcKind::Output);
    if spec.transitions.get(t).is_some_and(|s| s.source) {
        produces
    } else {
        produces.min(sum(ArcKind::Input))
    }
}

fn nth_arc(spec: &NetSpec<u32>, kind: Option<ArcKind>, target: u8) -> Option<usize> {
    let candidates: Vec<usize> = spec
        .arcs
        .iter()
        .enumerate()
        .filter(|(_, a)| kind.is_none_or(|k| a.kind == k))
        .map(|(i, _)| i)
        .collect();
    candidates
        .get(usize::from(target) % candidates.len().max(1))
        .copied()
}

impl Sabotage {
    /// Breaks `spec` (assumed valid, as [`NetDraft::repair`](super::draft::NetDraft::repair)
    /// makes it) with `target` choosing the arc, place or transition, and returns what
    /// both sides must then say, or `None` (and leaves `spec` alone) when the net has
    /// nothing this sabotage can break.
    pub fn apply(self, spec: &mut NetSpec<u32>, target: u8) -> Option<Expectation> {
        let place_count = spec.places.len();
        let transition_count = spec.transitions.len();
        let pick = |len: usize| usize::from(target) % len.max(1);
        let defect = match self {
            Self::ZeroWeight => {
                let arc = nth_arc(spec, None, target)?;
                spec.arcs.get_mut(arc)?.weight = 0;
                DefectKind::ZeroWeight
            }
            Self::ZeroCapacity => {
                spec.places.get_mut(pick(place_count))?.capacity = 0;
                DefectKind::ZeroCapacity
            }
            Self::CapacityAbovePool => {
                spec.places.get_mut(pick(place_count))?.capacity = POOL as u32 + 1;
                DefectKind::CapacityAbovePool
            }
            Self::OutputAboveCapacity => {
                let arc = nth_arc(spec, Some(ArcKind::Output), target)?;
                let place = spec.arcs.get(arc)?.place;
                let capacity = spec.places.get(place)?.capacity;
                spec.arcs.get_mut(arc)?.weight = capacity + 1;
                DefectKind::OutputAboveCapacity
            }
            Self::DuplicateArc => {
                let arc = *spec.arcs.get(nth_arc(spec, None, target)?)?;
                spec.arcs.push(arc);
                DefectKind::DuplicateArc
            }
            Self::InputAndRead => {
                let arc = *spec
                    .arcs
                    .get(nth_arc(spec, Some(ArcKind::Input), target)?)?;
                spec.arcs.push(ArcSpec {
                    kind: ArcKind::Read,
                    ..arc
                });
                DefectKind::DuplicateArc
            }
            Self::NoInputs => {
                let t = pick(transition_count);
                spec.transitions.get_mut(t)?.source = false;
                spec.arcs
                    .retain(|a| !(a.transition == t && a.kind == ArcKind::Input));
                DefectKind::NoInputs
            }
            Self::ErrorPlaceOnArc => {
                let arc = *spec.arcs.get(nth_arc(spec, None, target)?)?;
                spec.transitions.get_mut(arc.transition)?.error_place = Some(arc.place);
                DefectKind::ErrorPlaceConflict
            }
            Self::UnknownPlace => {
                let arc = nth_arc(spec, None, target)?;
                spec.arcs.get_mut(arc)?.place = place_count;
                DefectKind::UnknownPlace
            }
            Self::UnknownErrorPlace => {
                spec.transitions
                    .get_mut(pick(transition_count))?
                    .error_place = Some(place_count);
                DefectKind::UnknownPlace
            }
            Self::UnknownTransition => {
                let arc = nth_arc(spec, None, target)?;
                spec.arcs.get_mut(arc)?.transition = transition_count;
                DefectKind::UnknownTransition
            }
            Self::TooManyInputs => {
                let arc = nth_arc(spec, Some(ArcKind::Input), target)?;
                spec.arcs.get_mut(arc)?.weight = 33;
                DefectKind::TooManyInputs
            }
            Self::PoolBoundary { over } => {
                let place = pick(place_count);
                let others: u64 = spec
                    .places
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != place)
                    .map(|(_, p)| u64::from(p.capacity))
                    .sum();
                let largest = (0..transition_count)
                    .map(|t| fresh_slots(spec, t))
                    .max()
                    .unwrap_or(0);
                let capacity = (POOL as u64)
                    .checked_sub(others + largest)?
                    .checked_add(u64::from(over))?;
                if capacity == 0 || capacity > POOL as u64 {
                    return None;
                }
                spec.places.get_mut(place)?.capacity = u32::try_from(capacity).ok()?;
                return Some(if over {
                    Expectation::Defect(DefectKind::PoolTooSmall)
                } else {
                    Expectation::Valid
                });
            }
        };
        Some(Expectation::Defect(defect))
    }
}

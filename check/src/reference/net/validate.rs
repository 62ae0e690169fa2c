//! Structural validation, mirroring the engine's build errors.

use std::fmt;

use super::spec::{ArcKind, NetSpec};

/// Most tokens one firing may consume (sum of a transition's Input weights).
pub const MAX_CONSUMED_PER_FIRING: u64 = 32;

/// Why a [`NetSpec`] is not a valid net. Indices refer to the spec's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefBuildError {
    /// The arc names a transition index that does not exist.
    UnknownTransition {
        /// Index of the arc.
        arc: usize,
    },
    /// The arc names a place index that does not exist.
    UnknownPlace {
        /// Index of the arc.
        arc: usize,
    },
    /// The arc has weight 0.
    ZeroWeight {
        /// Index of the arc.
        arc: usize,
    },
    /// The place has capacity 0.
    ZeroCapacity {
        /// Index of the place.
        place: usize,
    },
    /// The place's capacity exceeds the whole token pool.
    CapacityExceedsPool {
        /// Index of the place.
        place: usize,
    },
    /// An earlier arc has the same transition, place and kind, or this is an Input and a
    /// Read arc on the same place for one transition.
    DuplicateArc {
        /// Index of the later of the two arcs.
        arc: usize,
    },
    /// The transition has no Input arc and is not declared a source.
    NoInput {
        /// Index of the transition.
        transition: usize,
    },
    /// The Output arc's weight exceeds its place's capacity, so it could never fire.
    OutputExceedsCapacity {
        /// Index of the arc.
        arc: usize,
    },
    /// The transition's error place does not exist.
    UnknownErrorPlace {
        /// Index of the transition.
        transition: usize,
    },
    /// The transition's error place is also on one of its arcs.
    ErrorPlaceOnArc {
        /// Index of the transition.
        transition: usize,
    },
    /// The pool cannot hold every place full plus the new tokens of one firing.
    PoolTooSmall {
        /// Sum of all capacities plus the most new tokens one firing can need: for a
        /// source the sum of its Output weights, for any other transition the smaller of
        /// its Output and Input weight sums.
        needed: u64,
        /// The configured pool size.
        pool: u32,
    },
    /// One firing would consume more than [`MAX_CONSUMED_PER_FIRING`] tokens.
    TooManyConsumed {
        /// Index of the transition.
        transition: usize,
        /// Sum of its Input weights.
        consumed: u64,
    },
}

impl fmt::Display for RefBuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownTransition { arc } => write!(f, "arc {arc} names an unknown transition"),
            Self::UnknownPlace { arc } => write!(f, "arc {arc} names an unknown place"),
            Self::ZeroWeight { arc } => write!(f, "arc {arc} has weight 0"),
            Self::ZeroCapacity { place } => write!(f, "place {place} has capacity 0"),
            Self::CapacityExceedsPool { place } => {
                write!(f, "place {place} has a capacity larger than the pool")
            }
            Self::DuplicateArc { arc } => write!(f, "arc {arc} duplicates an earlier arc"),
            Self::NoInput { transition } => {
                write!(
                    f,
                    "transition {transition} has no input arc and is not a source"
                )
            }
            Self::OutputExceedsCapacity { arc } => {
                write!(f, "output arc {arc} weighs more than its place's capacity")
            }
            Self::UnknownErrorPlace { transition } => {
                write!(f, "transition {transition} names an unknown error place")
            }
            Self::ErrorPlaceOnArc { transition } => {
                write!(
                    f,
                    "transition {transition} has an arc on its own error place"
                )
            }
            Self::PoolTooSmall { needed, pool } => {
                write!(f, "the pool holds {pool} tokens but the net needs {needed}")
            }
            Self::TooManyConsumed {
                transition,
                consumed,
            } => write!(
                f,
                "transition {transition} consumes {consumed} tokens (at most {MAX_CONSUMED_PER_FIRING})"
            ),
        }
    }
}

impl std::error::Error for RefBuildError {}

/// Checks `spec` and reports the first problem found.
///
/// The checks run as whole passes in this order, each pass in index order: unknown
/// transition then unknown place (per arc), zero weight, zero capacity, capacity above the
/// pool, duplicate arcs, transitions without input, output weight above capacity, error
/// place (unknown, then on an arc), pool size, consumed per firing.
///
/// # Errors
/// The first [`RefBuildError`] in that order.
pub fn validate<C>(spec: &NetSpec<C>) -> Result<(), RefBuildError> {
    let place_count = spec.places.len();
    for (arc, spec_arc) in spec.arcs.iter().enumerate() {
        if spec_arc.transition >= spec.transitions.len() {
            return Err(RefBuildError::UnknownTransition { arc });
        }
        if spec_arc.place >= place_count {
            return Err(RefBuildError::UnknownPlace { arc });
        }
    }
    if let Some(arc) = spec.arcs.iter().position(|arc| arc.weight == 0) {
        return Err(RefBuildError::ZeroWeight { arc });
    }
    if let Some(place) = spec.places.iter().position(|place| place.capacity == 0) {
        return Err(RefBuildError::ZeroCapacity { place });
    }
    if let Some(place) = spec
        .places
        .iter()
        .position(|place| place.capacity > spec.pool)
    {
        return Err(RefBuildError::CapacityExceedsPool { place });
    }
    for (later, arc) in spec.arcs.iter().enumerate() {
        let clashes = spec.arcs.iter().take(later).any(|earlier| {
            earlier.transition == arc.transition
                && earlier.place == arc.place
                && (earlier.kind == arc.kind || consume_and_read(earlier.kind, arc.kind))
        });
        if clashes {
            return Err(RefBuildError::DuplicateArc { arc: later });
        }
    }
    for (transition, spec_transition) in spec.transitions.iter().enumerate() {
        let has_input = spec
            .arcs
            .iter()
            .any(|arc| arc.transition == transition && arc.kind == ArcKind::Input);
        if !has_input && !spec_transition.source {
            return Err(RefBuildError::NoInput { transition });
        }
    }
    for (arc, spec_arc) in spec.arcs.iter().enumerate() {
        let capacity = spec
            .places
            .get(spec_arc.place)
            .map_or(0, |place| place.capacity);
        if spec_arc.kind == ArcKind::Output && spec_arc.weight > capacity {
            return Err(RefBuildError::OutputExceedsCapacity { arc });
        }
    }
    for (transition, spec_transition) in spec.transitions.iter().enumerate() {
        let Some(error_place) = spec_transition.error_place else {
            continue;
        };
        if error_place >= place_count {
            return Err(RefBuildError::UnknownErrorPlace { transition });
        }
        if spec
            .arcs
            .iter()
            .any(|arc| arc.transition == transition && arc.place == error_place)
        {
            return Err(RefBuildError::ErrorPlaceOnArc { transition });
        }
    }
    let capacities: u64 = spec
        .places
        .iter()
        .map(|place| u64::from(place.capacity))
        .sum();
    let largest_output = (0..spec.transitions.len())
        .map(|transition| fresh_slots(spec, transition))
        .max()
        .unwrap_or(0);
    let needed = capacities.saturating_add(largest_output);
    if u64::from(spec.pool) < needed {
        return Err(RefBuildError::PoolTooSmall {
            needed,
            pool: spec.pool,
        });
    }
    for transition in 0..spec.transitions.len() {
        let consumed = weight_sum(spec, transition, ArcKind::Input);
        if consumed > MAX_CONSUMED_PER_FIRING {
            return Err(RefBuildError::TooManyConsumed {
                transition,
                consumed,
            });
        }
    }
    Ok(())
}

/// An Input and a Read arc on one place for one transition count as duplicates.
fn consume_and_read(first: ArcKind, second: ArcKind) -> bool {
    matches!(
        (first, second),
        (ArcKind::Input, ArcKind::Read) | (ArcKind::Read, ArcKind::Input)
    )
}

/// The most new tokens one firing of `transition` can need pool slots for: a source may
/// produce its whole Output weight, any other transition no more than it consumed (or
/// it fails with invented tokens), so at most `min(Output weight, Input weight)`.
fn fresh_slots<C>(spec: &NetSpec<C>, transition: usize) -> u64 {
    let produces = weight_sum(spec, transition, ArcKind::Output);
    let source = spec
        .transitions
        .get(transition)
        .is_some_and(|spec_transition| spec_transition.source);
    if source {
        produces
    } else {
        produces.min(weight_sum(spec, transition, ArcKind::Input))
    }
}

/// Sum of the weights of `transition`'s arcs of `kind`.
fn weight_sum<C>(spec: &NetSpec<C>, transition: usize, kind: ArcKind) -> u64 {
    spec.arcs
        .iter()
        .filter(|arc| arc.transition == transition && arc.kind == kind)
        .map(|arc| u64::from(arc.weight))
        .sum()
}

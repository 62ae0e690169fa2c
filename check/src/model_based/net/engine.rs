//! The one engine type the suites test and the one conversion from a reference
//! [`NetSpec`] to it.

use crate::reference::net::{ArcKind, NetSpec};
use mycel::net::{ArcKind as EngineArcKind, BuildError, NetBuilder, PlaceId, TransitionId};
use mycel::sched::Net;
use mycel::time::Duration;

use super::guards::{GuardKind, engine_guard};

/// Most places a generated net has.
pub const MAX_PLACES: usize = 8;
/// Most transitions a generated net has.
pub const MAX_TRANSITIONS: usize = 8;
/// Most arcs (error places included) a generated net has.
pub const MAX_ARCS: usize = 32;
/// Token slots in the engine's pool; generated specs carry this as their `pool`.
pub const POOL: usize = 128;

/// The engine instance every net suite drives: `u32` tokens and generous capacities.
pub type EngineNet = Net<u32, MAX_PLACES, MAX_TRANSITIONS, MAX_ARCS, POOL>;

/// Why a [`NetSpec`] did not become an [`EngineNet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToEngineError {
    /// The engine's builder rejected the net.
    Build(BuildError),
    /// A transition's guard is a predicate outside the fixed set of [`GuardKind`]s, so
    /// it has no engine counterpart. This is a bug in the test, not in the engine.
    UnsupportedGuard {
        /// Index of the transition.
        transition: usize,
    },
}

const PLACE_NAMES: [&str; MAX_PLACES] = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"];
const TRANSITION_NAMES: [&str; MAX_TRANSITIONS] = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"];

/// A place index as the engine's id; out-of-range indices stay out of range.
#[must_use]
pub fn place_id(index: usize) -> PlaceId {
    PlaceId::new(u16::try_from(index).unwrap_or(u16::MAX))
}

/// A transition index as the engine's id; out-of-range indices stay out of range.
#[must_use]
pub fn transition_id(index: usize) -> TransitionId {
    TransitionId::new(u16::try_from(index).unwrap_or(u16::MAX))
}

/// The engine's form of a reference arc kind.
#[must_use]
pub fn engine_arc_kind(kind: ArcKind) -> EngineArcKind {
    match kind {
        ArcKind::Input => EngineArcKind::Input,
        ArcKind::Output => EngineArcKind::Output,
        ArcKind::Read => EngineArcKind::Read,
        ArcKind::Inhibitor => EngineArcKind::Inhibitor,
    }
}

/// The reference's form of an engine arc kind.
#[must_use]
pub fn reference_arc_kind(kind: EngineArcKind) -> ArcKind {
    match kind {
        EngineArcKind::Input => ArcKind::Input,
        EngineArcKind::Output => ArcKind::Output,
        EngineArcKind::Read => ArcKind::Read,
        EngineArcKind::Inhibitor => ArcKind::Inhibitor,
    }
}

/// Declares `spec` to the engine's builder, in the spec's order, and builds it.
///
/// Places, transitions and arcs are declared exactly as listed, so indices in the spec
/// are the engine's ids and each transition's arcs keep their order. Numbers too large
/// for the engine's `u16` fields saturate (the builder then rejects them or they stay
/// out of range). `spec.pool` is not used: the engine's pool is [`POOL`].
///
/// # Errors
/// [`ToEngineError::Build`] with the builder's error, or
/// [`ToEngineError::UnsupportedGuard`] for a guard outside the fixed set.
pub fn to_engine(spec: &NetSpec<u32>) -> Result<EngineNet, ToEngineError> {
    let mut b = NetBuilder::<u32, MAX_PLACES, MAX_TRANSITIONS, MAX_ARCS, POOL>::new();
    for (i, place) in spec.places.iter().enumerate() {
        let name = PLACE_NAMES.get(i).copied().unwrap_or("p?");
        b.place(name, u16::try_from(place.capacity).unwrap_or(u16::MAX));
    }
    for (i, t) in spec.transitions.iter().enumerate() {
        let kind = GuardKind::of_reference(t.guard.as_ref())
            .ok_or(ToEngineError::UnsupportedGuard { transition: i })?;
        let mut options = mycel::net::TransitionSpec::new()
            .priority(t.priority)
            .delay(Duration::from_ticks(t.delay));
        if let Some(guard) = engine_guard(kind) {
            options = options.guard(guard);
        }
        if let Some(place) = t.error_place {
            options = options.error_place(place_id(place));
        }
        if t.source {
            options = options.source();
        }
        if t.sink {
            options = options.sink();
        }
        let name = TRANSITION_NAMES.get(i).copied().unwrap_or("t?");
        b.transition_with(name, options);
    }
    for arc in &spec.arcs {
        b.arc(
            transition_id(arc.transition),
            place_id(arc.place),
            engine_arc_kind(arc.kind),
            u16::try_from(arc.weight).unwrap_or(u16::MAX),
        );
    }
    b.round_robin(spec.round_robin);
    b.build().map_err(ToEngineError::Build)
}

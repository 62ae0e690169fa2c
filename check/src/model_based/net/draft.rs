//! Raw net definitions as fuzzers and strategies produce them, and their repair into
//! valid [`NetSpec`]s.
//!
//! A [`NetDraft`] can hold anything (indices out of range, duplicate arcs, zero
//! weights); [`NetDraft::repair`] maps it onto a net that both the engine and the
//! reference accept, so nearly every input exercises firing rather than validation.
//! Invalid nets are produced on purpose, one defect at a time, by
//! [`sabotage`](super::sabotage).

use crate::reference::net::{ArcKind, ArcSpec, NetSpec, PlaceSpec, TransitionSpec};
use mycel::net::ArcKind as EngineArcKind;

use super::engine::{MAX_ARCS, MAX_PLACES, MAX_TRANSITIONS, POOL, reference_arc_kind};
use super::guards::GuardKind;

/// Largest capacity a repaired place gets.
pub const MAX_CAPACITY: u32 = 8;
/// Largest weight a repaired arc usually gets.
pub const MAX_WEIGHT: u32 = 3;
/// Weight bytes from here on become a heavy arc of weight [`MAX_CAPACITY`], so firings
/// can consume up to the engine's limit of 32 tokens.
pub const HEAVY_WEIGHT_FROM: u8 = 240;
/// Most tokens one firing may consume (the engine's `MAX_FIRING_INPUTS`).
pub const MAX_CONSUMED: u32 = 32;
/// Highest priority a repaired transition gets.
pub const MAX_PRIORITY: u8 = 3;
/// Arcs plus error places a repaired net keeps, one below the engine's `A`, so a
/// sabotage may add one more arc without hitting the engine's arc limit.
pub const ARC_BUDGET: usize = MAX_ARCS - 1;

/// A net before repair.
#[derive(Debug, Clone, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct NetDraft {
    /// Places; only the first [`MAX_PLACES`] are kept, and an empty list gets one place.
    pub places: Vec<PlaceDraft>,
    /// Transitions; only the first [`MAX_TRANSITIONS`] are kept.
    pub transitions: Vec<TransitionDraft>,
    /// Arcs; indices wrap around, clashing ones are dropped.
    pub arcs: Vec<ArcDraft>,
    /// Round-robin tie breaking.
    pub round_robin: bool,
}

/// A place before repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct PlaceDraft {
    /// Becomes `1 + capacity % MAX_CAPACITY`.
    pub capacity: u8,
}

/// A transition before repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct TransitionDraft {
    /// Becomes `priority % (MAX_PRIORITY + 1)`.
    pub priority: u8,
    /// How long it must stay enabled before it fires.
    pub delay: DelayDraft,
    /// Index (wrapping) of its error place; dropped if one of its arcs uses that place.
    pub error_place: Option<u8>,
    /// Declared a source. A transition left without an input arc becomes one.
    pub source: bool,
    /// Declared a sink.
    pub sink: bool,
    /// Its guard.
    pub guard: GuardKind,
}

/// A transition's delay, by magnitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum DelayDraft {
    /// Untimed.
    None,
    /// `1 + n % 8` ticks: comparable to small time steps.
    Short(u8),
    /// `n` ticks (may be 0).
    Long(u16),
    /// Close to `u64::MAX / 2` ticks: only enormous time jumps reach it.
    Huge(u16),
    /// `u64::MAX` ticks: the deadline saturates and only the last instant reaches it.
    Forever,
}

impl DelayDraft {
    /// The delay in ticks.
    #[must_use]
    pub fn ticks(self) -> u64 {
        match self {
            Self::None => 0,
            Self::Short(n) => 1 + u64::from(n % 8),
            Self::Long(n) => u64::from(n),
            Self::Huge(n) => u64::MAX / 2 - u64::from(n),
            Self::Forever => u64::MAX,
        }
    }
}

/// An arc before repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct ArcDraft {
    /// Index (wrapping) of the transition.
    pub transition: u8,
    /// Index (wrapping) of the place.
    pub place: u8,
    /// What the arc does.
    pub kind: EngineArcKind,
    /// Becomes `1 + weight % MAX_WEIGHT`, or [`MAX_CAPACITY`] from [`HEAVY_WEIGHT_FROM`]
    /// on; an output arc is clamped to its place's capacity.
    pub weight: u8,
}

fn wrap(index: u8, len: usize) -> usize {
    usize::from(index) % len.max(1)
}

/// Whether a new arc of `kind` from `transition` to `place` clashes with `arcs` (same
/// kind, or an input and a read arc on one place).
#[must_use]
pub fn clashes(arcs: &[ArcSpec], transition: usize, place: usize, kind: ArcKind) -> bool {
    arcs.iter().any(|a| {
        a.transition == transition
            && a.place == place
            && (a.kind == kind
                || matches!(
                    (a.kind, kind),
                    (ArcKind::Input, ArcKind::Read) | (ArcKind::Read, ArcKind::Input)
                ))
    })
}

impl NetDraft {
    /// A valid net made from the draft.
    ///
    /// Sizes are clamped to the engine's capacities (at most [`MAX_PLACES`] places of
    /// capacity at most [`MAX_CAPACITY`], [`MAX_TRANSITIONS`] transitions, [`ARC_BUDGET`]
    /// arcs and error places), arcs that clash with an earlier one or touch their
    /// transition's error place or would make one firing consume more than
    /// [`MAX_CONSUMED`] tokens are dropped, output weights are clamped to capacities,
    /// and a transition left without an input arc is declared a source. With these
    /// bounds the pool of [`POOL`] slots is always large enough.
    #[must_use]
    pub fn repair(&self) -> NetSpec<u32> {
        let mut places: Vec<PlaceSpec> = self
            .places
            .iter()
            .take(MAX_PLACES)
            .enumerate()
            .map(|(i, p)| PlaceSpec {
                name: format!("p{i}"),
                capacity: 1 + u32::from(p.capacity) % MAX_CAPACITY,
            })
            .collect();
        if places.is_empty() {
            places.push(PlaceSpec {
                name: "p0".to_owned(),
                capacity: 2,
            });
        }
        let place_count = places.len();
        let mut transitions: Vec<TransitionSpec<u32>> = self
            .transitions
            .iter()
            .take(MAX_TRANSITIONS)
            .enumerate()
            .map(|(i, t)| TransitionSpec {
                name: format!("t{i}"),
                priority: t.priority % (MAX_PRIORITY + 1),
                delay: t.delay.ticks(),
                error_place: t.error_place.map(|e| wrap(e, place_count)),
                source: t.source,
                sink: t.sink,
                guard: t.guard.reference(),
            })
            .collect();
        let error_places = transitions
            .iter()
            .filter(|t| t.error_place.is_some())
            .count();
        let arc_limit = ARC_BUDGET.saturating_sub(error_places);
        let mut arcs: Vec<ArcSpec> = Vec::new();
        if !transitions.is_empty() {
            for draft in &self.arcs {
                if arcs.len() >= arc_limit {
                    break;
                }
                let transition = wrap(draft.transition, transitions.len());
                let place = wrap(draft.place, place_count);
                let kind = reference_arc_kind(draft.kind);
                let on_error_place = transitions
                    .get(transition)
                    .is_some_and(|t| t.error_place == Some(place));
                if on_error_place || clashes(&arcs, transition, place, kind) {
                    continue;
                }
                let mut weight = if draft.weight >= HEAVY_WEIGHT_FROM {
                    MAX_CAPACITY
                } else {
                    1 + u32::from(draft.weight) % MAX_WEIGHT
                };
                if kind == ArcKind::Output {
                    weight = weight.min(places.get(place).map_or(1, |p| p.capacity));
                }
                if kind == ArcKind::Input {
                    let consumed: u32 = arcs
                        .iter()
                        .filter(|a| a.transition == transition && a.kind == ArcKind::Input)
                        .map(|a| a.weight)
                        .sum();
                    if consumed + weight > MAX_CONSUMED {
                        continue;
                    }
                }
                arcs.push(ArcSpec {
                    transition,
                    place,
                    kind,
                    weight,
                });
            }
        }
        for (i, t) in transitions.iter_mut().enumerate() {
            let has_input = arcs
                .iter()
                .any(|a| a.transition == i && a.kind == ArcKind::Input);
            if !has_input {
                t.source = true;
            }
        }
        NetSpec {
            places,
            transitions,
            arcs,
            round_robin: self.round_robin,
            pool: POOL as u32,
        }
    }
}

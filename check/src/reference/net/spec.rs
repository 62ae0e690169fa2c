//! The net definition: plain data the tests build both the model and the engine from.

use super::guard::GuardSpec;

/// A whole net: places, transitions, arcs and scheduling options.
#[derive(Clone, Debug)]
pub struct NetSpec<C> {
    /// Places, addressed by their index in this list.
    pub places: Vec<PlaceSpec>,
    /// Transitions, addressed by their index (which is also their declaration order).
    pub transitions: Vec<TransitionSpec<C>>,
    /// Arcs; among one transition's arcs, their order here is "arc order".
    pub arcs: Vec<ArcSpec>,
    /// Break priority ties by least recent firing instead of declaration order.
    pub round_robin: bool,
    /// Size of the engine's token pool (only validated by the model).
    pub pool: u32,
}

/// One place: a bounded FIFO of tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceSpec {
    /// A name for traces and diagrams.
    pub name: String,
    /// The most tokens the place can hold (at least 1).
    pub capacity: u32,
}

/// One transition.
#[derive(Clone, Debug)]
pub struct TransitionSpec<C> {
    /// A name for traces and diagrams.
    pub name: String,
    /// Higher fires first among ready transitions.
    pub priority: u8,
    /// Ticks the transition must stay enabled before it is ready (0: untimed).
    pub delay: u64,
    /// Where consumed tokens go when a firing fails (`None`: they roll back).
    pub error_place: Option<usize>,
    /// May produce more tokens than it consumes (and may have no Input arc).
    pub source: bool,
    /// May produce fewer tokens than it consumes.
    pub sink: bool,
    /// A predicate over the tokens the transition would consume (`None`: always true).
    pub guard: Option<GuardSpec<C>>,
}

/// One arc between a transition and a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArcSpec {
    /// Index of the transition.
    pub transition: usize,
    /// Index of the place.
    pub place: usize,
    /// What the arc does.
    pub kind: ArcKind,
    /// How many tokens (at least 1).
    pub weight: u32,
}

/// What an arc does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArcKind {
    /// Needs `weight` tokens and consumes them from the head.
    Input,
    /// May receive up to `weight` tokens per firing; needs room for all of them.
    Output,
    /// Needs `weight` tokens and consumes none.
    Read,
    /// Enabled only while the place holds fewer than `weight` tokens.
    Inhibitor,
}

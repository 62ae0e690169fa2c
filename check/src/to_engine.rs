//! A [`PtNet`] as a mycel runtime net: the engine's [`NetBuilder`] with the caller's
//! capacities, every place bounded.
//!
//! A P/T net has no place capacities and the engine needs them, so the caller gives one
//! bound for every place. Initial markings are not part of a builder; they come back as
//! a list to inject once the net is built.

use mycel::net::{BuildError, NetBuilder, PlaceId, TransitionId, TransitionSpec};

use crate::pt_net::{Direction, PtNet};

/// A [`PtNet`] declared in an engine [`NetBuilder`], with the engine ids of its places
/// and transitions (element `i` belongs to the `PtNet`'s place or transition `i`).
#[derive(Debug)]
pub struct EngineNet<C, const P: usize, const T: usize, const A: usize, const K: usize> {
    /// The declared builder; [`NetBuilder::build`] on it succeeds.
    pub builder: NetBuilder<C, P, T, A, K>,
    /// The engine id of each place, in the `PtNet`'s order.
    pub places: Vec<PlaceId>,
    /// The engine id of each transition, in the `PtNet`'s order.
    pub transitions: Vec<TransitionId>,
    /// The initial marking: each place that starts with tokens, and how many.
    pub initial_marking: Vec<(PlaceId, u16)>,
}

/// Why a [`PtNet`] cannot become an engine net with the chosen bound and capacities.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The bound is 0; the engine's places hold at least one token.
    #[error("a place bound of 0 is not allowed")]
    ZeroBound,
    /// Some places start with more tokens than the bound; all are listed.
    #[error("places {places:?} start with more than {bound} tokens, the bound")]
    MarkingAboveBound {
        /// The ids of the places over the bound, in net order.
        places: Vec<String>,
        /// The bound.
        bound: u16,
    },
    /// An arc moves more tokens than a place may hold, so its transition could never
    /// fire under the bound.
    #[error("arc \"{arc}\" has weight {weight}, more than the bound of {bound}")]
    WeightAboveBound {
        /// The arc's id.
        arc: String,
        /// Its weight.
        weight: u64,
        /// The bound.
        bound: u16,
    },
    /// The net has more places, transitions or arcs than the chosen capacity.
    #[error("the net has {needed} {kind}s, more than the capacity of {capacity}")]
    TooSmall {
        /// `"place"`, `"transition"` or `"arc"`.
        kind: &'static str,
        /// How many the net has.
        needed: usize,
        /// The capacity `P`, `T` or `A`.
        capacity: usize,
    },
    /// The engine refused the net (for example a pool `K` below
    /// [`pool_needed`], or a firing that consumes more than
    /// [`MAX_FIRING_INPUTS`](mycel::net::MAX_FIRING_INPUTS) tokens).
    #[error("the engine refuses the net{}: {error}", element.as_ref().map(|e| format!(" at \"{e}\"")).unwrap_or_default())]
    Engine {
        /// The engine's error.
        error: BuildError,
        /// The id of the place or transition it names, if it names one.
        element: Option<String>,
    },
}

/// The token pool `K` the engine needs for `net` with every place bounded by `bound`:
/// every place full, plus the most tokens one firing creates.
#[must_use]
pub fn pool_needed(net: &PtNet, bound: u16) -> usize {
    let full = net.places().len().saturating_mul(usize::from(bound));
    // The engine reserves, for the largest firing, the tokens it produces (a firing that
    // conserves tokens reuses the slots it consumed, which is the same number).
    let largest_firing = (0..net.transitions().len())
        .map(|t| flows(net, t).1)
        .max()
        .unwrap_or(0);
    full.saturating_add(usize::try_from(largest_firing).unwrap_or(usize::MAX))
}

/// Tokens consumed and produced by one firing of transition `t`.
fn flows(net: &PtNet, t: usize) -> (u64, u64) {
    net.arcs()
        .iter()
        .filter(|a| a.transition.0 == t)
        .fold((0u64, 0u64), |(c, p), a| match a.direction {
            Direction::PlaceToTransition => (c.saturating_add(a.weight), p),
            Direction::TransitionToPlace => (c, p.saturating_add(a.weight)),
            Direction::Inhibitor => (c, p),
        })
}

/// Declares `net` in an engine [`NetBuilder`] with capacities `P` places, `T`
/// transitions, `A` arcs and a pool of `K` tokens, each place holding at most `bound`.
///
/// A transition that produces more than it consumes is declared a source, one that
/// produces less a sink, as the engine requires. Names are the places' and transitions'
/// names, or their ids where they have none; the engine keeps `&'static str` names, so
/// the net must live for the whole program (a `static`, or `Box::leak`).
///
/// ```
/// use mycel::time::Instant;
/// use mycel_check::{PtNet, to_engine::to_engine};
///
/// let mut b = PtNet::builder("pingpong");
/// let ping = b.place("ping", 1);
/// let pong = b.place("pong", 0);
/// let serve = b.transition("serve");
/// b.input(serve, ping, 1).output(serve, pong, 1);
/// let net: &'static PtNet = Box::leak(Box::new(b.build()?));
///
/// let engine = to_engine::<u8, 2, 1, 2, 3>(net, 1)?;
/// let mut running = engine.builder.build()?;
/// for &(place, tokens) in &engine.initial_marking {
///     for _ in 0..tokens {
///         running.inject(place, 0, Instant::from_ticks(0)).unwrap();
///     }
/// }
/// assert_eq!(running.len(engine.places[0]), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// An [`EngineError`], checked in its declaration order: a zero bound, every place
/// whose marking exceeds the bound, an arc heavier than the bound, a capacity too
/// small, then whatever the engine's own validation refuses, with the element named.
pub fn to_engine<C, const P: usize, const T: usize, const A: usize, const K: usize>(
    net: &'static PtNet,
    bound: u16,
) -> Result<EngineNet<C, P, T, A, K>, EngineError> {
    if bound == 0 {
        return Err(EngineError::ZeroBound);
    }
    let over: Vec<String> = net
        .places()
        .iter()
        .filter(|p| p.initial_marking > u64::from(bound))
        .map(|p| p.id.clone())
        .collect();
    if !over.is_empty() {
        return Err(EngineError::MarkingAboveBound {
            places: over,
            bound,
        });
    }
    if let Some(arc) = net.arcs().iter().find(|a| a.weight > u64::from(bound)) {
        return Err(EngineError::WeightAboveBound {
            arc: arc.id.clone(),
            weight: arc.weight,
            bound,
        });
    }
    for (kind, needed, capacity) in [
        ("place", net.places().len(), P),
        ("transition", net.transitions().len(), T),
        ("arc", net.arcs().len(), A),
    ] {
        if needed > capacity {
            return Err(EngineError::TooSmall {
                kind,
                needed,
                capacity,
            });
        }
    }
    let mut builder = NetBuilder::<C, P, T, A, K>::new();
    let places: Vec<PlaceId> = net
        .places()
        .iter()
        .map(|p| builder.place(p.name.as_deref().unwrap_or(&p.id), bound))
        .collect();
    let transitions: Vec<TransitionId> = net
        .transitions()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (consumes, produces) = flows(net, i);
            let mut spec = TransitionSpec::new();
            if consumes == 0 || produces > consumes {
                spec = spec.source();
            }
            if produces < consumes {
                spec = spec.sink();
            }
            builder.transition_with(t.name.as_deref().unwrap_or(&t.id), spec)
        })
        .collect();
    for arc in net.arcs() {
        let (Some(&place), Some(&transition)) =
            (places.get(arc.place.0), transitions.get(arc.transition.0))
        else {
            continue; // a valid PtNet's arcs always have both ends
        };
        // Checked against the u16 bound above.
        let weight = u16::try_from(arc.weight).unwrap_or(u16::MAX);
        match arc.direction {
            Direction::PlaceToTransition => builder.input(transition, place, weight),
            Direction::TransitionToPlace => builder.output(transition, place, weight),
            Direction::Inhibitor => builder.inhibitor(transition, place, weight),
        };
    }
    if let Err(error) = builder.build() {
        let element = engine_element(net, &places, &transitions, error);
        return Err(EngineError::Engine { error, element });
    }
    let initial_marking = net
        .places()
        .iter()
        .zip(&places)
        .filter(|(p, _)| p.initial_marking > 0)
        .map(|(p, &id)| (id, u16::try_from(p.initial_marking).unwrap_or(bound)))
        .collect();
    Ok(EngineNet {
        builder,
        places,
        transitions,
        initial_marking,
    })
}

/// The `PtNet` id of the place or transition an engine error names.
fn engine_element(
    net: &PtNet,
    places: &[PlaceId],
    transitions: &[TransitionId],
    error: BuildError,
) -> Option<String> {
    let place = |id: PlaceId| {
        places
            .iter()
            .position(|&p| p == id)
            .and_then(|i| net.places().get(i))
            .map(|p| p.id.clone())
    };
    let transition = |id: TransitionId| {
        transitions
            .iter()
            .position(|&t| t == id)
            .and_then(|i| net.transitions().get(i))
            .map(|t| t.id.clone())
    };
    match error {
        BuildError::UnknownPlace { place: p }
        | BuildError::ForeignPlace { place: p }
        | BuildError::ZeroCapacity { place: p, .. }
        | BuildError::CapacityAbovePool { place: p, .. } => place(p),
        BuildError::UnknownTransition { transition: t }
        | BuildError::ForeignTransition { transition: t }
        | BuildError::ZeroWeight { transition: t, .. }
        | BuildError::DuplicateArc { transition: t, .. }
        | BuildError::NoInputs { transition: t, .. }
        | BuildError::OutputAboveCapacity { transition: t, .. }
        | BuildError::ErrorPlaceConflict { transition: t, .. }
        | BuildError::TooManyInputs { transition: t, .. } => transition(t),
        _ => None,
    }
}

//! A running mycel net as a [`PtNet`]: the place/transition net of its token flow, for
//! PNML export and for the checks that work on P/T nets.
//!
//! A mycel transition's output arcs say the most it *may* produce; its behaviour picks
//! where the consumed tokens go (a request goes to `forwarded` *or* `rejected`), and a
//! firing that is neither a source nor a sink produces exactly as many tokens as it
//! consumed. The P/T net keeps every choice the behaviour has: each mycel transition
//! becomes one P/T transition per way of placing its tokens in its output places within
//! their weights (one when there is no choice), named `route -> forwarded` and so on.
//! A sink may produce fewer (down to none), a source more (up to every weight). A
//! transition with no way to place its tokens (it consumes more than its outputs take
//! and is no sink) fails every firing, so it has no P/T transition.
//!
//! Capacities, which P/T nets do not have, become complement places: `p (room)` starts
//! with the capacity minus the marking, and every firing moves tokens between `p` and
//! its room so that the two always sum to the capacity. Like the engine, every variant
//! of a transition needs room for each output arc's full weight after the transition's
//! own consumption, whatever it then produces: a test on the room (an arc there and
//! back). A transition's error place must have room for all it consumes: a test on the
//! error place's room. Read arcs become a test on the place itself.
//!
//! An inhibitor arc stays an inhibitor arc ([`Direction::Inhibitor`](crate::pt_net::Direction::Inhibitor),
//! written to PNML with the `<type value="inhibitor"/>` extension of PIPE and TINA) on
//! every variant of its transition.
//!
//! What a P/T net cannot say is left out, and the result is then an
//! over-approximation of the engine's behaviour: colours, guards, priorities, delays,
//! and machines inside transitions.

use mycel::net::{ArcKind, Net, TransitionId};
use mycel::net::{ReadySet, StructureStore};

use crate::pt_net::{NetError, PlaceIndex, PtNet, PtNetBuilder, TransitionIndex};

/// Choices for [`pt_net_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    /// Add a complement place per place so the P/T net keeps the capacities.
    pub capacities: bool,
    /// The most P/T transitions one mycel transition may become.
    pub max_variants: usize,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            capacities: true,
            max_variants: 4096,
        }
    }
}

/// Why a net cannot be written as a P/T net.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FromEngineError {
    /// A transition has more ways to place its tokens than the limit.
    #[error(
        "transition {transition} places its tokens in more than {limit} ways; raise max_variants"
    )]
    TooManyVariants {
        /// The transition's name.
        transition: String,
        /// [`ExportOptions::max_variants`].
        limit: usize,
    },
    /// The P/T net did not validate (a bug in this module, reported rather than hidden).
    #[error(transparent)]
    Net(#[from] NetError),
}

/// The P/T net of `net`'s token flow, with its current marking as the initial one, under
/// the id `id`. See the module documentation for what is kept and what is not.
///
/// # Errors
/// [`FromEngineError::TooManyVariants`] for a transition with more ways to place its
/// tokens than [`ExportOptions::max_variants`].
pub fn pt_net_of<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
    id: &str,
    options: &ExportOptions,
) -> Result<PtNet, FromEngineError> {
    let mut b = PtNet::builder(id);
    let places: Vec<(PlaceIndex, Option<PlaceIndex>)> = net
        .places()
        .map(|p| {
            let spec = net.place(p);
            let name = spec.map_or("", |s| s.name);
            let capacity = spec.map_or(0, |s| u64::from(s.capacity));
            let marking = net.len(p) as u64;
            let place = b.place_named(format!("p{}", p.index()), Some(name.to_owned()), marking);
            let room = options.capacities.then(|| {
                b.place_named(
                    format!("p{}_room", p.index()),
                    Some(format!("{name} (room)")),
                    capacity.saturating_sub(marking),
                )
            });
            (place, room)
        })
        .collect();
    for t in net.transitions() {
        add_transition(&mut b, net, t, &places, options)?;
    }
    Ok(b.build()?)
}

/// One mycel transition as its P/T variants.
fn add_transition<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    b: &mut PtNetBuilder,
    net: &Net<C, P, T, A, K, R, Store>,
    t: TransitionId,
    places: &[(PlaceIndex, Option<PlaceIndex>)],
    options: &ExportOptions,
) -> Result<(), FromEngineError> {
    let name = net.transition_name(t).unwrap_or("");
    let spec = net.transition_spec(t);
    let (source, sink) = spec.map_or((false, false), |s| (s.source, s.sink));
    let arcs = net.arcs(t);
    let place_name = |p: usize| {
        net.places()
            .nth(p)
            .and_then(|id| net.place(id))
            .map_or("", |s| s.name)
    };
    let consumed: u64 = arcs
        .iter()
        .filter(|a| a.kind == ArcKind::Input)
        .map(|a| u64::from(a.weight))
        .sum();
    let outputs: Vec<(usize, u64)> = arcs
        .iter()
        .filter(|a| a.kind == ArcKind::Output)
        .map(|a| (a.place.index(), u64::from(a.weight)))
        .collect();
    let ceiling: u64 = outputs.iter().map(|(_, w)| w).sum();
    let totals = match (source, sink) {
        (true, true) => 0..=ceiling,
        (true, false) => consumed..=ceiling,
        (false, true) => 0..=consumed.min(ceiling),
        (false, false) => consumed..=consumed,
    };
    let mut variants = Vec::new();
    for total in totals {
        distribute(
            &outputs,
            total,
            &mut Vec::new(),
            &mut variants,
            options.max_variants,
        );
        if variants.len() > options.max_variants {
            return Err(FromEngineError::TooManyVariants {
                transition: name.to_owned(),
                limit: options.max_variants,
            });
        }
    }
    let error_room = spec
        .and_then(|s| s.error_place)
        .and_then(|e| places.get(e.index()))
        .and_then(|(_, room)| *room);
    let single = variants.len() == 1;
    for (v, produced) in variants.iter().enumerate() {
        let label = if single {
            name.to_owned()
        } else {
            let to: Vec<String> = produced
                .iter()
                .filter(|(_, k)| *k > 0)
                .map(|(p, k)| match k {
                    1 => place_name(*p).to_owned(),
                    k => format!("{} x{k}", place_name(*p)),
                })
                .collect();
            if to.is_empty() {
                format!("{name} -> (none)")
            } else {
                format!("{name} -> {}", to.join(", "))
            }
        };
        let pt = b.transition_named(format!("t{}_{v}", t.index()), Some(label));
        // Tokens taken from and given to each P/T place (rooms included), merged so
        // that each pair of ends has one arc per direction.
        let mut flow = Flow::default();
        for a in arcs {
            let Some(&(place, _)) = places.get(a.place.index()) else {
                continue;
            };
            let w = u64::from(a.weight);
            match a.kind {
                ArcKind::Input => flow.take(place, w),
                ArcKind::Read => {
                    flow.take(place, w);
                    flow.give(place, w);
                }
                ArcKind::Output | ArcKind::Inhibitor => {}
            }
        }
        for &(p, k) in produced {
            if let Some(&(place, _)) = places.get(p) {
                flow.give(place, k);
            }
        }
        // Each room: the engine wants room for every output arc's full weight after
        // the transition's own consumption, whatever the variant produces; the room
        // then moves by the place's net change.
        for (p, &(_, room)) in places.iter().enumerate() {
            let Some(room) = room else {
                continue;
            };
            let weight_of = |kind: ArcKind| -> u64 {
                arcs.iter()
                    .filter(|a| a.kind == kind && a.place.index() == p)
                    .map(|a| u64::from(a.weight))
                    .sum()
            };
            let consumed_here = weight_of(ArcKind::Input);
            let most = weight_of(ArcKind::Output);
            let made = produced
                .iter()
                .filter(|(q, _)| *q == p)
                .map(|(_, k)| *k)
                .sum::<u64>();
            let test = most.saturating_sub(consumed_here);
            flow.take(room, test);
            // Never negative: `made` is at most `most`.
            flow.give(room, (test + consumed_here).saturating_sub(made));
        }
        if let (Some(room), true) = (error_room, consumed > 0) {
            flow.take(room, consumed);
            flow.give(room, consumed);
        }
        flow.write(b, pt);
        for a in arcs.iter().filter(|a| a.kind == ArcKind::Inhibitor) {
            if let Some(&(place, _)) = places.get(a.place.index()) {
                b.inhibitor(pt, place, u64::from(a.weight));
            }
        }
    }
    Ok(())
}

/// Every way to place `total` tokens in `outputs` (place, weight), each within its
/// weight, appended to `into` as (place, count) lists; stops past `limit`.
fn distribute(
    outputs: &[(usize, u64)],
    total: u64,
    prefix: &mut Vec<(usize, u64)>,
    into: &mut Vec<Vec<(usize, u64)>>,
    limit: usize,
) {
    if into.len() > limit {
        return;
    }
    let Some((&(place, weight), rest)) = outputs.split_first() else {
        if total == 0 {
            into.push(prefix.clone());
        }
        return;
    };
    let room_after: u64 = rest.iter().map(|(_, w)| w).sum();
    let low = total.saturating_sub(room_after);
    let high = weight.min(total);
    // The first output first, filled the most: `route -> forwarded` before `-> rejected`.
    for k in (low..=high).rev() {
        prefix.push((place, k));
        distribute(rest, total - k, prefix, into, limit);
        prefix.pop();
    }
}

/// What one P/T transition takes from and gives to each place.
#[derive(Default)]
struct Flow {
    /// (place, taken, given), one entry per place.
    ends: Vec<(PlaceIndex, u64, u64)>,
}

impl Flow {
    fn entry(&mut self, place: PlaceIndex) -> &mut (PlaceIndex, u64, u64) {
        let i = match self.ends.iter().position(|(p, _, _)| *p == place) {
            Some(i) => i,
            None => {
                self.ends.push((place, 0, 0));
                self.ends.len() - 1
            }
        };
        &mut self.ends[i]
    }

    fn take(&mut self, place: PlaceIndex, w: u64) {
        if w == 0 {
            return;
        }
        let e = self.entry(place);
        e.1 = e.1.saturating_add(w);
    }

    fn give(&mut self, place: PlaceIndex, w: u64) {
        if w == 0 {
            return;
        }
        let e = self.entry(place);
        e.2 = e.2.saturating_add(w);
    }

    /// The arcs of `transition`: each place's taken and given tokens (a test keeps
    /// both).
    fn write(&self, b: &mut PtNetBuilder, transition: TransitionIndex) {
        for &(place, taken, given) in &self.ends {
            if taken > 0 {
                b.input(transition, place, taken);
            }
            if given > 0 {
                b.output(transition, place, given);
            }
        }
    }
}

//! Proptest strategies that generate nets.

use proptest::prelude::*;

use crate::pt_net::{Direction, PlaceIndex, PtNet, PtNetBuilder, TransitionIndex};

/// Text a PNML name may hold and read back unchanged: printable, no control characters.
fn name() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[a-zA-Z0-9 _<>&'\"é-]{0,12}")
}

/// Valid [`PtNet`]s with up to `max_places` places and `max_transitions` transitions,
/// markings up to `max_marking`, and arcs of weight 1 to `max_weight` (at most one per
/// place, transition and direction). Ids are distinct and names may hold characters
/// that XML must escape.
///
/// ```
/// use mycel_check::strategies::pt_net;
/// use proptest::prelude::*;
///
/// proptest!(|(net in pt_net(4, 3, 5, 3))| {
///     prop_assert!(net.places().len() <= 4);
///     prop_assert!(net.arcs().iter().all(|a| (1..=3).contains(&a.weight)));
/// });
/// ```
pub fn pt_net(
    max_places: usize,
    max_transitions: usize,
    max_marking: u64,
    max_weight: u64,
) -> impl Strategy<Value = PtNet> {
    let places = prop::collection::vec((name(), 0..=max_marking), 1..=max_places.max(1));
    let transitions = prop::collection::vec(name(), 1..=max_transitions.max(1));
    (places, transitions, name())
        .prop_flat_map(move |(places, transitions, net_name)| {
            let (np, nt) = (places.len(), transitions.len());
            // 0 consumes, 1 produces, 2 inhibits (rarer: an inhibitor arc often
            // disables its transition for good).
            let kind = prop_oneof![3 => Just(0u8), 3 => Just(1u8), 1 => Just(2u8)];
            let arcs = prop::collection::btree_map(
                (0..np, 0..nt, kind),
                1..=max_weight.max(1),
                0..=np.saturating_mul(nt).saturating_mul(2),
            );
            (Just(places), Just(transitions), Just(net_name), arcs)
        })
        .prop_filter_map("a valid net", |(places, transitions, net_name, arcs)| {
            let mut b = PtNetBuilder::new("net");
            if let Some(n) = net_name {
                b.name(n);
            }
            for (i, (name, marking)) in places.into_iter().enumerate() {
                b.place_named(format!("p{i}"), name, marking);
            }
            for (i, name) in transitions.into_iter().enumerate() {
                b.transition_named(format!("t{i}"), name);
            }
            for ((p, t, kind), weight) in arcs {
                let direction = match kind {
                    0 => Direction::PlaceToTransition,
                    1 => Direction::TransitionToPlace,
                    _ => Direction::Inhibitor,
                };
                let id = format!("a{p}_{t}_{kind}");
                b.arc(id, TransitionIndex(t), PlaceIndex(p), direction, weight);
            }
            // Distinct generated ids, in-range ends, positive weights and one arc per
            // key make every generated declaration valid, so nothing is filtered out.
            b.build().ok()
        })
}

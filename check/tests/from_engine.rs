//! Running mycel nets written as P/T nets: the choices a behaviour has become P/T
//! transitions, capacities become complement places, and the result goes through PNML
//! and the structural checks.

use mycel::net::{NetBuilder, TransitionSpec};
use mycel::time::Instant;
use mycel_check::from_engine::{ExportOptions, FromEngineError, pt_net_of};
use mycel_check::invariants::{Limits, StructuralReport};
use mycel_check::pnml;
use mycel_check::pt_net::Direction;

mycel::net! {
    /// Requests are admitted or rejected, and admitted ones complete.
    net Pipeline: u32 {
        places { requests: 4, forwarded: 2, rejected: 4, done: 4 }
        transitions {
            route: requests -> forwarded + rejected,
            finish: forwarded -> done,
        }
    }
}

fn names(net: &mycel_check::PtNet) -> Vec<String> {
    net.transitions()
        .iter()
        .map(|t| t.name.clone().unwrap_or_default())
        .collect()
}

#[test]
fn a_routing_transition_becomes_one_pt_transition_per_place_it_may_route_to() {
    let mut net = Pipeline::new();
    let places = net.places();
    net.inject(places.requests, 1, Instant::from_ticks(0))
        .unwrap();
    net.inject(places.requests, 2, Instant::from_ticks(0))
        .unwrap();
    let pt = pt_net_of(net.as_net(), "pipeline", &ExportOptions::default()).unwrap();
    assert_eq!(
        names(&pt),
        ["route -> forwarded", "route -> rejected", "finish"]
    );
    // Four places and their rooms; the marking is the net's current one.
    assert_eq!(pt.places().len(), 8);
    assert_eq!(pt.initial_marking(), [2, 2, 0, 2, 0, 4, 0, 4]);
}

#[test]
fn every_place_and_its_room_hold_exactly_its_capacity_as_a_p_invariant() {
    let net = Pipeline::new();
    let pt = pt_net_of(net.as_net(), "pipeline", &ExportOptions::default()).unwrap();
    let report = StructuralReport::of(&pt, &Limits::default()).unwrap();
    assert!(report.is_conservative(), "every place is covered");
    for (i, capacity) in [4u128, 2, 4, 4].into_iter().enumerate() {
        let (place, room) = (2 * i, 2 * i + 1);
        let found = report
            .p_invariants
            .iter()
            .zip(&report.conserved_sums)
            .any(|(inv, sum)| inv.coefficients() == [(place, 1), (room, 1)] && *sum == capacity);
        assert!(found, "place {i} + its room = {capacity}");
    }
}

#[test]
fn a_room_is_tested_for_room_after_the_transitions_own_consumption() {
    // `refill` takes one token from `tank` and may put two back: like the engine, it
    // needs room for one more token, not two, whatever it then puts back.
    let mut b = NetBuilder::<u32, 1, 1, 2, 8>::new();
    let tank = b.place("tank", 3);
    let refill = b.transition_with(
        "refill",
        TransitionSpec {
            source: true,
            ..TransitionSpec::new()
        },
    );
    b.input(refill, tank, 1).output(refill, tank, 2);
    let net = b.build().unwrap();
    let pt = pt_net_of(&net, "tank", &ExportOptions::default()).unwrap();
    assert_eq!(names(&pt), ["refill -> tank", "refill -> tank x2"]);
    let room_arcs = |t: usize| -> Vec<_> {
        pt.arcs()
            .iter()
            .filter(|a| a.place.0 == 1 && a.transition.0 == t)
            .map(|a| (a.direction, a.weight))
            .collect()
    };
    // Putting one back returns the room it tested; putting two back fills it.
    assert_eq!(
        room_arcs(0),
        [
            (Direction::PlaceToTransition, 1),
            (Direction::TransitionToPlace, 1)
        ]
    );
    assert_eq!(room_arcs(1), [(Direction::PlaceToTransition, 1)]);
}

#[test]
fn a_source_that_cannot_give_back_what_it_takes_has_no_pt_transition() {
    // A source may make tokens but, not being a sink, never lose one: taking two and
    // having room to put back one, every firing of `squeeze` fails.
    let mut b = NetBuilder::<u32, 2, 1, 2, 8>::new();
    let wide = b.place("wide", 2);
    let narrow = b.place("narrow", 1);
    let squeeze = b.transition_with(
        "squeeze",
        TransitionSpec {
            source: true,
            ..TransitionSpec::new()
        },
    );
    b.input(squeeze, wide, 2).output(squeeze, narrow, 1);
    let net = b.build().unwrap();
    let pt = pt_net_of(&net, "squeeze", &ExportOptions::default()).unwrap();
    assert!(pt.transitions().is_empty(), "{:?}", names(&pt));
}

#[test]
fn an_inhibitor_arc_stays_an_inhibitor_arc_and_survives_pnml() {
    let mut b = NetBuilder::<u32, 2, 1, 3, 8>::new();
    let queue = b.place("queue", 2);
    let busy = b.place("busy", 1);
    let start = b.transition("start");
    b.input(start, queue, 1)
        .output(start, busy, 1)
        .inhibitor(start, busy, 1);
    let net = b.build().unwrap();
    let options = ExportOptions {
        capacities: false,
        ..ExportOptions::default()
    };
    let pt = pt_net_of(&net, "n", &options).unwrap();
    let inhibitors: Vec<_> = pt
        .arcs()
        .iter()
        .filter(|a| a.direction == Direction::Inhibitor)
        .map(|a| (pt.places()[a.place.0].name.as_deref(), a.weight))
        .collect();
    assert_eq!(inhibitors, [(Some("busy"), 1)]);
    let xml = pnml::to_string(&pt);
    assert!(xml.contains(r#"<type value="inhibitor"/>"#), "{xml}");
    let back = pnml::import_str(&xml, &pnml::Limits::default()).unwrap();
    assert_eq!(back, pt);
}

#[test]
fn a_transition_with_too_many_ways_to_place_its_tokens_is_refused_naming_the_limit() {
    let net = Pipeline::new();
    let options = ExportOptions {
        max_variants: 1,
        ..ExportOptions::default()
    };
    let err = pt_net_of(net.as_net(), "pipeline", &options).unwrap_err();
    assert!(
        matches!(err, FromEngineError::TooManyVariants { ref transition, limit: 1 } if transition == "route")
    );
}

#[test]
fn an_exported_net_reads_back_from_pnml_identical() {
    let net = Pipeline::new();
    let pt = pt_net_of(net.as_net(), "pipeline", &ExportOptions::default()).unwrap();
    let xml = pnml::to_string(&pt);
    let back = pnml::import_str(&xml, &pnml::Limits::default()).unwrap();
    assert_eq!(back, pt);
}

mod agreement {
    //! The P/T net enables a transition exactly when the engine does.

    use mycel::time::Instant;
    use mycel_check::from_engine::{ExportOptions, pt_net_of};
    use mycel_check::model_based::net::engine::to_engine;
    use mycel_check::model_based::net::strategy::net_draft;
    use mycel_check::pt_net::Direction;
    use proptest::collection::vec;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(mycel_check::proptest_config::config(
            256,
            "tests/proptest-regressions/from_engine.txt",
        ))]

        #[test]
        fn a_transition_is_enabled_in_the_engine_iff_one_of_its_pt_variants_is(
            draft in net_draft(),
            fill in vec((any::<u8>(), 0u8..4), 0..24),
        ) {
            let spec = draft.repair();
            let Ok(mut net) = to_engine(&spec) else { return Ok(()) };
            let places: Vec<_> = net.places().collect();
            for (place, count) in fill {
                let p = places[usize::from(place) % places.len()];
                for token in 0..count {
                    let _ = net.inject(p, u32::from(token), Instant::from_ticks(0));
                }
            }
            let pt = match pt_net_of(&net, "n", &ExportOptions::default()) {
                Ok(pt) => pt,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            let marking = pt.initial_marking();
            for t in net.transitions() {
                let guarded = net.transition_spec(t).is_some_and(|s| s.guard.is_some());
                if guarded {
                    continue;
                }
                let prefix = format!("t{}_", t.index());
                let variants: Vec<usize> = pt
                    .transitions()
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.id.starts_with(&prefix))
                    .map(|(i, _)| i)
                    .collect();
                if variants.is_empty() {
                    // No way to place its tokens: every firing of it fails and rolls
                    // back, so the P/T net has no transition for it.
                    continue;
                }
                let pt_enabled = variants.iter().any(|&v| {
                    pt.arcs().iter().filter(|a| a.transition.0 == v).all(|a| match a.direction {
                        Direction::PlaceToTransition => marking[a.place.0] >= a.weight,
                        Direction::Inhibitor => marking[a.place.0] < a.weight,
                        Direction::TransitionToPlace => true,
                    })
                });
                prop_assert_eq!(
                    net.is_enabled(t),
                    pt_enabled,
                    "transition {:?} at marking {:?}", net.transition_name(t), marking
                );
            }
        }
    }
}

//! A PtNet turned into the engine's runtime builder.

use mycel::net::BuildError;
use mycel::time::Instant;
use mycel_check::PtNet;
use mycel_check::pnml::{self, Limits};
use mycel_check::to_engine::{EngineError, pool_needed, to_engine};

#[path = "support/mcc.rs"]
mod mcc;

/// A Model Checking Contest net, or returns from the test after saying why.
macro_rules! mcc {
    ($file:expr) => {{
        let xml = std::fs::read_to_string(mcc::mcc_path_or_skip!($file)).unwrap();
        leak(pnml::import_str(&xml, &Limits::default()).unwrap())
    }};
}

fn leak(net: PtNet) -> &'static PtNet {
    Box::leak(Box::new(net))
}

#[test]
fn philosophers_build_and_start_with_their_initial_marking() {
    let net = mcc!("Philosophers-PT-000005.pnml");
    // 25 places of bound 1, and a largest firing that produces 3 tokens.
    assert_eq!(pool_needed(net, 1), 28);
    let engine = to_engine::<u8, 25, 25, 80, 28>(net, 1).unwrap();
    let mut running = engine.builder.build().unwrap();
    for &(place, tokens) in &engine.initial_marking {
        for _ in 0..tokens {
            running.inject(place, 0, Instant::from_ticks(0)).unwrap();
        }
    }
    let total: usize = running.marking().map(|(_, n)| n).sum();
    assert_eq!(total, 10);
    assert_eq!(engine.places.len(), 25);
    assert_eq!(engine.transitions.len(), 25);
}

#[test]
fn places_over_the_bound_are_all_reported() {
    let net = mcc!("SwimmingPool-PT-01.pnml");
    let err = to_engine::<u8, 9, 7, 20, 200>(net, 12).unwrap_err();
    let EngineError::MarkingAboveBound { places, bound } = &err else {
        panic!("{err}");
    };
    let mut expected: Vec<String> = net
        .places()
        .iter()
        .filter(|p| p.initial_marking > 12)
        .map(|p| p.id.clone())
        .collect();
    expected.sort();
    let mut places = places.clone();
    places.sort();
    assert_eq!(places, expected);
    assert_eq!(places.len(), 2);
    assert_eq!(*bound, 12);
    assert!(err.to_string().contains("12"));
}

#[test]
fn capacities_too_small_are_named() {
    let net = mcc!("SwimmingPool-PT-01.pnml");
    assert_eq!(
        to_engine::<u8, 8, 7, 20, 200>(net, 20).unwrap_err(),
        EngineError::TooSmall {
            kind: "place",
            needed: 9,
            capacity: 8
        }
    );
    assert_eq!(
        to_engine::<u8, 9, 7, 19, 200>(net, 20).unwrap_err(),
        EngineError::TooSmall {
            kind: "arc",
            needed: 20,
            capacity: 19
        }
    );
}

#[test]
fn engine_refusals_name_the_transition() {
    let mut b = PtNet::builder("greedy");
    let p = b.place("p", 0);
    let t = b.transition("eat");
    b.input(t, p, 33);
    let net = leak(b.build().unwrap());
    let err = to_engine::<u8, 1, 1, 1, 40>(net, 40).unwrap_err();
    assert!(matches!(
        &err,
        EngineError::Engine { error: BuildError::TooManyInputs { .. }, element: Some(e) } if e == "eat"
    ));
    assert!(err.to_string().contains("\"eat\""));
}

#[test]
fn a_pool_below_the_need_is_refused_and_the_need_is_enough() {
    let net = mcc!("SwimmingPool-PT-01.pnml");
    let need = pool_needed(net, 20);
    assert_eq!(need, 9 * 20 + 2);
    assert!(matches!(
        to_engine::<u8, 9, 7, 20, 181>(net, 20).unwrap_err(),
        EngineError::Engine {
            error: BuildError::PoolTooSmall { needed: 182 },
            ..
        }
    ));
    assert!(to_engine::<u8, 9, 7, 20, 182>(net, 20).is_ok());
}

#[test]
fn zero_bound_and_heavy_arcs_are_refused() {
    let mut b = PtNet::builder("n");
    let p = b.place("p", 0);
    let t = b.transition("t");
    b.input(t, p, 3);
    let net = leak(b.build().unwrap());
    assert_eq!(
        to_engine::<u8, 1, 1, 1, 8>(net, 0).unwrap_err(),
        EngineError::ZeroBound
    );
    assert_eq!(
        to_engine::<u8, 1, 1, 1, 8>(net, 2).unwrap_err(),
        EngineError::WeightAboveBound {
            arc: "arc0".into(),
            weight: 3,
            bound: 2
        }
    );
}

#[test]
fn producing_and_consuming_transitions_become_sources_and_sinks() {
    let mut b = PtNet::builder("n");
    let p = b.place("p", 0);
    let make = b.transition("make");
    let eat = b.transition("eat");
    b.output(make, p, 1).input(eat, p, 1);
    let net = leak(b.build().unwrap());
    // Without source and sink the engine would refuse both transitions.
    assert!(to_engine::<u8, 1, 2, 2, 4>(net, 2).is_ok());
}

proptest::proptest! {
    #[test]
    fn any_small_net_within_the_bound_becomes_an_engine_net(
        net in mycel_check::strategies::pt_net(6, 6, 3, 3),
    ) {
        let net = leak(net);
        proptest::prop_assert!(pool_needed(net, 3) <= 64);
        let engine = to_engine::<u8, 6, 6, 72, 64>(net, 3);
        proptest::prop_assert!(engine.is_ok(), "{:?}", engine.err());
        let engine = engine.unwrap();
        proptest::prop_assert_eq!(engine.places.len(), net.places().len());
        let tokens: u64 = engine.initial_marking.iter().map(|&(_, n)| u64::from(n)).sum();
        proptest::prop_assert_eq!(tokens, net.initial_marking().iter().sum::<u64>());
    }
}

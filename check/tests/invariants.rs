//! Structural analysis on hand nets with known invariants, on MCC nets, and on random
//! nets.

use mycel_check::PtNet;
use mycel_check::invariants::{
    Invariant, InvariantError, Limits, StructuralReport, p_invariants, t_invariants,
};
use mycel_check::pnml;
use mycel_check::strategies::pt_net;
use proptest::prelude::*;

#[path = "support/mcc.rs"]
mod mcc;

/// A Model Checking Contest net, or returns from the test after saying why.
macro_rules! load {
    ($file:expr) => {{
        let xml = std::fs::read_to_string(mcc::mcc_path_or_skip!($file)).unwrap();
        pnml::import_str(&xml, &pnml::Limits::default()).unwrap()
    }};
}

fn report(net: &PtNet) -> StructuralReport {
    StructuralReport::of(net, &Limits::default()).unwrap()
}

/// Each invariant as `(id, coefficient)` pairs, ids taken from `ids`.
fn named(invariants: &[Invariant], ids: &[&str]) -> Vec<Vec<(String, u64)>> {
    let mut out: Vec<Vec<(String, u64)>> = invariants
        .iter()
        .map(|inv| {
            let mut v: Vec<(String, u64)> = inv
                .coefficients()
                .iter()
                .map(|&(i, c)| (ids[i].to_owned(), c))
                .collect();
            v.sort();
            v
        })
        .collect();
    out.sort();
    out
}

fn inv(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = pairs.iter().map(|&(s, c)| (s.to_owned(), c)).collect();
    v.sort();
    v
}

fn place_ids(net: &PtNet) -> Vec<&str> {
    net.places().iter().map(|p| p.id.as_str()).collect()
}

fn transition_ids(net: &PtNet) -> Vec<&str> {
    net.transitions().iter().map(|t| t.id.as_str()).collect()
}

fn ping_pong() -> PtNet {
    let mut b = PtNet::builder("pingpong");
    let ping = b.place("ping", 1);
    let pong = b.place("pong", 0);
    let (serve, ret) = (b.transition("serve"), b.transition("return"));
    b.input(serve, ping, 1).output(serve, pong, 1);
    b.input(ret, pong, 1).output(ret, ping, 1);
    b.build().unwrap()
}

fn mutex() -> PtNet {
    let mut b = PtNet::builder("mutex");
    let lock = b.place("lock", 1);
    for i in 0..2 {
        let idle = b.place(format!("idle{i}"), 1);
        let busy = b.place(format!("busy{i}"), 0);
        let enter = b.transition(format!("enter{i}"));
        let leave = b.transition(format!("leave{i}"));
        b.input(enter, idle, 1)
            .input(enter, lock, 1)
            .output(enter, busy, 1);
        b.input(leave, busy, 1)
            .output(leave, idle, 1)
            .output(leave, lock, 1);
    }
    b.build().unwrap()
}

/// A producer fills an unbounded buffer that a consumer empties.
fn producer_consumer() -> PtNet {
    let mut b = PtNet::builder("prodcons");
    let ready = b.place("ready", 1);
    let made = b.place("made", 0);
    let buffer = b.place("buffer", 0);
    let waiting = b.place("waiting", 2);
    let using = b.place("using", 0);
    let produce = b.transition("produce");
    let deliver = b.transition("deliver");
    let take = b.transition("take");
    let consume = b.transition("consume");
    b.input(produce, ready, 1).output(produce, made, 1);
    b.input(deliver, made, 1)
        .output(deliver, ready, 1)
        .output(deliver, buffer, 1);
    b.input(take, waiting, 1)
        .input(take, buffer, 1)
        .output(take, using, 1);
    b.input(consume, using, 1).output(consume, waiting, 1);
    b.build().unwrap()
}

#[test]
fn ping_pong_conserves_its_one_ball() {
    let net = ping_pong();
    let r = report(&net);
    assert_eq!(
        named(&r.p_invariants, &place_ids(&net)),
        vec![inv(&[("ping", 1), ("pong", 1)])]
    );
    assert_eq!(
        named(&r.t_invariants, &transition_ids(&net)),
        vec![inv(&[("serve", 1), ("return", 1)])]
    );
    assert_eq!(r.conserved_sums, vec![1]);
    assert!(r.is_conservative());
}

#[test]
fn mutual_exclusion_has_the_lock_invariant() {
    let net = mutex();
    let r = report(&net);
    assert_eq!(
        named(&r.p_invariants, &place_ids(&net)),
        vec![
            inv(&[("busy0", 1), ("busy1", 1), ("lock", 1)]),
            inv(&[("busy0", 1), ("idle0", 1)]),
            inv(&[("busy1", 1), ("idle1", 1)]),
        ]
    );
    assert_eq!(
        named(&r.t_invariants, &transition_ids(&net)),
        vec![
            inv(&[("enter0", 1), ("leave0", 1)]),
            inv(&[("enter1", 1), ("leave1", 1)]),
        ]
    );
    assert_eq!(r.conserved_sums, vec![1, 1, 1]);
    for place in 0..net.places().len() {
        assert_eq!(
            r.structural_bound(place),
            Some(1),
            "{}",
            net.places()[place].id
        );
    }
}

#[test]
fn producer_consumer_leaves_the_buffer_unbounded() {
    let net = producer_consumer();
    let r = report(&net);
    let ids = place_ids(&net);
    assert_eq!(
        named(&r.p_invariants, &ids),
        vec![
            inv(&[("made", 1), ("ready", 1)]),
            inv(&[("using", 1), ("waiting", 1)]),
        ]
    );
    assert_eq!(
        named(&r.t_invariants, &transition_ids(&net)),
        vec![inv(&[
            ("consume", 1),
            ("deliver", 1),
            ("produce", 1),
            ("take", 1)
        ])]
    );
    let buffer = net.place_index("buffer").unwrap().0;
    assert!(!r.covered[buffer]);
    assert!(!r.is_conservative());
    assert_eq!(r.structural_bound(buffer), None);
    let waiting = net.place_index("waiting").unwrap().0;
    assert_eq!(r.structural_bound(waiting), Some(2));
}

#[test]
fn weights_give_weighted_invariants() {
    let mut b = PtNet::builder("shuttle");
    let p = b.place("p", 4);
    let q = b.place("q", 1);
    let (go, back) = (b.transition("go"), b.transition("back"));
    b.input(go, p, 2).output(go, q, 1);
    b.input(back, q, 1).output(back, p, 2);
    let net = b.build().unwrap();
    let r = report(&net);
    assert_eq!(r.p_invariants.len(), 1);
    assert_eq!(r.p_invariants[0].coefficients(), &[(0, 1), (1, 2)]);
    assert_eq!(r.conserved_sums, vec![6]);
    assert_eq!(r.structural_bound(0), Some(6));
    assert_eq!(r.structural_bound(1), Some(3));
}

#[test]
fn a_coefficient_that_would_overflow_is_a_typed_error() {
    // Chained weights multiply: p0 -(2^40)-> t0 -(1)-> p1 -(2^40)-> t1 -(1)-> p2 ...
    // The P-invariant needs coefficients 2^40, 2^80, ...: beyond 64 bits.
    let mut b = PtNet::builder("blowup");
    let places: Vec<_> = (0..4).map(|i| b.place(format!("p{i}"), 0)).collect();
    for i in 0..3 {
        let t = b.transition(format!("t{i}"));
        b.input(t, places[i + 1], 1 << 40).output(t, places[i], 1);
    }
    let err = p_invariants(&b.build().unwrap(), &Limits::default()).unwrap_err();
    assert!(matches!(err, InvariantError::Overflow { .. }), "{err}");
    assert!(err.to_string().contains("overflows"));
}

#[test]
fn too_many_intermediate_rows_is_a_typed_error_with_the_limit() {
    let net = load!("TokenRing-PT-005.pnml");
    let limits = Limits { max_rows: 10 };
    let err = p_invariants(&net, &limits).unwrap_err();
    assert!(
        matches!(err, InvariantError::TooManyRows { limit: 10, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("10"));
}

/// `y·C` for a place weighting `y`, or `C·x` for a firing count `x`, as a map from the
/// other side's index to the total: every entry must be 0 for an invariant.
fn effect(net: &PtNet, inv: &Invariant, over_places: bool) -> Vec<i128> {
    effect_of(net, |i| inv.coefficient(i), over_places)
}

fn effect_of(net: &PtNet, coefficient: impl Fn(usize) -> u64, over_places: bool) -> Vec<i128> {
    let width = if over_places {
        net.transitions().len()
    } else {
        net.places().len()
    };
    let mut total = vec![0i128; width];
    for (p, t, c) in net.incidence() {
        let (weighted, out) = if over_places { (p.0, t.0) } else { (t.0, p.0) };
        total[out] += i128::from(coefficient(weighted)) * c;
    }
    total
}

fn assert_invariants_hold(net: &PtNet, r: &StructuralReport) {
    for y in &r.p_invariants {
        assert!(effect(net, y, true).iter().all(|&e| e == 0), "{y:?}");
    }
    for x in &r.t_invariants {
        assert!(effect(net, x, false).iter().all(|&e| e == 0), "{x:?}");
    }
}

/// The published maximum of tokens in one place, from the MCC's answers.
#[test]
fn mcc_nets_are_covered_and_their_bounds_hold_the_published_maxima() {
    for (file, published_max) in [
        ("TokenRing-PT-005.pnml", 1),
        ("Philosophers-PT-000005.pnml", 1),
        ("DrinkVendingMachine-PT-02.pnml", 1),
        ("SwimmingPool-PT-01.pnml", 20),
    ] {
        let net = load!(file);
        let r = report(&net);
        assert_invariants_hold(&net, &r);
        assert!(r.is_conservative(), "{file}: not every place is covered");
        let proven_max = (0..net.places().len())
            .map(|p| r.structural_bound(p).unwrap())
            .max()
            .unwrap();
        // A structural bound is an upper bound of what is reachable.
        assert!(proven_max >= published_max, "{file}: {proven_max}");
        assert!(!r.t_invariants.is_empty(), "{file}: no T-invariant");
    }
}

#[test]
fn philosophers_bounds_are_exact() {
    let net = load!("Philosophers-PT-000005.pnml");
    let r = report(&net);
    assert!((0..25).all(|p| r.structural_bound(p) == Some(1)));
}

fn supports(invariants: &[Invariant]) -> Vec<Vec<usize>> {
    invariants.iter().map(|i| i.support().collect()).collect()
}

proptest! {
    #[test]
    fn every_reported_p_invariant_satisfies_y_c_equals_zero(net in pt_net(6, 6, 3, 3)) {
        let y = p_invariants(&net, &Limits::default()).unwrap();
        for inv in &y {
            prop_assert!(!inv.coefficients().is_empty());
            prop_assert!(effect(&net, inv, true).iter().all(|&e| e == 0), "{:?}", inv);
        }
    }

    #[test]
    fn every_reported_t_invariant_satisfies_c_x_equals_zero(net in pt_net(6, 6, 3, 3)) {
        let x = t_invariants(&net, &Limits::default()).unwrap();
        for inv in &x {
            prop_assert!(!inv.coefficients().is_empty());
            prop_assert!(effect(&net, inv, false).iter().all(|&e| e == 0), "{:?}", inv);
        }
    }

    #[test]
    fn reported_supports_are_minimal_and_distinct(net in pt_net(6, 6, 3, 3)) {
        let r = report(&net);
        for s in [supports(&r.p_invariants), supports(&r.t_invariants)] {
            for (i, a) in s.iter().enumerate() {
                for (j, b) in s.iter().enumerate() {
                    if i != j {
                        prop_assert!(!a.iter().all(|e| b.contains(e)), "{:?} within {:?}", a, b);
                    }
                }
            }
        }
    }

    #[test]
    fn tokens_on_covered_places_never_exceed_the_structural_bound_after_firing(
        net in pt_net(5, 5, 3, 2),
        choices in prop::collection::vec(0usize..5, 0..30),
    ) {
        let r = report(&net);
        let mut marking = net.initial_marking();
        for choice in choices {
            let enabled: Vec<usize> = (0..net.transitions().len())
                .filter(|&t| net.arcs().iter().all(|a| {
                    a.transition.0 != t
                        || a.direction != mycel_check::pt_net::Direction::PlaceToTransition
                        || marking[a.place.0] >= a.weight
                }))
                .collect();
            let Some(&t) = enabled.get(choice % enabled.len().max(1)) else { break };
            for (p, tt, c) in net.incidence() {
                if tt.0 == t {
                    marking[p.0] = u64::try_from(i128::from(marking[p.0]) + c).unwrap();
                }
            }
            for (k, y) in r.p_invariants.iter().enumerate() {
                let sum: u128 = y.coefficients().iter().map(|&(i, c)| u128::from(c) * u128::from(marking[i])).sum();
                prop_assert_eq!(sum, r.conserved_sums[k]);
            }
            for (p, &m) in marking.iter().enumerate() {
                if let Some(bound) = r.structural_bound(p) {
                    prop_assert!(u128::from(m) <= bound);
                }
            }
        }
    }
}

/// Every non-zero `y ∈ {0..=2}^n` with `y·C = 0` (or `C·x = 0`), by brute force.
fn brute_force(net: &PtNet, over_places: bool) -> Vec<Vec<u64>> {
    let n = if over_places {
        net.places().len()
    } else {
        net.transitions().len()
    };
    let mut found = Vec::new();
    let total = 3usize.pow(n as u32);
    for code in 1..total {
        let mut v = vec![0u64; n];
        let mut c = code;
        for slot in v.iter_mut() {
            *slot = (c % 3) as u64;
            c /= 3;
        }
        if effect_of(net, |i| v[i], over_places)
            .iter()
            .all(|&e| e == 0)
        {
            found.push(v);
        }
    }
    found
}

proptest! {
    #[test]
    fn every_semi_positive_invariant_contains_a_reported_support(net in pt_net(5, 5, 2, 2)) {
        let r = report(&net);
        for (over_places, reported) in [(true, &r.p_invariants), (false, &r.t_invariants)] {
            for y in brute_force(&net, over_places) {
                let covered = reported.iter().any(|inv| inv.support().all(|i| y[i] > 0));
                prop_assert!(covered, "{:?} contains no reported support in {:?}", y, reported);
            }
        }
    }
}

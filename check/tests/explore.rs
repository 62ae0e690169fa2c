//! The explorer: exact state counts of classic and Model Checking Contest nets,
//! shortest traces, properties, the state limit, and agreement with a naive search on
//! random nets.

use std::collections::{HashMap, VecDeque};

use mycel_check::PtNet;
use mycel_check::classic::{kanban, mutual_exclusion, philosophers};
use mycel_check::explore::{Exploration, Options, Verdict, explore};
use mycel_check::pnml::{self, Limits, PnmlError};
use mycel_check::pt_net::Direction;
use mycel_check::strategies::pt_net;
use proptest::prelude::*;

#[path = "support/mcc.rs"]
mod mcc;

/// A Model Checking Contest net, or `None` after printing why the test skips.
fn mcc_net(file: &str) -> Option<PtNet> {
    let path = mcc::path(file)?;
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    Some(pnml::import_str(&xml, &Limits::default()).unwrap())
}

fn full(net: &PtNet) -> Exploration {
    let report = explore(net, Options::new()).unwrap();
    assert!(report.complete);
    report
}

/// Fires `t` in `marking` if it is enabled.
fn fire(net: &PtNet, marking: &[u64], t: usize) -> Option<Vec<u64>> {
    let mut next = marking.to_vec();
    for arc in net.arcs().iter().filter(|a| a.transition.0 == t) {
        if arc.direction == Direction::Inhibitor && marking[arc.place.0] >= arc.weight {
            return None;
        }
    }
    for arc in net.arcs().iter().filter(|a| a.transition.0 == t) {
        if arc.direction == Direction::PlaceToTransition {
            next[arc.place.0] = next[arc.place.0].checked_sub(arc.weight)?;
        }
    }
    for arc in net.arcs().iter().filter(|a| a.transition.0 == t) {
        if arc.direction == Direction::TransitionToPlace {
            next[arc.place.0] = next[arc.place.0].checked_add(arc.weight)?;
        }
    }
    Some(next)
}

/// Replays a trace's transitions from the initial marking; `None` if one is not enabled.
fn replay(net: &PtNet, transitions: &[usize]) -> Option<Vec<u64>> {
    transitions
        .iter()
        .try_fold(net.initial_marking(), |m, &t| fire(net, &m, t))
}

/// What a plain breadth-first search over `Vec<u64>` markings finds, up to `limit`.
struct Naive {
    distance: HashMap<Vec<u64>, usize>,
    edges: u64,
    deadlocks: Vec<Vec<u64>>,
    complete: bool,
}

fn naive(net: &PtNet, limit: usize) -> Naive {
    let start = net.initial_marking();
    let mut distance = HashMap::from([(start.clone(), 0)]);
    let mut queue = VecDeque::from([start]);
    let (mut edges, mut deadlocks) = (0, Vec::new());
    while let Some(m) = queue.pop_front() {
        let d = distance[&m];
        let mut any = false;
        for t in 0..net.transitions().len() {
            if let Some(next) = fire(net, &m, t) {
                any = true;
                edges += 1;
                if !distance.contains_key(&next) {
                    if distance.len() >= limit {
                        return Naive {
                            distance,
                            edges,
                            deadlocks,
                            complete: false,
                        };
                    }
                    distance.insert(next.clone(), d + 1);
                    queue.push_back(next);
                }
            }
        }
        if !any {
            deadlocks.push(m);
        }
    }
    Naive {
        distance,
        edges,
        deadlocks,
        complete: true,
    }
}

fn indices(trace: &mycel_check::explore::Trace) -> Vec<usize> {
    trace.transitions.iter().map(|t| t.0).collect()
}

#[test]
fn kanban_has_its_published_state_counts_for_n_1_to_4() {
    for (n, states) in [(1, 160), (2, 4_600), (3, 58_400), (4, 454_475)] {
        let report = full(&kanban(n));
        assert_eq!(report.states, states, "Kanban N={n}");
        assert_eq!(report.deadlock_count, 0);
        assert!(report.dead_transitions.is_empty());
        assert_eq!(report.place_bounds, vec![n; 16]);
        assert_eq!(report.words_per_state, 1);
    }
}

#[test]
fn mutual_exclusion_reaches_every_waiting_subset_with_at_most_one_process_inside() {
    for n in 1..=8usize {
        let net = mutual_exclusion(n);
        let critical: Vec<usize> = (0..n).map(|i| 3 + 3 * i).collect();
        let options = Options::new().always("at most one process inside", |m: &[u64]| {
            critical.iter().map(|&p| m[p]).sum::<u64>() <= 1
        });
        let report = explore(&net, options).unwrap();
        let expected = (1u64 << n) + n as u64 * (1u64 << (n - 1));
        assert_eq!(report.states, expected, "n = {n}");
        assert_eq!(report.deadlock_count, 0);
        assert_eq!(report.properties[0].verdict, Verdict::Holds);
    }
}

#[test]
#[ignore = "about 10 s unoptimized; run with `cargo test --release -p mycel-check -- --ignored` (the bench checks it too)"]
fn kanban_5_has_2_546_432_states() {
    let report = full(&kanban(5));
    assert_eq!(report.states, 2_546_432);
    assert_eq!(report.edges, 24_460_016);
}

#[test]
fn kanban_stays_within_64_bytes_per_state() {
    let report = full(&kanban(3));
    assert!(
        report.bytes_per_state() <= 64.0,
        "{}",
        report.bytes_per_state()
    );
}

#[test]
fn mcc_nets_have_their_published_state_counts_deadlocks_and_bounds() {
    for (file, states, deadlocks, bound) in [
        ("TokenRing-PT-005.pnml", 166, 0, 1),
        ("Philosophers-PT-000005.pnml", 243, 2, 1),
        ("DrinkVendingMachine-PT-02.pnml", 1_024, 0, 1),
        ("SwimmingPool-PT-01.pnml", 89_621, 0, 20),
    ] {
        let Some(net) = mcc_net(file) else { return };
        let report = full(&net);
        assert_eq!(report.states, states, "{file}");
        assert_eq!(report.deadlock_count, deadlocks, "{file}");
        assert_eq!(report.place_bounds.iter().max(), Some(&bound), "{file}");
    }
}

#[test]
fn mcc_philosophers_deadlocks_come_with_shortest_traces_that_replay() {
    let Some(net) = mcc_net("Philosophers-PT-000005.pnml") else {
        return;
    };
    let report = full(&net);
    let reference = naive(&net, usize::MAX);
    assert_eq!(report.deadlocks.len(), 2);
    for trace in &report.deadlocks {
        let end = replay(&net, &indices(trace)).expect("the trace fires");
        assert_eq!(end, trace.marking);
        assert!(reference.deadlocks.contains(&end));
        assert_eq!(trace.transitions.len(), reference.distance[&end]);
    }
}

#[test]
fn a_coloured_mcc_net_is_refused_naming_its_type() {
    let Some(path) = mcc::path("TokenRing-COL-005.pnml") else {
        return;
    };
    let xml = std::fs::read_to_string(path).unwrap();
    let err = pnml::import_str(&xml, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, PnmlError::UnsupportedNetType { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("symmetricnet"), "{err}");
}

#[test]
fn philosophers_deadlock_when_all_hold_their_left_fork_after_n_firings() {
    for n in 2..=6 {
        let net = philosophers(n);
        let report = full(&net);
        let reference = naive(&net, usize::MAX);
        assert_eq!(report.states as usize, reference.distance.len());
        assert_eq!(report.deadlock_count, 1);
        let trace = &report.deadlocks[0];
        assert_eq!(trace.transitions.len(), n);
        assert!(trace.ids(&net).iter().all(|id| id.starts_with("takeLeft")));
    }
}

#[test]
fn a_violated_safety_property_reports_a_shortest_trace_to_it() {
    let net = kanban(2);
    let pout4 = net.place_index("Pout4").unwrap().0;
    let pm1 = net.place_index("Pm1").unwrap().0;
    let options = Options::new()
        .always("cell 4 never finishes a part", |m| m[pout4] == 0)
        .always("at most N parts in cell 1", |m| m[pm1] <= 2)
        .reachable("two parts redone in cell 1", move |m| m[pm1 + 1] == 2)
        .reachable("three parts in cell 1", move |m| m[pm1] == 3);
    let report = explore(&net, options).unwrap();
    let reference = naive(&net, usize::MAX);
    let Verdict::Violated(trace) = &report.properties[0].verdict else {
        panic!("{:?}", report.properties[0])
    };
    assert_eq!(
        trace.ids(&net),
        [
            "tin1",
            "tok1",
            "tsynch1_23",
            "tok2",
            "tok3",
            "tsynch4_23",
            "tok4"
        ]
    );
    let shortest = reference
        .distance
        .iter()
        .filter(|(m, _)| m[pout4] > 0)
        .map(|(_, &d)| d)
        .min();
    assert_eq!(Some(trace.transitions.len()), shortest);
    assert_eq!(report.properties[1].verdict, Verdict::Holds);
    let Verdict::Reached(trace) = &report.properties[2].verdict else {
        panic!("{:?}", report.properties[2])
    };
    assert_eq!(replay(&net, &indices(trace)).unwrap()[pm1 + 1], 2);
    assert_eq!(trace.transitions.len(), 4);
    assert_eq!(report.properties[3].verdict, Verdict::Unreachable);
}

#[test]
fn the_state_limit_stops_with_what_was_seen() {
    let net = kanban(3);
    let pout4 = net.place_index("Pout4").unwrap().0;
    let options = Options::new()
        .max_states(1_000)
        .always("early", |m| m[pout4] == 0)
        .reachable("everything in cell 4", move |m| m[pout4] == 3);
    let report = explore(&net, options).unwrap();
    assert!(!report.complete);
    assert_eq!(report.states, 1_000);
    assert!(report.expanded < 1_000 && report.edges > 0);
    assert!(matches!(report.properties[0].verdict, Verdict::Violated(_)));
    assert_eq!(report.properties[1].verdict, Verdict::Unknown);
}

#[test]
fn finished_markings_are_not_deadlocks() {
    let mut b = PtNet::builder("one-shot");
    let (p, q) = (b.place("p", 1), b.place("q", 0));
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 1);
    let net = b.build().unwrap();
    assert_eq!(full(&net).deadlock_count, 1);
    let report = explore(&net, Options::new().finished(|m| m[1] == 1)).unwrap();
    assert_eq!(report.deadlock_count, 0);
}

#[test]
fn an_unbounded_place_widens_its_field_and_counts_on() {
    // A source transition: q grows without bound, so no invariant covers it.
    let mut b = PtNet::builder("source");
    let q = b.place("q", 0);
    let t = b.transition("produce");
    b.output(t, q, 1);
    let net = b.build().unwrap();
    let report = explore(&net, Options::new().max_states(1_000)).unwrap();
    assert!(!report.complete);
    assert_eq!(report.states, 1_000);
    assert_eq!(report.place_bounds, [999]);
    assert_eq!(report.restarts, 1, "8 bits, then 16");
}

#[test]
fn dead_transitions_are_the_ones_never_enabled() {
    let mut b = PtNet::builder("dead");
    let (p, q) = (b.place("p", 1), b.place("q", 0));
    let (go, never) = (b.transition("go"), b.transition("never"));
    b.input(go, p, 1).output(go, q, 1).input(never, p, 2);
    let net = b.build().unwrap();
    let report = full(&net);
    assert_eq!(report.dead_transitions.len(), 1);
    assert_eq!(net.transitions()[report.dead_transitions[0].0].id, "never");
}

#[test]
fn progress_is_reported_every_65536_expanded_states() {
    let mut calls = Vec::new();
    let report = explore(
        &kanban(4),
        Options::new().on_progress(|p| calls.push((p.expanded, p.states >= p.expanded))),
    )
    .unwrap();
    assert_eq!(report.expanded, 454_475);
    let expected: Vec<(u64, bool)> = (1..=6).map(|k| (k * 65_536, true)).collect();
    assert_eq!(calls, expected);
}

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

#[test]
fn a_running_engine_nets_token_flow_explores_with_its_end_markings_declared_finished() {
    use mycel_check::from_engine::{ExportOptions, pt_net_of};
    let mut net = Pipeline::new();
    let places = net.places();
    for request in [1, 2] {
        net.inject(
            places.requests,
            request,
            mycel::time::Instant::from_ticks(0),
        )
        .unwrap();
    }
    let pt = pt_net_of(net.as_net(), "pipeline", &ExportOptions::default()).unwrap();
    // Places come with their rooms: requests, forwarded, rejected, done at 0, 2, 4, 6.
    let (requests, forwarded) = (0, 2);
    let everything_settled = move |m: &[u64]| m[requests] == 0 && m[forwarded] == 0;
    let report = explore(&pt, Options::new()).unwrap();
    // Two tokens spread over four places: 10 markings, 3 of them with nothing to do.
    assert_eq!((report.states, report.deadlock_count), (10, 3));
    let report = explore(&pt, Options::new().finished(everything_settled)).unwrap();
    assert_eq!(report.deadlock_count, 0);
    assert_eq!(report.place_bounds[forwarded], 2);
}

#[test]
fn a_place_past_u64_tokens_is_a_typed_error_naming_it() {
    let mut b = PtNet::builder("flood");
    let p = b.place("p", u64::MAX - 1);
    let t = b.transition("add");
    b.output(t, p, 1);
    let net = b.build().unwrap();
    let err = explore(&net, Options::new()).unwrap_err();
    assert_eq!(
        err,
        mycel_check::explore::ExploreError::TokenOverflow { place: "p".into() }
    );
}

/// The report without its wall-clock time.
fn timeless(mut report: Exploration) -> Exploration {
    report.elapsed = std::time::Duration::ZERO;
    report
}

#[test]
fn the_two_thread_search_reports_exactly_what_the_one_thread_search_does() {
    for net in [kanban(3), philosophers(5)] {
        let one = timeless(explore(&net, Options::new()).unwrap());
        let two = timeless(explore(&net, Options::new().parallel(true)).unwrap());
        assert_eq!(one, two, "{}", net.id());
    }
    let limited = |parallel| {
        timeless(
            explore(
                &kanban(3),
                Options::new().max_states(5_000).parallel(parallel),
            )
            .unwrap(),
        )
    };
    assert_eq!(limited(false), limited(true));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn explorer_on_one_or_two_threads_agrees_with_a_naive_search_on_random_nets(net in pt_net(5, 5, 3, 2)) {
        const LIMIT: usize = 3_000;
        let reference = naive(&net, LIMIT + 1);
        let report = explore(&net, Options::new().max_states(LIMIT as u64)).unwrap();
        let two_threads = explore(&net, Options::new().max_states(LIMIT as u64).parallel(true)).unwrap();
        prop_assert_eq!(timeless(two_threads), timeless(report.clone()));
        prop_assert_eq!(report.complete, reference.complete);
        if reference.complete {
            prop_assert_eq!(report.states as usize, reference.distance.len());
            prop_assert_eq!(report.edges, reference.edges);
            prop_assert_eq!(report.deadlock_count as usize, reference.deadlocks.len());
            prop_assert_eq!(report.depth as usize, reference.distance.values().copied().max().unwrap_or(0));
            for p in 0..net.places().len() {
                let most = reference.distance.keys().map(|m| m[p]).max().unwrap_or(0);
                prop_assert_eq!(report.place_bounds[p], most);
            }
            for trace in &report.deadlocks {
                let end = replay(&net, &indices(trace));
                prop_assert_eq!(end.as_ref(), Some(&trace.marking));
                prop_assert_eq!(Some(&trace.transitions.len()), reference.distance.get(&trace.marking));
            }
        }
    }
}

use super::*;
use crate::net::{TransitionId, TransitionSpec};

/// One source place feeding three competing transitions into one sink place each.
fn contest(round_robin: bool, priorities: [u8; 3]) -> (TestNet, PlaceId, [TransitionId; 3]) {
    let mut b = Builder::new();
    b.round_robin(round_robin);
    let p = b.place("p", 12);
    let mut ts = [TransitionId(0); 3];
    for (i, t) in ts.iter_mut().enumerate() {
        let out = b.place("out", 12);
        *t = b.transition_with("t", TransitionSpec::new().priority(priorities[i]));
        b.input(*t, p, 1).output(*t, out, 1);
    }
    let mut net: TestNet = b.build().unwrap();
    for v in 0..12 {
        net.inject(p, v, at(0)).unwrap();
    }
    (net, p, ts)
}

fn order(net: &mut TestNet, n: usize) -> heapless::Vec<TransitionId, 16> {
    (0..n)
        .map(|_| {
            net.step(at(0), &mut Passthrough)
                .unwrap()
                .transition()
                .unwrap()
        })
        .collect()
}

#[test]
fn highest_priority_fires_first() {
    let (mut net, _, ts) = contest(false, [1, 5, 3]);
    assert_eq!(order(&mut net, 3).as_slice(), &[ts[1]; 3]);
}

#[test]
fn equal_priorities_fire_in_declaration_order() {
    let (mut net, _, ts) = contest(false, [2, 2, 2]);
    assert_eq!(order(&mut net, 3).as_slice(), &[ts[0]; 3]);
}

#[test]
fn round_robin_rotates_among_equal_priorities() {
    let (mut net, _, ts) = contest(true, [2, 2, 2]);
    assert_eq!(
        order(&mut net, 6).as_slice(),
        &[ts[0], ts[1], ts[2], ts[0], ts[1], ts[2]]
    );
}

#[test]
fn round_robin_never_overrides_priority() {
    let (mut net, _, ts) = contest(true, [1, 1, 9]);
    assert_eq!(order(&mut net, 3).as_slice(), &[ts[2]; 3]);
}

#[test]
fn step_fires_at_most_one_transition() {
    let (mut net, p, _) = contest(false, [0, 0, 0]);
    net.step(at(0), &mut Passthrough).unwrap();
    assert_eq!(net.len(p), 11);
}

#[test]
fn run_stops_when_nothing_is_ready_or_the_budget_is_spent() {
    let (mut net, p, _) = contest(false, [0, 0, 0]);
    let report = net.run(at(0), 5, &mut Passthrough).unwrap();
    assert_eq!(
        report,
        RunReport {
            fired: 5,
            failed: 0,
            exhausted: true
        }
    );
    let report = net.run(at(0), 100, &mut Passthrough).unwrap();
    assert_eq!(
        report,
        RunReport {
            fired: 7,
            failed: 0,
            exhausted: false
        }
    );
    assert_eq!(net.len(p), 0);
    assert_conserved(&net);
}

#[test]
fn same_net_and_calls_give_the_same_trace() {
    let trace = || {
        let (mut net, _, _) = contest(true, [1, 1, 0]);
        let mut events: heapless::Vec<NetEvent, 64> = heapless::Vec::new();
        let mut obs = |e: &NetEvent| events.push(*e).unwrap();
        net.run_observed(at(0), 20, &mut Passthrough, &mut obs)
            .unwrap();
        events
    };
    assert_eq!(trace(), trace());
}

#[test]
fn a_long_chain_moves_a_token_through_every_stage_in_order() {
    // Exercises the incremental enabled set: each firing re-checks only its neighbours.
    let mut b = NetBuilder::<u32, 8, 7, 14, 16>::new();
    let places: [PlaceId; 8] = core::array::from_fn(|_| b.place("p", 1));
    for i in 0..7 {
        let t = b.transition("t");
        b.input(t, places[i], 1).output(t, places[i + 1], 1);
    }
    let mut net = b.build().unwrap();
    net.inject(places[0], 42, at(0)).unwrap();
    let mut fired = heapless::Vec::<u16, 8>::new();
    while let Step::Fired { transition, .. } = net.step(at(0), &mut Passthrough).unwrap() {
        fired.push(transition.0).unwrap();
    }
    assert_eq!(fired.as_slice(), &[0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(net.peek(places[7]), Some(&42));
}

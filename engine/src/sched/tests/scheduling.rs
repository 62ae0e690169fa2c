use super::*;
use crate::net::{TransitionId, TransitionSpec};
use crate::sched::Disposition;

/// One source place feeding three competing transitions into one sink place each.
fn contest(round_robin: bool, priorities: [u8; 3]) -> (TestNet, PlaceId, [TransitionId; 3]) {
    let mut b = Builder::new();
    b.round_robin(round_robin);
    let p = b.place("p", 12);
    let mut ts = [TransitionId::new(0); 3];
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

/// A net where priorities, ties, round-robin, a delay, a rollback and an error place
/// all decide something, driven by a fixed script of host calls. Returns every event
/// the observer saw, the final marking and the counters.
fn scripted_trace() -> (
    heapless::Vec<NetEvent, 64>,
    heapless::Vec<(PlaceId, usize), 8>,
    NetCounters,
) {
    let mut b = Builder::new();
    b.round_robin(true);
    let src = b.place("src", 8);
    let pa = b.place("pa", 2);
    let pb = b.place("pb", 2);
    let pc = b.place("pc", 8);
    let done = b.place("done", 16);
    let err = b.place("err", 8);
    // a and b tie at priority 1 (round-robin between them), c and drain tie at 0.
    let a = b.transition_with("a", TransitionSpec::new().priority(1));
    let bb = b.transition_with("b", TransitionSpec::new().priority(1));
    let c = b.transition("c");
    let slow = b.transition_with(
        "slow",
        TransitionSpec::new()
            .priority(2)
            .delay(crate::time::Duration::from_ticks(3))
            .error_place(err),
    );
    let drain = b.transition("drain");
    b.input(a, src, 1).output(a, pa, 1);
    b.input(bb, src, 1).output(bb, pb, 1);
    b.input(c, src, 1).output(c, pc, 1);
    b.input(slow, pa, 1).output(slow, done, 1);
    b.input(drain, pb, 1).output(drain, done, 1);
    let mut net: TestNet = b.build().unwrap();

    // slow fails (to its error place) on multiples of 3; drain fails (rolled back) the
    // first time it sees token 3.
    let mut drain_saw_3 = false;
    let mut behaviour = from_fn(move |t, f: &mut Firing<'_, u32>, _| {
        let token = *f.input(0).unwrap();
        if t == slow && token.is_multiple_of(3) {
            return Err(Fault(1));
        }
        if t == drain && token == 3 && !drain_saw_3 {
            drain_saw_3 = true;
            return Err(Fault(2));
        }
        let (out, _) = f.outputs().next().unwrap();
        f.forward(0, out).map_err(|_| Fault(9))
    });

    let mut events: heapless::Vec<NetEvent, 64> = heapless::Vec::new();
    let mut obs = |e: &NetEvent| events.push(*e).unwrap();
    for v in 0..6 {
        net.inject_observed(src, v, at(0), &mut obs).unwrap();
    }
    for now in [0, 2, 3] {
        net.run_observed(at(now), 20, &mut behaviour, &mut obs)
            .unwrap();
    }
    for v in 6..9 {
        net.inject_observed(src, v, at(4), &mut obs).unwrap();
    }
    net.run_observed(at(4), 20, &mut behaviour, &mut obs)
        .unwrap();
    net.take_observed(done, &mut obs).unwrap();
    net.take_observed(done, &mut obs).unwrap();
    for now in [6, 7] {
        net.step_observed(at(now), &mut behaviour, &mut obs)
            .unwrap();
    }
    net.run_observed(at(7), 20, &mut behaviour, &mut obs)
        .unwrap();
    (events, net.marking().collect(), *net.counters())
}

#[test]
fn same_net_and_calls_give_the_same_trace() {
    let first = scripted_trace();
    let second = scripted_trace();
    assert_eq!(first, second, "two identically driven nets diverged");

    // The order itself is pinned, so a tie broken any other way fails here too.
    let (events, marking, _) = first;
    let (a, b, c, slow, drain) = (
        TransitionId::new(0),
        TransitionId::new(1),
        TransitionId::new(2),
        TransitionId::new(3),
        TransitionId::new(4),
    );
    let err = PlaceId::new(5);
    let mut firings: heapless::Vec<(TransitionId, u64, Option<Disposition>), 32> =
        heapless::Vec::new();
    for e in &events {
        match *e {
            NetEvent::Fired { transition, at, .. } => {
                firings.push((transition, at.as_ticks(), None)).unwrap();
            }
            NetEvent::Failed {
                transition,
                at,
                disposition,
                ..
            } => firings
                .push((transition, at.as_ticks(), Some(disposition)))
                .unwrap(),
            _ => {}
        }
    }
    let rolled_back = Some(Disposition::RolledBack);
    let to_err = Some(Disposition::ToErrorPlace {
        place: err,
        name: "err",
    });
    assert_eq!(
        firings.as_slice(),
        &[
            // Priority 1 first, a and b taking turns, until pa and pb are full; then
            // c and drain take turns at priority 0, and b again once drain made room.
            (a, 0, None),
            (b, 0, None),
            (a, 0, None),
            (b, 0, None),
            (c, 0, None),
            (drain, 0, None),
            (b, 0, None),
            // drain fails on 3 and is held until the next tick.
            (drain, 0, rolled_back),
            (drain, 2, None),
            (drain, 2, None),
            // slow, enabled since 0 with delay 3: token 0 to err, then token 2.
            (slow, 3, to_err),
            (slow, 3, None),
            // a was last fired before b, so it goes first this time.
            (a, 4, None),
            (b, 4, None),
            (a, 4, None),
            (drain, 4, None),
            // slow, enabled since 4: nothing at 6, token 6 to err and token 8 at 7.
            (slow, 7, to_err),
            (slow, 7, None),
        ]
    );
    assert_eq!(
        marking.as_slice(),
        &[
            (PlaceId::new(0), 0),
            (PlaceId::new(1), 0),
            (PlaceId::new(2), 0),
            (PlaceId::new(3), 1),
            (PlaceId::new(4), 4),
            (err, 2),
        ]
    );
}

#[test]
fn a_long_chain_moves_a_token_through_every_stage_in_order() {
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
        fired.push(transition.raw()).unwrap();
    }
    assert_eq!(fired.as_slice(), &[0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(net.peek(places[7]), Some(&42));
}

/// Moves one token down a chain of `T` transitions (`P` = `T` + 1 places) and returns
/// the fewest and most enabling checks any single firing made.
fn enabling_checks_per_firing<const P: usize, const T: usize, const A: usize, const K: usize>()
-> (u64, u64) {
    let mut b = NetBuilder::<u32, P, T, A, K>::new();
    let places: [PlaceId; P] = core::array::from_fn(|_| b.place("p", 1));
    for i in 0..T {
        let t = b.transition("t");
        b.input(t, places[i], 1).output(t, places[i + 1], 1);
    }
    let mut net = b.build().unwrap();
    net.inject(places[0], 42, at(0)).unwrap();
    let (mut fewest, mut most, mut fired) = (u64::MAX, 0, 0);
    loop {
        let before = crate::net::enabling_checks::count();
        let step = net.step(at(0), &mut Passthrough).unwrap();
        let checks = crate::net::enabling_checks::count() - before;
        if step == Step::Idle {
            break;
        }
        fewest = fewest.min(checks);
        most = most.max(checks);
        fired += 1;
    }
    assert_eq!(fired, T);
    assert_eq!(net.peek(places[T]), Some(&42));
    (fewest, most)
}

#[test]
fn a_firing_rechecks_as_many_transitions_in_a_long_chain_as_in_a_short_one() {
    // The incremental enabled set re-checks only the transitions on the places a
    // firing changed: its neighbours. A rescan of every transition would make each
    // firing of the 64-chain check 16 times as many as one of the 4-chain.
    let short = enabling_checks_per_firing::<5, 4, 8, 6>();
    let long = enabling_checks_per_firing::<65, 64, 128, 66>();
    assert_eq!(short, long);
    assert!(long.1 <= 2, "a firing re-checked {} transitions", long.1);
}

#[test]
fn tie_ranks_follow_declaration_order_or_the_round_robin() {
    let (mut fixed, _, ts) = contest(false, [0; 3]);
    let ranks = |net: &TestNet| ts.map(|t| net.tie_rank(t).unwrap());
    let before = ranks(&fixed);
    assert!(before[0] < before[1] && before[1] < before[2]);
    fixed.step(at(0), &mut Passthrough).unwrap();
    assert_eq!(
        ranks(&fixed),
        before,
        "without round-robin the ranks never change"
    );

    let (mut turns, _, ts) = contest(true, [0; 3]);
    let fired = turns.step(at(0), &mut Passthrough).unwrap().transition();
    assert_eq!(fired, Some(ts[0]));
    let after = ts.map(|t| turns.tie_rank(t).unwrap());
    assert!(
        after[0] > after[1] && after[0] > after[2],
        "the transition that fired goes behind the others: {after:?}"
    );
}

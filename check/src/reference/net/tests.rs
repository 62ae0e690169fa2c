//! One small hand-computed case per pinned rule; together they document the semantics.

use super::*;
use ArcKind::{Inhibitor, Input, Output, Read};

/// What a behaviour returns from one firing.
type Firing = (Vec<Action<u32>>, Result<(), u16>);

fn place(capacity: u32) -> PlaceSpec {
    PlaceSpec {
        name: format!("p{capacity}"),
        capacity,
    }
}

/// Untimed, priority 0, no error place, neither source nor sink, no guard.
fn transition() -> TransitionSpec<u32> {
    TransitionSpec {
        name: "t".to_owned(),
        priority: 0,
        delay: 0,
        error_place: None,
        source: false,
        sink: false,
        guard: None,
    }
}

fn arc(transition: usize, place: usize, kind: ArcKind, weight: u32) -> ArcSpec {
    ArcSpec {
        transition,
        place,
        kind,
        weight,
    }
}

fn spec(
    places: Vec<PlaceSpec>,
    transitions: Vec<TransitionSpec<u32>>,
    arcs: Vec<ArcSpec>,
) -> NetSpec<u32> {
    NetSpec {
        places,
        transitions,
        arcs,
        round_robin: false,
        pool: 1000,
    }
}

fn build(spec: NetSpec<u32>) -> RefNet<u32> {
    RefNet::new(spec).expect("a valid net")
}

/// p0 -> t0 -> p1, both places of capacity 4.
fn pipe() -> NetSpec<u32> {
    spec(
        vec![place(4), place(4)],
        vec![transition()],
        vec![arc(0, 0, Input, 1), arc(0, 1, Output, 1)],
    )
}

fn inject_all(net: &mut RefNet<u32>, place: usize, tokens: &[u32], now: u64) {
    for &token in tokens {
        net.inject(place, token, now).expect("room for the token");
    }
}

fn tokens(net: &RefNet<u32>, place: usize) -> Vec<u32> {
    net.marking(place)
        .expect("a known place")
        .iter()
        .copied()
        .collect()
}

/// A behaviour that fails every firing with code 7.
fn failing() -> FnBehaviour<impl FnMut(usize, &[u32], u64) -> Firing> {
    FnBehaviour(|_: usize, _: &[u32], _: u64| (Vec::new(), Err(7)))
}

/// A behaviour that returns the given actions and result on every firing.
fn scripted(
    actions: Vec<Action<u32>>,
    result: Result<(), u16>,
) -> FnBehaviour<impl FnMut(usize, &[u32], u64) -> Firing> {
    FnBehaviour(move |_: usize, _: &[u32], _: u64| (actions.clone(), result))
}

// Validation.

#[test]
fn validation_rejects_dangling_arcs() {
    let mut bad = pipe();
    bad.arcs.push(arc(5, 0, Input, 1));
    assert_eq!(
        validate(&bad),
        Err(RefBuildError::UnknownTransition { arc: 2 })
    );
    let mut bad = pipe();
    bad.arcs.push(arc(0, 9, Read, 1));
    assert_eq!(validate(&bad), Err(RefBuildError::UnknownPlace { arc: 2 }));
}

#[test]
fn validation_rejects_zero_weights_and_capacities() {
    let mut bad = pipe();
    bad.arcs[1].weight = 0;
    assert_eq!(validate(&bad), Err(RefBuildError::ZeroWeight { arc: 1 }));
    let mut bad = pipe();
    bad.places[1].capacity = 0;
    assert_eq!(
        validate(&bad),
        Err(RefBuildError::ZeroCapacity { place: 1 })
    );
}

#[test]
fn validation_rejects_a_capacity_above_the_pool() {
    let mut bad = pipe();
    bad.pool = 3;
    assert_eq!(
        validate(&bad),
        Err(RefBuildError::CapacityExceedsPool { place: 0 })
    );
}

#[test]
fn validation_rejects_duplicate_arcs_and_input_with_read() {
    let mut bad = pipe();
    bad.arcs.push(arc(0, 1, Output, 2));
    assert_eq!(validate(&bad), Err(RefBuildError::DuplicateArc { arc: 2 }));
    let mut bad = pipe();
    bad.arcs.push(arc(0, 0, Read, 1));
    assert_eq!(validate(&bad), Err(RefBuildError::DuplicateArc { arc: 2 }));
    let mut fine = pipe();
    fine.arcs.push(arc(0, 0, Inhibitor, 3));
    fine.arcs.push(arc(0, 1, Input, 1));
    assert_eq!(
        validate(&fine),
        Ok(()),
        "input+inhibitor and input+output may share a place"
    );
}

#[test]
fn validation_rejects_a_transition_without_input_unless_it_is_a_source() {
    let mut bad = spec(
        vec![place(4)],
        vec![transition()],
        vec![arc(0, 0, Output, 1)],
    );
    assert_eq!(
        validate(&bad),
        Err(RefBuildError::NoInput { transition: 0 })
    );
    bad.transitions[0].source = true;
    assert_eq!(validate(&bad), Ok(()));
}

#[test]
fn validation_rejects_an_output_heavier_than_its_place() {
    let mut bad = pipe();
    bad.arcs[1].weight = 5;
    assert_eq!(
        validate(&bad),
        Err(RefBuildError::OutputExceedsCapacity { arc: 1 })
    );
}

#[test]
fn validation_rejects_bad_error_places() {
    let mut bad = pipe();
    bad.transitions[0].error_place = Some(2);
    assert_eq!(
        validate(&bad),
        Err(RefBuildError::UnknownErrorPlace { transition: 0 })
    );
    bad.transitions[0].error_place = Some(1);
    assert_eq!(
        validate(&bad),
        Err(RefBuildError::ErrorPlaceOnArc { transition: 0 })
    );
}

#[test]
fn validation_needs_a_pool_for_every_place_full_plus_one_firing() {
    // A source may produce its whole output weight.
    let mut net = pipe();
    net.arcs[1].weight = 3;
    net.transitions[0].source = true;
    net.pool = 11; // 4 + 4 + 3
    assert_eq!(validate(&net), Ok(()));
    net.pool = 10;
    assert_eq!(
        validate(&net),
        Err(RefBuildError::PoolTooSmall {
            needed: 11,
            pool: 10
        })
    );
}

#[test]
fn validation_counts_a_non_source_firing_as_no_more_than_it_consumes() {
    // Producing more than it consumed fails, so a non-source never needs more fresh
    // slots than its input weight.
    let mut net = pipe();
    net.arcs[1].weight = 3;
    net.pool = 9; // 4 + 4 + min(3, 1)
    assert_eq!(validate(&net), Ok(()));
    net.pool = 8;
    assert_eq!(
        validate(&net),
        Err(RefBuildError::PoolTooSmall { needed: 9, pool: 8 })
    );
}

#[test]
fn validation_limits_one_firing_to_32_consumed_tokens() {
    let mut net = spec(
        vec![place(40), place(40)],
        vec![transition()],
        vec![arc(0, 0, Input, 16), arc(0, 1, Input, 16)],
    );
    net.transitions[0].sink = true;
    assert_eq!(validate(&net), Ok(()));
    net.arcs[1].weight = 17;
    assert_eq!(
        validate(&net),
        Err(RefBuildError::TooManyConsumed {
            transition: 0,
            consumed: 33
        })
    );
}

// Rule 1: marking and host operations.

#[test]
fn places_are_fifo_and_take_pops_the_head() {
    let mut net = build(pipe());
    inject_all(&mut net, 1, &[1, 2, 3], 0);
    assert_eq!(net.take(1), Ok(1));
    assert_eq!(tokens(&net, 1), [2, 3]);
}

#[test]
fn inject_hands_the_token_back_when_it_cannot_take_it() {
    let mut net = build(pipe());
    inject_all(&mut net, 1, &[1, 2, 3, 4], 5);
    assert_eq!(net.inject(1, 9, 5), Err(RefInjectError::Full(9)));
    assert_eq!(net.inject(7, 9, 5), Err(RefInjectError::UnknownPlace(9)));
    assert_eq!(net.inject(1, 9, 4), Err(RefInjectError::ClockRegression(9)));
    assert_eq!(
        net.inject(7, 9, 4),
        Err(RefInjectError::ClockRegression(9)),
        "the clock is checked first"
    );
    assert_eq!(tokens(&net, 1), [1, 2, 3, 4]);
    assert_eq!(net.counters().injected, 4);
    assert_eq!(net.trace().len(), 4);
}

#[test]
fn a_failed_inject_does_not_advance_the_clock() {
    let mut net = build(pipe());
    assert!(net.inject(7, 1, 50).is_err());
    assert_eq!(net.last_seen(), 0);
}

#[test]
fn take_reports_unknown_and_empty_places() {
    let mut net = build(pipe());
    assert_eq!(net.take(0), Err(RefTakeError::Empty));
    assert_eq!(net.take(2), Err(RefTakeError::UnknownPlace));
    assert_eq!(net.counters().taken, 0);
}

// Rule 2: structural enabling.

#[test]
fn input_and_read_arcs_need_their_weight() {
    let net_spec = spec(
        vec![place(4), place(4), place(4)],
        vec![transition()],
        vec![
            arc(0, 0, Input, 2),
            arc(0, 1, Read, 2),
            arc(0, 2, Output, 2),
        ],
    );
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1, 2], 0);
    inject_all(&mut net, 1, &[3], 0);
    assert_eq!(net.enabled_since(0), None, "read place holds 1 < 2");
    net.inject(1, 4, 0).expect("room");
    assert_eq!(net.enabled_since(0), Some(0));
    assert!(matches!(
        net.step(0, &mut Passthrough::new(net.spec())),
        Ok(RefStep::Fired { .. })
    ));
    assert_eq!(tokens(&net, 1), [3, 4], "a read arc consumes nothing");
    assert_eq!(tokens(&net, 2), [1, 2]);
}

#[test]
fn an_inhibitor_enables_only_below_its_weight() {
    let mut net_spec = pipe();
    net_spec.places.push(place(4));
    net_spec.arcs.push(arc(0, 2, Inhibitor, 2));
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1], 0);
    inject_all(&mut net, 2, &[8], 0);
    assert_eq!(net.enabled_since(0), Some(0), "1 < 2");
    inject_all(&mut net, 2, &[9], 0);
    assert_eq!(net.enabled_since(0), None, "2 is not < 2");
}

#[test]
fn an_output_needs_room_for_its_full_weight_counting_its_own_input() {
    // Self-loop on a full place: len - in_w + w = 2 - 1 + 1 <= 2.
    let self_loop = spec(
        vec![place(2)],
        vec![transition()],
        vec![arc(0, 0, Input, 1), arc(0, 0, Output, 1)],
    );
    let mut net = build(self_loop);
    inject_all(&mut net, 0, &[1, 2], 0);
    assert_eq!(net.enabled_since(0), Some(0));

    let mut blocked = pipe();
    blocked.arcs[1].weight = 2;
    let mut net = build(blocked);
    inject_all(&mut net, 1, &[7, 7, 7], 0);
    inject_all(&mut net, 0, &[1], 0);
    assert_eq!(net.enabled_since(0), None, "3 + 2 > 4: backpressure");
    net.take(1).expect("a token");
    assert_eq!(net.enabled_since(0), Some(0));
}

#[test]
fn an_error_place_needs_room_for_everything_consumed() {
    let mut net_spec = pipe();
    net_spec.arcs[0].weight = 2;
    net_spec.arcs[1].weight = 2;
    net_spec.places.push(place(3));
    net_spec.transitions[0].error_place = Some(2);
    let mut net = build(net_spec);
    inject_all(&mut net, 2, &[9, 9], 0);
    inject_all(&mut net, 0, &[1, 2], 0);
    assert_eq!(net.enabled_since(0), None, "2 + 2 > 3");
    net.take(2).expect("a token");
    assert_eq!(net.enabled_since(0), Some(0));
}

#[test]
fn a_guard_sees_the_head_tokens_in_arc_order() {
    let net_spec = NetSpec {
        transitions: vec![TransitionSpec {
            guard: Some(GuardSpec::Predicate(|tokens: &[u32]| tokens == [1, 2, 10])),
            sink: true,
            ..transition()
        }],
        ..spec(
            vec![place(4), place(4)],
            vec![],
            vec![arc(0, 1, Input, 1), arc(0, 0, Input, 2)],
        )
    };
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1, 2, 3], 0);
    inject_all(&mut net, 1, &[10], 0);
    assert_eq!(
        net.enabled_since(0),
        None,
        "arc order puts place 1 first: [10, 1, 2]"
    );

    let net_spec = NetSpec {
        transitions: vec![TransitionSpec {
            guard: Some(GuardSpec::Predicate(|tokens: &[u32]| tokens == [1, 2, 10])),
            sink: true,
            ..transition()
        }],
        ..spec(
            vec![place(4), place(4)],
            vec![],
            vec![arc(0, 0, Input, 2), arc(0, 1, Input, 1)],
        )
    };
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1, 2, 3], 0);
    inject_all(&mut net, 1, &[10], 0);
    assert_eq!(net.enabled_since(0), Some(0));
}

#[test]
fn ready_made_guards_judge_the_tokens() {
    assert!(first_token_even(&[4, 1]));
    assert!(!first_token_even(&[3, 2]));
    assert!(!first_token_even(&[]));
    assert!(all_equal(&[5, 5, 5]));
    assert!(!all_equal(&[5, 6]));
    assert!(all_equal::<u32>(&[]));
    assert!(!GuardSpec::<u32>::Never.accepts(&[1]));
}

// Rule 3: timing.

fn delayed_pipe(delay: u64) -> NetSpec<u32> {
    let mut net_spec = pipe();
    net_spec.transitions[0].delay = delay;
    net_spec
}

#[test]
fn a_timed_transition_is_ready_after_its_delay() {
    let mut net = build(delayed_pipe(5));
    let mut passthrough = Passthrough::new(net.spec());
    inject_all(&mut net, 0, &[1], 10);
    assert_eq!(net.step(14, &mut passthrough), Ok(RefStep::Idle));
    assert!(matches!(
        net.step(15, &mut passthrough),
        Ok(RefStep::Fired { .. })
    ));
}

#[test]
fn the_delay_needs_continuous_enabling() {
    let mut net = build(delayed_pipe(10));
    let mut passthrough = Passthrough::new(net.spec());
    inject_all(&mut net, 0, &[1], 0);
    net.take(0).expect("the token"); // disabled at 0
    inject_all(&mut net, 0, &[2], 5); // enabled again since 5
    assert_eq!(net.step(10, &mut passthrough), Ok(RefStep::Idle));
    assert!(matches!(
        net.step(15, &mut passthrough),
        Ok(RefStep::Fired { .. })
    ));
}

#[test]
fn staying_enabled_keeps_the_original_instant() {
    let mut net = build(delayed_pipe(10));
    inject_all(&mut net, 0, &[1], 0);
    inject_all(&mut net, 0, &[2], 3);
    assert_eq!(net.enabled_since(0), Some(0));
}

#[test]
fn a_transition_that_fired_and_stays_enabled_restarts_its_delay() {
    let mut net = build(delayed_pipe(10));
    let mut passthrough = Passthrough::new(net.spec());
    inject_all(&mut net, 0, &[1, 2], 0);
    assert!(matches!(
        net.step(10, &mut passthrough),
        Ok(RefStep::Fired { .. })
    ));
    assert_eq!(net.enabled_since(0), Some(10));
    assert_eq!(net.step(19, &mut passthrough), Ok(RefStep::Idle));
    assert!(matches!(
        net.step(20, &mut passthrough),
        Ok(RefStep::Fired { .. })
    ));
}

#[test]
fn a_failed_firing_does_not_restart_the_delay() {
    let mut net_spec = delayed_pipe(10);
    net_spec.places.push(place(4));
    net_spec.transitions[0].error_place = Some(2);
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1, 2], 0);
    assert!(matches!(
        net.step(10, &mut failing()),
        Ok(RefStep::Failed {
            to_error_place: true,
            ..
        })
    ));
    assert_eq!(net.enabled_since(0), Some(0));
}

#[test]
fn take_acts_at_the_last_instant_seen() {
    // A source that fires only while place 0 is empty.
    let net_spec = spec(
        vec![place(4), place(4)],
        vec![TransitionSpec {
            source: true,
            ..transition()
        }],
        vec![arc(0, 0, Inhibitor, 1), arc(0, 1, Output, 1)],
    );
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1], 0);
    assert_eq!(
        net.step(7, &mut Passthrough::new(net.spec())),
        Ok(RefStep::Idle)
    );
    net.take(0).expect("the token");
    assert_eq!(net.enabled_since(0), Some(7));
    assert_eq!(
        net.trace().last(),
        Some(&RefEvent::Taken {
            place: 0,
            token: 1,
            at: 7
        })
    );
}

#[test]
fn a_net_starts_its_clock_at_the_given_instant() {
    let net_spec = spec(
        vec![place(4)],
        vec![TransitionSpec {
            source: true,
            ..transition()
        }],
        vec![arc(0, 0, Output, 1)],
    );
    assert_eq!(
        RefNet::new(net_spec.clone())
            .expect("valid")
            .enabled_since(0),
        Some(0)
    );
    assert_eq!(
        RefNet::starting_at(net_spec, 40)
            .expect("valid")
            .enabled_since(0),
        Some(40)
    );
}

// Rule 4: holds after rollback.

#[test]
fn a_rolled_back_transition_is_held_for_one_tick() {
    let mut net = build(pipe());
    inject_all(&mut net, 0, &[1], 0);
    let failed = net.step(5, &mut failing());
    assert_eq!(
        failed,
        Ok(RefStep::Failed {
            transition: 0,
            fault: RefFault::Behaviour(7),
            to_error_place: false
        })
    );
    assert_eq!(net.step(5, &mut failing()), Ok(RefStep::Idle), "held at 5");
    assert_eq!(net.next_deadline(&failing()), Some(6));
    assert!(matches!(
        net.step(6, &mut failing()),
        Ok(RefStep::Failed { .. })
    ));
}

#[test]
fn a_marking_change_on_its_places_clears_the_hold() {
    let mut net = build(pipe());
    inject_all(&mut net, 0, &[1], 0);
    net.step(5, &mut failing()).expect("no regression");
    inject_all(&mut net, 1, &[9], 5); // the output place counts too
    assert!(net.is_ready(0, 5));
}

#[test]
fn a_marking_change_elsewhere_keeps_the_hold() {
    let mut net_spec = pipe();
    net_spec.places.push(place(4));
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1], 0);
    net.step(5, &mut failing()).expect("no regression");
    inject_all(&mut net, 2, &[9], 5);
    assert!(!net.is_ready(0, 5));
}

// Rule 5: step.

#[test]
fn step_refuses_an_earlier_now_and_changes_nothing() {
    let mut net = build(pipe());
    inject_all(&mut net, 0, &[1], 10);
    let mut passthrough = Passthrough::new(net.spec());
    assert_eq!(
        net.step(9, &mut passthrough),
        Err(ClockRegression {
            now: 9,
            last_seen: 10
        })
    );
    assert_eq!(tokens(&net, 0), [1]);
    assert_eq!(
        net.run(9, 5, &mut passthrough),
        Err(ClockRegression {
            now: 9,
            last_seen: 10
        })
    );
}

/// Logs poll and fire calls in order.
struct Logging(Vec<String>);

impl RefBehaviour<u32> for Logging {
    fn fire(
        &mut self,
        transition: usize,
        inputs: &[u32],
        now: u64,
    ) -> (Vec<Action<u32>>, Result<(), u16>) {
        self.0.push(format!("fire t{transition} at {now}"));
        let actions = (0..inputs.len())
            .map(|input| Action::Forward { input, place: 1 })
            .collect();
        (actions, Ok(()))
    }

    fn poll(&mut self, now: u64) {
        self.0.push(format!("poll at {now}"));
    }

    fn next_deadline(&self) -> Option<u64> {
        Some(1000)
    }
}

#[test]
fn step_polls_the_behaviour_before_choosing() {
    let mut net = build(pipe());
    inject_all(&mut net, 0, &[1], 0);
    let mut logging = Logging(Vec::new());
    net.step(3, &mut logging).expect("no regression");
    net.step(4, &mut logging).expect("no regression");
    assert_eq!(logging.0, ["poll at 3", "fire t0 at 3", "poll at 4"]);
}

/// Transitions all consuming from place 0 into place 1, with the given priorities.
fn competing(priorities: &[u8], round_robin: bool) -> NetSpec<u32> {
    let transitions = priorities
        .iter()
        .map(|&priority| TransitionSpec {
            priority,
            ..transition()
        })
        .collect();
    let arcs = (0..priorities.len())
        .flat_map(|t| [arc(t, 0, Input, 1), arc(t, 1, Output, 1)])
        .collect();
    NetSpec {
        round_robin,
        ..spec(vec![place(8), place(8)], transitions, arcs)
    }
}

fn firing_order(net_spec: NetSpec<u32>, firings: usize) -> Vec<usize> {
    let mut net = build(net_spec);
    let mut passthrough = Passthrough::new(net.spec());
    inject_all(&mut net, 0, &[1, 2, 3, 4, 5, 6, 7, 8][..firings], 0);
    (0..firings)
        .map(|_| match net.step(0, &mut passthrough) {
            Ok(RefStep::Fired { transition, .. }) => transition,
            other => panic!("expected a firing, got {other:?}"),
        })
        .collect()
}

#[test]
fn the_highest_priority_fires_first() {
    assert_eq!(firing_order(competing(&[1, 5, 3], false), 2), [1, 1]);
}

#[test]
fn priority_ties_go_to_declaration_order() {
    assert_eq!(firing_order(competing(&[0, 2, 2], false), 3), [1, 1, 1]);
}

#[test]
fn round_robin_ties_go_to_the_least_recently_fired() {
    assert_eq!(
        firing_order(competing(&[2, 2, 2], true), 5),
        [0, 1, 2, 0, 1]
    );
    assert_eq!(
        firing_order(competing(&[2, 0, 2], true), 4),
        [0, 2, 0, 2],
        "only among equal priority"
    );
}

#[test]
fn round_robin_counts_only_successful_firings() {
    let mut net = build(competing(&[0, 0, 0], true));
    inject_all(&mut net, 0, &[1, 2, 3], 0);
    let mut fail_t0 = FnBehaviour(|transition: usize, inputs: &[u32], _: u64| {
        let forward = (0..inputs.len())
            .map(|input| Action::Forward { input, place: 1 })
            .collect();
        if transition == 0 {
            (Vec::new(), Err(1))
        } else {
            (forward, Ok(()))
        }
    });
    assert!(matches!(
        net.step(0, &mut fail_t0),
        Ok(RefStep::Failed { transition: 0, .. })
    ));
    // t1 fires; its marking change on place 0 also clears t0's hold.
    assert!(matches!(
        net.step(0, &mut fail_t0),
        Ok(RefStep::Fired { transition: 1, .. })
    ));
    // t0 and t2 have both never fired successfully: declaration order picks t0 again.
    assert!(matches!(
        net.step(0, &mut fail_t0),
        Ok(RefStep::Failed { transition: 0, .. })
    ));
}

// Rule 6: firing.

#[test]
fn a_firing_consumes_the_head_tokens_of_each_input_in_arc_order() {
    let net_spec = spec(
        vec![place(4), place(4), place(4)],
        vec![transition()],
        vec![
            arc(0, 1, Input, 1),
            arc(0, 0, Input, 2),
            arc(0, 2, Output, 3),
        ],
    );
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1, 2, 3], 0);
    inject_all(&mut net, 1, &[10], 0);
    let step = net.step(0, &mut Passthrough::new(net.spec()));
    assert_eq!(
        step,
        Ok(RefStep::Fired {
            transition: 0,
            consumed: 3,
            produced: 3
        })
    );
    assert_eq!(tokens(&net, 2), [10, 1, 2]);
    assert_eq!(tokens(&net, 0), [3]);
}

#[test]
fn produced_tokens_are_appended_in_action_order() {
    let mut net_spec = pipe();
    net_spec.arcs[0].weight = 2;
    net_spec.arcs[1].weight = 2;
    let mut net = build(net_spec);
    inject_all(&mut net, 1, &[0], 0);
    inject_all(&mut net, 0, &[1, 2], 0);
    let swap = vec![
        Action::Forward { input: 1, place: 1 },
        Action::Forward { input: 0, place: 1 },
    ];
    assert!(matches!(
        net.step(0, &mut scripted(swap, Ok(()))),
        Ok(RefStep::Fired { .. })
    ));
    assert_eq!(tokens(&net, 1), [0, 2, 1]);
}

fn emission_fault(actions: Vec<Action<u32>>) -> RefStep {
    let mut net_spec = pipe();
    net_spec.places.push(place(4));
    net_spec.transitions[0].source = true;
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1], 0);
    net.step(0, &mut scripted(actions, Ok(())))
        .expect("no regression")
}

fn failed_with(fault: RefFault) -> RefStep {
    RefStep::Failed {
        transition: 0,
        fault,
        to_error_place: false,
    }
}

#[test]
fn each_invalid_action_is_an_emission_error() {
    let forward = |input, place| Action::Forward { input, place };
    let emit = |place| Action::Emit { place, token: 5 };
    for (actions, error) in [
        (vec![emit(2)], RefEmissionError::UndeclaredOutput),
        (vec![emit(9)], RefEmissionError::UndeclaredOutput),
        (
            vec![forward(0, 1), emit(1)],
            RefEmissionError::WeightExceeded,
        ),
        (vec![forward(1, 1)], RefEmissionError::NoSuchInput),
        (
            vec![forward(0, 1), forward(0, 1)],
            RefEmissionError::AlreadyForwarded,
        ),
        (vec![forward(1, 2)], RefEmissionError::NoSuchInput),
        (
            vec![forward(0, 1), forward(0, 2)],
            RefEmissionError::AlreadyForwarded,
        ),
    ] {
        assert_eq!(
            emission_fault(actions),
            failed_with(RefFault::Emission(error)),
            "{error:?}"
        );
    }
}

#[test]
fn forwarding_an_input_twice_is_an_emission_error() {
    let net_spec = spec(
        vec![place(4), place(4)],
        vec![TransitionSpec {
            source: true,
            ..transition()
        }],
        vec![arc(0, 0, Input, 1), arc(0, 1, Output, 2)],
    );
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1], 0);
    let twice = vec![
        Action::Forward { input: 0, place: 1 },
        Action::Forward { input: 0, place: 1 },
    ];
    let step = net
        .step(0, &mut scripted(twice, Ok(())))
        .expect("no regression");
    assert_eq!(
        step,
        failed_with(RefFault::Emission(RefEmissionError::AlreadyForwarded))
    );
}

#[test]
fn the_first_emission_error_is_reported() {
    let actions = vec![
        Action::Forward { input: 3, place: 1 },
        Action::Emit { place: 2, token: 0 },
    ];
    assert_eq!(
        emission_fault(actions),
        failed_with(RefFault::Emission(RefEmissionError::NoSuchInput))
    );
}

#[test]
fn a_behaviour_error_comes_before_an_emission_error() {
    let mut net = build(pipe());
    inject_all(&mut net, 0, &[1], 0);
    let step = net.step(
        0,
        &mut scripted(vec![Action::Emit { place: 0, token: 1 }], Err(3)),
    );
    assert_eq!(step, Ok(failed_with(RefFault::Behaviour(3))));
}

#[test]
fn a_non_sink_must_not_lose_tokens_and_a_sink_retires_them() {
    let mut net = build(pipe());
    inject_all(&mut net, 0, &[1], 0);
    assert_eq!(
        net.step(0, &mut scripted(vec![], Ok(()))),
        Ok(failed_with(RefFault::LostTokens))
    );

    let mut sink = pipe();
    sink.transitions[0].sink = true;
    let mut net = build(sink);
    inject_all(&mut net, 0, &[1], 0);
    let step = net.step(0, &mut scripted(vec![], Ok(())));
    assert_eq!(
        step,
        Ok(RefStep::Fired {
            transition: 0,
            consumed: 1,
            produced: 0
        })
    );
    assert_eq!(net.counters().retired, 1);
    assert!(net.tokens_conserved());
}

#[test]
fn a_non_source_must_not_invent_tokens_and_a_source_creates_them() {
    let mut two_out = pipe();
    two_out.arcs[1].weight = 2;
    let mut net = build(two_out.clone());
    inject_all(&mut net, 0, &[1], 0);
    let mut passthrough_plus_one = scripted(
        vec![
            Action::Forward { input: 0, place: 1 },
            Action::Emit { place: 1, token: 0 },
        ],
        Ok(()),
    );
    assert_eq!(
        net.step(0, &mut passthrough_plus_one),
        Ok(failed_with(RefFault::InventedTokens))
    );

    two_out.transitions[0].source = true;
    let mut net = build(two_out);
    inject_all(&mut net, 0, &[1], 0);
    let step = net.step(0, &mut Passthrough::new(net.spec()));
    assert_eq!(
        step,
        Ok(RefStep::Fired {
            transition: 0,
            consumed: 1,
            produced: 2
        })
    );
    assert_eq!(
        tokens(&net, 1),
        [1, 0],
        "passthrough fills the rest with the default"
    );
    assert_eq!(net.counters().created, 1);
}

#[test]
fn an_emission_error_comes_before_lost_tokens() {
    // The undeclared emission produces nothing, so the firing also lost its token.
    let mut net = build(pipe());
    inject_all(&mut net, 0, &[1], 0);
    let step = net.step(
        0,
        &mut scripted(vec![Action::Emit { place: 0, token: 1 }], Ok(())),
    );
    assert_eq!(
        step,
        Ok(failed_with(RefFault::Emission(
            RefEmissionError::UndeclaredOutput
        )))
    );
}

#[test]
fn a_failure_moves_the_consumed_tokens_to_the_error_place() {
    let mut net_spec = spec(
        vec![place(4), place(4), place(4), place(4)],
        vec![TransitionSpec {
            error_place: Some(3),
            ..transition()
        }],
        vec![
            arc(0, 1, Input, 1),
            arc(0, 0, Input, 2),
            arc(0, 2, Output, 3),
        ],
    );
    net_spec.places[3].capacity = 3;
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1, 2, 3], 0);
    inject_all(&mut net, 1, &[10], 0);
    let step = net.step(0, &mut failing());
    assert_eq!(
        step,
        Ok(RefStep::Failed {
            transition: 0,
            fault: RefFault::Behaviour(7),
            to_error_place: true
        })
    );
    assert_eq!(tokens(&net, 3), [10, 1, 2]);
    assert_eq!(tokens(&net, 0), [3]);
    assert_eq!(net.counters().failures, [1]);
    assert_eq!(net.counters().firings, [0]);
    assert!(net.tokens_conserved());
}

#[test]
fn a_rollback_restores_the_marking_exactly() {
    let net_spec = spec(
        vec![place(4), place(4), place(4)],
        vec![transition()],
        vec![
            arc(0, 1, Input, 1),
            arc(0, 0, Input, 2),
            arc(0, 2, Output, 3),
        ],
    );
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1, 2, 3], 0);
    inject_all(&mut net, 1, &[10, 11], 0);
    net.step(0, &mut failing()).expect("no regression");
    assert_eq!(tokens(&net, 0), [1, 2, 3]);
    assert_eq!(tokens(&net, 1), [10, 11]);
    assert_eq!(tokens(&net, 2), Vec::<u32>::new());
}

// Rule 7: run.

#[test]
fn run_stops_at_the_budget_and_says_whether_work_remains() {
    let mut net = build(pipe());
    let mut passthrough = Passthrough::new(net.spec());
    inject_all(&mut net, 0, &[1, 2, 3], 0);
    assert_eq!(
        net.run(0, 2, &mut passthrough),
        Ok(RefRun {
            fired: 2,
            failed: 0,
            exhausted: true
        })
    );
    assert_eq!(
        net.run(0, 2, &mut passthrough),
        Ok(RefRun {
            fired: 1,
            failed: 0,
            exhausted: false
        })
    );
    assert_eq!(net.run(0, 0, &mut passthrough), Ok(RefRun::default()));
}

#[test]
fn run_counts_failed_firings_against_the_budget() {
    let mut net = build(competing(&[1, 0], false));
    inject_all(&mut net, 0, &[1, 2], 0);
    let mut fail_t0 = FnBehaviour(|transition: usize, inputs: &[u32], _: u64| {
        let forward = (0..inputs.len())
            .map(|input| Action::Forward { input, place: 1 })
            .collect();
        if transition == 0 {
            (Vec::new(), Err(1))
        } else {
            (forward, Ok(()))
        }
    });
    // t0 fails and is held; t1 fires, which changes place 0 and so clears the hold; t0
    // fails again; t1 fires the last token; nothing is left.
    assert_eq!(
        net.run(0, 10, &mut fail_t0),
        Ok(RefRun {
            fired: 2,
            failed: 2,
            exhausted: false
        })
    );
}

// Rule 8: next_deadline.

#[test]
fn next_deadline_is_now_when_something_is_ready() {
    let mut net = build(pipe());
    assert_eq!(net.next_deadline(&Passthrough::new(net.spec())), None);
    inject_all(&mut net, 0, &[1], 4);
    assert_eq!(net.next_deadline(&Passthrough::new(net.spec())), Some(4));
}

#[test]
fn next_deadline_is_the_earliest_delay_end_hold_or_machine_timeout() {
    let mut net_spec = competing(&[0, 0, 0], false);
    net_spec.transitions[0].delay = 30;
    net_spec.transitions[1].delay = 20;
    net_spec.transitions[2].delay = 50;
    let mut net = build(net_spec);
    inject_all(&mut net, 0, &[1], 10);
    assert_eq!(net.next_deadline(&Passthrough::new(net.spec())), Some(30));
    assert_eq!(
        net.next_deadline(&Logging(Vec::new())),
        Some(30),
        "machine timeout at 1000 is later"
    );
    let early_machine = FnDeadline(25);
    assert_eq!(net.next_deadline(&early_machine), Some(25));
}

#[test]
fn a_held_transition_counts_its_hold_even_when_its_delay_ends_later() {
    let mut net = build(delayed_pipe(10));
    inject_all(&mut net, 0, &[1], 0);
    net.step(10, &mut failing()).expect("no regression");
    assert_eq!(net.next_deadline(&failing()), Some(11));
}

/// A behaviour with nothing to fire and a machine timeout at a fixed instant.
struct FnDeadline(u64);

impl RefBehaviour<u32> for FnDeadline {
    fn fire(&mut self, _: usize, _: &[u32], _: u64) -> Firing {
        (Vec::new(), Ok(()))
    }

    fn next_deadline(&self) -> Option<u64> {
        Some(self.0)
    }
}

// Rule 9: counters and conservation.

#[test]
fn counters_balance_and_high_water_marks_hold_the_peak() {
    let mut net_spec = pipe();
    net_spec.transitions[0].sink = true;
    let mut net = build(net_spec);
    let mut passthrough = Passthrough::new(net.spec());
    inject_all(&mut net, 0, &[1, 2, 3], 0);
    assert!(net.tokens_conserved());
    net.run(0, 2, &mut passthrough).expect("no regression");
    assert!(net.tokens_conserved());
    net.take(1).expect("a token");
    assert!(net.tokens_conserved());
    let counters = net.counters();
    assert_eq!(
        (
            counters.injected,
            counters.taken,
            counters.created,
            counters.retired
        ),
        (3, 1, 0, 0)
    );
    assert_eq!(counters.firings, [2]);
    assert_eq!(counters.high_water, [3, 2]);
}

// Rule 10: the trace.

#[test]
fn the_trace_records_every_event_in_order() {
    let mut net = build(pipe());
    net.inject(0, 1, 2).expect("room");
    net.step(3, &mut Passthrough::new(net.spec()))
        .expect("no regression");
    net.take(1).expect("a token");
    net.inject(0, 5, 4).expect("room");
    net.step(4, &mut failing()).expect("no regression");
    assert_eq!(
        net.trace(),
        &[
            RefEvent::Injected {
                place: 0,
                token: 1,
                at: 2
            },
            RefEvent::Fired {
                transition: 0,
                consumed: vec![1],
                produced: vec![(1, 1)],
                at: 3
            },
            RefEvent::Taken {
                place: 1,
                token: 1,
                at: 3
            },
            RefEvent::Injected {
                place: 0,
                token: 5,
                at: 4
            },
            RefEvent::Failed {
                transition: 0,
                fault: RefFault::Behaviour(7),
                to_error_place: false,
                at: 4
            },
        ]
    );
}

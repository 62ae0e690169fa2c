use super::*;
use crate::net::TransitionId;
use crate::net::TransitionSpec;
use crate::time::{ClockRegression, Duration};

fn timed_net(delay: u64) -> (TestNet, PlaceId, PlaceId, crate::net::TransitionId) {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition_with(
        "t",
        TransitionSpec::new().delay(Duration::from_ticks(delay)),
    );
    b.input(t, p, 1).output(t, q, 1);
    (b.build().unwrap(), p, q, t)
}

#[test]
fn timed_transition_fires_only_after_its_delay_of_continuous_enabling() {
    let (mut net, p, q, t) = timed_net(10);
    net.inject(p, 1, at(100)).unwrap();
    assert_eq!(net.next_deadline(&Passthrough), Some(at(110)));
    assert_eq!(
        net.step(at(109), &mut Passthrough).unwrap(),
        Step::Idle,
        "never early"
    );
    assert_eq!(
        net.step(at(110), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
    assert_eq!(tokens(&net, q).as_slice(), &[1]);
}

#[test]
fn disabling_a_timed_transition_resets_its_clock() {
    let (mut net, p, _, t) = timed_net(10);
    net.inject(p, 1, at(0)).unwrap();
    net.step(at(5), &mut Passthrough).unwrap();
    net.take(p).unwrap(); // disabled at 5
    net.inject(p, 2, at(8)).unwrap(); // enabled again at 8
    assert_eq!(net.next_deadline(&Passthrough), Some(at(18)));
    assert_eq!(
        net.step(at(10), &mut Passthrough).unwrap(),
        Step::Idle,
        "the first enabling does not count"
    );
    assert_eq!(
        net.step(at(18), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
}

#[test]
fn staying_enabled_keeps_the_clock_running() {
    let (mut net, p, _, t) = timed_net(10);
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(4)).unwrap(); // still enabled: no restart
    assert_eq!(
        net.step(at(10), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
}

#[test]
fn a_timed_transition_restarts_its_clock_after_firing() {
    let (mut net, p, q, t) = timed_net(10);
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(0)).unwrap();
    assert_eq!(net.run(at(10), 10, &mut Passthrough).unwrap().fired, 1);
    assert_eq!(net.next_deadline(&Passthrough), Some(at(20)));
    assert_eq!(net.step(at(19), &mut Passthrough).unwrap(), Step::Idle);
    assert_eq!(
        net.step(at(20), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
    assert_eq!(tokens(&net, q).as_slice(), &[1, 2]);
}

#[test]
fn take_enables_at_the_last_instant_seen() {
    let mut b = Builder::new();
    let stop = b.place("stop", 4);
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition_with("t", TransitionSpec::new().delay(Duration::from_ticks(10)));
    b.inhibitor(t, stop, 1).input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(stop, 0, at(0)).unwrap();
    net.inject(p, 1, at(0)).unwrap();
    net.step(at(30), &mut Passthrough).unwrap();
    net.take(stop).unwrap();
    assert_eq!(net.next_deadline(&Passthrough), Some(at(40)));
}

#[test]
fn next_deadline_is_now_when_something_is_ready_and_none_when_idle() {
    let (mut net, p, _, _) = timed_net(0);
    assert_eq!(net.next_deadline(&Passthrough), None);
    net.inject(p, 1, at(3)).unwrap();
    assert_eq!(net.next_deadline(&Passthrough), Some(at(3)));
    net.run(at(3), 10, &mut Passthrough).unwrap();
    assert_eq!(net.next_deadline(&Passthrough), None);
}

#[test]
fn clock_regression_is_an_error_and_changes_nothing() {
    let (mut net, p, q, _) = timed_net(0);
    net.inject(p, 1, at(10)).unwrap();
    let expected = ClockRegression {
        last: at(10),
        now: at(9),
    };
    assert_eq!(net.step(at(9), &mut Passthrough), Err(expected));
    assert_eq!(net.run(at(9), 5, &mut Passthrough), Err(expected));
    match net.inject(p, 2, at(9)) {
        Err(InjectError::ClockRegression(2, e)) => assert_eq!(e, expected),
        other => panic!("expected a regression, got {other:?}"),
    }
    assert_eq!(tokens(&net, p).as_slice(), &[1]);
    assert!(tokens(&net, q).is_empty());
    assert_eq!(net.last_seen(), at(10));
    assert_conserved(&net);
}

#[test]
fn step_splitting_does_not_change_untimed_firings() {
    let build = || {
        let mut b = Builder::new();
        let p = b.place("p", 8);
        let q = b.place("q", 8);
        let r = b.place("r", 8);
        let t1 = b.transition("t1");
        let t2 = b.transition_with("t2", TransitionSpec::new().priority(1));
        b.input(t1, p, 1).output(t1, q, 1);
        b.input(t2, q, 1).output(t2, r, 1);
        let mut net: TestNet = b.build().unwrap();
        for v in 0..4 {
            net.inject(p, v, at(0)).unwrap();
        }
        (net, r)
    };
    let (mut once, r1) = build();
    once.run(at(100), 100, &mut Passthrough).unwrap();
    let (mut split, r2) = build();
    for now in 0..=100 {
        split.step(at(now), &mut Passthrough).unwrap();
    }
    assert_eq!(tokens(&once, r1), tokens(&split, r2));
}

#[test]
fn a_failed_firing_does_not_restart_the_delay_clock() {
    let (mut net, p, _, t) = timed_net(10);
    net.inject(p, 1, at(0)).unwrap();
    let mut failing = from_fn(|_, _: &mut Firing<'_, u32>, _| Err(Fault(1)));
    assert!(matches!(
        net.step(at(10), &mut failing).unwrap(),
        Step::Failed { .. }
    ));
    assert_eq!(
        net.next_deadline(&failing),
        Some(at(11)),
        "retried at the next tick, not after another delay"
    );
    assert_eq!(
        net.step(at(11), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
}

#[test]
fn a_failure_into_the_error_place_keeps_the_clock_of_a_still_enabled_transition() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let err = b.place("err", 4);
    let spec = TransitionSpec::new()
        .delay(Duration::from_ticks(10))
        .error_place(err);
    let t = b.transition_with("t", spec);
    b.input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(0)).unwrap();
    let mut failing = from_fn(|_, _: &mut Firing<'_, u32>, _| Err(Fault(1)));
    assert!(matches!(
        net.step(at(10), &mut failing).unwrap(),
        Step::Failed { .. }
    ));
    assert_eq!(tokens(&net, err).as_slice(), &[1]);
    assert_eq!(
        net.next_deadline(&failing),
        Some(at(10)),
        "enabled since 0, so still ready"
    );
    assert_eq!(
        net.step(at(10), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
    assert_eq!(net.next_deadline(&Passthrough), None);
}

#[test]
fn timed_transitions_fire_in_the_order_they_fall_due_whatever_order_they_started() {
    let mut b = NetBuilder::<u32, 10, 8, 24, 64>::new();
    let delays = [30, 10, 20, 40, 5];
    let mut timed = heapless::Vec::<_, 5>::new();
    for (i, &ms) in delays.iter().enumerate() {
        let (from, to) = (b.place("from", 1), b.place("to", 1));
        let t = b.transition_with(
            ["t30", "t10", "t20", "t40", "t5"][i],
            TransitionSpec::new().delay(Duration::from_ticks(ms)),
        );
        b.input(t, from, 1).output(t, to, 1);
        timed.push((t, from, ms)).unwrap();
    }
    let mut net: Net<u32, 10, 8, 24, 64> = b.build().unwrap();
    for &(_, from, _) in &timed {
        net.inject(from, 1, at(0)).unwrap();
    }
    // Every timer starts at 0.
    while net
        .step(at(0), &mut Passthrough)
        .unwrap()
        .transition()
        .is_some()
    {}
    let mut fired = heapless::Vec::<u64, 5>::new();
    while let Some(due) = net.next_deadline(&Passthrough) {
        let step = net.step(due, &mut Passthrough).unwrap();
        let t = step.transition().expect("something is due at the deadline");
        let &(_, _, ms) = timed.iter().find(|x| x.0 == t).unwrap();
        assert_eq!(due.as_ticks(), ms, "{t:?} fires when it falls due");
        fired.push(ms).unwrap();
    }
    assert_eq!(fired.as_slice(), [5, 10, 20, 30, 40]);
}

#[test]
fn schedule_tells_disabled_waiting_ready_and_held_apart() {
    use crate::net::Schedule;
    use crate::sched::{Behaviour, Fault, Firing};

    /// Fails every firing, so the transition is held after each.
    struct Refuses;
    impl Behaviour<u32> for Refuses {
        fn fire(
            &mut self,
            _: TransitionId,
            _: &mut Firing<'_, u32>,
            _: Instant,
        ) -> Result<(), Fault> {
            Err(Fault(1))
        }
    }

    let (mut net, p, _, t) = timed_net(10);
    assert_eq!(net.schedule_of(t), Some(Schedule::Disabled));
    net.inject(p, 1, at(100)).unwrap();
    assert_eq!(net.schedule_of(t), Some(Schedule::Waiting { due: at(110) }));
    assert_eq!(net.step(at(109), &mut Refuses).unwrap(), Step::Idle);
    assert!(
        net.step(at(110), &mut Refuses)
            .unwrap()
            .transition()
            .is_some()
    );
    let Some(Schedule::Held { due }) = net.schedule_of(t) else {
        panic!(
            "a rolled-back firing holds its transition: {:?}",
            net.schedule_of(t)
        );
    };
    assert!(due > at(110), "held until a later tick, not {due:?}");

    let (mut ready, p, _, t) = timed_net(0);
    ready.inject(p, 1, at(0)).unwrap();
    assert_eq!(ready.schedule_of(t), Some(Schedule::Ready));
    let foreign = TransitionId::new(7);
    assert_eq!(ready.schedule_of(foreign), None);
    assert_eq!(ready.tie_rank(foreign), None);
}

#[test]
fn a_cloned_net_goes_on_exactly_as_the_original() {
    let (mut net, p, q, t) = timed_net(10);
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(4)).unwrap();
    let mut twin = net.clone();
    for now in [at(10), at(20), at(21)] {
        let ours = net.step(now, &mut Passthrough).unwrap();
        let theirs = twin.step(now, &mut Passthrough).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(net.schedule_of(t), twin.schedule_of(t));
    }
    assert_eq!(tokens(&net, q), tokens(&twin, q));
    assert_eq!(tokens(&twin, q).as_slice(), &[1, 2]);
    assert_eq!(net.counters(), twin.counters());
}

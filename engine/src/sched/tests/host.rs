use super::*;

fn net() -> (TestNet, PlaceId) {
    let mut b = Builder::new();
    let p = b.place("p", 2);
    let q = b.place("q", 2);
    let t = b.transition("t");
    b.input(t, q, 1).output(t, p, 1);
    (b.build().unwrap(), p)
}

#[test]
fn inject_into_a_full_place_hands_the_token_back_and_changes_nothing() {
    let (mut net, p) = net();
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(0)).unwrap();
    assert!(matches!(
        net.inject(p, 3, at(1)),
        Err(InjectError::Full(3, q, "p")) if q == p
    ));
    assert_eq!(tokens(&net, p).as_slice(), &[1, 2]);
    assert_eq!(net.counters().injected, 2);
    assert_eq!(
        net.last_seen(),
        at(0),
        "a refused inject does not advance time"
    );
    assert_conserved(&net);
}

#[test]
fn inject_into_an_unknown_place_hands_the_token_back() {
    let (mut net, _) = net();
    assert!(matches!(
        net.inject(PlaceId::new(7), 3, at(0)),
        Err(InjectError::UnknownPlace(3, _))
    ));
    assert!(matches!(
        net.inject(PlaceId::new(60000), 4, at(0)),
        Err(InjectError::UnknownPlace(4, _))
    ));
}

#[test]
fn take_pops_the_head_and_reports_empty_and_unknown_places() {
    let (mut net, p) = net();
    assert_eq!(net.take(p), Err(TakeError::Empty(p, "p")));
    assert_eq!(
        net.take(PlaceId::new(9)),
        Err(TakeError::UnknownPlace(PlaceId::new(9)))
    );
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(0)).unwrap();
    assert_eq!(net.peek(p), Some(&1));
    assert_eq!(net.take(p), Ok(1));
    assert_eq!(net.take(p), Ok(2));
    assert_eq!(net.high_water(p), 2);
    assert_eq!(net.len(p), 0);
    assert_conserved(&net);
}

#[test]
fn marking_lists_every_place_in_declaration_order() {
    let (mut net, p) = net();
    net.inject(p, 1, at(0)).unwrap();
    let marking: heapless::Vec<(PlaceId, usize), 4> = net.marking().collect();
    assert_eq!(
        marking.as_slice(),
        &[(PlaceId::new(0), 1), (PlaceId::new(1), 0)]
    );
}

#[test]
fn observer_sees_host_operations_and_firings() {
    let (mut net, p) = net();
    let q = PlaceId::new(1);
    let mut events: heapless::Vec<NetEvent, 8> = heapless::Vec::new();
    {
        let mut obs = |e: &NetEvent| events.push(*e).unwrap();
        net.inject_observed(q, 1, at(1), &mut obs).unwrap();
        net.step_observed(at(2), &mut Passthrough, &mut obs)
            .unwrap();
        net.take_observed(p, &mut obs).unwrap();
        net.inject_observed(p, 2, at(3), &mut obs).unwrap();
        net.inject_observed(p, 3, at(3), &mut obs).unwrap();
        let _ = net.inject_observed(p, 4, at(3), &mut obs);
    }
    let t = crate::net::TransitionId::new(0);
    assert_eq!(
        events.as_slice(),
        &[
            NetEvent::Injected {
                place: q,
                name: "q",
                at: at(1)
            },
            NetEvent::Fired {
                transition: t,
                name: "t",
                at: at(2),
                consumed: 1,
                produced: 1
            },
            NetEvent::Taken {
                place: p,
                name: "p",
                at: at(2)
            },
            NetEvent::Injected {
                place: p,
                name: "p",
                at: at(3)
            },
            NetEvent::Injected {
                place: p,
                name: "p",
                at: at(3)
            },
            NetEvent::Refused {
                place: p,
                name: "p",
                at: at(3)
            },
        ]
    );
}

#[test]
fn tokens_are_conserved_across_every_operation() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let err = b.place("err", 8);
    let t = b.transition_with("t", crate::net::TransitionSpec::new().error_place(err));
    let s = b.transition_with("s", crate::net::TransitionSpec::new().sink());
    b.input(t, p, 1).output(t, q, 1);
    b.input(s, q, 2).output(s, p, 1);
    let mut net: TestNet = b.build().unwrap();
    let mut flip = 0u32;
    let mut behaviour = from_fn(|tr, f: &mut Firing<'_, u32>, _| {
        flip += 1;
        if tr == t && flip.is_multiple_of(3) {
            return Err(Fault(1));
        }
        let out = f.outputs().next().unwrap().0;
        f.forward(0, out).unwrap();
        Ok(())
    });
    for now in 0..50u64 {
        let _ = net.inject(p, now as u32, at(now));
        assert_conserved(&net);
        net.step(at(now), &mut behaviour).unwrap();
        assert_conserved(&net);
        if now % 7 == 0 {
            let _ = net.take(q);
            let _ = net.take(err);
            assert_conserved(&net);
        }
        assert_within_capacity(&net);
    }
    assert!(net.counters().failures > 0 && net.counters().retired > 0);
}

#[test]
#[cfg(target_pointer_width = "64")]
fn net_size_stays_within_the_documented_bound() {
    use core::mem::size_of;
    fn bound(p: usize, t: usize, a: usize, k: usize) -> usize {
        152 + 40 * p + 112 * t + 36 * a + k * (size_of::<Option<u32>>() + 2)
    }
    assert_eq!(size_of::<Net<u32, 2, 2, 4, 4>>(), 608);
    assert_eq!(size_of::<Net<u32, 64, 64, 128, 256>>(), 15776);
    assert!(size_of::<Net<u32, 2, 2, 4, 4>>() <= bound(2, 2, 4, 4));
    assert!(size_of::<Net<u32, 64, 64, 128, 256>>() <= bound(64, 64, 128, 256));
    assert!(size_of::<Net<u32, 7, 4, 10, 15>>() <= bound(7, 4, 10, 15));
}

#[test]
fn events_name_their_place_and_transition_with_the_index_in_brackets() {
    let mut b = Builder::new();
    let requests = b.place("requests", 1);
    let invalid = b.place("invalid", 1);
    let validate = b.transition_with(
        "validate",
        crate::net::TransitionSpec::new().error_place(invalid),
    );
    let done = b.place("done", 1);
    b.input(validate, requests, 1).output(validate, done, 1);
    let mut net: TestNet = b.build().unwrap();
    let mut shown: heapless::Vec<heapless::String<128>, 4> = heapless::Vec::new();
    let mut obs = |e: &NetEvent| {
        let mut line = heapless::String::new();
        core::fmt::write(&mut line, format_args!("{e}")).unwrap();
        shown.push(line).unwrap();
    };
    net.inject_observed(requests, 1, at(1_500), &mut obs)
        .unwrap();
    let mut reject = from_fn(|_, _: &mut Firing<'_, u32>, _| Err(Fault(4)));
    net.run_observed(at(2_000), 1, &mut reject, &mut obs)
        .unwrap();
    assert_eq!(shown[0].as_str(), "requests[0] injected at 1.500 ms");
    assert_eq!(
        shown[1].as_str(),
        "validate[0] failed at 2.000 ms: the behaviour failed with code 4; \
         the consumed tokens went to the error place invalid[1]"
    );
}

#[test]
fn a_net_counts_the_places_and_transitions_it_was_declared_with() {
    let mut b = Builder::new();
    let (p, q, r) = (b.place("p", 1), b.place("q", 1), b.place("r", 1));
    let (t, u) = (b.transition("t"), b.transition("u"));
    b.input(t, p, 1).output(t, q, 1);
    b.input(u, q, 1).output(u, r, 1);
    let net: TestNet = b.build().unwrap();
    assert_eq!((net.place_count(), net.transition_count()), (3, 2));
    assert_eq!(net.places().count(), 3);
    assert_eq!(net.transitions().count(), 2);
}

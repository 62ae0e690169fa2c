use super::*;

#[test]
fn input_arc_needs_its_weight_and_consumes_exactly_that() {
    let mut b = Builder::new();
    let p = b.place("p", 8);
    let q = b.place("q", 8);
    let t = b.transition_with("t", crate::net::TransitionSpec::new().sink());
    b.input(t, p, 2).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    assert_eq!(net.step(at(0), &mut Passthrough).unwrap(), Step::Idle);
    net.inject(p, 2, at(0)).unwrap();
    net.inject(p, 3, at(0)).unwrap();
    let step = net.step(at(0), &mut Passthrough).unwrap();
    assert_eq!(
        step,
        Step::Fired {
            transition: t,
            consumed: 2,
            produced: 1
        }
    );
    assert_eq!(tokens(&net, p).as_slice(), &[3]);
    assert_eq!(tokens(&net, q).as_slice(), &[1]);
    assert_conserved(&net);
}

#[test]
fn read_arc_needs_tokens_but_consumes_none() {
    let mut b = Builder::new();
    let flag = b.place("flag", 4);
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.read(t, flag, 2).input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 7, at(0)).unwrap();
    net.inject(flag, 1, at(0)).unwrap();
    assert!(
        !net.is_enabled(t),
        "one token is fewer than the read weight 2"
    );
    net.inject(flag, 2, at(0)).unwrap();
    assert!(net.step(at(0), &mut Passthrough).unwrap().transition() == Some(t));
    assert_eq!(tokens(&net, flag).as_slice(), &[1, 2], "read tokens stay");
    assert_eq!(tokens(&net, q).as_slice(), &[7]);
}

#[test]
fn inhibitor_arc_enables_only_below_its_weight() {
    let mut b = Builder::new();
    let stop = b.place("stop", 4);
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.inhibitor(t, stop, 2).input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    net.inject(stop, 0, at(0)).unwrap();
    assert!(
        net.is_enabled(t),
        "one token is below the inhibitor weight 2"
    );
    net.inject(stop, 0, at(0)).unwrap();
    assert!(!net.is_enabled(t), "two tokens reach the inhibitor weight");
    assert_eq!(net.step(at(0), &mut Passthrough).unwrap(), Step::Idle);
    net.take(stop).unwrap();
    assert!(net.is_enabled(t));
    assert_eq!(
        net.step(at(0), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
}

#[test]
fn output_arc_may_produce_fewer_than_its_weight_when_no_token_is_lost() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 3);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 5, at(0)).unwrap();
    // Not a sink: the weight is only an upper bound, and forwarding the one consumed
    // token (1 of up to 3) keeps every token, so the firing succeeds.
    let step = net.step(at(0), &mut Passthrough).unwrap();
    assert_eq!(
        step,
        Step::Fired {
            transition: t,
            consumed: 1,
            produced: 1
        }
    );
    assert_eq!(tokens(&net, q).as_slice(), &[5]);
}

#[test]
fn firings_raise_the_high_water_mark_of_their_output_places() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    for v in 0..3 {
        net.inject(p, v, at(0)).unwrap();
    }
    assert_eq!(net.high_water(q), 0);
    assert_eq!(net.run(at(0), 10, &mut Passthrough).unwrap().fired, 3);
    assert_eq!(net.high_water(q), 3, "only firings ever filled q");
    for _ in 0..3 {
        net.take(q).unwrap();
    }
    assert_eq!(net.high_water(q), 3, "the mark is the most ever held");
    assert_eq!(net.high_water(p), 3);
}

#[test]
fn full_output_place_blocks_the_transition_until_room_appears() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 1);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(0)).unwrap();
    assert_eq!(net.run(at(0), 10, &mut Passthrough).unwrap().fired, 1);
    assert_eq!(
        tokens(&net, p).as_slice(),
        &[2],
        "backpressure keeps the token upstream"
    );
    assert!(!net.is_enabled(t));
    assert_eq!(net.take(q), Ok(1));
    assert!(net.is_enabled(t), "taking from the output makes room");
    assert_eq!(net.run(at(0), 10, &mut Passthrough).unwrap().fired, 1);
    assert_eq!(tokens(&net, q).as_slice(), &[2]);
    assert_within_capacity(&net);
    assert_conserved(&net);
}

#[test]
fn output_room_counts_the_transitions_own_consumption() {
    let mut b = Builder::new();
    let p = b.place("p", 1);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, p, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 9, at(0)).unwrap();
    assert!(
        net.is_enabled(t),
        "a full place it consumes from has room for its output"
    );
    assert_eq!(
        net.step(at(0), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
    assert_eq!(tokens(&net, p).as_slice(), &[9]);
}

#[test]
fn error_place_without_room_blocks_the_transition() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let err = b.place("err", 1);
    let t = b.transition_with("t", crate::net::TransitionSpec::new().error_place(err));
    b.input(t, p, 2).output(t, q, 2);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(0)).unwrap();
    assert!(
        !net.is_enabled(t),
        "the error place cannot take both consumed tokens"
    );
}

#[test]
fn guard_sees_the_tokens_it_would_consume_in_arc_order() {
    fn first_is_even(heads: &crate::net::Heads<'_, u32>) -> bool {
        heads.get(0).is_some_and(|v| v % 2 == 0) && heads.len() == 2
    }
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let r = b.place("r", 4);
    let q = b.place("q", 4);
    let t = b.transition_with("t", crate::net::TransitionSpec::new().guard(first_is_even));
    b.input(t, p, 1).input(t, r, 1).output(t, q, 2);
    let mut net: TestNet = b.build().unwrap();
    net.inject(r, 100, at(0)).unwrap();
    net.inject(p, 1, at(0)).unwrap();
    net.inject(p, 2, at(0)).unwrap();
    assert!(!net.is_enabled(t), "head 1 is odd");
    net.take(p).unwrap();
    assert!(net.is_enabled(t), "the head changed to 2");
    assert_eq!(
        net.step(at(0), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
    assert_eq!(tokens(&net, q).as_slice(), &[2, 100]);
}

#[test]
fn a_guard_sees_its_tokens_in_order_and_a_source_s_guard_sees_none() {
    fn all_in_order(heads: &crate::net::Heads<'_, u32>) -> bool {
        !heads.is_empty() && heads.iter().copied().eq([1, 2, 100])
    }
    fn sees_nothing(heads: &crate::net::Heads<'_, u32>) -> bool {
        heads.is_empty() && heads.iter().next().is_none()
    }
    let mut b = Builder::new();
    let (p, r, q) = (b.place("p", 4), b.place("r", 4), b.place("q", 8));
    let t = b.transition_with("t", crate::net::TransitionSpec::new().guard(all_in_order));
    b.input(t, p, 2).input(t, r, 1).output(t, q, 3);
    let s = b.transition_with(
        "s",
        crate::net::TransitionSpec::new()
            .source()
            .guard(sees_nothing),
    );
    b.output(s, q, 1);
    let mut net: TestNet = b.build().unwrap();
    assert!(net.is_enabled(s), "a source's guard sees no token");
    for (place, token) in [(p, 1), (p, 2), (r, 100)] {
        net.inject(place, token, at(0)).unwrap();
    }
    assert!(net.is_enabled(t), "p's two heads, then r's");
}

use super::*;
use crate::net::{TransitionId, TransitionSpec};

fn two_inputs_net() -> (TestNet, PlaceId, PlaceId, PlaceId, crate::net::TransitionId) {
    let mut b = Builder::new();
    let a = b.place("a", 8);
    let c = b.place("c", 8);
    let out = b.place("out", 8);
    let t = b.transition("t");
    b.input(t, a, 2).input(t, c, 1).output(t, out, 3);
    (b.build().unwrap(), a, c, out, t)
}

#[test]
fn behaviour_receives_consumed_tokens_in_arc_order() {
    let (mut net, a, c, out, t) = two_inputs_net();
    for v in [1, 2, 3] {
        net.inject(a, v, at(0)).unwrap();
    }
    net.inject(c, 10, at(0)).unwrap();
    let mut seen: heapless::Vec<(u32, PlaceId), 4> = heapless::Vec::new();
    let mut b = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        for i in 0..f.len() {
            seen.push((*f.input(i).unwrap(), f.input_place(i).unwrap()))
                .unwrap();
        }
        for i in 0..f.len() {
            f.forward(i, out).unwrap();
        }
        Ok(())
    });
    assert_eq!(net.step(at(0), &mut b).unwrap().transition(), Some(t));
    assert_eq!(seen.as_slice(), &[(1, a), (2, a), (10, c)]);
    assert_eq!(tokens(&net, out).as_slice(), &[1, 2, 10]);
    assert_eq!(tokens(&net, a).as_slice(), &[3]);
}

#[test]
fn failed_behaviour_rolls_back_tokens_in_their_original_order() {
    let (mut net, a, c, out, t) = two_inputs_net();
    for v in [1, 2, 3] {
        net.inject(a, v, at(0)).unwrap();
    }
    net.inject(c, 10, at(0)).unwrap();
    net.inject(c, 11, at(0)).unwrap();
    let mut b = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        f.forward(1, out).unwrap();
        f.emit(out, 99).unwrap();
        Err(Fault(7))
    });
    let step = net.step(at(0), &mut b).unwrap();
    assert_eq!(
        step,
        Step::Failed {
            transition: t,
            error: FiringError::Behaviour(Fault(7)),
            disposition: Disposition::RolledBack
        }
    );
    assert_eq!(tokens(&net, a).as_slice(), &[1, 2, 3]);
    assert_eq!(tokens(&net, c).as_slice(), &[10, 11]);
    assert!(tokens(&net, out).is_empty(), "nothing produced remains");
    assert_eq!(net.failures(t), 1);
    assert_eq!(net.firings(t), 0);
    assert_conserved(&net);
}

#[test]
fn the_observer_sees_each_failure_with_where_its_tokens_went() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let r = b.place("r", 4);
    let err = b.place("err", 4);
    let back = b.transition_with("back", TransitionSpec::new().priority(1));
    let away = b.transition_with("away", TransitionSpec::new().error_place(err));
    b.input(back, p, 1).output(back, q, 1);
    b.input(away, r, 1).output(away, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    net.inject(r, 2, at(0)).unwrap();
    // `back` fails with a fault and has no error place; `away` emits where it may not
    // and has one.
    let mut fail = from_fn(|t, f: &mut Firing<'_, u32>, _| {
        if t == back {
            return Err(Fault(7));
        }
        let _ = f.emit(p, 0);
        Ok(())
    });
    let mut events: heapless::Vec<NetEvent, 4> = heapless::Vec::new();
    let mut obs = |e: &NetEvent| events.push(*e).unwrap();
    net.run_observed(at(1), 2, &mut fail, &mut obs).unwrap();
    assert_eq!(
        events.as_slice(),
        &[
            NetEvent::Failed {
                transition: back,
                name: "back",
                at: at(1),
                error: FiringError::Behaviour(Fault(7)),
                disposition: Disposition::RolledBack,
            },
            NetEvent::Failed {
                transition: away,
                name: "away",
                at: at(1),
                error: FiringError::Emission(EmitError::UndeclaredOutput {
                    place: p,
                    name: "p",
                }),
                disposition: Disposition::ToErrorPlace {
                    place: err,
                    name: "err",
                },
            },
        ]
    );
    assert_eq!(tokens(&net, p).as_slice(), &[1]);
    assert_eq!(tokens(&net, err).as_slice(), &[2]);
    assert_conserved(&net);
}

#[test]
fn rollback_keeps_tokens_already_in_the_output_place() {
    let (mut net, a, c, out, _) = two_inputs_net();
    net.inject(out, 50, at(0)).unwrap();
    net.inject(a, 1, at(0)).unwrap();
    net.inject(a, 2, at(0)).unwrap();
    net.inject(c, 3, at(0)).unwrap();
    let mut b = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        f.forward(0, out).unwrap();
        f.forward(2, out).unwrap();
        Err(Fault(1))
    });
    net.step(at(0), &mut b).unwrap();
    assert_eq!(tokens(&net, out).as_slice(), &[50]);
    assert_eq!(tokens(&net, a).as_slice(), &[1, 2]);
    assert_eq!(tokens(&net, c).as_slice(), &[3]);
    // The rolled-back tokens are still usable: a good behaviour fires them next tick.
    assert!(
        net.step(at(1), &mut Passthrough)
            .unwrap()
            .transition()
            .is_some()
    );
    assert_eq!(tokens(&net, out).as_slice(), &[50, 1, 2, 3]);
    assert_conserved(&net);
}

/// The pass-through path records where each output place ended before the firing, as
/// `forward` does: a failure after it cuts exactly the forwarded tokens off, leaving the
/// tokens that were already there, and their links, as they were.
#[test]
fn pass_through_rollback_keeps_tokens_already_in_the_output_place() {
    let (mut net, a, c, out, _) = two_inputs_net();
    net.inject(out, 50, at(0)).unwrap();
    net.inject(out, 51, at(0)).unwrap();
    net.inject(a, 1, at(0)).unwrap();
    net.inject(a, 2, at(0)).unwrap();
    net.inject(c, 3, at(0)).unwrap();
    let mut b = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        f.pass_through();
        Err(Fault(1))
    });
    net.step(at(0), &mut b).unwrap();
    assert_eq!(tokens(&net, out).as_slice(), &[50, 51]);
    assert_eq!(tokens(&net, a).as_slice(), &[1, 2]);
    assert_eq!(tokens(&net, c).as_slice(), &[3]);
    assert_conserved(&net);
    // The output place's queue is whole: taking and appending work on from its tail.
    assert_eq!(net.take(out), Ok(50));
    assert!(
        net.step(at(1), &mut Passthrough)
            .unwrap()
            .transition()
            .is_some()
    );
    assert_eq!(tokens(&net, out).as_slice(), &[51, 1, 2, 3]);
    assert_conserved(&net);
}

#[test]
fn failed_firing_sends_consumed_tokens_to_the_error_place() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let err = b.place("err", 4);
    let t = b.transition_with("t", TransitionSpec::new().error_place(err));
    b.input(t, p, 2).output(t, q, 2);
    let mut net: TestNet = b.build().unwrap();
    for v in [4, 5, 6] {
        net.inject(p, v, at(0)).unwrap();
    }
    let mut fail = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        f.forward(0, q).unwrap();
        Err(Fault(3))
    });
    let step = net.step(at(0), &mut fail).unwrap();
    assert_eq!(
        step,
        Step::Failed {
            transition: t,
            error: FiringError::Behaviour(Fault(3)),
            disposition: Disposition::ToErrorPlace {
                place: err,
                name: "err",
            }
        }
    );
    assert_eq!(tokens(&net, err).as_slice(), &[4, 5]);
    assert_eq!(tokens(&net, p).as_slice(), &[6]);
    assert!(tokens(&net, q).is_empty());
    assert_eq!(net.high_water(err), 2);
    assert_conserved(&net);
}

#[test]
fn emission_to_an_undeclared_place_fails_the_firing_and_moves_nothing() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let elsewhere = b.place("elsewhere", 4);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    let mut refused = None;
    let mut bad = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        refused = Some(f.emit(elsewhere, 77).unwrap_err());
        f.forward(0, q).unwrap();
        Ok(())
    });
    let step = net.step(at(0), &mut bad).unwrap();
    assert_eq!(
        refused.unwrap().token,
        77,
        "the refused token is handed back"
    );
    assert!(matches!(
        step,
        Step::Failed { error: FiringError::Emission(EmitError::UndeclaredOutput { place: pl, .. }), .. } if pl == elsewhere
    ));
    assert_eq!(tokens(&net, p).as_slice(), &[1]);
    assert!(tokens(&net, q).is_empty());
    assert!(tokens(&net, elsewhere).is_empty());
    assert_conserved(&net);
}

#[test]
fn emission_beyond_the_arc_weight_fails_the_firing_and_moves_nothing() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition_with("t", TransitionSpec::new().source());
    b.input(t, p, 1).output(t, q, 2);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    let mut greedy = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        f.forward(0, q).unwrap();
        f.emit(q, 2).unwrap();
        assert_eq!(
            f.emit(q, 3).unwrap_err().error,
            EmitError::WeightExceeded {
                place: q,
                name: "q",
            }
        );
        Ok(())
    });
    let step = net.step(at(0), &mut greedy).unwrap();
    assert!(matches!(
        step,
        Step::Failed {
            error: FiringError::Emission(EmitError::WeightExceeded { .. }),
            ..
        }
    ));
    assert_eq!(tokens(&net, p).as_slice(), &[1]);
    assert!(tokens(&net, q).is_empty());
    assert_conserved(&net);
}

#[test]
fn forwarding_a_token_twice_or_a_missing_token_is_refused() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 2);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    let mut b = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        assert_eq!(f.forward(5, q), Err(EmitError::NoSuchInput(5)));
        f.forward(0, q).unwrap();
        assert_eq!(f.forward(0, q), Err(EmitError::AlreadyForwarded(0)));
        Ok(())
    });
    let step = net.step(at(0), &mut b).unwrap();
    assert!(matches!(
        step,
        Step::Failed {
            error: FiringError::Emission(EmitError::NoSuchInput(5)),
            ..
        }
    ));
    assert_eq!(tokens(&net, p).as_slice(), &[1]);
}

#[test]
fn a_non_sink_that_drops_tokens_fails_instead_of_losing_them() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    let mut forgetful = from_fn(|_, _: &mut Firing<'_, u32>, _| Ok(()));
    let step = net.step(at(0), &mut forgetful).unwrap();
    assert!(matches!(
        step,
        Step::Failed {
            error: FiringError::LostTokens {
                consumed: 1,
                produced: 0
            },
            ..
        }
    ));
    assert_eq!(tokens(&net, p).as_slice(), &[1]);
    assert_conserved(&net);
}

#[test]
fn a_non_source_that_adds_tokens_fails_instead_of_inventing_them() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 2);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(0)).unwrap();
    let mut doubling = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        let v = *f.input(0).unwrap();
        f.emit(q, v).unwrap();
        f.emit(q, v).unwrap();
        Ok(())
    });
    let step = net.step(at(0), &mut doubling).unwrap();
    assert!(matches!(
        step,
        Step::Failed {
            error: FiringError::InventedTokens {
                consumed: 1,
                produced: 2
            },
            ..
        }
    ));
    assert!(tokens(&net, q).is_empty());
    assert_conserved(&net);
}

#[test]
fn sinks_retire_and_sources_create_tokens_and_both_are_counted() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let make = b.transition_with(
        "make",
        TransitionSpec::new()
            .source()
            .delay(crate::time::Duration::from_ticks(10)),
    );
    let eat = b.transition_with("eat", TransitionSpec::new().sink());
    b.output(make, p, 2);
    b.input(eat, p, 2).output(eat, q, 1);
    let mut net: TestNet = b.build().unwrap();
    let mut b = from_fn(|t, f: &mut Firing<'_, u32>, _| {
        if t == make {
            f.emit(p, 1).unwrap();
            f.emit(p, 2).unwrap();
        } else {
            f.forward(1, q).unwrap();
        }
        Ok(())
    });
    assert_eq!(net.run(at(10), 2, &mut b).unwrap().fired, 2);
    assert_eq!(tokens(&net, q).as_slice(), &[2]);
    assert_eq!(net.counters().created, 2);
    assert_eq!(net.counters().retired, 1);
    assert_conserved(&net);
}

#[test]
fn produced_tokens_enter_places_in_call_order() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.input(t, p, 3).output(t, q, 3);
    let mut net: TestNet = b.build().unwrap();
    for v in [1, 2, 3] {
        net.inject(p, v, at(0)).unwrap();
    }
    let mut b = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        f.forward(2, q).unwrap();
        f.emit(q, 20).unwrap();
        f.forward(0, q).unwrap();
        Ok(())
    });
    net.step(at(0), &mut b).unwrap();
    assert_eq!(tokens(&net, q).as_slice(), &[3, 20, 1]);
    assert_eq!(net.counters().retired, 0);
    assert_conserved(&net);
}

#[test]
fn a_rolled_back_transition_waits_a_tick_unless_its_places_change() {
    let mut b = Builder::new();
    let p = b.place("p", 4);
    let q = b.place("q", 4);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    net.inject(p, 1, at(5)).unwrap();
    let mut failing = from_fn(|_, _: &mut Firing<'_, u32>, _| Err(Fault(9)));
    let report = net.run(at(5), 100, &mut failing).unwrap();
    assert_eq!(
        report,
        RunReport {
            fired: 0,
            failed: 1,
            exhausted: false
        },
        "no busy retry in one instant"
    );
    assert!(net.is_enabled(t));
    assert_eq!(net.next_deadline(&failing), Some(at(6)));
    assert_eq!(
        net.step(at(6), &mut failing).unwrap().transition(),
        Some(t),
        "retried at the next tick"
    );
    // A change to one of its places ends the hold at once.
    net.inject(p, 2, at(6)).unwrap();
    assert_eq!(
        net.step(at(6), &mut Passthrough).unwrap().transition(),
        Some(t)
    );
    assert_eq!(tokens(&net, q).as_slice(), &[1]);
}

/// [`Passthrough`]'s flow through [`Firing`], noting each transition whose firing
/// reaches it, and claiming [`Behaviour::passes_through`] only if `claims`.
struct Noting {
    claims: bool,
    called: heapless::Vec<TransitionId, 16>,
}

impl Noting {
    fn new(claims: bool) -> Self {
        Self {
            claims,
            called: heapless::Vec::new(),
        }
    }
}

impl Behaviour<u32> for Noting {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, u32>,
        now: Instant,
    ) -> Result<(), Fault> {
        self.called.push(transition).unwrap();
        Passthrough.fire(transition, firing, now)
    }

    fn passes_through(&self, _: TransitionId) -> bool {
        self.claims
    }
}

/// `mix` takes two tokens from `a` and one from `c` and hands them to `x` (one) and `y`
/// (two), `drain` (a sink) empties `x`, and `turn`, last in priority, rotates `y`'s
/// head to its tail.
fn pass_through_net() -> (TestNet, [PlaceId; 4]) {
    let mut b = Builder::new();
    let a = b.place("a", 8);
    let c = b.place("c", 8);
    let x = b.place("x", 8);
    let y = b.place("y", 8);
    let mix = b.transition_with("mix", TransitionSpec::new().priority(2));
    let turn = b.transition("turn");
    let drain = b.transition_with("drain", TransitionSpec::new().priority(1).sink());
    b.input(mix, a, 2)
        .input(mix, c, 1)
        .output(mix, x, 1)
        .output(mix, y, 2);
    b.input(turn, y, 1).output(turn, y, 1);
    b.input(drain, x, 1);
    (b.build().unwrap(), [a, c, x, y])
}

#[test]
fn passthrough_moves_tokens_exactly_as_a_firing_would() {
    type Outcome = (
        heapless::Vec<heapless::Vec<u32, 64>, 4>,
        heapless::Vec<usize, 4>,
        heapless::Vec<u32, 3>,
        NetCounters,
        heapless::Vec<NetEvent, 16>,
    );
    fn run<B: Behaviour<u32>>(behaviour: &mut B) -> Outcome {
        let (mut net, places) = pass_through_net();
        let [a, c, ..] = places;
        for v in [1, 2, 3, 4] {
            net.inject(a, v, at(0)).unwrap();
        }
        net.inject(c, 10, at(0)).unwrap();
        net.inject(c, 11, at(0)).unwrap();
        let mut events = heapless::Vec::new();
        let mut obs = |e: &NetEvent| events.push(*e).unwrap();
        net.run_observed(at(1), 7, behaviour, &mut obs).unwrap();
        let marking = places.iter().map(|&p| tokens(&net, p)).collect();
        let high_water = places.iter().map(|&p| net.high_water(p)).collect();
        let firings = net.transitions().map(|t| net.firings(t)).collect();
        (marking, high_water, firings, *net.counters(), events)
    }
    let moved = run(&mut Passthrough);
    let fired = run(&mut Noting::new(false));
    assert_eq!(moved, fired);
    // mix fires twice (x gets 1 and 3, y gets 2, 10, then 4, 11), drain empties x,
    // and turn rotates y three times before the budget of 7 is spent.
    let (marking, high_water, firings, ..) = &moved;
    assert_eq!(marking[2].as_slice(), &[] as &[u32]);
    assert_eq!(marking[3].as_slice(), &[11, 2, 10, 4]);
    assert_eq!(high_water.as_slice(), &[4, 2, 2, 4]);
    assert_eq!(firings.as_slice(), &[2, 3, 2]);
}

#[test]
fn a_behaviour_claiming_pass_through_is_called_only_where_the_net_cannot_move_alone() {
    let (mut net, [a, c, ..]) = pass_through_net();
    net.inject(a, 1, at(0)).unwrap();
    net.inject(a, 2, at(0)).unwrap();
    net.inject(c, 3, at(0)).unwrap();
    let mut claiming = Noting::new(true);
    let report = net.run(at(1), 4, &mut claiming).unwrap();
    assert_eq!(report.fired, 4);
    // mix and turn conserve tokens, so the net moves them; drain is a sink that
    // consumes more than it produces, so its firing goes through the behaviour.
    let drain = net.transitions().nth(2).unwrap();
    assert_eq!(claiming.called.as_slice(), &[drain]);
}

/// What a behaviour saw of each firing: the transition, whether it was a source,
/// whether it consumed nothing, and the emission error after its outputs (and after
/// one token more into `extra`, if set, for transition `greedy`).
struct Seeing {
    greedy: Option<(TransitionId, PlaceId)>,
    seen: heapless::Vec<(TransitionId, bool, bool, bool), 8>,
}

impl Behaviour<u32> for Seeing {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, u32>,
        now: Instant,
    ) -> Result<(), Fault> {
        let (source, empty) = (firing.is_source(), firing.is_empty());
        let result = Passthrough.fire(transition, firing, now);
        if let Some((greedy, extra)) = self.greedy
            && greedy == transition
        {
            let _ = firing.emit(extra, 7);
        }
        let _ = self
            .seen
            .push((transition, source, empty, firing.error().is_some()));
        result
    }
}

#[test]
fn a_behaviour_sees_whether_a_firing_is_a_source_consumed_nothing_or_was_refused() {
    let mut b = Builder::new();
    let (p, q) = (b.place("p", 1), b.place("q", 1));
    let s = b.transition_with("make", TransitionSpec::new().source());
    b.output(s, p, 1);
    let t = b.transition("move");
    b.input(t, p, 1).output(t, q, 1);
    let mut net: TestNet = b.build().unwrap();
    let mut seeing = Seeing {
        greedy: Some((t, q)),
        seen: heapless::Vec::new(),
    };
    net.step(at(0), &mut seeing).unwrap();
    net.step(at(0), &mut seeing).unwrap();
    assert_eq!(
        seeing.seen.as_slice(),
        [(s, true, true, false), (t, false, false, true)],
        "`make` is a source and consumes nothing; `move`'s extra token finds `q` full"
    );
    assert_eq!(net.len(q), 0, "the refused firing was undone");
    assert_eq!(net.len(p), 1);
}

/// Emits a fresh token for each one it consumes instead of forwarding it.
struct Replacing;

impl Behaviour<u32> for Replacing {
    fn fire(
        &mut self,
        _: TransitionId,
        firing: &mut Firing<'_, u32>,
        _: Instant,
    ) -> Result<(), Fault> {
        let outputs: heapless::Vec<(PlaceId, u16), 4> = firing.outputs().collect();
        for (place, _) in outputs {
            let token = firing.input(0).copied().unwrap_or(0) + 1;
            firing.emit(place, token).map_err(|_| Fault(1))?;
        }
        Ok(())
    }
}

#[test]
fn consumed_tokens_that_are_not_forwarded_go_back_to_the_pool() {
    // Two places of one token each and a pool of three slots: one firing's fresh token
    // needs a slot, so a slot kept by a consumed token would stop the ring at once.
    let mut b = NetBuilder::<u32, 2, 2, 4, 3>::new();
    let (p, q) = (b.place("p", 1), b.place("q", 1));
    let (there, back) = (b.transition("there"), b.transition("back"));
    b.input(there, p, 1).output(there, q, 1);
    b.input(back, q, 1).output(back, p, 1);
    let mut net: Net<u32, 2, 2, 4, 3> = b.build().unwrap();
    net.inject(p, 0, at(0)).unwrap();
    for n in 0..100 {
        let step = net.step(at(0), &mut Replacing).unwrap();
        assert!(step.transition().is_some(), "firing {n}: {step:?}");
    }
    assert_eq!(net.counters().failures, 0);
    assert_eq!(net.tokens(p).copied().next(), Some(100));
}

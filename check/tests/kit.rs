//! The test kit checks itself: on every generated net a correct engine passes every
//! check and agrees with the reference, and each check fails, with a message naming
//! what broke, when the thing it watches is broken on purpose.

use std::sync::atomic::{AtomicU32, Ordering};

use mycel::net::{Net, PlaceId, TransitionSpec};
use mycel::sched::{
    Behaviour, Fault, Firing, InjectError, Observer, Passthrough, Step, TakeError, from_fn,
};
use mycel::time::{ClockRegression, Instant};
use mycel_check::kit::{
    Checker, LockstepError, LockstepOptions, Op, OpsShape, ReferenceGuards, Subject, ViolationKind,
    lockstep, lockstep_with_guards, ops_for_places,
};
use mycel_check::model_based::net::engine::{EngineNet, to_engine};
use mycel_check::model_based::net::strategy::net_draft;
use mycel_check::reference::net::{GuardSpec, NetSpec};
use proptest::prelude::*;

/// A valid generated net and operations for it.
fn net_and_ops() -> impl Strategy<Value = (NetSpec<u32>, Vec<Op<u32>>)> {
    net_draft()
        .prop_map(|draft| draft.repair())
        .prop_filter("the engine builds it", |spec| to_engine(spec).is_ok())
        .prop_flat_map(|spec| {
            let places = spec.places.len();
            (
                Just(spec),
                ops_for_places(places, 0u32..8, OpsShape::default()),
            )
        })
}

fn built(spec: &NetSpec<u32>) -> EngineNet {
    to_engine(spec).expect("filtered to nets the engine builds")
}

/// The generated net's guards, stated for the reference as the spec states them.
fn guards_of(spec: &NetSpec<u32>) -> ReferenceGuards<u32> {
    spec.transitions
        .iter()
        .enumerate()
        .filter_map(|(t, transition)| Some((t, transition.guard.clone()?)))
        .fold(ReferenceGuards::new(), |guards, (t, guard)| {
            let id = mycel::net::TransitionId::new(u16::try_from(t).unwrap());
            guards.with(id, guard)
        })
}

proptest! {
    #![proptest_config(mycel_check::proptest_config::config(
        64,
        "tests/proptest-regressions/kit.txt",
    ))]

    #[test]
    fn on_every_generated_net_capacities_tokens_invariants_and_replay_hold(
        (spec, ops) in net_and_ops(),
    ) {
        let checked = Checker::new()
            .allow_flow_faults()
            .run(|| (built(&spec), Passthrough), &ops);
        prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
    }

    #[test]
    fn the_engine_agrees_with_the_reference_semantics_on_every_generated_net_guards_included(
        (spec, ops) in net_and_ops(),
    ) {
        let options = LockstepOptions { round_robin: spec.round_robin };
        let compared =
            lockstep_with_guards(|| (built(&spec), Passthrough), &ops, options, &guards_of(&spec));
        prop_assert!(compared.is_ok(), "{}", compared.unwrap_err());
    }
}

/// `a -> b` and `c -> d`, two independent relays.
fn two_relays() -> Net<u32, 4, 2, 4, 9> {
    let mut b = Net::builder();
    let (a, bb, c, d) = (
        b.place("a", 2),
        b.place("b", 2),
        b.place("c", 2),
        b.place("d", 2),
    );
    let (ab, cd) = (b.transition("ab"), b.transition("cd"));
    b.input(ab, a, 1).output(ab, bb, 1);
    b.input(cd, c, 1).output(cd, d, 1);
    b.build().expect("a valid net")
}

/// A host adapter with a bug: `inject` reports success for place 0 but drops the token,
/// or (misrouting) puts it into place 2.
struct FaultyAdapter {
    net: Net<u32, 4, 2, 4, 9>,
    misroute: bool,
}

impl Subject<u32, 4, 2, 4, 9> for FaultyAdapter {
    type Ready = mycel::net::ReadyHeap<2>;
    type Store = mycel::net::Declaration<u32, 4, 2, 4, 9>;

    fn net(&self) -> &Net<u32, 4, 2, 4, 9> {
        &self.net
    }

    fn inject_observed<O: Observer>(
        &mut self,
        place: PlaceId,
        token: u32,
        now: Instant,
        observer: &mut O,
    ) -> Result<(), InjectError<u32>> {
        match (place.index(), self.misroute) {
            (0, false) => Ok(()),
            (0, true) => self
                .net
                .inject_observed(PlaceId::new(2), token, now, observer),
            _ => self.net.inject_observed(place, token, now, observer),
        }
    }

    fn take_observed<O: Observer>(
        &mut self,
        place: PlaceId,
        observer: &mut O,
    ) -> Result<u32, TakeError> {
        self.net.take_observed(place, observer)
    }

    fn step_observed<B: Behaviour<u32>, O: Observer>(
        &mut self,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Result<Step, ClockRegression> {
        self.net.step_observed(now, behaviour, observer)
    }
}

#[test]
fn a_dropped_injection_is_reported_as_tokens_not_conserved() {
    let make = || {
        let adapter = FaultyAdapter {
            net: two_relays(),
            misroute: false,
        };
        (adapter, Passthrough)
    };
    let ops = [
        Op::Inject { place: 2, token: 1 },
        Op::Inject { place: 0, token: 2 },
    ];
    let violation = Checker::new().run(make, &ops).unwrap_err();
    assert_eq!(violation.index, 1);
    assert!(
        matches!(
            *violation.kind,
            ViolationKind::TokensNotConserved {
                held: 1,
                expected: 2,
                ..
            }
        ),
        "{violation}"
    );
    assert_eq!(
        violation.to_string(),
        "operation 1 (inject 2 into a[0]): the net holds 1 tokens, but 2 are accounted for \
         (start 0 + injected 2 - taken 0 + created 0 - retired 0)"
    );
}

#[test]
fn a_misrouted_injection_breaks_a_p_invariant_that_names_its_places() {
    let make = || {
        let adapter = FaultyAdapter {
            net: two_relays(),
            misroute: true,
        };
        (adapter, Passthrough)
    };
    let ops = [Op::Step { gap: 0 }, Op::Inject { place: 0, token: 5 }];
    let violation = Checker::new().run(make, &ops).unwrap_err();
    assert_eq!(violation.index, 1);
    let message = violation.to_string();
    assert!(
        message.contains("P-invariant a[0] + b[1] is 0, expected 1"),
        "{message}"
    );
}

/// Fails every other firing of the whole program, so two runs disagree.
static FIRINGS_SO_FAR: AtomicU32 = AtomicU32::new(0);

#[test]
fn a_behaviour_with_hidden_global_state_fails_the_replay_check() {
    let make = || {
        let behaviour = from_fn(|t, firing: &mut Firing<'_, u32>, now| {
            if FIRINGS_SO_FAR.fetch_add(1, Ordering::Relaxed) % 2 == 1 {
                return Err(Fault(9));
            }
            Passthrough.fire(t, firing, now)
        });
        (two_relays(), behaviour)
    };
    let ops = [
        Op::Inject { place: 0, token: 1 },
        Op::Step { gap: 0 },
        Op::Inject { place: 0, token: 2 },
        Op::Step { gap: 0 },
        Op::Step { gap: 1 },
    ];
    let violation = Checker::new().run(make, &ops).unwrap_err();
    assert!(
        matches!(*violation.kind, ViolationKind::Replay { .. }),
        "{violation}"
    );
    assert!(violation.to_string().contains("the replay differs"));
}

#[test]
fn a_behaviour_that_swaps_tokens_diverges_from_the_reference_by_value() {
    let make = || {
        let mut b = Net::<u32, 2, 1, 2, 6>::builder();
        let (a, z) = (b.place("a", 2), b.place("z", 2));
        let t = b.transition("pair");
        b.input(t, a, 2).output(t, z, 2);
        let net = b.build().expect("a valid net");
        let swap = from_fn(move |_, firing: &mut Firing<'_, u32>, _| {
            firing.forward(1, z).map_err(|_| Fault(1))?;
            firing.forward(0, z).map_err(|_| Fault(1))
        });
        (net, swap)
    };
    let ops = [
        Op::Inject { place: 0, token: 1 },
        Op::Inject { place: 0, token: 2 },
        Op::Step { gap: 0 },
    ];
    let error = lockstep(make, &ops, LockstepOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "operation 2 (step after 0 ticks): the engine and the reference disagree on tokens \
         of place z[1]: engine [2, 1], reference [1, 2]"
    );
}

#[test]
fn lockstep_refuses_a_guarded_transition_by_name() {
    fn never(_: &mycel::net::Heads<'_, u32>) -> bool {
        false
    }
    let make = || {
        let mut b = Net::<u32, 2, 1, 2, 4>::builder();
        let (a, z) = (b.place("a", 1), b.place("z", 1));
        let t = b.transition_with("closed", TransitionSpec::new().guard(never));
        b.input(t, a, 1).output(t, z, 1);
        (b.build().expect("a valid net"), Passthrough)
    };
    let error = lockstep(make, &[Op::Step { gap: 0 }], LockstepOptions::default()).unwrap_err();
    assert_eq!(
        error,
        LockstepError::Guarded {
            transition: "closed[0]".to_owned()
        }
    );
}

#[test]
fn the_generated_cases_fire_transitions_and_check_p_invariants() {
    let (mut firings, mut with_invariants, mut events, mut guarded) = (0, 0, 0, 0);
    for (spec, ops) in mycel_check::proptest_config::samples(&net_and_ops(), 64) {
        let report = Checker::new()
            .allow_flow_faults()
            .run(|| (built(&spec), Passthrough), &ops)
            .expect("a correct engine passes");
        firings += report.firings;
        with_invariants += usize::from(!report.sums.is_empty());
        let options = LockstepOptions {
            round_robin: spec.round_robin,
        };
        guarded += usize::from(spec.transitions.iter().any(|t| t.guard.is_some()));
        events += lockstep_with_guards(
            || (built(&spec), Passthrough),
            &ops,
            options,
            &guards_of(&spec),
        )
        .expect("the engine agrees with the reference")
        .events;
    }
    // Measured on these 64 deterministic cases: 231 firings, 18 cases with a P-invariant
    // to check, 840 events compared; a vacuous generator would give none.
    assert!(firings >= 64, "{firings} firings");
    assert!(
        with_invariants >= 8,
        "{with_invariants} cases with P-invariants"
    );
    assert!(events >= 256, "{events} events compared");
    assert!(guarded >= 8, "{guarded} cases with a guarded transition");
}

/// `a -> z` through `even_only`, whose guard lets only an even head through.
fn even_gate() -> (Net<u32, 2, 1, 2, 5>, Passthrough) {
    fn even(heads: &mycel::net::Heads<'_, u32>) -> bool {
        heads.get(0).is_some_and(|t| t % 2 == 0)
    }
    let mut b = Net::<u32, 2, 1, 2, 5>::builder();
    let (a, z) = (b.place("a", 2), b.place("z", 2));
    let t = b.transition_with("even_only", TransitionSpec::new().guard(even));
    b.input(t, a, 1).output(t, z, 1);
    (b.build().expect("a valid net"), Passthrough)
}

fn gate_ops() -> [Op<u32>; 5] {
    [
        Op::Inject { place: 0, token: 3 },
        Op::Step { gap: 0 },
        Op::Take { place: 0 },
        Op::Inject { place: 0, token: 4 },
        Op::Step { gap: 1 },
    ]
}

#[test]
fn lockstep_runs_a_guarded_net_against_the_guard_stated_for_the_reference() {
    let gate = mycel::net::TransitionId::new(0);
    let even = ReferenceGuards::new().with(gate, GuardSpec::Predicate(|t| t[0] % 2 == 0));
    let report = lockstep_with_guards(even_gate, &gate_ops(), LockstepOptions::default(), &even)
        .expect("the guard and its statement agree");
    assert_eq!(report.firings, 1, "3 is held back, 4 goes through");
}

#[test]
fn a_guard_stated_differently_for_the_reference_diverges_as_soon_as_it_answers_differently() {
    let gate = mycel::net::TransitionId::new(0);
    let odd = ReferenceGuards::new().with(gate, GuardSpec::Predicate(|t| t[0] % 2 == 1));
    let error =
        lockstep_with_guards(even_gate, &gate_ops(), LockstepOptions::default(), &odd).unwrap_err();
    let LockstepError::Diverged { index, what, .. } = &error else {
        panic!("expected a divergence, got {error}");
    };
    // As soon as 3 arrives, the reference's statement enables the transition and the
    // engine's guard does not.
    assert_eq!(*index, 0, "{error}");
    assert!(what.contains("enabled"), "{error}");
}

#[test]
fn a_guard_stated_for_a_transition_without_one_is_refused_by_name() {
    let make = || {
        let mut b = Net::<u32, 2, 1, 2, 4>::builder();
        let (a, z) = (b.place("a", 1), b.place("z", 1));
        let t = b.transition("open");
        b.input(t, a, 1).output(t, z, 1);
        (b.build().expect("a valid net"), Passthrough)
    };
    let stray = ReferenceGuards::new().with(mycel::net::TransitionId::new(0), GuardSpec::Never);
    let error = lockstep_with_guards(make, &[], LockstepOptions::default(), &stray).unwrap_err();
    assert_eq!(
        error,
        LockstepError::StrayGuard {
            transition: "open[0]".to_owned()
        }
    );
    let beyond = ReferenceGuards::new().with(mycel::net::TransitionId::new(5), GuardSpec::Never);
    let error = lockstep_with_guards(make, &[], LockstepOptions::default(), &beyond).unwrap_err();
    assert_eq!(
        error,
        LockstepError::StrayGuard {
            transition: "#5".to_owned()
        }
    );
}

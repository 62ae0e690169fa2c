//! Exploring any running net with its machines, through `NetExplorer`, without a
//! hand-written model: the flagship pipeline gives the same state space as its
//! hand-written model, a declared net that owns its breaker is proven (and a broken
//! binding caught with a shortest trace), and timed transitions, restless nets and
//! mistakes in the environment are handled as documented.

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{
    BreakerConfig, BreakerEvent, BreakerMachine, BreakerOutput, BreakerStateKind, CircuitBreaker,
    Outcome, Permit,
};
use mycel::embed::{Binding, Route};
use mycel::net::{Net, PlaceId, TransitionSpec};
use mycel::sched::{Behaviour, Fault, Firing, Passthrough};
use mycel::time::{Duration, Instant};
use mycel_check::explore::{
    EncodeError, Environment, NetExploreError, NetExplorer, NetVerdict, TIMEOUT,
};
use mycel_check::flagship::{self, Admission, Call, Pipeline, PipelineApp, PipelineModel};

fn classic() -> BreakerConfig {
    BreakerConfig::consecutive(2, Duration::from_secs(5), 1)
}

/// The flagship pipeline explored generically: the same outside events as the
/// hand-written `PipelineModel`.
fn flagship_generic(
    requests: u8,
    config: BreakerConfig,
    admission: Admission,
) -> mycel_check::explore::NetExploration {
    let p = Pipeline::PLACES;
    let calls = (0..requests).map(|id| Call {
        id,
        permit: None,
        answer: None,
    });
    let answer = |outcome| {
        move |call: Call| Call {
            answer: Some(outcome),
            ..call
        }
    };
    let environment = Environment::new()
        .inject("request", p.requests.id(), calls)
        .answer(
            "backend ok",
            p.forwarded.id(),
            p.responses.id(),
            answer(Outcome::Success),
        )
        .answer(
            "backend fails",
            p.forwarded.id(),
            p.responses.id(),
            answer(Outcome::Failure),
        );
    let breaker = CircuitBreaker::new(config, Instant::from_ticks(0)).expect("valid config");
    NetExplorer::new(
        || (Pipeline::new(), PipelineApp::new(breaker, admission)),
        environment,
    )
    .always("OPEN never forwards", |s| {
        !s.behaviour().forwarded_while_open
    })
    .finished(move |s| s.len(p.done.id()) + s.len(p.rejected.id()) == usize::from(requests))
    .run()
    .expect("the pipeline explores")
}

#[test]
fn the_generic_explorer_finds_exactly_the_hand_written_models_state_space() {
    for admission in [Admission::Breaker, Admission::ForwardRejected] {
        for requests in 1..=5 {
            let generic = flagship_generic(requests, classic(), admission);
            let model = PipelineModel::new(requests, classic(), admission).expect("valid model");
            let proof = flagship::prove(&model, 1_000_000).expect("every step computes");
            let at = format!("{admission:?}, {requests} requests");
            assert!(generic.complete && proof.complete, "{at}");
            assert_eq!(
                (generic.states, generic.edges, generic.depth),
                (proof.states, proof.edges, proof.depth),
                "{at}"
            );
            assert_eq!(generic.deadlock_count, proof.deadlock_count, "{at}");
            assert_eq!(generic.finished_states, proof.finished_states, "{at}");
            let violation = match generic.verdict("OPEN never forwards") {
                Some(NetVerdict::Violated(trace)) => Some(trace.events()),
                Some(NetVerdict::Holds) => None,
                other => panic!("{at}: {other:?}"),
            };
            let expected = proof
                .forwarded_while_open
                .map(|steps| steps.iter().map(|s| s.name()).collect::<Vec<_>>());
            assert_eq!(violation, expected, "{at}");
            assert_eq!(generic.tokens_conserved, NetVerdict::Holds);
        }
    }
}

#[test]
fn the_flagship_pipeline_explored_generically_holds_and_bounds_its_places() {
    let report = flagship_generic(4, classic(), Admission::Breaker);
    assert!(report.holds(), "{report}");
    // Bounds at rest: `requests` and `forwarded` fill up, `record` empties `responses`
    // in the same run that fills it, all four requests can end done, two rejected.
    assert_eq!(report.place_bounds, [2, 2, 0, 4, 2]);
    assert!(report.dead_transitions.is_empty(), "{report}");
}

// A declared net that owns its breaker, as a user declares one.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
struct Request {
    id: u8,
    permit: Option<Permit>,
    ok: Option<bool>,
}

mycel::net! {
    /// requests -> route (breaker) -> calls -> (backend) -> answers -> record (breaker) -> done.
    #[derive(Clone)]
    net Guarded: Request {
        machines { breaker: CircuitBreaker }
        places { requests: 2, calls: 2, rejected: 4, answers: 2, done: 4 }
        transitions {
            route [machine = breaker, binding = ADMIT]: requests -> calls + rejected,
            record [machine = breaker, binding = REPORT]: answers -> done,
        }
    }
}
mycel_check::declared_subject!(Guarded: Request {
    requests, calls, rejected, answers, done
} machines { breaker });

const ADMIT: Admit<Request> = Admit {
    forwarded: Guarded::PLACES.calls.id(),
    rejected: Guarded::PLACES.rejected.id(),
    attach: |request, permit| Request {
        permit: Some(permit),
        ..*request
    },
};

const REPORT: Report<Request> = Report {
    done: Guarded::PLACES.done.id(),
    outcome: |request| {
        let outcome = if request.ok? {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        request.permit.map(|permit| (permit, outcome))
    },
};

/// The behaviour for the transitions no machine fires: there are none in these nets.
#[derive(Clone, Copy, serde::Serialize)]
struct NoBehaviour;

impl Behaviour<Request> for NoBehaviour {
    fn fire(
        &mut self,
        _: mycel::net::TransitionId,
        _: &mut Firing<'_, Request>,
        _: Instant,
    ) -> Result<(), Fault> {
        Err(Fault(1))
    }
}

fn guarded_environment(requests: u8) -> Environment<Request> {
    environment(
        requests,
        Guarded::PLACES.requests.id(),
        Guarded::PLACES.calls.id(),
        Guarded::PLACES.answers.id(),
    )
}

/// Requests `0..requests` arrive in `requests`; the backend answers a call from `calls`
/// into `answers`, well or badly.
fn environment(
    requests: u8,
    into: PlaceId,
    calls: PlaceId,
    answers: PlaceId,
) -> Environment<Request> {
    let answer = |ok| {
        move |request: Request| Request {
            ok: Some(ok),
            ..request
        }
    };
    Environment::new()
        .inject(
            "request",
            into,
            (0..requests).map(|id| Request {
                id,
                ..Request::default()
            }),
        )
        .answer("backend ok", calls, answers, answer(true))
        .answer("backend fails", calls, answers, answer(false))
}

fn guarded(breaker: BreakerConfig) -> impl FnOnce() -> (Guarded, NoBehaviour) {
    move || {
        let breaker = CircuitBreaker::new(breaker, Instant::from_ticks(0)).expect("valid config");
        (Guarded::new(breaker), NoBehaviour)
    }
}

#[test]
fn a_net_that_owns_its_breaker_never_forwards_while_open_and_loses_no_request() {
    let p = Guarded::PLACES;
    let requests = 4u8;
    let report = NetExplorer::new(guarded(classic()), guarded_environment(requests))
        .always("every call holds a permit", |s| {
            s.tokens(p.calls.id()).all(|r: &Request| r.permit.is_some())
        })
        .always("OPEN admits no call", |s| {
            let breaker = &s.subject().breaker;
            breaker.state() != BreakerStateKind::Open
                || s.tokens(p.calls.id()).all(|r: &Request| {
                    r.permit
                        .is_some_and(|permit| permit.generation() != breaker.generation())
                })
        })
        .always("every request is in exactly one place", move |s| {
            let mut seen = vec![0; usize::from(requests)];
            for place in [p.requests, p.calls, p.rejected, p.answers, p.done] {
                for r in s.tokens(place.id()) {
                    let r: &Request = r;
                    seen[usize::from(r.id)] += 1;
                }
            }
            seen.iter().take(s.injected(0) as usize).all(|&n| n == 1)
        })
        .reachable("the breaker opens", |s| {
            s.subject().breaker.state() == BreakerStateKind::Open
        })
        .reachable("a request is rejected", |s| s.len(p.rejected.id()) > 0)
        .finished(move |s| s.len(p.done.id()) + s.len(p.rejected.id()) == usize::from(requests))
        .run()
        .expect("the net explores");
    assert!(report.holds(), "{report}");
    assert!(report.finished_states > 0);
    let Some(NetVerdict::Reached(opens)) = report.verdict("the breaker opens") else {
        panic!("{report}");
    };
    // Shortest: two requests in, both fail.
    assert_eq!(
        opens.events(),
        ["request", "request", "backend fails", "backend fails"]
    );
    assert_eq!(opens.fired(), ["route", "route", "record", "record"]);
    let Some(NetVerdict::Reached(rejected)) = report.verdict("a request is rejected") else {
        panic!("{report}");
    };
    assert_eq!(rejected.steps.len(), 5);
    assert_eq!(rejected.steps[4].firings[0].transition, "route");
}

#[test]
fn time_passes_to_the_breakers_deadline_and_it_half_opens() {
    let p = Guarded::PLACES;
    let report = NetExplorer::new(guarded(classic()), guarded_environment(3))
        .reachable("a probe is at the backend", |s| {
            s.tokens(p.calls.id())
                .any(|r: &Request| r.permit.is_some_and(|permit| permit.is_probe()))
        })
        .run()
        .expect("the net explores");
    let Some(NetVerdict::Reached(probe)) = report.verdict("a probe is at the backend") else {
        panic!("{report}");
    };
    assert_eq!(
        probe.events(),
        [
            "request",
            "request",
            "backend fails",
            "backend fails",
            TIMEOUT,
            "request"
        ]
    );
    assert_eq!(
        probe.steps[4].at,
        Instant::from_ticks(0) + Duration::from_secs(5)
    );
}

#[test]
fn a_net_that_owns_a_machine_it_does_not_list_is_refused() {
    mycel::net! {
        #[derive(Clone)]
        net Unlisted: Request {
            machines { breaker: CircuitBreaker }
            places { requests: 1, calls: 1, rejected: 1 }
            transitions {
                route [machine = breaker, binding = UNLISTED_ADMIT]: requests -> calls + rejected,
            }
        }
    }
    mycel_check::declared_subject!(Unlisted: Request { requests, calls, rejected });
    const UNLISTED_ADMIT: Admit<Request> = Admit {
        forwarded: Unlisted::PLACES.calls.id(),
        rejected: Unlisted::PLACES.rejected.id(),
        attach: |request, _| *request,
    };
    let breaker = CircuitBreaker::new(classic(), Instant::from_ticks(0)).expect("valid config");
    let refused =
        NetExplorer::new(|| (Unlisted::new(breaker), NoBehaviour), Environment::new()).run();
    assert_eq!(
        refused,
        Err(NetExploreError::Encode(EncodeError::UnlistedMachines {
            count: 1
        }))
    );
}

/// A builder net with a delayed transition: `wait` moves a token on only 10 ticks
/// after it arrived, so the schedule is part of the state.
fn delayed() -> (Net<u8, 2, 1, 2, 5>, Passthrough) {
    let mut b = Net::<u8, 2, 1, 2, 5>::builder();
    let (inbox, outbox) = (b.place("inbox", 2), b.place("outbox", 2));
    let wait = b.transition_with(
        "wait",
        TransitionSpec::new().delay(Duration::from_ticks(10)),
    );
    b.input(wait, inbox, 1).output(wait, outbox, 1);
    (b.build().expect("a valid net"), Passthrough)
}

#[test]
fn a_delayed_transition_fires_only_when_time_passes_to_its_deadline() {
    let (inbox, outbox) = (PlaceId::new(0), PlaceId::new(1));
    let report = NetExplorer::new(delayed, Environment::new().inject("send", inbox, [1, 2]))
        .finished(move |s| s.len(outbox) == 2)
        .run()
        .expect("the net explores");
    // (inbox, outbox, now, wait's schedule): ([],[],0,-) -> ([1],[],0,due 10) ->
    // ([1,2],[],0,due 10) or, at the timeout, ([],[1],10,-). From ([1,2],..) the
    // timeout fires 1 and restarts the clock: ([2],[1],10,due 20), which is also where
    // sending 2 at 10 leads; then ([],[1,2],20,-). Six states.
    assert_eq!((report.states, report.deadlock_count), (6, 0), "{report}");
    assert_eq!(report.finished_states, 1);
    assert!(report.holds(), "{report}");
}

#[test]
fn mistakes_in_the_environment_and_restless_nets_are_typed_errors() {
    let foreign = {
        let mut b = Net::<u8, 2, 1, 2, 4>::builder();
        b.place("elsewhere", 1)
    };
    let refused = NetExplorer::new(delayed, Environment::new().take("drain", foreign)).run();
    assert!(
        matches!(&refused, Err(NetExploreError::UnknownPlace { event, .. }) if event == "drain"),
        "{refused:?}"
    );
    let out_of_range =
        NetExplorer::new(delayed, Environment::new().take("drain", PlaceId::new(9))).run();
    assert!(matches!(
        out_of_range,
        Err(NetExploreError::UnknownPlace { .. })
    ));

    // A token going round a cycle that never waits: the net never comes to rest.
    let cycle = || {
        let mut b = Net::<u8, 2, 2, 4, 3>::builder();
        let (ping, pong) = (b.place("ping", 1), b.place("pong", 1));
        let (serve, back) = (b.transition("serve"), b.transition("back"));
        b.input(serve, ping, 1).output(serve, pong, 1);
        b.input(back, pong, 1).output(back, ping, 1);
        (b.build().expect("a valid net"), Passthrough)
    };
    let restless = NetExplorer::new(
        cycle,
        Environment::new().inject("ball", PlaceId::new(0), [7]),
    )
    .run_budget(100)
    .run();
    assert_eq!(
        restless,
        Err(NetExploreError::Restless {
            budget: 100,
            at: Instant::from_ticks(0)
        })
    );
}

/// A broken admission: it asks the breaker, but sends the calls it rejects to the
/// backend anyway.
struct ForwardsRejected(Admit<Request>);

impl<const W: usize, const B: usize> Binding<Request, BreakerMachine<W, B>> for ForwardsRejected {
    fn event(&self, token: &Request) -> Option<BreakerEvent> {
        Binding::<Request, BreakerMachine<W, B>>::event(&self.0, token)
    }

    fn route(&self, token: &Request, output: Option<BreakerOutput>) -> Route<Request> {
        match Binding::<Request, BreakerMachine<W, B>>::route(&self.0, token, output) {
            Route::Forward(to) if to == self.0.rejected => Route::Forward(self.0.forwarded),
            route => route,
        }
    }
}

mycel::net! {
    #[derive(Clone)]
    net Leaky: Request {
        machines { breaker: CircuitBreaker }
        places { requests: 2, calls: 2, rejected: 4, answers: 2, done: 4 }
        transitions {
            route [machine = breaker, binding = LEAKY_ADMIT]: requests -> calls + rejected,
            record [machine = breaker, binding = LEAKY_REPORT]: answers -> done,
        }
    }
}
mycel_check::declared_subject!(Leaky: Request {
    requests, calls, rejected, answers, done
} machines { breaker });

const LEAKY_ADMIT: ForwardsRejected = ForwardsRejected(Admit {
    forwarded: Leaky::PLACES.calls.id(),
    rejected: Leaky::PLACES.rejected.id(),
    attach: |request, permit| Request {
        permit: Some(permit),
        ..*request
    },
});

const LEAKY_REPORT: Report<Request> = Report {
    done: Leaky::PLACES.done.id(),
    ..REPORT
};

#[test]
fn a_binding_that_forwards_rejected_calls_is_caught_with_a_shortest_trace() {
    let p = Leaky::PLACES;
    let make = || {
        let breaker = CircuitBreaker::new(classic(), Instant::from_ticks(0)).expect("valid config");
        (Leaky::new(breaker), NoBehaviour)
    };
    let report = NetExplorer::new(
        make,
        environment(3, p.requests.id(), p.calls.id(), p.answers.id()),
    )
    .always("every call holds a permit", |s| {
        s.tokens(p.calls.id()).all(|r: &Request| r.permit.is_some())
    })
    .run()
    .expect("the net explores");
    assert!(!report.holds());
    let Some(NetVerdict::Violated(trace)) = report.verdict("every call holds a permit") else {
        panic!("{report}");
    };
    // Two failures open the breaker; the third request is rejected but forwarded.
    assert_eq!(
        trace.events(),
        [
            "request",
            "request",
            "backend fails",
            "backend fails",
            "request"
        ]
    );
    assert_eq!(
        trace.to_string().lines().last(),
        Some("5. request (at tick 0): route")
    );
    // The leak loses no token: every request is still somewhere.
    assert_eq!(report.tokens_conserved, NetVerdict::Holds);
}

#[test]
fn an_exploration_stopped_at_its_state_limit_says_so_and_does_not_hold() {
    let p = Guarded::PLACES;
    let report = NetExplorer::new(guarded(classic()), guarded_environment(4))
        .always("every call holds a permit", |s| {
            s.tokens(p.calls.id()).all(|r: &Request| r.permit.is_some())
        })
        .max_states(20)
        .run()
        .expect("the net explores");
    assert!(!report.complete);
    assert_eq!(report.states, 20);
    assert_eq!(
        report.verdict("every call holds a permit"),
        Some(&NetVerdict::Unknown)
    );
    assert_eq!(report.tokens_conserved, NetVerdict::Unknown);
    assert!(!report.holds());
    assert!(report.to_string().contains("stopped at the state limit"));
}

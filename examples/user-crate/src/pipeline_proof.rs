//! The pipeline proven with the test kit, as a user proves their own net: every state
//! it can reach while requests arrive (healthy, failing, malformed) and time passes, the
//! breaker's whole state included.

use mycel::breaker::BreakerStateKind;
use mycel::time::Instant;
use mycel_check::explore::{Environment, NetExplorer, NetVerdict, TIMEOUT};

use crate::pipeline::{App, Pipeline, Request, pipeline};

mycel_check::declared_subject!(Pipeline: Request {
    input, validated, admitted, rejected, responded, done, invalid
} machines { breaker });

/// Three healthy requests, three failing ones and a malformed one, in any order.
fn arrivals() -> Environment<Request> {
    let request = |id, healthy| Request {
        id,
        healthy,
        ..Request::default()
    };
    let input = Pipeline::PLACES.input.id();
    Environment::new()
        .inject("healthy", input, (0..3).map(|id| request(id, true)))
        .inject("failing", input, (10..13).map(|id| request(id, false)))
        .inject("malformed", input, [request(u32::MAX, true)])
}

#[test]
fn the_pipeline_never_calls_the_backend_without_a_permit_and_ends_every_request() {
    let p = Pipeline::PLACES;
    let make = || {
        (
            pipeline(Instant::from_ticks(0)).expect("valid breaker"),
            App,
        )
    };
    let report = NetExplorer::new(make, arrivals())
        .always("every call holds a permit", |s| {
            s.tokens(p.admitted.id())
                .chain(s.tokens(p.responded.id()))
                .chain(s.tokens(p.done.id()))
                .all(|r: &Request| r.permit.is_some())
        })
        .always("a malformed request never reaches the breaker", |s| {
            [p.admitted, p.rejected, p.done]
                .iter()
                .all(|place| s.tokens(place.id()).all(|r: &Request| r.id != u32::MAX))
        })
        .reachable("the breaker opens", |s| {
            s.subject().breaker.state() == BreakerStateKind::Open
        })
        .reachable("a request is rejected", |s| s.len(p.rejected.id()) > 0)
        .reachable("a probe closes the breaker again", |s| {
            s.subject().breaker.state() == BreakerStateKind::Closed
                && s.subject().breaker.generation() > 0
        })
        .finished(|s| {
            let ended = s.len(p.done.id()) + s.len(p.rejected.id()) + s.len(p.invalid.id());
            ended == 7
        })
        .run()
        .expect("the pipeline explores");
    assert!(report.holds(), "{report}");
    let Some(NetVerdict::Reached(opens)) = report.verdict("the breaker opens") else {
        panic!("{report}");
    };
    assert_eq!(opens.events(), ["failing", "failing", "failing"]);
    // Each request runs the whole pipeline at once: the backend is inside the net.
    assert_eq!(
        opens.fired(),
        ["validate", "route", "backend", "record"].repeat(3)
    );
    let Some(NetVerdict::Reached(rejected)) = report.verdict("a request is rejected") else {
        panic!("{report}");
    };
    assert_eq!(rejected.steps.len(), 4);
    let Some(NetVerdict::Reached(recovers)) = report.verdict("a probe closes the breaker again")
    else {
        panic!("{report}");
    };
    // Open for 5 s: time passing is a step of its own, then a healthy probe closes it.
    assert_eq!(
        recovers.events(),
        ["failing", "failing", "failing", TIMEOUT, "healthy"]
    );
    assert_eq!(
        (report.states, report.edges, report.finished_states),
        (178, 265, 26)
    );
    // At rest every request has run through: only the end places hold tokens. Three
    // failures open the breaker, so at most three of the six calls are rejected.
    assert_eq!(
        (
            report.bound("admitted"),
            report.bound("rejected"),
            report.bound("done")
        ),
        (Some(0), Some(3), Some(6))
    );
    assert_eq!(report.bound("invalid"), Some(1));
    assert!(report.dead_transitions.is_empty());
}

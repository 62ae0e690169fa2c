//! The five-phase demo tells its story on the real breaker inside the real net, with
//! time simulated: each beat is asserted from the run's events, and the whole report
//! is pinned by a snapshot.

use mycel::breaker::{BreakerStateKind, Reason};
use mycel::time::Instant;
use mycel_harness::demo;
use mycel_harness::run::simulate;
use mycel_harness::scenario::Scenario;
use mycel_harness::sim::{EventKind, SimEvent, Simulation};

fn scenario() -> Scenario {
    demo::scenario().expect("the built-in demo parses")
}

fn events(s: &Scenario) -> Vec<SimEvent> {
    let mut events = Vec::new();
    Simulation::new(s, s.seed)
        .unwrap()
        .run(&mut events, &mut |_| {})
        .unwrap();
    events
}

/// `(instant, from, to, cause, open_until)` of every state change.
fn changes(
    events: &[SimEvent],
) -> Vec<(
    Instant,
    BreakerStateKind,
    BreakerStateKind,
    Reason,
    Option<Instant>,
)> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::StateChange {
                from,
                to,
                reason,
                open_until,
                ..
            } => Some((e.at, from, to, reason, open_until)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_breaker_goes_through_the_five_beats_in_order() {
    use BreakerStateKind::{Closed, HalfOpen, Open};
    let s = scenario();
    let c = changes(&events(&s));
    let path: Vec<_> = c
        .iter()
        .map(|&(_, from, to, reason, _)| (from, to, reason))
        .collect();
    assert_eq!(
        path,
        vec![
            (Closed, Open, Reason::ConsecutiveFailures),
            (Open, HalfOpen, Reason::Timeout),
            (HalfOpen, Open, Reason::ProbeFailure),
            (Open, HalfOpen, Reason::Timeout),
            (HalfOpen, Closed, Reason::ProbesSucceeded),
        ]
    );
    let phase_of = |at: Instant| s.phases[s.phase_at(at)].name.as_str();
    assert_eq!(phase_of(c[0].0), "degradation");
    assert_eq!(phase_of(c[1].0), "half-open");
    assert_eq!(phase_of(c[2].0), "recovery");
    assert_eq!(phase_of(c[4].0), "recovery");
}

#[test]
fn requests_succeed_in_closed_during_the_normal_phase() {
    let s = scenario();
    let normal_end = s.phases[1].from;
    let ev = events(&s);
    let before: Vec<&SimEvent> = ev.iter().filter(|e| e.at < normal_end).collect();
    let requests = before
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Request { .. }))
        .count();
    let ok = before
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Recorded { ok: true, .. }))
        .count();
    assert_eq!(requests, 20);
    assert_eq!(ok, 20);
    assert!(!before.iter().any(|e| matches!(
        e.kind,
        EventKind::Rejected { .. }
            | EventKind::StateChange { .. }
            | EventKind::Recorded { ok: false, .. }
    )));
}

#[test]
fn no_backend_call_happens_while_the_breaker_is_open_and_every_request_is_rejected() {
    let ev = events(&scenario());
    let mut state = BreakerStateKind::Closed;
    let (mut rejected_while_open, mut requests_while_open) = (0, 0);
    for e in &ev {
        match e.kind {
            EventKind::StateChange { to, .. } => state = to,
            EventKind::BackendCall { id, .. } => {
                assert_ne!(
                    state,
                    BreakerStateKind::Open,
                    "request {id} reached the backend while OPEN"
                );
            }
            EventKind::Request { .. } if state == BreakerStateKind::Open => {
                requests_while_open += 1
            }
            EventKind::Rejected { .. } if state == BreakerStateKind::Open => {
                rejected_while_open += 1
            }
            _ => {}
        }
    }
    assert_eq!(rejected_while_open, requests_while_open);
    assert_eq!(
        rejected_while_open, 30,
        "9 + 1 requests in the first OPEN, 20 in the second"
    );
}

#[test]
fn open_becomes_half_open_by_timeout_exactly_at_the_deadline_with_no_request_involved() {
    let ev = events(&scenario());
    let c = changes(&ev);
    for pair in [(0, 1), (2, 3)] {
        let (opened, ended) = (c[pair.0], c[pair.1]);
        assert_eq!(ended.3, Reason::Timeout);
        assert_eq!(Some(ended.0), opened.4, "HALF_OPEN at exactly the deadline");
        let request_then = ev
            .iter()
            .any(|e| e.at == ended.0 && matches!(e.kind, EventKind::Request { .. }));
        assert!(
            !request_then,
            "the change at {:?} was driven by the deadline alone",
            ended.0
        );
    }
}

#[test]
fn the_reopen_after_a_failed_probe_lasts_longer_than_the_first_open_period() {
    let c = changes(&events(&scenario()));
    let period = |i: usize| c[i].4.unwrap().as_micros() - c[i].0.as_micros();
    assert_eq!(period(0), 5_000_000, "base period");
    assert_eq!(period(2), 10_000_000, "multiplier 200%");
}

#[test]
fn the_demo_ends_closed_and_its_own_checks_pass() {
    let s = scenario();
    let mut outcome = simulate(&s, s.seed, None, &mut |_| {}).unwrap();
    assert!(outcome.check_demo(), "{:#?}", outcome.checks);
    assert_eq!(outcome.finished.breakers[0].state, BreakerStateKind::Closed);
    assert_eq!(outcome.stats.calls_while_open, vec![0]);
}

#[test]
fn the_demo_report_reads_as_recorded() {
    let s = scenario();
    let mut outcome = simulate(&s, s.seed, None, &mut |_| {}).unwrap();
    outcome.check_demo();
    insta::assert_snapshot!("demo_report", outcome.report());
}

#[test]
fn the_readme_plot_is_what_the_demo_draws() {
    let s = scenario();
    let outcome = simulate(&s, s.seed, None, &mut |_| {}).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/demo.svg");
    let committed = std::fs::read_to_string(path).unwrap();
    assert!(
        committed == outcome.svg().unwrap(),
        "docs/demo.svg is stale: regenerate it with `mycel demo --plot docs/demo.svg`"
    );
}

//! The breaker's own bindings route to fixed places, so `embed::fire` checks before the
//! breaker changes that the firing will stand and keeps no snapshot. These tests hold
//! that shortcut to the atomic-firing rule: where a route could be refused the snapshot
//! is still taken and a failed firing leaves the breaker as it was, and with or without
//! the shortcut a run is the same, event for event. `embed::fire_fixed` links no
//! snapshot: where a route could be refused it fails the firing before the breaker
//! sees it.

mod support;

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{
    BreakerConfig, BreakerMachine, BreakerOutput, BreakerStateKind, CircuitBreaker,
};
use mycel::breaker::{BreakerEvent, Outcome, Permit};
use mycel::embed::{self, Binding, Route};
use mycel::fsm::ChangeSink;
use mycel::net::{NetBuilder, PlaceId, TransitionId};
use mycel::sched::{Behaviour, EmitError, Fault, Firing, FiringError, Net, NetEvent, Step};
use mycel::time::{Duration, Instant};
use proptest::prelude::*;

/// A request; once admitted it carries its permit; `ok` is what the backend answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Call {
    id: u32,
    permit: Option<Permit>,
    ok: bool,
}

const REQUESTS: PlaceId = PlaceId::new(0);
const FORWARDED: PlaceId = PlaceId::new(1);
const REJECTED: PlaceId = PlaceId::new(2);
const DONE: PlaceId = PlaceId::new(3);
/// A place no transition outputs to.
const ELSEWHERE: PlaceId = PlaceId::new(4);
const ROUTE: TransitionId = TransitionId::new(0);

const fn admit(rejected: PlaceId) -> Admit<Call> {
    Admit {
        forwarded: FORWARDED,
        rejected,
        attach: |c, p| Call {
            permit: Some(p),
            ..*c
        },
    }
}

const REPORT: Report<Call> = Report {
    done: DONE,
    outcome: |c| {
        c.permit.map(|p| {
            let outcome = if c.ok {
                Outcome::Success
            } else {
                Outcome::Failure
            };
            (p, outcome)
        })
    },
};

type Pipeline = Net<Call, 5, 2, 6, 24>;

/// `route: requests -> forwarded + rejected`, `record: forwarded -> done`; `rejected`
/// is an output of `route` only when `rejected_is_output`.
fn pipeline(rejected_is_output: bool) -> Pipeline {
    let mut b = NetBuilder::new();
    let places = ["requests", "forwarded", "rejected", "done", "elsewhere"].map(|n| b.place(n, 4));
    assert_eq!(places, [REQUESTS, FORWARDED, REJECTED, DONE, ELSEWHERE]);
    let route = b.transition("route");
    let record = b.transition("record");
    b.input(route, REQUESTS, 1).output(route, FORWARDED, 1);
    if rejected_is_output {
        b.output(route, REJECTED, 1);
    }
    b.input(record, FORWARDED, 1).output(record, DONE, 1);
    b.build().unwrap()
}

/// Another crate's binding around one of the breaker's: the same events and routes,
/// but it cannot claim fixed routes, so every firing through it keeps a snapshot.
struct Wrapped<B>(B);

impl<B: Binding<Call, BreakerMachine<4, 10>>> Binding<Call, BreakerMachine<4, 10>> for Wrapped<B> {
    fn event(&self, token: &Call) -> Option<BreakerEvent> {
        self.0.event(token)
    }
    fn route(&self, token: &Call, output: Option<BreakerOutput>) -> Route<Call> {
        self.0.route(token, output)
    }
}

/// How the breaker is fired through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `embed::fire` with the breaker's own bindings: no snapshot where routes stand.
    Shortcut,
    /// `embed::fire` with wrapped bindings: always a snapshot.
    Snapshot,
    /// `embed::fire_fixed` with the breaker's own bindings.
    Fixed,
    /// `embed::fire_fixed` with wrapped bindings: as `embed::fire`.
    FixedWrapped,
}

/// The breaker behind both transitions, fired through in one [`Mode`].
struct Guard {
    breaker: CircuitBreaker,
    admit: Admit<Call>,
    mode: Mode,
}

impl Behaviour<Call> for Guard {
    fn fire(
        &mut self,
        t: TransitionId,
        f: &mut Firing<'_, Call>,
        now: Instant,
    ) -> Result<(), Fault> {
        let sm = self.breaker.state_machine_mut();
        let (admit, report) = (self.admit, REPORT);
        match (t == ROUTE, self.mode) {
            (true, Mode::Shortcut) => embed::fire(sm, &admit, f, now),
            (true, Mode::Snapshot) => embed::fire(sm, &Wrapped(admit), f, now),
            (true, Mode::Fixed) => embed::fire_fixed(sm, &admit, f, now),
            (true, Mode::FixedWrapped) => embed::fire_fixed(sm, &Wrapped(admit), f, now),
            (false, Mode::Shortcut) => embed::fire(sm, &report, f, now),
            (false, Mode::Snapshot) => embed::fire(sm, &Wrapped(report), f, now),
            (false, Mode::Fixed) => embed::fire_fixed(sm, &report, f, now),
            (false, Mode::FixedWrapped) => embed::fire_fixed(sm, &Wrapped(report), f, now),
        }
    }
    fn next_deadline(&self) -> Option<Instant> {
        self.breaker.next_deadline()
    }
    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        let _ = self.breaker.poll_into(now, changes);
    }
}

fn guard(admit: Admit<Call>, mode: Mode) -> Guard {
    let config = BreakerConfig::consecutive(2, Duration::from_secs(5), 1);
    Guard {
        breaker: CircuitBreaker::new(config, Instant::from_ticks(0)).unwrap(),
        admit,
        mode,
    }
}

fn call(id: u32, ok: bool) -> Call {
    Call {
        id,
        permit: None,
        ok,
    }
}

#[test]
fn a_rejection_routed_to_a_place_that_is_no_output_leaves_the_breaker_as_it_was() {
    // `rejected` names a place `route` does not output to: the shortcut's check fails,
    // so the snapshot undoes what the refused firing changed.
    let mut net = pipeline(false);
    let mut app = guard(admit(ELSEWHERE), Mode::Shortcut);
    let at = Instant::from_secs(1);
    for id in 0..2 {
        net.inject(REQUESTS, call(id, false), at).unwrap();
        net.run(at, 10, &mut app).unwrap();
    }
    assert_eq!(
        app.breaker.state(),
        BreakerStateKind::Open,
        "two failures open it"
    );
    let before = app.breaker.clone();
    let mut events = Vec::new();
    net.inject(REQUESTS, call(9, true), at).unwrap();
    let step = net
        .step_observed(at, &mut app, &mut |e: &NetEvent| events.push(*e))
        .unwrap();
    assert!(
        matches!(step, Step::Failed { transition, .. } if transition == ROUTE),
        "{step:?}"
    );
    assert_eq!(app.breaker, before, "the rejection it counted is undone");
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, NetEvent::StateChanged(_))),
        "no change of the undone firing is reported: {events:?}"
    );
    assert_eq!(net.tokens(REQUESTS).map(|c| c.id).collect::<Vec<_>>(), [9]);
}

#[test]
fn an_admission_with_every_route_an_output_stands_and_reports_its_change_once() {
    // Both routes are outputs: the firing that opens nothing but half-opens the
    // breaker (its open period ended) reports that change once, as it happens.
    let mut net = pipeline(true);
    let mut app = guard(admit(REJECTED), Mode::Shortcut);
    let at = Instant::from_secs(1);
    for id in 0..2 {
        net.inject(REQUESTS, call(id, false), at).unwrap();
        net.run(at, 10, &mut app).unwrap();
    }
    while net.take(DONE).is_ok() {}
    let later = Instant::from_secs(7);
    let mut events = Vec::new();
    net.inject(REQUESTS, call(2, true), later).unwrap();
    let step = net
        .step_observed(later, &mut app, &mut |e: &NetEvent| events.push(*e))
        .unwrap();
    assert!(
        matches!(step, Step::Fired { transition, .. } if transition == ROUTE),
        "{step:?}"
    );
    let changes = events
        .iter()
        .filter(|e| matches!(e, NetEvent::StateChanged(_)))
        .count();
    assert_eq!(changes, 1, "OPEN -> HALF_OPEN, once: {events:?}");
    assert_eq!(net.tokens(FORWARDED).map(|c| c.id).collect::<Vec<_>>(), [2]);
}

/// What one run did: every event the observer heard, the breaker, and the marking.
fn run_log(
    net: &mut Pipeline,
    app: &mut Guard,
    script: &[(u64, bool, bool)],
) -> (Vec<NetEvent>, CircuitBreaker, Vec<Vec<u32>>) {
    let mut events = Vec::new();
    let mut now = 0u64;
    for (i, &(advance_ms, ok, take)) in script.iter().enumerate() {
        now += advance_ms;
        let at = Instant::from_millis(now);
        let mut record = |e: &NetEvent| events.push(*e);
        let _ = net.inject_observed(REQUESTS, call(i as u32, ok), at, &mut record);
        let _ = net.run_observed(at, 8, app, &mut record);
        if take {
            for place in [REJECTED, DONE] {
                while net.take_observed(place, &mut record).is_ok() {}
            }
        }
    }
    let marking = [REQUESTS, FORWARDED, REJECTED, DONE]
        .map(|p| net.tokens(p).map(|c| c.id).collect())
        .to_vec();
    (events, app.breaker.clone(), marking)
}

#[test]
fn fixed_firing_with_a_route_that_is_no_output_fails_before_the_breaker_sees_it() {
    // `rejected` is no output of `route`: even a request the breaker would admit fails
    // its firing, with the refusal, and the breaker counts nothing.
    let mut net = pipeline(false);
    let mut app = guard(admit(REJECTED), Mode::Fixed);
    let before = app.breaker.clone();
    let at = Instant::from_secs(1);
    net.inject(REQUESTS, call(1, true), at).unwrap();
    let step = net.step(at, &mut app).unwrap();
    let Step::Failed {
        transition, error, ..
    } = step
    else {
        panic!("the firing fails: {step:?}");
    };
    assert_eq!(transition, ROUTE);
    assert!(
        matches!(
            error,
            FiringError::Emission(EmitError::UndeclaredOutput { place, .. }) if place == REJECTED
        ),
        "{error:?}"
    );
    assert_eq!(app.breaker, before, "the breaker saw no event");
    assert_eq!(net.tokens(REQUESTS).map(|c| c.id).collect::<Vec<_>>(), [1]);
}

proptest! {
    #![proptest_config(support::proptest_config("tests/proptest-regressions/fixed_routes.txt", 256))]

    #[test]
    fn firing_without_a_snapshot_where_routes_cannot_fail_is_the_same_run_as_with_one(
        script in prop::collection::vec((0u64..4000, any::<bool>(), any::<bool>()), 1..60),
        rejected_is_output in any::<bool>(),
    ) {
        // Without `rejected` among its outputs, a rejection's route is refused and the
        // shortcut's check sends the run through the snapshot.
        let net = || pipeline(rejected_is_output);
        let run = |mode| run_log(&mut net(), &mut guard(admit(REJECTED), mode), &script);
        let snapshot = run(Mode::Snapshot);
        prop_assert_eq!(&run(Mode::Shortcut), &snapshot);
        prop_assert_eq!(&run(Mode::FixedWrapped), &snapshot);
        let fixed = run(Mode::Fixed);
        if rejected_is_output {
            prop_assert_eq!(&fixed, &snapshot);
        } else {
            // Every admission fails before the breaker sees it.
            let (events, breaker, _) = &fixed;
            prop_assert_eq!(breaker.metrics().permitted + breaker.metrics().rejected, 0);
            prop_assert!(!events.iter().any(|e| matches!(e, NetEvent::StateChanged(_))));
        }
    }
}

//! Straight-line firing keeps the interpreter's rules: for each net declared here, the
//! type `net!` generates (its firing written out per transition, its ready set a bitmap
//! by rank) and the engine's interpreter built from the same declaration
//! (`__interpreter()`, arc tables and a ready heap) run the same random calls in
//! lockstep: injects, takes, steps and runs, at instants that stay, creep, jump past
//! delays and the breaker's open period, or go back (a clock regression). After every
//! call both must have answered the same (results and errors), reported the same events
//! in the same order, and hold the same marking, token order, counts, enabled set and
//! next deadline.
//!
//! The nets cover what the generated code specialises and what it hands back to the
//! engine: pass-through firing (ping-pong), weights, read and inhibitor arcs, a guard,
//! priorities, a delay, a source, a sink, an error place, failing firings rolled back
//! and held (the `arcs` net), and a breaker embedded in two transitions with a
//! behaviour of the application's own (the request pipeline).

mod support;

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome, Permit};
use mycel::embed;
use mycel::fsm::{ChangeSink, Embeddable};
use mycel::net::{Heads, TransitionId};
use mycel::sched::{Behaviour, Fault, Firing, NetEvent, Passthrough};
use mycel::time::{Duration, Instant};
use proptest::collection::vec;
use proptest::prelude::*;

const REGRESSIONS: &str = "tests/proptest-regressions/straight_line.txt";

mycel::net! {
    /// One token bouncing between two places.
    #[straight_line]
    pub net PingPong: u32 {
        places { ping: 1, pong: 1 }
        transitions {
            there: ping -> pong,
            back: pong -> ping,
        }
    }
}

/// Lets a transition in `arcs` start only with an even token at its head.
fn even_head(heads: &Heads<'_, u32>) -> bool {
    heads.get(0).is_some_and(|t| t % 2 == 0)
}

mycel::net! {
    /// Every kind of arc, weights, a guard, priorities, a delay, a source, a sink and an
    /// error place.
    #[straight_line]
    pub net Arcs: u32 {
        places { a: 4, b: 3, c: 2, d: 4, gate: 1, err: 3 }
        transitions {
            split [priority = 2]: a * 2 -> b + c,
            join: b + c -> d * 2,
            gated [guard = even_head]: d + ?gate -> a,
            bypass: b + !gate -> a,
            slow [delay = 3ms]: c -> a,
            check [error = err]: a -> d,
            drain [sink]: err -> (),
            spawn [source, priority = 1]: !a * 2 -> a,
            flip: d * 2 -> gate + d,
        }
    }
}

/// Pass-through flow, except that `check` fails for a token divisible by 3 (its tokens
/// go to its error place) and `bypass` for one that leaves 1 divided by 4 (they are
/// rolled back and the transition is held until the next tick). It says so: only the
/// transitions whose firing is pure flow pass their tokens through.
#[derive(Debug, Default)]
struct Flaky;

impl Behaviour<u32> for Flaky {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, u32>,
        now: Instant,
    ) -> Result<(), Fault> {
        let head = firing.input(0).copied().unwrap_or(0);
        match Arcs::transition_of(transition) {
            Some(ArcsTransition::Check) if head % 3 == 0 => Err(Fault(3)),
            Some(ArcsTransition::Bypass) if head % 4 == 1 => Err(Fault(4)),
            _ => Passthrough.fire(transition, firing, now),
        }
    }

    fn passes_through(&self, transition: TransitionId) -> bool {
        !matches!(
            Arcs::transition_of(transition),
            Some(ArcsTransition::Check | ArcsTransition::Bypass)
        )
    }
}

/// A request through the pipeline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Request {
    /// `u32::MAX` is malformed.
    pub id: u32,
    /// Whether the backend answers it well.
    pub healthy: bool,
    /// The breaker's permit, once admitted.
    pub permit: Option<Permit>,
    /// The backend's answer.
    pub ok: bool,
}

mycel::net! {
    /// input -> validate -> route (breaker) -> backend -> record (breaker) -> done.
    #[straight_line]
    pub net Pipeline: Request {
        machines { breaker: CircuitBreaker }
        places {
            input: 4,
            validated: 4,
            admitted: 4,
            rejected: 4,
            responded: 4,
            done: 4,
            invalid: 2,
        }
        transitions {
            validate [error = invalid]: input -> validated,
            route [machine = breaker, binding = ADMIT]: validated -> admitted + rejected,
            backend: admitted -> responded,
            record [machine = breaker, binding = REPORT]: responded -> done,
        }
    }
}

const ADMIT: Admit<Request> = Admit {
    forwarded: Pipeline::PLACES.admitted.id(),
    rejected: Pipeline::PLACES.rejected.id(),
    attach: |request, permit| Request {
        permit: Some(permit),
        ..*request
    },
};

const REPORT: Report<Request> = Report {
    done: Pipeline::PLACES.done.id(),
    outcome: |request| {
        let outcome = if request.ok {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        request.permit.map(|permit| (permit, outcome))
    },
};

/// The application's own transitions of the pipeline: `validate` refuses a malformed
/// request, `backend` answers.
#[derive(Debug, Default)]
struct App;

impl Behaviour<Request> for App {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Request>,
        _: Instant,
    ) -> Result<(), Fault> {
        let Some(&request) = firing.input(0) else {
            return Err(Fault(9));
        };
        match Pipeline::transition_of(transition) {
            Some(PipelineTransition::Validate) if request.id == u32::MAX => Err(Fault(1)),
            Some(PipelineTransition::Validate) => firing
                .forward(0, Pipeline::PLACES.validated)
                .map_err(|_| Fault(2)),
            Some(PipelineTransition::Backend) => firing
                .emit(
                    Pipeline::PLACES.responded,
                    Request {
                        ok: request.healthy,
                        ..request
                    },
                )
                .map_err(|_| Fault(2)),
            _ => Err(Fault(9)),
        }
    }
}

/// What the generated pipeline does with its breaker, wired by hand for the
/// interpreter: `route` and `record` feed the breaker, the rest goes to [`App`].
struct ByHand<'a> {
    app: &'a mut App,
    breaker: &'a mut CircuitBreaker,
}

impl Behaviour<Request> for ByHand<'_> {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Request>,
        now: Instant,
    ) -> Result<(), Fault> {
        let machine = Embeddable::state_machine_mut(&mut *self.breaker);
        match Pipeline::transition_of(transition) {
            Some(PipelineTransition::Route) => embed::fire(machine, &ADMIT, firing, now),
            Some(PipelineTransition::Record) => embed::fire(machine, &REPORT, firing, now),
            _ => self.app.fire(transition, firing, now),
        }
    }

    fn passes_through(&self, transition: TransitionId) -> bool {
        match Pipeline::transition_of(transition) {
            Some(PipelineTransition::Route | PipelineTransition::Record) => false,
            _ => self.app.passes_through(transition),
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        mycel::time::earliest(
            self.app.next_deadline(),
            Embeddable::next_deadline(&*self.breaker),
        )
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        Embeddable::poll(&mut *self.breaker, now, changes);
        self.app.poll(now, changes);
    }
}

fn breaker() -> CircuitBreaker {
    CircuitBreaker::new(
        BreakerConfig::consecutive(2, Duration::from_secs(5), 1),
        Instant::from_ticks(0),
    )
    .expect("a valid configuration")
}

/// When a call happens, relative to the last instant used.
#[derive(Debug, Clone, Copy)]
enum Gap {
    Same,
    Tick,
    Millis(u64),
    Seconds(u64),
    /// Earlier than the last instant the nets have seen.
    Back,
}

#[derive(Debug, Clone, Copy)]
enum Call {
    Inject { place: usize, token: u32 },
    Take { place: usize },
    Step,
    Run { budget: u32 },
    Deadline,
}

fn gap() -> impl Strategy<Value = Gap> {
    prop_oneof![
        4 => Just(Gap::Same),
        2 => Just(Gap::Tick),
        3 => (1u64..=6).prop_map(Gap::Millis),
        1 => (1u64..=7).prop_map(Gap::Seconds),
        1 => Just(Gap::Back),
    ]
}

fn call(places: usize) -> impl Strategy<Value = Call> {
    prop_oneof![
        4 => (0..places, 0u32..40).prop_map(|(place, token)| Call::Inject { place, token }),
        2 => (0..places).prop_map(|place| Call::Take { place }),
        3 => Just(Call::Step),
        2 => (0u32..12).prop_map(|budget| Call::Run { budget }),
        1 => Just(Call::Deadline),
    ]
}

fn calls(places: usize) -> impl Strategy<Value = Vec<(Gap, Call)>> {
    vec((gap(), call(places)), 1..120)
}

/// The clock both nets are driven by: `now` for a call after `gap`.
struct Clock {
    last: u64,
}

impl Clock {
    fn at(&mut self, gap: Gap) -> Instant {
        let ticks = |d: Duration| d.as_ticks();
        let next = match gap {
            Gap::Same => self.last,
            Gap::Tick => self.last + 1,
            Gap::Millis(ms) => self.last + ticks(Duration::from_millis(ms)),
            Gap::Seconds(s) => self.last + ticks(Duration::from_secs(s)),
            Gap::Back => return Instant::from_ticks(self.last.saturating_sub(1)),
        };
        self.last = next;
        Instant::from_ticks(next)
    }
}

/// Runs `calls` on `$fast` (the generated net, driven with `$fast_with`) and `$twin`
/// (its interpreter, driven with `$twin_with`) and asserts after each call that they
/// agree; `|$n| $token` turns a drawn number into a token, and `|$at| $also` compares
/// anything else both sides own (an embedded machine).
macro_rules! lockstep {
    (
        $calls:expr, $fast:ident, $twin:ident, $places:expr, $transitions:expr,
        |$n:ident| $token:expr, $fast_with:expr, $twin_with:expr, |$at:ident| $also:block
    ) => {{
        let places = $places;
        let transitions = $transitions;
        let mut clock = Clock { last: 0 };
        for (i, (gap, call)) in $calls.into_iter().enumerate() {
            let now = clock.at(gap);
            let mut fast_events: Vec<NetEvent> = Vec::new();
            let mut twin_events: Vec<NetEvent> = Vec::new();
            let mut fast_seen = |e: &NetEvent| fast_events.push(*e);
            let mut twin_seen = |e: &NetEvent| twin_events.push(*e);
            let (fast, twin) = match call {
                Call::Inject { place, token } => {
                    let $n = token;
                    let p = places[place % places.len()];
                    (
                        format!(
                            "{:?}",
                            $fast.inject_observed(p, $token, now, &mut fast_seen)
                        ),
                        format!(
                            "{:?}",
                            $twin.inject_observed(p.id(), $token, now, &mut twin_seen)
                        ),
                    )
                }
                Call::Take { place } => {
                    let p = places[place % places.len()];
                    (
                        format!("{:?}", $fast.take_observed(p, &mut fast_seen)),
                        format!("{:?}", $twin.take_observed(p.id(), &mut twin_seen)),
                    )
                }
                Call::Step => (
                    format!("{:?}", $fast.step_observed(now, $fast_with, &mut fast_seen)),
                    format!("{:?}", $twin.step_observed(now, $twin_with, &mut twin_seen)),
                ),
                Call::Run { budget } => (
                    format!(
                        "{:?}",
                        $fast.run_observed(now, budget, $fast_with, &mut fast_seen)
                    ),
                    format!(
                        "{:?}",
                        $twin.run_observed(now, budget, $twin_with, &mut twin_seen)
                    ),
                ),
                Call::Deadline => (
                    format!("{:?}", $fast.next_deadline(&*$fast_with)),
                    format!("{:?}", $twin.next_deadline(&*$twin_with)),
                ),
            };
            let $at = format!("call {i}: {call:?} at {now:?}");
            assert_eq!(fast, twin, "{}: answers differ", $at);
            assert_eq!(fast_events, twin_events, "{}: events differ", $at);
            for &p in &places {
                let a: Vec<_> = $fast.tokens(p).collect();
                let b: Vec<_> = $twin.tokens(p.id()).collect();
                assert_eq!(a, b, "{}: tokens of {p:?} differ", $at);
                assert_eq!(
                    $fast.high_water(p),
                    $twin.high_water(p.id()),
                    "{}: high water",
                    $at
                );
            }
            for &t in &transitions {
                assert_eq!(
                    $fast.firings(t),
                    $twin.firings(t.id()),
                    "{}: firings of {t:?}",
                    $at
                );
                assert_eq!(
                    $fast.failures(t),
                    $twin.failures(t.id()),
                    "{}: failures of {t:?}",
                    $at
                );
                assert_eq!(
                    $fast.is_enabled(t),
                    $twin.is_enabled(t.id()),
                    "{}: enabling of {t:?}",
                    $at
                );
            }
            assert_eq!($fast.counters(), $twin.counters(), "{}: counters", $at);
            assert_eq!($fast.last_seen(), $twin.last_seen(), "{}: clock", $at);
            $also
        }
    }};
}

/// Places of a declared net as an array of typed places.
macro_rules! places {
    ($net:ident: $($p:ident),*) => { [$($net::PLACES.$p),*] };
}

/// Transitions of a declared net as an array of typed transitions.
macro_rules! transitions {
    ($net:ident: $($t:ident),*) => { [$($net::TRANSITIONS.$t),*] };
}

fn ping_pong_in_lockstep(calls: Vec<(Gap, Call)>) {
    let mut fast = PingPong::new();
    let mut twin = PingPong::__interpreter();
    lockstep!(
        calls,
        fast,
        twin,
        places!(PingPong: ping, pong),
        transitions!(PingPong: there, back),
        |n| n,
        &mut Passthrough,
        &mut Passthrough,
        |_at| {}
    );
}

fn arcs_in_lockstep(calls: Vec<(Gap, Call)>) {
    let mut fast = Arcs::new();
    let mut twin = Arcs::__interpreter();
    lockstep!(
        calls,
        fast,
        twin,
        places!(Arcs: a, b, c, d, gate, err),
        transitions!(Arcs: split, join, gated, bypass, slow, check, drain, spawn, flip),
        |n| n,
        &mut Flaky,
        &mut Flaky,
        |_at| {}
    );
}

fn pipeline_in_lockstep(calls: Vec<(Gap, Call)>) {
    let mut fast = Pipeline::new(breaker());
    let mut twin = Pipeline::__interpreter();
    let (mut fast_app, mut twin_app, mut twin_breaker) = (App, App, breaker());
    lockstep!(
        calls,
        fast,
        twin,
        places!(Pipeline: input, validated, admitted, rejected, responded, done, invalid),
        transitions!(Pipeline: validate, route, backend, record),
        |n| Request {
            id: if n % 7 == 6 { u32::MAX } else { n },
            healthy: n % 3 != 0,
            ..Request::default()
        },
        &mut fast_app,
        &mut ByHand {
            app: &mut twin_app,
            breaker: &mut twin_breaker
        },
        |at| {
            assert_eq!(
                fast.breaker.state(),
                twin_breaker.state(),
                "{at}: breaker state"
            );
            assert_eq!(
                format!("{:?}", fast.breaker.metrics()),
                format!("{:?}", twin_breaker.metrics()),
                "{at}: breaker metrics"
            );
        }
    );
}

proptest! {
    #![proptest_config(support::proptest_config(REGRESSIONS, 256))]

    #[test]
    fn ping_pong_straight_line_matches_the_interpreter_call_for_call(calls in calls(2)) {
        ping_pong_in_lockstep(calls);
    }

    #[test]
    fn every_arc_kind_guard_delay_and_failure_fires_straight_line_as_interpreted(calls in calls(6)) {
        arcs_in_lockstep(calls);
    }

    #[test]
    fn an_embedded_breaker_sees_the_same_events_straight_line_as_interpreted(calls in calls(7)) {
        pipeline_in_lockstep(calls);
    }
}

//! The breaker inside a net: bindings that put a
//! [`CircuitBreaker`](super::CircuitBreaker) (or one breaker per backend from a
//! [`BreakerBank`]) in a transition through [`crate::embed`].
//!
//! A request pipeline uses two transitions sharing one breaker:
//!
//! - a **route** transition with the [`Admit`] binding: each request token is an
//!   `Acquire` event; a permitted request leaves with its permit attached (the binding's
//!   `attach` builds that token), a rejected one goes to the rejected place and is never
//!   forwarded;
//! - a **record** transition with the [`Report`] binding: each response token carries
//!   its permit and outcome, which the breaker records; the token moves on.
//!
//! No state logic lives in the transitions: the breaker machine decides, the bindings
//! only translate tokens to events and answers to places. Its deadlines reach the net
//! through the behaviour's `next_deadline`/`poll` (use
//! [`CircuitBreaker::next_deadline`](super::CircuitBreaker::next_deadline) and
//! [`CircuitBreaker::poll_into`](super::CircuitBreaker::poll_into), or the bank's).
//!
//! ```
//! use mycel::breaker::in_net::{Admit, Report};
//! use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome, Permit};
//! use mycel::embed;
//! use mycel::fsm::ChangeSink;
//! use mycel::net::{NetBuilder, PlaceId, TransitionId};
//! use mycel::sched::{Behaviour, Fault, Firing};
//! use mycel::time::{Duration, Instant};
//!
//! #[derive(Clone, Copy, Debug)]
//! struct Call { permit: Option<Permit>, ok: bool }
//!
//! struct App { breaker: CircuitBreaker, admit: Admit<Call>, report: Report<Call>, route: TransitionId }
//!
//! impl Behaviour<Call> for App {
//!     fn fire(&mut self, t: TransitionId, f: &mut Firing<'_, Call>, now: Instant) -> Result<(), Fault> {
//!         let sm = self.breaker.state_machine_mut();
//!         if t == self.route { embed::fire(sm, &self.admit, f, now) } else { embed::fire(sm, &self.report, f, now) }
//!     }
//!     fn next_deadline(&self) -> Option<Instant> { self.breaker.next_deadline() }
//!     // A breaker ahead of the net refuses `now` (a clock regression) and changes nothing.
//!     fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) { let _ = self.breaker.poll_into(now, changes); }
//! }
//!
//! let mut b = NetBuilder::<Call, 4, 2, 6, 20>::new();
//! let (requests, forwarded, rejected, done) =
//!     (b.place("requests", 4), b.place("forwarded", 4), b.place("rejected", 4), b.place("done", 4));
//! let route = b.transition("route");
//! let record = b.transition("record");
//! b.input(route, requests, 1).output(route, forwarded, 1).output(route, rejected, 1);
//! b.input(record, forwarded, 1).output(record, done, 1);
//! let mut net = b.build().unwrap();
//! let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 1);
//! let mut app = App {
//!     breaker: CircuitBreaker::new(config, Instant::from_ticks(0)).unwrap(),
//!     admit: Admit { forwarded, rejected, attach: |c, p| Call { permit: Some(p), ..*c } },
//!     report: Report {
//!         done,
//!         outcome: |c| c.permit.map(|p| (p, if c.ok { Outcome::Success } else { Outcome::Failure })),
//!     },
//!     route,
//! };
//! // A failing call trips the breaker (threshold 1); the next request is rejected.
//! net.inject(requests, Call { permit: None, ok: false }, Instant::from_ticks(1)).unwrap();
//! net.run(Instant::from_ticks(1), 10, &mut app).unwrap();
//! net.inject(requests, Call { permit: None, ok: true }, Instant::from_ticks(2)).unwrap();
//! net.run(Instant::from_ticks(2), 10, &mut app).unwrap();
//! assert_eq!(net.len(done), 1);
//! assert_eq!(net.len(rejected), 1);
//! ```

use super::bank::BankUndo;
use super::{
    BreakerBank, BreakerEvent, BreakerMachine, BreakerOutput, Outcome, Permit, Recorded, Verdict,
};
use crate::embed::{self, Binding, Route};
use crate::fsm::{ChangeSink, Embeddable, StateMachine};
use crate::net::PlaceId;
use crate::sched::Firing;
use crate::time::Instant;

impl<const W: usize, const B: usize> Embeddable for super::CircuitBreaker<W, B> {
    type Machine = BreakerMachine<W, B>;

    fn state_machine_mut(&mut self) -> &mut StateMachine<BreakerMachine<W, B>> {
        super::CircuitBreaker::state_machine_mut(self)
    }

    fn next_deadline(&self) -> Option<Instant> {
        super::CircuitBreaker::next_deadline(self)
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        // A regression (the breaker is ahead of the net) changes nothing; the next event
        // the net feeds it fails its firing with the typed error.
        let _ = self.poll_into(now, changes);
    }
}

/// Admission: each token asks for a permit; permitted tokens go to `forwarded` with the
/// permit attached by `attach`, rejected ones to `rejected`, unchanged.
#[derive(Debug)]
pub struct Admit<C> {
    /// Where permitted requests go.
    pub forwarded: PlaceId,
    /// Where rejected requests go (never forwarded).
    pub rejected: PlaceId,
    /// Builds the forwarded token: the request with its permit.
    pub attach: fn(&C, Permit) -> C,
}

impl<C> Clone for Admit<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for Admit<C> {}

impl<C, const W: usize, const B: usize> Binding<C, BreakerMachine<W, B>> for Admit<C> {
    fn event(&self, _: &C) -> Option<BreakerEvent> {
        Some(BreakerEvent::Acquire)
    }

    fn route(&self, token: &C, output: Option<BreakerOutput>) -> Route<C> {
        match output {
            Some(BreakerOutput::Acquired(Ok(permit))) => {
                Route::Replace(self.forwarded, (self.attach)(token, permit))
            }
            // A rejection, or any other answer: fail closed.
            _ => Route::Forward(self.rejected),
        }
    }

    #[inline]
    fn fixed_routes(&self, _: crate::embed::sealed::OwnBinding) -> Option<[PlaceId; 2]> {
        Some([self.forwarded, self.rejected])
    }
}

/// Outcome reporting: each token carries a permit and an outcome, which the breaker
/// records; the token then goes to `done`.
///
/// `O` is what a token says about its call: an [`Outcome`] (the default: the breaker
/// times the call, as [`CircuitBreaker::record`](super::CircuitBreaker::record) does),
/// or a [`Verdict`] that also says whether the call was slow, as
/// [`CircuitBreaker::record_judged`](super::CircuitBreaker::record_judged) takes it.
///
/// A token without a permit (`outcome` returns `None`) is not shown to the breaker and
/// still moves on.
#[derive(Debug)]
pub struct Report<C, O = Outcome> {
    /// Where reported responses go.
    pub done: PlaceId,
    /// The permit the call was made under and how it ended.
    pub outcome: fn(&C) -> Option<(Permit, O)>,
}

impl<C, O> Clone for Report<C, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C, O> Copy for Report<C, O> {}

impl<C, O, const W: usize, const B: usize> Binding<C, BreakerMachine<W, B>> for Report<C, O>
where
    O: Into<Verdict>,
{
    fn event(&self, token: &C) -> Option<BreakerEvent> {
        (self.outcome)(token).map(|(permit, told)| {
            let Verdict { outcome, speed } = told.into();
            BreakerEvent::Record {
                permit,
                outcome,
                speed,
            }
        })
    }

    fn route(&self, _: &C, _: Option<BreakerOutput>) -> Route<C> {
        Route::Forward(self.done)
    }

    #[inline]
    fn fixed_routes(&self, _: crate::embed::sealed::OwnBinding) -> Option<[PlaceId; 2]> {
        Some([self.done, self.done])
    }
}

/// Like [`embed::fire`] with one breaker per backend: each token's `key` picks its
/// breaker in `bank`, what it does there depending on the event `binding` makes of it.
///
/// - **A report** ([`BreakerEvent::Record`], e.g. from [`Report`]) goes to the key's
///   breaker if the bank holds one, and never inserts one. If the key's breaker was
///   evicted since the permit was issued, the outcome is stale: it is counted in the
///   bank's [`stale_outcomes`](BreakerBank::stale_outcomes), no breaker sees it, nothing
///   is evicted, and the token is routed as a stale outcome's token is (`binding`'s
///   route for [`Recorded::Stale`]; [`Report`] sends it to `done`). Inserting a breaker
///   for a late report would evict another idle breaker for an outcome that can only
///   be stale.
/// - **A token the breaker does not see** (no event, e.g. [`Report`]'s token without
///   a permit) is routed without touching the bank.
/// - **Any other event** (an acquire, from [`Admit`]) goes to the key's breaker, which
///   is created with the bank's shared configuration if absent. When the bank is full
///   and nothing may be evicted, the token goes to `full` instead, untouched: failing
///   closed, never dropping an OPEN breaker.
///
/// Each token that reaches a breaker is a use of its key at `now` for the bank's
/// eviction order.
///
/// A token whose breaker has seen a later instant than `now` (the application drives
/// the bank directly, ahead of the net) fails the firing with
/// [`FiringError::ClockRegression`](crate::sched::FiringError::ClockRegression).
///
/// Atomic, like [`embed::fire`]: if the firing will fail (a route the net refuses, an
/// emission past a weight, a clock regression), the bank is as it was before the call (every breaker it
/// touched, the breakers it inserted or evicted, its eviction order and stale count)
/// and no state change is reported. The mechanism is [`embed::fire`]'s, per slot: each
/// slot is saved before the firing first changes it (at most `N` breakers' worth of
/// stack), put back if the firing fails, and the events are replayed, reporting each
/// change, when the firing made more than one.
pub fn fire_bank<C, K, Bd, const N: usize, const W: usize, const B: usize>(
    bank: &mut BreakerBank<K, N, W, B>,
    key: fn(&C) -> K,
    binding: &Bd,
    full: impl Into<PlaceId>,
    firing: &mut Firing<'_, C>,
    now: Instant,
) where
    K: Eq + Copy,
    Bd: Binding<C, BreakerMachine<W, B>>,
{
    let full = full.into();
    let mut undo = bank.undo_point();
    let ((), held) =
        firing.holding_changes(|f| feed_bank(bank, key, binding, full, f, now, Some(&mut undo)));
    if firing.verdict().is_err() {
        bank.undo(undo);
        return;
    }
    if held.over {
        // More than one change: replay the events from the saved bank, this time
        // reporting each change; the tokens already went where the first pass sent them.
        bank.undo(undo);
        feed_bank(bank, key, binding, full, firing, now, None);
    } else if let Some(change) = held.first {
        firing.report(change);
    }
}

/// Every consumed token through the bank: the first pass of [`fire_bank`] (`undo`
/// given: each slot saved before it changes, tokens routed) or its replay (`None`:
/// tokens left where they went).
fn feed_bank<C, K, Bd, const N: usize, const W: usize, const B: usize>(
    bank: &mut BreakerBank<K, N, W, B>,
    key: fn(&C) -> K,
    binding: &Bd,
    full: PlaceId,
    firing: &mut Firing<'_, C>,
    now: Instant,
    mut undo: Option<&mut BankUndo<K, N, W, B>>,
) where
    K: Eq + Copy,
    Bd: Binding<C, BreakerMachine<W, B>>,
{
    let route = undo.is_some();
    for i in 0..firing.len() {
        let Some((k, event)) = firing.input(i).map(|t| (key(t), binding.event(t))) else {
            continue;
        };
        match event {
            Some(BreakerEvent::Record { .. }) => {
                if let Some(undo) = undo.as_deref_mut() {
                    bank.save_for_undo(undo, &k, false);
                }
                match bank.use_existing(&k, now) {
                    Some(breaker) => {
                        embed::feed_one(
                            breaker.state_machine_mut(),
                            binding,
                            firing,
                            i,
                            now,
                            route,
                        );
                    }
                    None => {
                        bank.count_stale();
                        if route {
                            let stale = BreakerOutput::Recorded(Recorded::Stale);
                            route_unseen(binding, firing, i, Some(stale));
                        }
                    }
                }
            }
            None => {
                if route {
                    route_unseen(binding, firing, i, None);
                }
            }
            Some(_) => {
                if let Some(undo) = undo.as_deref_mut() {
                    bank.save_for_undo(undo, &k, true);
                }
                match bank.get_or_insert(k, now) {
                    Ok(breaker) => {
                        embed::feed_one(
                            breaker.state_machine_mut(),
                            binding,
                            firing,
                            i,
                            now,
                            route,
                        );
                    }
                    Err(_) if route => {
                        // The refusal poisons the firing if `full` is not an output.
                        let _ = firing.forward(i, full);
                    }
                    Err(_) => {}
                }
            }
        }
    }
}

/// Routes consumed token `i` by `binding` as if a breaker had answered `output`, for a
/// token no breaker sees.
fn route_unseen<C, Bd, const W: usize, const B: usize>(
    binding: &Bd,
    firing: &mut Firing<'_, C>,
    i: usize,
    output: Option<BreakerOutput>,
) where
    Bd: Binding<C, BreakerMachine<W, B>>,
{
    let Some(route) = firing.input(i).map(|t| binding.route(t, output)) else {
        return;
    };
    // A refused route poisons the firing; the net then undoes it.
    let _ = match route {
        Route::Forward(place) => firing.forward(i, place),
        Route::Replace(place, token) => firing.emit(place, token).map_err(|r| r.error),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{BreakerConfig, BreakerStateKind, CircuitBreaker};
    use crate::fsm::ChangeSink;
    use crate::net::{NetBuilder, TransitionId};
    use crate::sched::{Behaviour, Fault, Net, NetEvent};
    use crate::time::Duration;

    /// A request to `backend`; once admitted it carries its permit; `ok` is what the
    /// backend will answer.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Call {
        id: u32,
        backend: u8,
        permit: Option<Permit>,
        ok: bool,
    }

    fn call(id: u32, ok: bool) -> Call {
        Call {
            id,
            backend: 0,
            permit: None,
            ok,
        }
    }

    const ADMIT: Admit<Call> = Admit {
        forwarded: PlaceId::new(1),
        rejected: PlaceId::new(2),
        attach: |c, p| Call {
            permit: Some(p),
            ..*c
        },
    };
    const REPORT: Report<Call> = Report {
        done: PlaceId::new(3),
        outcome: |c| {
            c.permit.map(|p| {
                (
                    p,
                    if c.ok {
                        Outcome::Success
                    } else {
                        Outcome::Failure
                    },
                )
            })
        },
    };
    const REQUESTS: PlaceId = PlaceId::new(0);
    const FORWARDED: PlaceId = PlaceId::new(1);
    const REJECTED: PlaceId = PlaceId::new(2);
    const DONE: PlaceId = PlaceId::new(3);
    const ROUTE: TransitionId = TransitionId::new(0);

    type Pipeline = Net<Call, 4, 2, 6, 40>;

    fn pipeline() -> Pipeline {
        let mut b = NetBuilder::new();
        let requests = b.place("requests", 8);
        let forwarded = b.place("forwarded", 8);
        let rejected = b.place("rejected", 8);
        let done = b.place("done", 8);
        assert_eq!(
            [requests, forwarded, rejected, done],
            [REQUESTS, FORWARDED, REJECTED, DONE]
        );
        let route = b.transition("route");
        let record = b.transition("record");
        b.input(route, requests, 1)
            .output(route, forwarded, 1)
            .output(route, rejected, 1);
        b.input(record, forwarded, 1).output(record, done, 1);
        b.build().unwrap()
    }

    struct One {
        breaker: CircuitBreaker,
    }

    impl Behaviour<Call> for One {
        fn fire(
            &mut self,
            t: TransitionId,
            f: &mut Firing<'_, Call>,
            now: Instant,
        ) -> Result<(), Fault> {
            let sm = self.breaker.state_machine_mut();
            if t == ROUTE {
                embed::fire(sm, &ADMIT, f, now)
            } else {
                embed::fire(sm, &REPORT, f, now)
            }
        }
        fn next_deadline(&self) -> Option<Instant> {
            self.breaker.next_deadline()
        }
        fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
            self.breaker.poll_into(now, changes).unwrap();
        }
    }

    fn secs(s: u64) -> Instant {
        Instant::from_secs(s)
    }

    fn one() -> One {
        let config = BreakerConfig::consecutive(2, Duration::from_secs(5), 1);
        One {
            breaker: CircuitBreaker::new(config, secs(0)).unwrap(),
        }
    }

    fn send(net: &mut Pipeline, app: &mut One, c: Call, at: Instant) {
        net.inject(REQUESTS, c, at).unwrap();
        net.run(at, 10, app).unwrap();
    }

    fn ids(net: &Pipeline, p: PlaceId) -> heapless::Vec<u32, 8> {
        net.tokens(p).map(|c| c.id).collect()
    }

    #[test]
    fn a_breaker_driven_ahead_of_the_net_fails_the_firing_with_its_clock_regression() {
        use crate::sched::{Disposition, FiringError, Step};
        use crate::time::ClockRegression;
        let (mut net, mut app) = (pipeline(), one());
        // The application used the breaker directly at 5 s; the net is still at 2 s.
        let _ = app.breaker.try_acquire(secs(5));
        let before = app.breaker.clone();
        net.inject(REQUESTS, call(1, true), secs(2)).unwrap();
        let step = net.step(secs(2), &mut app).unwrap();
        assert_eq!(
            step,
            Step::Failed {
                transition: ROUTE,
                error: FiringError::ClockRegression(ClockRegression {
                    last: secs(5),
                    now: secs(2)
                }),
                disposition: Disposition::RolledBack
            }
        );
        assert_eq!(app.breaker, before, "the breaker is as it was");
        assert_eq!(
            ids(&net, REQUESTS).as_slice(),
            &[1],
            "the request went back"
        );
        // Once the net catches up, the same request goes through.
        net.run(secs(5), 10, &mut app).unwrap();
        assert_eq!(ids(&net, DONE).as_slice(), &[1]);
    }

    #[test]
    fn a_bank_ahead_of_the_net_fails_the_firing_and_stays_as_it_was() {
        use crate::sched::FiringError;
        let mut bank: BreakerBank<u8, 2> =
            BreakerBank::new(BreakerConfig::consecutive(2, Duration::from_secs(5), 1)).unwrap();
        let _ = bank.try_acquire(0, secs(5)).unwrap();
        let before = bank.clone();
        let mut net = pipeline();
        net.inject(REQUESTS, call(1, true), secs(2)).unwrap();
        let mut app = crate::sched::from_fn(|_, f: &mut Firing<'_, Call>, now| {
            fire_bank(&mut bank, |c| c.backend, &ADMIT, REJECTED, f, now);
            Ok(())
        });
        let step = net.step(secs(2), &mut app).unwrap();
        assert!(matches!(
            step,
            crate::sched::Step::Failed {
                error: FiringError::ClockRegression(_),
                ..
            }
        ));
        let _ = app;
        assert_eq!(bank, before);
        assert_eq!(ids(&net, REQUESTS).as_slice(), &[1]);
    }

    #[test]
    fn admitted_requests_carry_their_permit_and_outcomes_are_recorded() {
        let (mut net, mut app) = (pipeline(), one());
        send(&mut net, &mut app, call(1, true), secs(1));
        let done = net.peek(DONE).copied().unwrap();
        assert!(done.permit.is_some(), "the permit travels with the request");
        assert_eq!(
            app.breaker.metrics().successes,
            1,
            "the record transition fed the outcome back"
        );
        assert_eq!(app.breaker.metrics().permitted, 1);
    }

    #[test]
    fn an_open_breaker_in_the_net_never_forwards_a_request() {
        let (mut net, mut app) = (pipeline(), one());
        let mut checked_while_open = 0;
        for (i, ok) in [false, false, true, true, true].into_iter().enumerate() {
            let at = secs(1 + i as u64);
            let open = app.breaker.state() == BreakerStateKind::Open
                && app.breaker.next_deadline().is_some_and(|d| d > at);
            let passed_before = net.len(FORWARDED) + net.len(DONE);
            send(&mut net, &mut app, call(i as u32, ok), at);
            if open {
                checked_while_open += 1;
                assert_eq!(
                    net.len(FORWARDED) + net.len(DONE),
                    passed_before,
                    "request {i} got through"
                );
            }
        }
        assert_eq!(checked_while_open, 3);
        assert_eq!(ids(&net, DONE).as_slice(), &[0, 1], "two failures trip it");
        assert_eq!(
            ids(&net, REJECTED).as_slice(),
            &[2, 3, 4],
            "OPEN rejects everything after"
        );
        assert_eq!(app.breaker.metrics().rejected, 3);
    }

    #[test]
    fn an_observer_taking_state_changes_unwrapped_hears_each_once_and_never_as_an_event() {
        struct Unwrapped {
            changes: heapless::Vec<(&'static str, &'static str, Instant), 4>,
            wrapped: usize,
        }
        impl crate::sched::Observer for Unwrapped {
            fn on_event(&mut self, event: &NetEvent) {
                if matches!(event, NetEvent::StateChanged(_)) {
                    self.wrapped += 1;
                }
            }
            fn on_state_change(&mut self, change: &crate::fsm::StateChange) {
                self.changes
                    .push((change.from.name, change.to.name, change.at))
                    .unwrap();
            }
        }
        let (mut net, mut app) = (pipeline(), one());
        send(&mut net, &mut app, call(1, false), secs(1));
        send(&mut net, &mut app, call(2, false), secs(2));
        let mut obs = Unwrapped {
            changes: heapless::Vec::new(),
            wrapped: 0,
        };
        net.step_observed(secs(7), &mut app, &mut obs).unwrap();
        assert_eq!(obs.changes.as_slice(), &[("OPEN", "HALF_OPEN", secs(7))]);
        assert_eq!(
            obs.wrapped, 0,
            "the change came unwrapped, not also as an event"
        );
    }

    #[test]
    fn the_breakers_open_period_joins_the_nets_deadline_and_ends_by_itself() {
        let (mut net, mut app) = (pipeline(), one());
        send(&mut net, &mut app, call(1, false), secs(1));
        send(&mut net, &mut app, call(2, false), secs(2));
        assert_eq!(app.breaker.state(), BreakerStateKind::Open);
        assert_eq!(net.next_deadline(&app), Some(secs(7)));
        let mut changes: heapless::Vec<(&str, &str, Instant), 4> = heapless::Vec::new();
        let mut obs = |e: &NetEvent| {
            if let NetEvent::StateChanged(c) = e {
                changes.push((c.from.name, c.to.name, c.at)).unwrap();
            }
        };
        net.step_observed(secs(7), &mut app, &mut obs).unwrap();
        assert_eq!(
            changes.as_slice(),
            &[("OPEN", "HALF_OPEN", secs(7))],
            "no assignment from outside"
        );
        send(&mut net, &mut app, call(3, true), secs(7));
        assert_eq!(
            app.breaker.state(),
            BreakerStateKind::Closed,
            "one good probe closes it"
        );
        assert_eq!(ids(&net, DONE).as_slice(), &[1, 2, 3]);
    }

    struct PerBackend {
        bank: BreakerBank<u8, 2>,
    }

    const FULL: PlaceId = REJECTED;

    impl Behaviour<Call> for PerBackend {
        fn fire(
            &mut self,
            t: TransitionId,
            f: &mut Firing<'_, Call>,
            now: Instant,
        ) -> Result<(), Fault> {
            let key = |c: &Call| c.backend;
            if t == ROUTE {
                fire_bank(&mut self.bank, key, &ADMIT, FULL, f, now);
            } else {
                fire_bank(&mut self.bank, key, &REPORT, FULL, f, now);
            }
            Ok(())
        }
        fn next_deadline(&self) -> Option<Instant> {
            self.bank.next_deadline()
        }
        fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
            self.bank.poll(now, changes).unwrap();
        }
    }

    #[test]
    fn each_backend_has_its_own_breaker_and_a_full_bank_fails_closed() {
        let mut net = pipeline();
        let config = BreakerConfig::consecutive(1, Duration::from_secs(60), 1);
        let mut app = PerBackend {
            bank: BreakerBank::new(config).unwrap(),
        };
        let mut at = 0;
        let mut send = |net: &mut Pipeline, app: &mut PerBackend, id, backend, ok| {
            at += 1;
            let c = Call {
                id,
                backend,
                permit: None,
                ok,
            };
            net.inject(REQUESTS, c, secs(at)).unwrap();
            net.run(secs(at), 10, app).unwrap();
        };
        send(&mut net, &mut app, 1, 7, false); // backend 7 fails once: its breaker opens
        send(&mut net, &mut app, 2, 7, true); // 7 rejects
        send(&mut net, &mut app, 3, 9, true); // 9 is healthy: its own breaker admits
        assert_eq!(ids(&net, DONE).as_slice(), &[1, 3]);
        assert_eq!(ids(&net, REJECTED).as_slice(), &[2]);
        // The bank holds two breakers: a new backend evicts the idle CLOSED one (9),
        // never the OPEN one (7).
        send(&mut net, &mut app, 4, 5, false); // 5 takes 9's slot, fails, opens
        assert!(app.bank.get(&9).is_none());
        assert_eq!(app.bank.get(&7).unwrap().state(), BreakerStateKind::Open);
        assert_eq!(app.bank.get(&5).unwrap().state(), BreakerStateKind::Open);
        // Now both are OPEN: no breaker may be evicted, so backend 9's request is
        // rejected (fails closed) instead of dropping an OPEN breaker.
        send(&mut net, &mut app, 5, 9, true);
        assert_eq!(ids(&net, REJECTED).as_slice(), &[2, 5]);
        assert!(app.bank.get(&9).is_none());
        assert_eq!(ids(&net, DONE).as_slice(), &[1, 3, 4]);
    }

    #[test]
    fn a_late_report_for_an_evicted_backend_counts_nowhere_and_evicts_nobody() {
        let mut net = pipeline();
        let config = BreakerConfig::consecutive(1, Duration::from_secs(60), 1);
        let mut app = PerBackend {
            bank: BreakerBank::new(config).unwrap(),
        };
        let run = |net: &mut Pipeline, app: &mut PerBackend, place, c: Call, at| {
            net.inject(place, c, secs(at)).unwrap();
            net.run(secs(at), 10, app).unwrap();
        };
        let request = |id, backend| Call {
            id,
            backend,
            permit: None,
            ok: true,
        };
        // Backend 1's breaker at generation 1, so the permit of its call 1 has the
        // generation backend 2's slot would hand a breaker re-inserted there.
        let _ = app
            .bank
            .get_or_insert(1, secs(0))
            .unwrap()
            .reset(secs(0))
            .unwrap();
        run(&mut net, &mut app, REQUESTS, request(1, 1), 1);
        run(&mut net, &mut app, REQUESTS, request(2, 2), 2);
        run(&mut net, &mut app, REQUESTS, request(3, 3), 3); // evicts backend 1
        let late = net.tokens(DONE).find(|c| c.id == 1).copied().unwrap();
        assert_eq!(late.permit.map(|p| p.generation()), Some(1));
        assert!(app.bank.get(&1).is_none());
        let before = app.bank.clone();

        // Backend 1's call is reported again, late, as a failure (one would trip).
        let report = Call {
            id: 4,
            ok: false,
            ..late
        };
        run(&mut net, &mut app, FORWARDED, report, 4);
        assert_eq!(app.bank.stale_outcomes(), 1);
        assert!(app.bank.get(&1).is_none(), "no breaker inserted for it");
        for ((key, now), (_, then)) in app.bank.iter().zip(before.iter()) {
            assert_eq!(now, then, "backend {key}'s breaker is untouched");
        }
        assert_eq!(
            ids(&net, DONE).as_slice(),
            &[1, 2, 3, 4],
            "the stale report's token goes where a stale outcome's token goes: done"
        );

        // A response without a permit is shown to no breaker and moves on.
        run(&mut net, &mut app, FORWARDED, request(5, 7), 5);
        assert_eq!(ids(&net, DONE).as_slice(), &[1, 2, 3, 4, 5]);
        assert!(app.bank.get(&7).is_none());
        assert_eq!(app.bank.stale_outcomes(), 1);
        let keys: heapless::Vec<u8, 2> = app.bank.iter().map(|(k, _)| k).collect();
        assert_eq!(keys.as_slice(), &[3, 2]);
    }

    /// A pipeline whose transitions take two tokens at once, and whose `forwarded`
    /// place holds one: routing two admitted requests fails on the second.
    fn batches() -> Pipeline {
        let mut b = NetBuilder::new();
        let requests = b.place("requests", 8);
        let forwarded = b.place("forwarded", 1);
        let rejected = b.place("rejected", 8);
        let done = b.place("done", 8);
        let route = b.transition("route");
        let record = b.transition("record");
        b.input(route, requests, 2)
            .output(route, forwarded, 1)
            .output(route, rejected, 2);
        b.input(record, forwarded, 1).output(record, done, 1);
        b.build().unwrap()
    }

    fn request(id: u32, backend: u8) -> Call {
        Call {
            id,
            backend,
            permit: None,
            ok: true,
        }
    }

    #[test]
    fn a_failed_firing_through_a_bank_leaves_every_breaker_slot_and_count_as_before() {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(60), 1);
        let mut app = PerBackend {
            bank: BreakerBank::new(config).unwrap(),
        };
        // Two idle breakers fill the bank: the batch's two backends evict both.
        let _ = app.bank.get_or_insert(5, secs(0)).unwrap();
        let _ = app.bank.get_or_insert(6, secs(1)).unwrap();
        let before = app.bank.clone();
        let mut net = batches();
        net.inject(REQUESTS, request(1, 1), secs(2)).unwrap();
        net.inject(REQUESTS, request(2, 2), secs(2)).unwrap();
        let mut changes = 0;
        let mut failed = 0;
        let mut obs = |e: &NetEvent| match e {
            NetEvent::StateChanged(_) => changes += 1,
            NetEvent::Failed { .. } => failed += 1,
            _ => {}
        };
        let _ = net.step_observed(secs(2), &mut app, &mut obs);
        assert_eq!(failed, 1, "the second forward finds `forwarded` full");
        assert_eq!(app.bank, before, "evicted breakers are back, new ones gone");
        assert_eq!(app.bank.last_used(&6), Some(secs(1)));
        assert_eq!(changes, 0);
        assert_eq!(net.len(REQUESTS), 2, "the tokens are back too");
    }

    #[test]
    fn a_failed_firing_through_a_bank_undoes_the_events_its_breakers_handled() {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(60), 1);
        let mut app = PerBackend {
            bank: BreakerBank::new(config).unwrap(),
        };
        let mut net = batches();
        // Backend 3 fails once through the bank and opens, outside the batch net.
        let permit = app.bank.try_acquire(3, secs(1)).unwrap().value.unwrap();
        let _ = app
            .bank
            .record(3, permit, Outcome::Failure, secs(1))
            .unwrap();
        let _ = app.bank.try_acquire(4, secs(1)).unwrap();
        let before = app.bank.clone();
        // Backend 4 is admitted (forwarded, full after it), backend 3 is rejected: the
        // firing stands. Two more for backend 4 cannot both go to `forwarded`.
        net.inject(REQUESTS, request(1, 4), secs(2)).unwrap();
        net.inject(REQUESTS, request(2, 4), secs(2)).unwrap();
        let _ = net.step(secs(2), &mut app);
        assert_eq!(net.len(REQUESTS), 2);
        assert_eq!(
            app.bank.get(&4).unwrap().metrics(),
            before.get(&4).unwrap().metrics(),
            "the permits the failed firing took are given back"
        );
        assert_eq!(app.bank, before);
    }

    #[test]
    fn a_firing_through_a_bank_that_stands_reports_each_change_once_in_order() {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(60), 1);
        let mut app = PerBackend {
            bank: BreakerBank::new(config).unwrap(),
        };
        // Two failed reports for two backends in one firing of `record`: two openings.
        let reports = [1u8, 2].map(|backend| {
            let permit = app
                .bank
                .try_acquire(backend, secs(1))
                .unwrap()
                .value
                .unwrap();
            Call {
                id: u32::from(backend),
                backend,
                permit: Some(permit),
                ok: false,
            }
        });
        let mut b = NetBuilder::new();
        let forwarded = b.place("forwarded", 8);
        let done = b.place("done", 8);
        let record = b.transition("record");
        b.input(record, forwarded, 2).output(record, done, 2);
        let mut reporting: Net<Call, 2, 1, 2, 24> = b.build().unwrap();
        struct Reports(BreakerBank<u8, 2>, PlaceId);
        impl Behaviour<Call> for Reports {
            fn fire(
                &mut self,
                _: TransitionId,
                f: &mut Firing<'_, Call>,
                now: Instant,
            ) -> Result<(), Fault> {
                let report = Report {
                    done: self.1,
                    ..REPORT
                };
                fire_bank(&mut self.0, |c: &Call| c.backend, &report, self.1, f, now);
                Ok(())
            }
        }
        let mut app = Reports(app.bank, done);
        for r in reports {
            reporting.inject(forwarded, r, secs(2)).unwrap();
        }
        let mut seen: heapless::Vec<(u32, &'static str), 4> = heapless::Vec::new();
        let mut obs = |e: &NetEvent| {
            if let NetEvent::StateChanged(c) = e {
                seen.push((c.instance, c.to.name)).unwrap();
            }
        };
        reporting
            .step_observed(secs(2), &mut app, &mut obs)
            .unwrap();
        assert_eq!(seen.as_slice(), &[(0, "OPEN"), (1, "OPEN")]);
        assert_eq!(app.0.get(&1).unwrap().state(), BreakerStateKind::Open);
        assert_eq!(app.0.get(&2).unwrap().state(), BreakerStateKind::Open);
    }

    #[test]
    fn every_state_change_of_a_polled_bank_reaches_the_observer() {
        // Six breakers time out at the same instant: more changes than any fixed buffer
        // of one call would hold, and each must still be reported.
        let mut net = pipeline();
        let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 1);
        let mut bank6: BreakerBank<u8, 6> = BreakerBank::new(config).unwrap();
        for backend in 0..6u8 {
            let p = bank6.try_acquire(backend, secs(1)).unwrap().value.unwrap();
            let _ = bank6.record(backend, p, Outcome::Failure, secs(1)).unwrap();
        }
        struct Six(BreakerBank<u8, 6>);
        impl Behaviour<Call> for Six {
            fn fire(
                &mut self,
                _: TransitionId,
                _: &mut Firing<'_, Call>,
                _: Instant,
            ) -> Result<(), Fault> {
                Err(Fault(0))
            }
            fn next_deadline(&self) -> Option<Instant> {
                self.0.next_deadline()
            }
            fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
                self.0.poll(now, changes).unwrap();
            }
        }
        let mut six = Six(bank6);
        let mut seen: heapless::Vec<u32, 8> = heapless::Vec::new();
        let mut obs = |e: &NetEvent| {
            if let NetEvent::StateChanged(c) = e {
                seen.push(c.instance).unwrap();
            }
        };
        assert_eq!(net.next_deadline(&six), Some(secs(6)));
        net.step_observed(secs(6), &mut six, &mut obs).unwrap();
        assert_eq!(seen.as_slice(), &[0, 1, 2, 3, 4, 5]);
    }
}

//! FSM-in-PN: a machine inside a transition.
//!
//! Each token the transition consumes is turned into an event for the machine by a
//! [`Binding`]; the machine's answer picks the output place (and may replace the token,
//! e.g. to attach a permit). The machine's state persists across firings because the
//! [`StateMachine`] lives in the application's [`Behaviour`](crate::sched::Behaviour),
//! whose [`next_deadline`](crate::sched::Behaviour::next_deadline) and
//! [`poll`](crate::sched::Behaviour::poll) hand the machine's timeouts to the net: they
//! join [`Net::next_deadline`](crate::sched::Net::next_deadline) and fire at
//! `step(now)` before any transition of the same instant. State changes reach the net's
//! observer.
//!
//! Firing through a machine is atomic, like the net's marking: when the firing fails
//! after the machine has handled its events (a route the net refuses, an emission past a
//! weight, a token lost or invented, a behaviour that errs in [`fire_then`]), the machine's
//! state, its timers (the instant its state was entered, the clock it has seen) and its
//! counters are restored to what they were before the firing, and the observer hears of
//! none of the state changes the undone firing made.
//!
//! The mechanism is snapshot and restore: [`fire`] saves the [`StateMachine`] before the
//! first event (what its hooks can change: see [`Rollback`]; the whole machine unless it
//! says less) and puts it back if [`Firing::verdict`] (the rule the net applies
//! next) says the firing will fail. State changes are held back by the firing and
//! reported only once it is known to stand: the first one is kept aside (most firings
//! make none or one), and a firing that makes more replays its events on the snapshot,
//! reporting each change as it happens (machines are deterministic, so the replay
//! reaches the same state). Evaluate-then-commit would copy the machine
//! twice on every firing (into the scratch copy and back); a snapshot costs one copy,
//! and the restore is paid only on the rare failure.
//!
//! For this crate's own bindings, whose routes are fixed places, [`fire`] first checks
//! that whatever the machine answers the routes are accepted and the firing stands;
//! then it keeps no snapshot and reports changes as they happen. [`fire_fixed`] fails
//! the firing instead when that check fails, so no snapshot is linked at all (for
//! firmware).

use crate::fsm::{ChangeSink, Machine, Rollback, SavedRun, StateMachine};
use crate::net::PlaceId;
use crate::sched::{Fault, Firing, HeldChanges};
use crate::time::Instant;

/// Where a token goes after the machine answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Route<C> {
    /// Move the consumed token, unchanged, to this place.
    Forward(PlaceId),
    /// Put this token in the place instead; the consumed one retires.
    Replace(PlaceId, C),
}

/// How a machine is wired into a transition: token to event, answer to place.
pub trait Binding<C, M: Machine> {
    /// The event a consumed token stands for, or `None` for a token the machine does
    /// not see (it is routed with no answer).
    fn event(&self, token: &C) -> Option<M::Event>;
    /// Where the token goes given the machine's answer (`None` when it was no event).
    fn route(&self, token: &C, output: Option<M::Output>) -> Route<C>;
    /// Every place [`Binding::route`] can send a token to, for this crate's own
    /// bindings, whose routes are fields fixed before the firing: [`fire`] then checks
    /// before the machine changes that routing cannot fail, and needs no snapshot.
    /// `None`, the only answer another crate's binding can give (it cannot name the
    /// argument's type), keeps the snapshot.
    #[doc(hidden)]
    #[inline]
    fn fixed_routes(&self, _: sealed::OwnBinding) -> Option<[PlaceId; 2]> {
        None
    }
}

/// What only this crate can name: [`Binding::fixed_routes`]'s argument.
pub(crate) mod sealed {
    /// Made only in this crate, so no other crate's binding can claim fixed routes, or
    /// forward the claim of a binding it wraps while routing elsewhere.
    #[derive(Debug, Clone, Copy)]
    pub struct OwnBinding;
}

/// Feeds every consumed token of `firing` to `machine` as an event, in arc order, and
/// routes each one by the machine's answer, atomically: if the firing will fail, the
/// machine is as it was before the call (see the module documentation). State changes
/// are reported to the firing once the firing is known to stand.
///
/// A `now` earlier than the machine has seen (because the application also drives it
/// directly, ahead of the net) is a clock regression: the machine refuses the event and
/// the firing fails with [`FiringError::ClockRegression`](crate::sched::FiringError::ClockRegression),
/// so the consumed tokens go back and the machine is as it was.
///
/// # Errors
/// [`Fault`] never comes from here; refused routes poison the firing, which then fails.
#[inline]
pub fn fire<C, M, B>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    now: Instant,
) -> Result<(), Fault>
where
    M: Rollback,
    M::State: Clone,
    B: Binding<C, M>,
{
    let stands = binding
        .fixed_routes(sealed::OwnBinding)
        .is_some_and(|routes| firing.routing_refusal(&routes).is_none());
    if stands {
        // Whatever the machine answers, its token's route is accepted and the firing
        // stands (a clock regression is refused before the machine changes): no
        // snapshot, and its changes are reported as they happen.
        feed_all(machine, binding, firing, now, Pass::Standing);
        return Ok(());
    }
    fire_saved(machine, binding, firing, now)
}

/// [`fire`] for firmware: no snapshot of the machine is linked for this crate's own
/// bindings ([`Admit`](crate::breaker::in_net::Admit) and
/// [`Report`](crate::breaker::in_net::Report)), whose routes are fixed places.
///
/// Before the machine sees any event it checks, as [`fire`] does, that whatever the
/// machine answers the tokens' routes are accepted and the firing stands (every place
/// the binding can route to is an output of the transition with room for the tokens).
/// If so it fires exactly as [`fire`]. If not, where [`fire`] would go ahead with a
/// snapshot and fail only for the answers whose route is refused, this fails the
/// firing at once with the refusal (a binding naming a place that is no output, say),
/// and the machine is untouched: a wrong route shows at the first firing, and the
/// snapshot and its undo are not linked. Another crate's binding, which cannot name
/// its routes, fires as with [`fire`], snapshot included.
///
/// # Errors
/// [`Fault`] never comes from here; refusals fail the firing through the net's rules.
#[inline]
pub fn fire_fixed<C, M, B>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    now: Instant,
) -> Result<(), Fault>
where
    M: Rollback,
    M::State: Clone,
    B: Binding<C, M>,
{
    let Some(routes) = binding.fixed_routes(sealed::OwnBinding) else {
        return fire_saved(machine, binding, firing, now);
    };
    if firing.refuse_unless_routing_stands(routes) {
        feed_all(machine, binding, firing, now, Pass::Standing);
    }
    Ok(())
}

/// [`fire`] when the firing may still fail after the machine changed: with the
/// snapshot, in a frame of its own, so the path without one does not carry it.
#[inline(never)]
fn fire_saved<C, M, B>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    now: Instant,
) -> Result<(), Fault>
where
    M: Rollback,
    M::State: Clone,
    B: Binding<C, M>,
{
    fire_then(machine, binding, firing, now, |_| Ok(()))
}

/// One pass of the consumed tokens through the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The first pass of an atomic firing: changes held back, tokens routed.
    Holding,
    /// Its replay on the snapshot: changes reported, tokens left where they went.
    Replay,
    /// A firing that stands whatever the machine answers: changes reported, tokens
    /// routed.
    Standing,
}

/// [`fire`], then `then` (the behaviour's own work after the machine, e.g. an emission
/// of its own, or a check that may fail), as one atomic step: if `then` returns a
/// [`Fault`] or the firing will fail, the machine is restored to its state before the
/// call and its state changes are not reported.
///
/// # Errors
/// The [`Fault`] `then` returned, which makes the net undo the firing.
pub fn fire_then<C, M, B>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    now: Instant,
    then: impl FnOnce(&mut Firing<'_, C>) -> Result<(), Fault>,
) -> Result<(), Fault>
where
    M: Rollback,
    M::State: Clone,
    B: Binding<C, M>,
{
    let before = machine.save();
    let ((), held) = firing.holding_changes(|f| feed_all(machine, binding, f, now, Pass::Holding));
    let result = then(firing);
    if settle(machine, before, held, firing, result.is_err()) {
        // More than one change: replay the events on the snapshot (settle put it
        // back in), this time reporting each change; the replay reaches the same state.
        // The tokens already went where the first pass sent them.
        feed_all(machine, binding, firing, now, Pass::Replay);
    }
    result
}

/// The end of [`fire_then`]'s first pass: restores `machine` to `before` if the firing
/// will fail (`failed`: the behaviour's own work failed), else reports the change held
/// back, if one was. Returns whether more changes were held than kept, so the events
/// need a replay; `machine` is then `before` again, ready for it. Out of line and
/// independent of the binding, so a machine bound to several transitions has one copy
/// of it.
///
/// Restoring moves the saved parts back in (`before` is not used again), so no second
/// copy of the machine is made on the stack.
#[inline(never)]
fn settle<C, M>(
    machine: &mut StateMachine<M>,
    before: SavedRun<M>,
    held: HeldChanges,
    firing: &mut Firing<'_, C>,
    failed: bool,
) -> bool
where
    M: Rollback,
    M::State: Clone,
{
    if failed || firing.verdict().is_err() {
        machine.restore(before);
        return false;
    }
    if held.over {
        machine.restore(before);
        return true;
    }
    if let Some(change) = held.first {
        firing.report(change);
    }
    false
}

/// Every consumed token through the machine, in arc order, in one [`Pass`]. Out of
/// line and shared by every pass, so a machine's code is compiled once per binding
/// (firmware flash) for one call per firing.
#[inline(never)]
fn feed_all<C, M: Machine, B: Binding<C, M>>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    now: Instant,
    pass: Pass,
) {
    for i in 0..firing.len() {
        feed(machine, binding, firing, i, now, pass != Pass::Replay);
    }
}

/// One token through the machine: its event dispatched (state changes go to the firing,
/// which holds them back or reports them), then, when `route` is set, the token routed
/// by the answer. One function for both passes of [`fire_then`] and for [`fire_one`],
/// so the machine's code is compiled once per binding.
#[inline]
fn feed<C, M: Machine, B: Binding<C, M>>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    i: usize,
    now: Instant,
    route: bool,
) {
    let Some(event) = firing.input(i).map(|t| binding.event(t)) else {
        return;
    };
    let output = match event {
        Some(event) => match machine.dispatch_into(event, now, firing) {
            Ok(output) => Some(output),
            Err(regression) => {
                // Nothing changed in the machine; the failed firing puts the tokens back.
                firing.refuse_clock_regression(regression);
                return;
            }
        },
        None => None,
    };
    if route {
        route_token(binding, firing, i, output);
    }
}

/// Consumed token `i` of `firing` routed by the machine's answer `output`. Out of line,
/// so the route, the replacement token and its emission have a frame of their own once
/// the machine has answered, instead of sitting in [`feed`]'s frame under the
/// machine's dispatch, the deepest part of a firing (firmware stack).
#[inline(never)]
fn route_token<C, M: Machine, B: Binding<C, M>>(
    binding: &B,
    firing: &mut Firing<'_, C>,
    i: usize,
    output: Option<M::Output>,
) {
    let Some(route) = firing.input(i).map(|t| binding.route(t, output)) else {
        return;
    };
    // A refused route poisons the firing; the net then undoes it.
    let _ = match route {
        Route::Forward(place) => firing.forward(i, place),
        Route::Replace(place, token) => firing.emit(place, token).map_err(|r| r.error),
    };
}

/// Feeds consumed token `i` of `firing` to `machine` and routes it by the answer, for
/// behaviours that pick a machine per token (e.g. one breaker per backend from a bank).
///
/// This step alone is not atomic: the machine's state changes are reported at once and
/// a later failure of the firing does not undo them. Snapshot the machines it touches
/// and restore them when [`Firing::verdict`] fails, as [`fire_then`] does for one.
///
/// A `now` earlier than the machine has seen fails the firing with
/// [`FiringError::ClockRegression`](crate::sched::FiringError::ClockRegression) and
/// leaves the machine as it was. A missing token does nothing; a refused route poisons
/// the firing.
///
/// [`fire_bank`](crate::breaker::in_net::fire_bank) is the atomic form of this step
/// for a bank of breakers.
pub fn fire_one<C, M: Machine, B: Binding<C, M>>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    i: usize,
    now: Instant,
) {
    feed(machine, binding, firing, i, now, true);
}

/// Token `i` through `machine`, routed by the answer when `route` is set (else only the
/// event dispatched, for a replay): [`fire_one`] for callers in this crate that hold
/// changes back and replay, as `fire_bank` does.
#[inline]
pub(crate) fn feed_one<C, M: Machine, B: Binding<C, M>>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    i: usize,
    now: Instant,
    route: bool,
) {
    feed(machine, binding, firing, i, now, route);
}

/// Applies `machine`'s timeouts due at `now`, for a behaviour's
/// [`poll`](crate::sched::Behaviour::poll). A `now` the machine has already passed is a
/// clock regression and changes nothing; `Behaviour::poll` has no error to return, so
/// it surfaces at the machine's next event, whose firing fails with it.
pub fn poll<M: Machine>(machine: &mut StateMachine<M>, now: Instant, changes: &mut dyn ChangeSink) {
    let _ = machine.poll(now, changes);
}

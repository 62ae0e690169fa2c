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
//! Effects on the machine are not undone if the firing fails afterwards (the machine
//! has already seen the event), so a binding must route only to the transition's output
//! places; the net refuses anything else and rolls the tokens back.

use crate::fsm::{ChangeSink, Machine, StateMachine};
use crate::net::PlaceId;
use crate::sched::{Fault, Firing};
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
}

/// Feeds every consumed token of `firing` to `machine` as an event, in arc order, and
/// routes each one by the machine's answer. State changes are reported to the firing.
///
/// A `now` earlier than the machine has seen (because the application also drives it
/// directly) is treated as the machine's last instant: no time passes.
///
/// # Errors
/// [`Fault`] never comes from here; refused routes poison the firing, which then fails.
pub fn fire<C, M: Machine, B: Binding<C, M>>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    now: Instant,
) -> Result<(), Fault> {
    for i in 0..firing.len() {
        fire_one(machine, binding, firing, i, now);
    }
    Ok(())
}

/// Feeds consumed token `i` of `firing` to `machine` and routes it by the answer: the
/// step [`fire`] takes for each token, for behaviours that pick a machine per token
/// (e.g. one breaker per backend from a bank).
///
/// A `now` earlier than the machine has seen is treated as the machine's last instant.
/// A missing token does nothing; a refused route poisons the firing.
pub fn fire_one<C, M: Machine, B: Binding<C, M>>(
    machine: &mut StateMachine<M>,
    binding: &B,
    firing: &mut Firing<'_, C>,
    i: usize,
    now: Instant,
) {
    let now = now.max(machine.last_seen());
    let Some(event) = firing.input(i).map(|t| binding.event(t)) else {
        return;
    };
    let output = match event {
        Some(event) => match machine.dispatch_into(event, now, firing) {
            Ok(output) => Some(output),
            Err(_) => return,
        },
        None => None,
    };
    let Some(route) = firing.input(i).map(|t| binding.route(t, output)) else {
        return;
    };
    // A refused route poisons the firing; the net then undoes it.
    let _ = match route {
        Route::Forward(place) => firing.forward(i, place),
        Route::Replace(place, token) => firing.emit(place, token).map_err(|r| r.error),
    };
}

/// Applies `machine`'s timeouts due at `now`, for a behaviour's
/// [`poll`](crate::sched::Behaviour::poll). A `now` the machine has already passed does
/// nothing.
pub fn poll<M: Machine>(machine: &mut StateMachine<M>, now: Instant, changes: &mut dyn ChangeSink) {
    // A regression means the machine is ahead of the net: nothing is due for it at `now`.
    let _ = machine.poll(now, changes);
}

//! How application code attaches to transitions, without heap or `dyn` behaviours.
//!
//! The application's [`Behaviour`] is a concrete type the net is generic over, so every
//! firing is a static call. The one trait object on the way is borrowed, never
//! allocated: the [`ChangeSink`] through which machines embedded in a behaviour report
//! their state changes, straight to the caller's observer. Making it a type parameter
//! instead would put the observer's type into every `Behaviour` implementation and rule
//! out plain closures ([`from_fn`]); a state change is rare next to a firing, so one
//! indirect call for it costs nothing measurable.

use super::{Fault, Firing};
use crate::fsm::ChangeSink;
use crate::net::TransitionId;
use crate::time::Instant;

/// The application's code for a net's transitions, implemented once and dispatched by
/// transition id.
///
/// The implementing type is the context the behaviours own (counters, drivers, embedded
/// machines). It is passed to every [`Net::step`](super::Net::step) call rather than
/// stored in the net, so it may borrow peripherals for just that call.
///
/// Machines embedded in transitions live here too: [`Behaviour::next_deadline`] and
/// [`Behaviour::poll`] let the net include their timeouts in its own deadline and apply
/// them at `step(now)` before any transition fires at that instant.
pub trait Behaviour<C> {
    /// Fires `transition`: read the consumed tokens from `firing`, forward or emit tokens
    /// to its output places, or fail.
    ///
    /// # Errors
    /// A [`Fault`] makes the firing fail: consumed tokens return to the front of their
    /// places in their original order (or go to the transition's error place) and
    /// everything produced is undone.
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, C>,
        now: Instant,
    ) -> Result<(), Fault>;

    /// Whether firing `transition` does exactly what [`Passthrough`] does: forward the
    /// consumed tokens to the output places in arc order, and nothing else (no fault,
    /// no emission, no state change, no side effect).
    ///
    /// An answer of `true` lets the net move the tokens itself, without building a
    /// [`Firing`] or calling [`Behaviour::fire`], for transitions that are not sources and
    /// whose output weights add up to what they consume (where pass-through flow
    /// cannot fail). The default, `false`, always calls `fire`. Answering `true` for a
    /// transition whose `fire` does something else makes the net skip that something.
    fn passes_through(&self, transition: TransitionId) -> bool {
        let _ = transition;
        false
    }

    /// The earliest instant at which an embedded machine needs [`Behaviour::poll`].
    fn next_deadline(&self) -> Option<Instant> {
        None
    }

    /// Applies embedded machines' timeouts due at `now`, appending their state changes.
    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        let _ = (now, changes);
    }
}

/// Classic Petri-net token flow: forwards consumed tokens to the output places in arc
/// order, filling each output up to its weight; a source fills the rest with
/// `C::default()`, a sink drops what does not fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Passthrough;

impl<C: Default> Behaviour<C> for Passthrough {
    fn fire(
        &mut self,
        _: TransitionId,
        firing: &mut Firing<'_, C>,
        _: Instant,
    ) -> Result<(), Fault> {
        // A refusal (only an exhausted pool) poisons the firing, which then fails.
        firing.pass_through();
        Ok(())
    }

    fn passes_through(&self, _: TransitionId) -> bool {
        true
    }
}

/// A behaviour made from a closure, for nets whose transitions share one piece of code
/// (and for tests). Build it with [`from_fn`].
#[derive(Debug, Clone, Copy)]
pub struct FromFn<F>(F);

/// Wraps `f(transition, firing, now)` as a [`Behaviour`] without machines.
pub const fn from_fn<C, F>(f: F) -> FromFn<F>
where
    F: FnMut(TransitionId, &mut Firing<'_, C>, Instant) -> Result<(), Fault>,
{
    FromFn(f)
}

impl<C, F> Behaviour<C> for FromFn<F>
where
    F: FnMut(TransitionId, &mut Firing<'_, C>, Instant) -> Result<(), Fault>,
{
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, C>,
        now: Instant,
    ) -> Result<(), Fault> {
        (self.0)(transition, firing, now)
    }
}

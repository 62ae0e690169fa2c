//! What a net can embed in its transitions: a running machine, bare or inside a type
//! that owns one (a circuit breaker).

use super::{ChangeSink, Machine, StateMachine};
use crate::time::Instant;

/// Holds a running machine that transitions of a net feed their tokens to (see
/// [`crate::embed`]), and hands its timeouts to the net: a machine declared in a
/// [`net!`](crate::net!) block's `machines` is one of these.
pub trait Embeddable {
    /// The machine held.
    type Machine: Machine;

    /// The running machine, for [`embed::fire`](crate::embed::fire).
    fn state_machine_mut(&mut self) -> &mut StateMachine<Self::Machine>;

    /// The earliest instant at which the machine has a timeout to apply.
    fn next_deadline(&self) -> Option<Instant>;

    /// Applies the timeouts due at `now`, reporting their state changes.
    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink);
}

impl<M: Machine> Embeddable for StateMachine<M> {
    type Machine = M;

    fn state_machine_mut(&mut self) -> &mut StateMachine<M> {
        self
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        // A `now` the machine has already passed is a regression and changes nothing; the
        // machine's next event fails its firing with the typed error (see `crate::embed`).
        let _ = StateMachine::poll(self, now, changes);
    }
}

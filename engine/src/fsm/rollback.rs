//! What atomic firing saves of a machine, so a failed firing can put it back.
//!
//! [`crate::embed`] saves the machine before a firing's first event and restores it
//! if the firing fails. Only what events, timeouts and entry and exit actions can
//! change needs saving: a machine with a large configuration (the circuit breaker's)
//! leaves it out, and the saved copy, which sits on the stack of every firing through
//! the machine, shrinks by as much.

use super::Machine;

/// What a machine saves for atomic firing, and how it is put back.
///
/// Most machines save themselves whole: implement [`SavedWhole`] (one line), which
/// gives this trait by [`Clone`]. A machine with parts its hooks never change
/// implements it directly and saves only the rest.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say what a failed firing must put back",
    label = "a machine embedded in a net needs `Rollback`",
    note = "to save it whole, add `impl mycel::fsm::SavedWhole for {Self} {{}}` (it must be `Clone`)"
)]
pub trait Rollback: Machine {
    /// Everything [`Machine::handle`], [`Machine::on_timeout`], [`Machine::on_entry`]
    /// and [`Machine::on_exit`] can change.
    type Saved;

    /// Saves what the hooks can change.
    fn save(&self) -> Self::Saved;

    /// Puts back what [`Rollback::save`] saved: the machine is then as it was when
    /// saved.
    fn restore(&mut self, saved: Self::Saved);
}

/// A machine saved whole, by [`Clone`], for atomic firing: the default [`Rollback`].
pub trait SavedWhole: Machine + Clone {}

impl<M: SavedWhole> Rollback for M {
    type Saved = M;

    #[inline]
    fn save(&self) -> M {
        self.clone()
    }

    #[inline]
    fn restore(&mut self, saved: M) {
        *self = saved;
    }
}

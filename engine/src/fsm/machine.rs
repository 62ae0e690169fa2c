//! The machine trait: states, events, entry/exit actions and deadlines.

use super::{Label, StateKind, States, Table};
use crate::time::Instant;

/// A transition a machine asks for: the state to enter and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Transition<S> {
    /// The state to enter. Entering the current state again is an external
    /// self-transition: exit and entry both run.
    pub to: S,
    /// Why, as reported in [`crate::fsm::StateChange::cause`].
    pub cause: Label,
}

impl<S> Transition<S> {
    /// A transition to `to` caused by `cause`: a declared cause (see
    /// [`machine!`](crate::machine!)) or a bare name.
    pub fn new(to: S, cause: impl Into<Label>) -> Self {
        Self {
            to,
            cause: cause.into(),
        }
    }
}

/// What handling one event produced: an answer for the caller and maybe a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Handled<S, O> {
    /// The answer to the event (in a net it picks the output arc).
    pub output: O,
    /// The transition to take, if any. `None` keeps the state (its data may have been
    /// updated in place by the handler).
    pub next: Option<Transition<S>>,
}

impl<S, O> Handled<S, O> {
    /// An answer that keeps the current state.
    pub const fn stay(output: O) -> Self {
        Self { output, next: None }
    }

    /// An answer together with a transition to `to` caused by `cause`.
    pub fn go(output: O, to: S, cause: impl Into<Label>) -> Self {
        Self {
            output,
            next: Some(Transition::new(to, cause)),
        }
    }
}

/// A finite state machine with an explicit state enum.
///
/// The implementing type holds the machine's extended state (configuration, counters);
/// the per-state data lives in the variants of [`Machine::State`]. Handlers return what
/// happened as values; the runtime ([`crate::fsm::StateMachine`]) applies transitions,
/// running [`Machine::on_exit`] of the old state and then [`Machine::on_entry`] of the
/// new one, and timeouts, which are due at [`Machine::deadline`].
///
/// Time never comes from a clock: every hook receives the instant it happens at.
pub trait Machine {
    /// The state enum; data that belongs to one state lives in its variant. It names
    /// its declared kind ([`States`]), from which the machine's name, table and state
    /// names come.
    type State: States;
    /// What the machine reacts to.
    type Event;
    /// The answer to an event.
    type Output;

    /// The machine's name, used in state changes and diagrams: the declared one.
    const NAME: &'static str = <<Self::State as States>::Kind as StateKind>::MACHINE;
    /// The static transition table, for validation and diagrams: the declared one.
    const TABLE: Table = <<Self::State as States>::Kind as StateKind>::TABLE;

    /// The state a new machine starts in.
    fn initial(&self) -> Self::State;

    /// The name of `state`: its declared kind's.
    fn state_name(state: &Self::State) -> &'static str {
        state.kind().label().name
    }

    /// Handles one event at `now`. The handler may update the state's data in place;
    /// a change of state is returned in [`Handled::next`], never made directly.
    fn handle(
        &mut self,
        state: &mut Self::State,
        event: Self::Event,
        now: Instant,
    ) -> Handled<Self::State, Self::Output>;

    /// The instant at which `state`, entered at `entered_at`, times out, if it does.
    fn deadline(&self, state: &Self::State, entered_at: Instant) -> Option<Instant> {
        let _ = (state, entered_at);
        None
    }

    /// Called when the deadline of `state` is reached; `at` is the deadline itself.
    ///
    /// Return a transition, or update the state's data so that the deadline moves
    /// (an internal transition). A machine that does neither is polled again at the
    /// next call.
    fn on_timeout(
        &mut self,
        state: &mut Self::State,
        at: Instant,
    ) -> Option<Transition<Self::State>> {
        let _ = (state, at);
        None
    }

    /// Entry action of `state`, run when it is entered at `at` (also for the initial state).
    fn on_entry(&mut self, state: &mut Self::State, at: Instant) {
        let _ = (state, at);
    }

    /// Exit action of `state`, run when it is left at `at`.
    fn on_exit(&mut self, state: &Self::State, at: Instant) {
        let _ = (state, at);
    }
}

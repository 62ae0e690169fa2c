//! Finite state machines on the injected clock.
//!
//! A [`Machine`] is an explicit state enum (state data lives in its variants), events,
//! entry and exit actions and per-state deadlines. A [`StateMachine`] runs one: it owns
//! the current state, applies due timeouts before every event ("lazy time first"),
//! calls exit then entry on every transition, and returns each state change as a
//! [`StateChange`] value rather than calling back. Each machine also describes its
//! transition table statically ([`Table`]) so it can be validated and drawn.
//!
//! This layer knows nothing about nets; [`crate::embed`] puts a machine inside a transition.

mod change;
mod declared;
mod embeddable;
mod machine;
mod rollback;
mod runner;
mod table;

pub use change::{ChangeSink, Changes, MAX_CHANGES_PER_CALL, StateChange};
pub use declared::{CauseKind, Label, StateKind, States};
pub use embeddable::Embeddable;
pub use machine::{Handled, Machine, Transition};
pub use rollback::{Rollback, SavedWhole};
pub use runner::{Dispatched, MAX_CHAINED_TIMEOUTS, SavedRun, StateMachine};
pub use table::{Edge, MAX_STATES, StateSpec, Table, TableError, Trigger};

//! Running a net: the token marking, enabled sets, atomic firing and the host API.
//!
//! [`Net`] is the engine proper. Application code attaches to transitions through the
//! [`Behaviour`] trait, which receives each firing's consumed tokens in a [`Firing`];
//! everything that happens can be reported to an [`Observer`].

mod behaviour;
mod build;
mod error;
mod firing;
mod heap;
mod net;
mod observer;
mod report;

/// Re-exported from the net layer, which enforces it, so `sched::MAX_FIRING_INPUTS`
/// keeps working.
pub use crate::net::MAX_FIRING_INPUTS;
pub use behaviour::{Behaviour, FromFn, Passthrough, from_fn};
pub use error::{EmitError, Fault, FiringError, InjectError, Refused, TakeError};
pub use firing::Firing;
pub use net::{NO_DELAY, Net};
pub use observer::{Disposition, NetEvent, Observer};
pub use report::{NetCounters, RunReport, Step};

#[cfg(test)]
mod tests;

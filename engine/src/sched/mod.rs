//! Scheduling a net: enabled sets, atomic firing, behaviours, observers and reports.
//!
//! The running [`Net`] lives in [`crate::net`](mod@crate::net), beside its builder, and is re-exported
//! here. Application code attaches to transitions through the
//! [`Behaviour`] trait, which receives each firing's consumed tokens in a [`Firing`];
//! everything that happens can be reported to an [`Observer`].

mod behaviour;
mod build;
mod error;
pub(crate) mod firing;
pub(crate) mod heap;
pub(crate) mod observer;
mod report;

/// Re-exported from the net layer, which enforces it, so `sched::MAX_FIRING_INPUTS`
/// keeps working.
pub use crate::net::MAX_FIRING_INPUTS;
/// The running net lives beside its builder in [`crate::net`](mod@crate::net); re-exported here because
/// everything in this module acts on it.
#[doc(no_inline)]
pub use crate::net::{NO_DELAY, Net};
pub use behaviour::{Behaviour, FromFn, Passthrough, from_fn};
pub use error::{EmitError, Fault, FiringError, InjectError, Refused, TakeError};
pub use firing::Firing;
pub(crate) use firing::HeldChanges;
pub use observer::{Disposition, NetEvent, Observer};
pub use report::{NetCounters, RunReport, Step};

#[cfg(test)]
mod tests;

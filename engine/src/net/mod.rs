//! A net and everything that makes it: places, transitions, arcs, the token pool, the
//! builder that validates them, and the running [`Net`] that they become.
//!
//! A net is declared once, with [`crate::net!`] or at run time with a [`NetBuilder`], and
//! never changes shape afterwards. The running [`Net`] (in `running/`) holds the marking
//! and the host API; the scheduling concepts it uses live in [`crate::sched`].
//! Capacities are const generics, heapless style: `P` places, `T` transitions, `A` arcs
//! (an error place counts as one arc) and a pool of `K` token slots. The builder checks
//! that the pool can hold every place full plus the largest single firing's output, so
//! a firing can never run out of slots halfway.

mod arc;
mod builder;
mod declare;
mod error;
mod ids;
mod pool;
mod running;
mod schedule;
mod spec;
mod store;
pub(crate) mod structure;
mod typed;

pub use arc::{Arc, ArcKind};
pub use builder::{MAX_FIRING_INPUTS, NetBuilder};
pub use declare::Declaration;
pub use error::BuildError;
pub use ids::{MAX_IDS, PlaceId, TransitionId};
pub(crate) use ids::{Named, NetTag};
pub use pool::{Heads, MAX_POOL};
pub(crate) use pool::{NIL, Pool, PoolView, Queue};
#[cfg(test)]
pub(crate) use running::enabling_checks;
pub use running::{NO_DELAY, Net, RankSet, ReadyHeap, ReadySet};
pub use schedule::Schedule;
pub use spec::{Guard, PlaceSpec, TransitionSpec};
pub(crate) use store::HoldsStructure;
pub use store::{Declared, Declares, StructureStore};
pub use typed::{Place, Transition};

//! Exploring a running engine net, with its tokens by value and the machines it
//! embeds, under an environment that injects, takes and answers, and lets time pass.
//!
//! [`NetExplorer`] takes the same `make` as the kit's
//! [`Checker`](crate::kit::Checker) (a net made with the builder, or a declared net
//! made a [`Subject`](crate::kit::Subject) with
//! [`declared_subject!`](crate::declared_subject)), an [`Environment`], and
//! properties; it returns a [`NetExploration`]: state and edge counts, deadlocks,
//! place bounds, transitions that never fire, the token balance, and the verdict of
//! every property, each finding with a shortest [`NetTrace`].
//!
//! Underneath, [`NetSystem`] is the net as a [`ValueSystem`](super::ValueSystem): a
//! state is the net at rest ([`NetState`]), a step an outside event or a timeout
//! followed by a run to rest. No hand-written model is needed; the price is that every
//! state is a whole net by value, so the state spaces it suits are the small ones of
//! nets with rich tokens and machines (thousands to a few million states), not the
//! packed markings of [`explore`](super::explore).

mod environment;
mod error;
mod explore;
mod options;
mod report;
mod state;
mod system;

pub use environment::{Answer, Environment, OutsideEvent, TIMEOUT};
pub use error::{EncodeError, NetExploreError};
pub use explore::NetExplorer;
pub use options::DEFAULT_MAX_NET_STATES;
pub use report::{NetExploration, NetPropertyResult, NetTrace, NetVerdict, TraceStep};
pub use state::NetState;
pub use system::{DEFAULT_RUN_BUDGET, Firing, NetSystem, encode_value};

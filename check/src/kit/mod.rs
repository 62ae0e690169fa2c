//! A test kit for your own nets: point it at a net you made with [`mycel::net!`] or the
//! builder, and check it inside an ordinary `cargo test`.
//!
//! - [`ops`](mod@ops): proptest strategies for host operation sequences (inject a token from
//!   your token strategy into any place, take from any place, step after a zero, small
//!   or large gap) shaped by your net.
//! - [`Checker`]: runs a sequence on your net and behaviour and checks after every
//!   operation that capacities hold, that nothing is lost or invented (the tokens held
//!   equal those injected, taken, created by sources and retired by sinks, and the
//!   net's own counters agree), that every P-invariant of the net's P/T form
//!   ([`pt_net_of`](crate::from_engine::pt_net_of) and
//!   [`p_invariants`](crate::invariants::p_invariants)) and every [`Law`] you state is
//!   conserved with the host's moves counted, that the behaviour keeps the flow
//!   contract (no refused emission, no lost or invented tokens), and that a replay from
//!   a fresh net gives the same results, events and tokens. A failure is a
//!   [`Violation`] naming the operation, the place or transition, and the numbers.
//! - [`Checker::search`]: the same checks over generated sequences in one call, for a
//!   plain `#[test]`, returning the first failure shrunk to a short [`Counterexample`].
//! - [`lockstep`](lockstep()): runs a pass-through net beside the plain reference
//!   semantics ([`reference::net`](crate::reference::net)) and compares results, events
//!   and tokens by value after every operation; [`lockstep_with_guards`] does the same
//!   for a guarded net, given each guard stated for the reference ([`ReferenceGuards`]).
//! - [`NetExplorer`](crate::explore::NetExplorer): every state the same net can reach
//!   under outside events you describe, its machines' state included, breadth-first,
//!   with deadlocks, bounds and your properties each answered with a shortest trace.
//! - [`Subject`]: what the kit drives; implemented for [`Net`](mycel::net::Net), and for
//!   a declared net by [`declared_subject!`](crate::declared_subject).
//!
//! ```
//! use mycel::sched::Passthrough;
//! use mycel_check::kit::{Checker, Law, Op};
//!
//! mycel::net! {
//!     pub net Relay: u32 {
//!         places { inbox: 2, outbox: 2 }
//!         transitions { relay: inbox -> outbox }
//!     }
//! }
//! mycel_check::declared_subject!(Relay: u32 { inbox, outbox });
//!
//! let p = Relay::PLACES;
//! let every_message = Law::new("every message is somewhere", [(p.inbox.id(), 1), (p.outbox.id(), 1)]);
//! let ops = [
//!     Op::Inject { place: 0, token: 1 },
//!     Op::Inject { place: 0, token: 2 },
//!     Op::Step { gap: 0 },
//!     Op::Take { place: 1 },
//!     Op::Step { gap: 1_000 },
//! ];
//! let report = Checker::new()
//!     .law(every_message)
//!     .run(|| (Relay::new(), Passthrough), &ops)?;
//! assert_eq!(report.firings, 2);
//! assert!(report.replayed);
//! # Ok::<(), mycel_check::kit::Violation>(())
//! ```

mod check;
mod ledger;
pub mod lockstep;
pub mod ops;
mod replay;
mod search;
mod subject;
mod sums;
mod violation;

pub use check::{Checker, Report};
pub use lockstep::{
    LockstepError, LockstepOptions, LockstepReport, ReferenceGuards, lockstep,
    lockstep_with_guards, reference_spec,
};
pub use ops::{Op, OpsShape, ops, ops_for_places};
pub use search::Counterexample;
pub use subject::Subject;
pub use sums::Law;
pub use violation::{Violation, ViolationKind};

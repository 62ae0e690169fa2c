//! Exhaustive breadth-first reachability: every reachable state once, each with a
//! shortest trace from the initial state.
//!
//! [`explore`] explores a [`PtNet`](crate::PtNet) and reports the number of reachable
//! markings and firings (edges), the deadlocks, the bound of each place, the dead
//! transitions, and the answers to safety properties ([`Options::always`]) and
//! reachability questions ([`Options::reachable`]) checked on every marking. Because
//! the search is breadth-first and each state keeps the step that first reached it,
//! every trace reported (to a deadlock, a violation, a witness) is a shortest one.
//!
//! ## How states are stored
//!
//! A marking is packed into a fixed-width key of `u64` words ([`Layout`]): each place a
//! bit field as wide as its P-invariant bound needs, or, for a place no invariant
//! bounds, 8 bits that double (restarting the exploration) if a firing would overflow
//! them. The [`StateSpace`] keeps all keys in one flat arena with a parent index and a
//! label per state, and again in an open-addressing hash set of keys, so that a lookup
//! touches one place in memory: for Kanban (16 places of 3 bits, one word) 8 + 4 + 4
//! bytes plus 8 per slot of the set at a load between 3/8 and 3/4, 39.5 bytes per state
//! measured at N=5. The breadth-first queue is the arena itself: states are expanded in
//! the order they were stored, the successors of 32 states at a time, whose slots in
//! the set are touched together before any is looked up so that memory serves them in
//! parallel. [`search_parallel`] can generate the successors on a second thread, with
//! the same result.
//!
//! ## Limits
//!
//! [`Options::max_states`] bounds memory and time. When the next new state would go
//! over it, the exploration stops and returns an [`Exploration`] with `complete:
//! false` and everything it saw; verdicts it could not reach are [`Verdict::Unknown`].
//!
//! ## Other models
//!
//! The search itself ([`search()`]) works on any [`Model`]: an initial state and the
//! labelled successors of a state, packed into keys by the model. [`PtModel`] is the
//! model of a P/T net. A system whose states are values that do not pack into a few
//! words (an engine net with its tokens by value and the machines it embeds) is a
//! [`ValueSystem`], explored through [`InternedModel`], which numbers the states it
//! meets; [`crate::flagship`] explores the request pipeline with its breaker that way.
//!
//! ```
//! use mycel_check::pnml;
//! use mycel_check::explore::{Options, explore};
//!
//! let xml = r#"<pnml><net id="loop" type="http://www.pnml.org/version-2009/grammar/ptnet">
//!   <page id="g">
//!     <place id="p"><initialMarking><text>2</text></initialMarking></place>
//!     <place id="q"/>
//!     <transition id="go"/>
//!     <arc id="a" source="p" target="go"/><arc id="b" source="go" target="q"/>
//!   </page></net></pnml>"#;
//! let net = pnml::import_str(xml, &pnml::Limits::default())?;
//! let report = explore(&net, Options::new())?;
//! // p=2 → p=1,q=1 → q=2, where nothing is enabled.
//! assert_eq!((report.states, report.edges, report.deadlock_count), (3, 2, 1));
//! assert_eq!(report.deadlocks[0].ids(&net), ["go", "go"]);
//! assert_eq!(report.place_bounds, [2, 2]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod interned;
mod layout;
mod model;
mod net;
mod options;
mod parallel;
mod priority;
mod pt;
mod pt_model;
mod report;
mod search;
mod state_space;

pub use error::ExploreError;
pub use interned::{InternedModel, ValueSystem};
pub use layout::{Field, INVARIANT_BUDGET, Layout, UNPROVEN_WIDTH};
pub use model::Model;
pub use net::{
    Answer, DEFAULT_MAX_NET_STATES, DEFAULT_RUN_BUDGET, EncodeError, Environment, Firing,
    NetExploration, NetExploreError, NetExplorer, NetPropertyResult, NetState, NetSystem, NetTrace,
    NetVerdict, OutsideEvent, TIMEOUT, TraceStep, encode_value,
};
pub use options::{
    DEFAULT_MAX_DEADLOCKS_KEPT, DEFAULT_MAX_STATES, Options, Predicate, ProgressFn, Property,
    PropertyKind, SharedPredicate,
};
pub use parallel::search_parallel;
pub use priority::Prioritized;
pub use pt::explore;
pub use pt_model::{FieldOverflow, Finished, PtModel};
pub use report::{Exploration, PropertyResult, Trace, Verdict};
pub use search::{PROGRESS_EVERY, Progress, Search, SearchLimits, search};
pub use state_space::{MAX_STATES, StateIndex, StateSpace};

//! # mycel-check
//!
//! The checking kit for Petri nets that run on [`mycel`]: what a user puts in their own
//! `cargo test` to learn whether a net can deadlock, which places are bounded and which
//! token sums are conserved, and to bring in nets from other tools.
//!
//! Every check here works on an owned, validated [`PtNet`] (a place/transition net:
//! places with initial markings, transitions, weighted arcs), read from PNML or built by
//! hand, and a `PtNet` can be turned into the engine's runtime
//! [`NetBuilder`](mycel::net::NetBuilder) to run it.
//!
//! ## What exists today
//!
//! - [`pt_net`]: the [`PtNet`] model and its validating [`PtNetBuilder`].
//! - [`pnml`]: import and export of ISO/IEC 15909-2 P/T nets (PNML), streaming and
//!   bounded in memory and time by [`pnml::Limits`]; hostile or unsupported input is a
//!   typed [`pnml::PnmlError`] naming the element, never a panic.
//! - [`to_engine`](mod@to_engine): a `PtNet` as a mycel [`NetBuilder`](mycel::net::NetBuilder)
//!   with the capacities the caller chooses, or a typed error saying what does not fit.
//! - [`from_engine`]: the other way, any running mycel net (made with `net!` or the
//!   builder) as the P/T net of its token flow, with capacities kept as complement
//!   places, ready for [`pnml::export`] and the structural checks.
//! - [`invariants`]: minimal-support P- and T-invariants by the Farkas algorithm in exact,
//!   overflow-checked integers, the places they bound and the token sums they conserve.
//! - [`explore`](mod@explore): exhaustive breadth-first reachability over packed markings
//!   of a `PtNet`: state and edge counts, deadlocks, place bounds, dead transitions,
//!   safety properties and reachability questions, each answer with a shortest trace,
//!   and a state limit that returns what was seen. The search runs over a small
//!   [`explore::Model`] trait, so other models can plug in; [`explore::NetExplorer`]
//!   explores any running engine net (declared with `net!` or built) with its tokens by
//!   value and its machines' full state, under an [`explore::Environment`] of outside
//!   events and timeouts, without a hand-written model.
//! - [`flagship`]: the flagship proof, the request pipeline with the circuit breaker
//!   inside explored as an [`explore::Model`] (tokens by value, the breaker's state,
//!   its timeouts as events that may happen at any moment): OPEN never forwards, no
//!   request is lost, no deadlock, each failure with a shortest trace.
//! - [`classic`]: classic nets built in code (Ciardo's Kanban, dining philosophers) with
//!   their published state counts.
//! - [`strategies`]: proptest strategies that generate `PtNet`s.
//! - [`reference`](mod@reference): plainly written models of the engine's net and breaker semantics,
//!   the oracles every lockstep test compares the engine with.
//! - [`model_based`]: proptest strategies for operation sequences on nets and breakers,
//!   drivers for the engine and the reference, lockstep comparison and invariants.
//! - [`fuzz`]: one module per fuzz target of the engine (its input and `run`), shared by
//!   cargo-fuzz, proptest and the corpus replay under `cargo test`.
//! - [`kit`]: a test kit for users' own nets (operation strategies, invariant checks,
//!   lockstep against the reference semantics).
//! - [`proptest_config`]: case counts and where failing cases are saved.
//!
//! The `mycel` binary reads PNML with this crate: `mycel pnml-info FILE.pnml`,
//! `mycel invariants FILE.pnml [--json]` and `mycel explore FILE.pnml [--json]
//! [--max-states N]`.
//!
//! ## What is coming
//!
//! - exploring any engine net: the [`flagship`] model, generalised to every net made
//!   with `net!` or the builder and the machines it embeds;
//! - inhibitor and read arcs and place capacities in [`PtNet`] (and so in the
//!   explorer); today's `PtNet` has plain weighted arcs only.
//!
//! ## Example
//!
//! ```
//! use mycel_check::invariants::{Limits, StructuralReport};
//! use mycel_check::pnml;
//!
//! let xml = r#"<pnml xmlns="http://www.pnml.org/version-2009/grammar/pnml">
//!   <net id="pingpong" type="http://www.pnml.org/version-2009/grammar/ptnet">
//!     <page id="top">
//!       <place id="ping"><initialMarking><text>1</text></initialMarking></place>
//!       <place id="pong"/>
//!       <transition id="serve"/>
//!       <transition id="return"/>
//!       <arc id="a1" source="ping" target="serve"/>
//!       <arc id="a2" source="serve" target="pong"/>
//!       <arc id="a3" source="pong" target="return"/>
//!       <arc id="a4" source="return" target="ping"/>
//!     </page>
//!   </net>
//! </pnml>"#;
//! let net = pnml::import_str(xml, &pnml::Limits::default())?;
//! let report = StructuralReport::of(&net, &Limits::default())?;
//! // One ball, always on one side: ping + pong = 1.
//! assert_eq!(report.p_invariants.len(), 1);
//! assert_eq!(report.conserved_sums, vec![1]);
//! assert_eq!(report.structural_bound(0), Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod classic;
pub mod explore;
pub mod flagship;
pub mod from_engine;
pub mod fuzz;
pub mod invariants;
pub mod kit;
pub mod model_based;
pub mod pnml;
pub mod proptest_config;
pub mod pt_net;
pub mod reference;
pub mod strategies;
pub mod to_engine;

pub use pt_net::{PtNet, PtNetBuilder};

//! # mycel-check
//!
//! The checking kit for Petri nets that run on [`mycel`]: what a user puts in their own
//! `cargo test` to learn whether a net can deadlock, which places are bounded and which
//! token sums are conserved, and to bring in nets from other tools.
//!
//! ## What exists today
//!
//! Only this crate's frame: the modules below land one at a time.
//!
//! ## What is coming
//!
//! - PNML import and export of ISO/IEC 15909-2 P/T nets, into an owned, validated net
//!   that can be turned into the engine's runtime builder;
//! - structural analysis: minimal-support P- and T-invariants in exact integers;
//! - an explorer: breadth-first reachability over markings, with machine states, that
//!   reports deadlocks, place bounds, dead transitions and safety violations, each with
//!   a shortest trace;
//! - invariant checkers for running nets (tokens conserved along every P-invariant,
//!   capacities, nothing lost, the same trace on replay);
//! - the plain reference models of the engine's semantics and lockstep drivers that run
//!   a net against them;
//! - proptest strategies for nets and for operation sequences on any net.

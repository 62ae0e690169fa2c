//! Shared infrastructure for testing the engine's net: generated nets, scripted
//! behaviours, drivers for the engine and the reference interpreter, comparison and
//! invariants.
//!
//! The pieces fit together like this: a [`draft::NetDraft`] (fuzzer or strategy output)
//! is [repaired](draft::NetDraft::repair) into a reference
//! [`NetSpec`](crate::reference::net::NetSpec), which [`engine::to_engine`]
//! turns into the engine net (the only place that does). A [`script::Script`] says what
//! each transition does when it fires, and [`script::Scripted`] runs it on either side.
//! [`ops::Op`]s become [`ops::Call`]s, which a [`driver::EngineDriver`] or
//! [`driver::RefDriver`] applies, reporting an [`driver::Applied`] and a
//! [`snapshot::Snapshot`]; [`lockstep::Lockstep`] compares the two sides after every
//! call and [`invariants`] checks the rules that hold on either.

pub mod draft;
pub mod driver;
pub mod engine;
pub mod guards;
pub mod invariants;
pub mod lockstep;
pub mod ops;
pub mod outcome;
pub mod sabotage;
pub mod script;
pub mod snapshot;
pub mod strategy;

//! Shared infrastructure for testing the engine's circuit breaker: generated
//! configurations and call sequences, drivers for the engine and the reference breaker,
//! comparison, invariants, and a small request pipeline net.
//!
//! The pieces fit together like this: a [`config::ConfigDraft`] (fuzzer or strategy
//! output) is [repaired](config::ConfigDraft::repair) into a valid engine
//! [`BreakerConfig`](mycel::breaker::BreakerConfig), which [`mapping::to_reference`]
//! turns into the reference's configuration (the only place that does). A
//! [`sabotage::ConfigSabotage`] breaks one field on purpose and names the
//! [`ConfigError`](mycel::breaker::ConfigError) the engine must report.
//! [`ops::BreakerOp`]s become [`ops::BreakerCall`]s, which an
//! [`driver::EngineBreaker`] or [`driver::ReferenceBreaker`] applies, reporting an
//! [`observed::Applied`] and a [`snapshot::BreakerSnapshot`] (the engine's driver also
//! keeps a [`ledger::Ledger`], the caller's own account of generations and probes);
//! [`lockstep::BreakerLockstep`] compares the two sides after every call and
//! [`invariants`] checks the rules on the engine. [`pipeline`] puts the breaker in a
//! net with [`in_net::Admit`](mycel::breaker::in_net::Admit) and
//! [`in_net::Report`](mycel::breaker::in_net::Report).

pub mod config;
pub mod driver;
pub mod invariants;
pub mod ledger;
pub mod lockstep;
pub mod mapping;
pub mod observed;
pub mod ops;
pub mod pipeline;
pub mod sabotage;
pub mod snapshot;
pub mod strategy;

//! The std side of mycel: a deterministic simulator that drives the real engine, its
//! command line `mycel`, and the scenario fuzz target.
//!
//! - [`scenario`]: TOML scenario files (services, breaker configuration, phases,
//!   traffic), checked up front with errors that name file, line and field.
//! - [`sim`]: the discrete-event loop over a [`clock::ManualClock`]: it drives the
//!   real [`mycel::sched::Net`] with a [`mycel::breaker::BreakerBank`] inside it,
//!   [`backend`]s that answer from a seeded [`rng::SimRng`], and [`traffic`]
//!   generators; it jumps from event to event and never sleeps.
//! - Outputs: [`trace`] (JSON lines), [`stats`] and [`report`] (the text report),
//!   [`summary`] (`--json`), [`timeline`] and [`plot`] (SVG), [`diagram`] (Mermaid).
//! - [`demo`]: the five-phase circuit-breaker story and its checks; [`run`] ties a run
//!   together; [`cli`] is the `mycel` binary; [`explore`](mod@explore) is its
//!   `explore` command.
//! - [`fuzz_scenario`]: the scenario-file fuzz target's input and `run`, shared by
//!   cargo-fuzz and the corpus replay under `cargo test`.
//!
//! The same scenario and seed give byte-identical traces, reports, summaries and plots.

pub mod backend;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod diagram;
pub mod explore;
pub mod fleet;
pub mod fuzz_scenario;
pub mod plot;
pub mod progress;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod summary;
pub mod timeline;
pub mod trace;
pub mod traffic;
pub mod units;

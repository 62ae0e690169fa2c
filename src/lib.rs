//! Shared helpers for the mycel property suites, model-based tests, fuzz targets and
//! benchmarks.
//!
//! - [`net`]: generated nets and call sequences, the scripted behaviour both the engine
//!   and the reference interpreter run, drivers, lockstep comparison and invariants.
//! - [`breaker`]: generated breaker configurations and call sequences, drivers for the
//!   engine and the reference breaker, lockstep comparison, invariants, and a request
//!   pipeline net with the breaker inside.
//! - [`targets`]: one module per fuzz target with its input type and `run` function,
//!   shared by cargo-fuzz, proptest and the corpus replay test.
//! - [`corpus`]: replaying fuzz corpora under `cargo test` and finding seed inputs.
//! - [`proptest_config`]: case counts and where failing cases are saved.

pub mod breaker;
pub mod corpus;
pub mod net;
pub mod proptest_config;
pub mod targets;

// The README's examples are compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

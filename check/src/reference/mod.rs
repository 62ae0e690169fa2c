//! Reference models: plainly written oracles the engine is compared against.
//!
//! [`breaker::RefBreaker`] is a circuit breaker and [`net::RefNet`] a Petri-net
//! interpreter, both following `shared/DESIGN.md` and the pinned rules rule by rule. They
//! are written for obviousness, not speed: `Vec`s, linear scans, and re-evaluating
//! everything after every operation. Time is plain `u64` ticks (the engine's
//! `Instant::as_ticks()`). Both are deterministic: no clock, no hash-map order, and no
//! randomness but a seeded splitmix64. Model-based tests and fuzz targets drive the engine
//! and a model with the same calls and compare what they report.

pub mod breaker;
pub mod net;

//! Model-based testing of the engine: generated operation sequences run on the engine
//! and on a plain [`reference`](mod@crate::reference) model in lockstep, with invariants
//! checked after every step.
//!
//! - [`net`]: generated nets and call sequences, the scripted behaviour both sides run,
//!   drivers, lockstep comparison and invariants of a running net.
//! - [`breaker`]: generated breaker configurations and call sequences, drivers for the
//!   engine and the reference breaker, lockstep comparison, invariants, and a request
//!   pipeline net with the breaker inside.
//!
//! Strategies are proptest strategies; every property suite, fuzz target and model test
//! of mycel is built from these pieces, and so can a user's.

pub mod breaker;
pub mod net;

//! Simulator and reference models for mycel.

pub mod backend;
pub mod clock;
pub mod reference;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod traffic;

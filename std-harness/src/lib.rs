//! Simulator and reference models for mycel.

pub mod reference;

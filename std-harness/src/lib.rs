//! Simulator and reference models for mycel.

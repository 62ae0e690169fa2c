//! Workloads shared by the criterion benches and the callgrind driver, so both measure
//! exactly the same code.
//!
//! Each bench target compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod breakers;
pub mod nets;
pub mod pipeline;

use mycel::time::Instant;

/// A tick counter that moves forward by one tick per call, for the injected `now`.
///
/// Benchmarks feed the engine instants that advance the way a real caller's would
/// (one microsecond per call at the default 1 MHz tick), without reading a clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct Ticks(u64);

impl Ticks {
    /// The next instant, one tick after the previous one.
    #[inline]
    pub fn next(&mut self) -> Instant {
        self.0 = self.0.wrapping_add(1);
        Instant::from_ticks(self.0)
    }
}

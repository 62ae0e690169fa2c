//! Breaker overhead per call, side by side with the crates users would pick instead.
//!
//! Each group is one trip policy in one state, with mycel's breaker and the peers
//! (`failsafe`, `recloser`) configured as closely as their APIs allow (see
//! `support/breakers.rs` for the mapping):
//!
//! - `breaker_closed/<policy>`: one admitted call, `try_acquire` + `record(Success)`
//!   (failsafe: `is_call_permitted` + `on_success`; recloser: `call` with a closure
//!   that succeeds, its only API).
//! - `breaker_open/<policy>`: one rejected call while OPEN after a real trip.
//!
//! mycel is handed `now` (a counter advancing one tick per call); the peers read the
//! system clock themselves where their policy needs it. `mycel+clock` shows mycel with
//! a `std::time::Instant::now()` read per call folded into `now`, for a like-for-like
//! comparison with a caller that has no clock at hand.
#![allow(missing_docs)]

mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mycel::time::Instant;
use std::hint::black_box;
use support::Ticks;
use support::breakers::{self, Policy};

/// `now` from the system clock, in ticks (µs) since `start`.
#[inline]
fn clock_now(start: std::time::Instant) -> Instant {
    Instant::from_ticks(start.elapsed().as_micros() as u64)
}

fn closed(c: &mut Criterion) {
    for policy in Policy::ALL {
        let mut g = c.benchmark_group(format!("breaker_closed/{}", policy.name()));
        g.throughput(Throughput::Elements(1));

        let mut breaker = breakers::mycel(policy);
        let mut ticks = Ticks::default();
        g.bench_function("mycel", |b| {
            b.iter(|| black_box(breakers::mycel_call(&mut breaker, ticks.next())))
        });

        let mut breaker = breakers::mycel(policy);
        let start = std::time::Instant::now();
        g.bench_function("mycel+clock", |b| {
            b.iter(|| black_box(breakers::mycel_call(&mut breaker, clock_now(start))))
        });

        match policy {
            Policy::Consecutive => {
                let breaker = breakers::failsafe_consecutive();
                g.bench_function("failsafe", |b| {
                    b.iter(|| black_box(breakers::failsafe_call(&breaker)))
                });
            }
            Policy::CountWindow | Policy::TimeWindow => {
                let breaker = breakers::failsafe_rate();
                g.bench_function("failsafe", |b| {
                    b.iter(|| black_box(breakers::failsafe_call(&breaker)))
                });
            }
        }

        let breaker = breakers::recloser_for(policy);
        g.bench_function("recloser", |b| {
            b.iter(|| black_box(breakers::recloser_call(&breaker)))
        });
        g.finish();
    }
}

fn open(c: &mut Criterion) {
    for policy in Policy::ALL {
        let mut g = c.benchmark_group(format!("breaker_open/{}", policy.name()));
        g.throughput(Throughput::Elements(1));

        // Rejections all at one instant inside the open period: a bench runs for far
        // more calls than there are ticks in 30 s.
        let mut breaker = breakers::mycel_open(policy);
        let now = Instant::from_ticks(1);
        g.bench_function("mycel", |b| {
            b.iter(|| black_box(breakers::mycel_reject(&mut breaker, black_box(now))))
        });

        // failsafe's open path never consults its policy, and its rate policy cannot
        // trip before a full window of wall-clock time has passed: trip it on
        // consecutive failures for every group.
        let breaker = breakers::failsafe_open(breakers::failsafe_consecutive());
        g.bench_function("failsafe", |b| {
            b.iter(|| black_box(breakers::failsafe_call(&breaker)))
        });

        let breaker = breakers::recloser_open(policy);
        g.bench_function("recloser", |b| {
            b.iter(|| black_box(breakers::recloser_call(&breaker)))
        });
        g.finish();
    }
}

criterion_group!(benches, closed, open);
criterion_main!(benches);

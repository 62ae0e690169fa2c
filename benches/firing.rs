//! Firing throughput of the net, reported in firings (or requests) per second.
//!
//! - `firing/ping_pong`: the smallest net, one token bouncing between two places.
//! - `firing/pipeline`: the request pipeline with a circuit breaker inside
//!   (validate -> route -> backend stub -> record), in requests per second.
//! - `scaling/{chain,ring,busy_ring}/N`: nets of N = 8 .. 1024 transitions, to show the
//!   cost of a firing does not grow with the size of the net.
//! - `firing/fan`: a wide fan-out/fan-in net with weighted and inhibitor arcs.
//!
//! Timings are never asserted; see `benches/README.md` for the numbers and how to read them.
#![allow(missing_docs)]

mod support;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mycel::time::Instant;
use std::hint::black_box;
use support::{Ticks, nets, pipeline};

/// Firings per measured iteration of the nets that never run dry.
const FIRINGS: u32 = 1024;

fn firing(c: &mut Criterion) {
    let mut g = c.benchmark_group("firing");
    let now = Instant::from_ticks(1);

    g.throughput(Throughput::Elements(u64::from(FIRINGS)));
    let mut net = nets::ping_pong();
    g.bench_function("ping_pong", |b| {
        b.iter(|| black_box(nets::run_ping_pong(&mut net, now, FIRINGS)))
    });

    let mut net = nets::fan();
    let cycles = FIRINGS / nets::FAN_CYCLE;
    g.throughput(Throughput::Elements(u64::from(cycles * nets::FAN_CYCLE)));
    g.bench_function("fan", |b| {
        b.iter(|| black_box(nets::run_for(&mut net, now, cycles * nets::FAN_CYCLE)))
    });

    g.throughput(Throughput::Elements(pipeline::BATCH as u64));
    let (mut net, mut app) = pipeline::pipeline();
    let (mut ticks, mut next_id) = (Ticks::default(), 0u32);
    g.bench_function("pipeline", |b| {
        b.iter(|| {
            black_box(pipeline::round(
                &mut net,
                &mut app,
                ticks.next(),
                &mut next_id,
            ))
        })
    });
    g.finish();
}

/// Benches one size of a chain, a ring and a busy ring, all of `T` transitions.
macro_rules! scaling_case {
    ($group:expr, $t:literal) => {{
        const T: usize = $t;
        let now = Instant::from_ticks(1);

        $group.throughput(Throughput::Elements(T as u64));
        let mut chain = Box::new(nets::chain::<{ T + 1 }, T, { 2 * T }, { T + 2 }>());
        let mut ticks = Ticks::default();
        $group.bench_function(BenchmarkId::new("chain", T), |b| {
            b.iter(|| black_box(nets::chain_round(&mut chain, ticks.next())))
        });

        let mut ring = Box::new(nets::ring::<T, T, { 2 * T }, { T + 1 }>());
        $group.bench_function(BenchmarkId::new("ring", T), |b| {
            b.iter(|| black_box(nets::run_for(&mut ring, now, T as u32)))
        });

        let mut busy = Box::new(nets::busy_ring::<T, T, { 2 * T }, { T + 1 }>());
        $group.bench_function(BenchmarkId::new("busy_ring", T), |b| {
            b.iter(|| black_box(nets::run_for(&mut busy, now, T as u32)))
        });
    }};
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    scaling_case!(g, 8);
    scaling_case!(g, 64);
    scaling_case!(g, 512);
    scaling_case!(g, 1024);
    g.finish();
}

criterion_group!(benches, firing, scaling);
criterion_main!(benches);

//! Firing cost of nets declared with `net!`, measured from a user's crate: ping-pong,
//! rings of 8 and 1024 transitions, and the request pipeline with the breaker inside.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mycel::time::Instant;
use mycel_user_crate::pipeline::{self, App, Pipeline, Request};
use mycel_user_crate::rings;
use std::hint::black_box;

const ROUND: u32 = 1024;

fn firing(c: &mut Criterion) {
    let mut g = c.benchmark_group("user_crate");
    g.throughput(Throughput::Elements(u64::from(ROUND)));
    let now = Instant::from_ticks(0);
    g.bench_function("ping_pong", |b| {
        let mut net = rings::ping_pong();
        b.iter(|| rings::run_ping_pong(black_box(&mut net), now, ROUND));
    });
    g.bench_function("ring_8", |b| {
        let mut net = rings::ring_8();
        b.iter(|| rings::run_ring_8(black_box(&mut net), now, ROUND));
    });
    g.bench_function("ring_1024", |b| {
        let mut net = rings::ring_1024();
        b.iter(|| rings::run_ring_1024(black_box(&mut net), now, ROUND));
    });
    g.throughput(Throughput::Elements(16));
    g.bench_function("pipeline_requests", |b| {
        let mut net = pipeline::pipeline(now).unwrap_or_else(|_| unreachable!());
        let mut app = App;
        let mut id = 0u32;
        b.iter(|| {
            for _ in 0..16 {
                let request = Request {
                    id,
                    healthy: !id.is_multiple_of(16),
                    ..Request::default()
                };
                id = (id + 1) % (u32::MAX - 1);
                let _ = net.inject(Pipeline::PLACES.input, request, now);
            }
            let _ = net.run(now, 64, &mut app);
            while net.take(Pipeline::PLACES.done).is_ok() {}
        });
    });
    g.finish();
}

criterion_group!(benches, firing);
criterion_main!(benches);

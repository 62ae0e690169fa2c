//! Breaker overhead per call.
#![allow(missing_docs)]
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome};
use mycel::time::{Duration, Instant};
use std::hint::black_box;

fn breaker(c: &mut Criterion) {
    let mut g = c.benchmark_group("breaker");
    g.throughput(Throughput::Elements(1));
    let config = BreakerConfig::consecutive(5, Duration::from_secs(5), 2);
    let mut b: CircuitBreaker = CircuitBreaker::new(config, Instant::from_ticks(0)).unwrap();
    let mut t = 0u64;
    g.bench_function("closed_acquire_record", |bench| {
        bench.iter(|| {
            t += 1;
            let now = Instant::from_ticks(t);
            if let Ok(p) = b.try_acquire(now).value {
                black_box(b.record(p, Outcome::Success, now).value);
            }
        })
    });
    let mut o: CircuitBreaker = CircuitBreaker::new(config, Instant::from_ticks(0)).unwrap();
    let _ = o.force_open(Instant::from_ticks(0));
    g.bench_function("forced_open_reject", |bench| {
        bench.iter(|| black_box(o.try_acquire(Instant::from_ticks(1)).value.is_err()))
    });
    g.finish();
}

criterion_group!(benches, breaker);
criterion_main!(benches);

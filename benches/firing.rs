//! Firing throughput of the net.
#![allow(missing_docs)]
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mycel::net::NetBuilder;
use mycel::sched::{Net, Passthrough};
use mycel::time::Instant;
use std::hint::black_box;

type PingPong = Net<u32, 2, 2, 4, 4>;

fn ping_pong() -> PingPong {
    let mut b = NetBuilder::<u32, 2, 2, 4, 4>::new();
    let ping = b.place("ping", 1);
    let pong = b.place("pong", 1);
    let there = b.transition("there");
    let back = b.transition("back");
    b.input(there, ping, 1).output(there, pong, 1);
    b.input(back, pong, 1).output(back, ping, 1);
    let mut net = b.build().expect("valid net");
    net.inject(ping, 1, Instant::from_ticks(0)).expect("room");
    net
}

fn firing(c: &mut Criterion) {
    let mut g = c.benchmark_group("firing");
    const FIRINGS: u32 = 1000;
    g.throughput(Throughput::Elements(u64::from(FIRINGS)));
    g.bench_function("ping_pong", |b| {
        b.iter_batched_ref(
            ping_pong,
            |net| black_box(net.run(Instant::from_ticks(1), FIRINGS, &mut Passthrough)),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, firing);
criterion_main!(benches);

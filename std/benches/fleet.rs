//! What sharing a breaker through Redis costs per call, for each sync strategy, with the
//! local-only breaker in the same run: criterion's time per call, and the p50 and p99
//! of single calls printed after each case. Against a `redis-server` started on a free
//! 127.0.0.1 port; without one installed, the store cases are skipped (and say so).
//!
//! - `local_only`: `SharedBreaker::call`, no store.
//! - `sync_every_1`, `sync_every_10`, `sync_every_100`: `FleetBreaker::call`, syncing
//!   before every N-th call (one script round trip on that call).
//! - `sync_every_10ms`: syncing on time only, every 10 ms.

#![allow(missing_docs)] // criterion_group! defines an undocumented function

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mycel::breaker::BreakerConfig;
use mycel::time::Duration as Ticks;
use mycel_std::SharedBreaker;
use mycel_std::redis::{FleetBreaker, FleetStoreConfig};
use std::hint::black_box;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `redis-server` child, killed when dropped.
struct Server {
    port: u16,
    child: Child,
}

impl Server {
    fn start() -> Option<Self> {
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let server = Self { port, child };
        for _ in 0..500 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(server);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config() -> BreakerConfig {
    BreakerConfig::consecutive(5, Ticks::from_secs(10), 1).with_time_window(
        mycel::breaker::TimeWindowPolicy {
            bucket_width: Ticks::from_secs(1),
            buckets: 10,
            failure_rate_percent: 50,
            minimum_calls: 20,
        },
    )
}

/// Times `calls` single calls of `call`, and prints their p50 and p99.
fn percentiles(name: &str, mut call: impl FnMut()) {
    let mut samples: Vec<Duration> = (0..10_000)
        .map(|_| {
            let start = Instant::now();
            call();
            start.elapsed()
        })
        .collect();
    samples.sort_unstable();
    let at = |q: usize| samples[(samples.len() * q / 100).min(samples.len() - 1)];
    println!("fleet/{name}: p50 {:?}, p99 {:?}", at(50), at(99));
}

fn fleet(c: &mut Criterion) {
    let mut g = c.benchmark_group("fleet");
    g.throughput(Throughput::Elements(1));

    let local = SharedBreaker::new("bench", config()).unwrap();
    let mut local_call = || {
        black_box(local.call(|| Ok::<u32, ()>(1))).ok();
    };
    g.bench_function("local_only", |b| b.iter(&mut local_call));
    percentiles("local_only", &mut local_call);

    let has_redis = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let server = if has_redis { Server::start() } else { None };
    let Some(server) = server else {
        eprintln!("fleet: skipped the store cases: redis-server is not installed or did not start");
        g.finish();
        return;
    };
    let url = format!("redis://127.0.0.1:{}/0", server.port);
    let cases: [(&str, u32, Duration); 4] = [
        ("sync_every_1", 1, Duration::from_secs(3600)),
        ("sync_every_10", 10, Duration::from_secs(3600)),
        ("sync_every_100", 100, Duration::from_secs(3600)),
        ("sync_every_10ms", u32::MAX, Duration::from_millis(10)),
    ];
    for (i, (name, every, interval)) in cases.into_iter().enumerate() {
        let mut store = FleetStoreConfig::new(url.clone(), "bench", 1);
        store.namespace = format!("bench{i}");
        store.sync_every_calls = every;
        store.sync_interval = interval;
        let breaker = FleetBreaker::new("backend", config(), store).unwrap();
        breaker.sync_now().expect("the bench's store answers");
        let mut call = || {
            black_box(breaker.call(|| Ok::<u32, ()>(1))).ok();
        };
        g.bench_function(name, |b| b.iter(&mut call));
        percentiles(name, &mut call);
        assert_eq!(
            breaker.store_stats().failed_syncs,
            0,
            "{name}: the store failed"
        );
    }
    g.finish();
}

criterion_group!(benches, fleet);
criterion_main!(benches);

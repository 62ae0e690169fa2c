//! What the std wrappers cost, against the raw engine and peer breakers in the same run.
//!
//! - `call_closed`: one successful call in CLOSED. `engine_raw` is `try_acquire` +
//!   `record` with a fixed `now` (no clock, no lock); `engine_mutex` the same behind a
//!   mutex locked for each (the lock's own cost); `engine_glue` adds what any
//!   service must add by hand (two reads of the std clock and a mutex around the
//!   breaker); `shared_call` is `SharedBreaker::call`, which does exactly that glue
//!   plus the permit guard; `shared_call_tsc_clock` the same on a `TscClock`;
//!   `shared_call_manual_clock` on a clock that is one atomic load; `std_clock_now` and
//!   `tsc_clock_now` one read of each clock alone; `local_call` is
//!   `LocalBreaker::call` (one thread, no lock) on its `RecentClock`, whose read alone
//!   is `recent_clock_now`, `local_call_manual_clock` on a `ManualClock`, and
//!   `local_permit_manual_clock` its `acquire` + `record` without a closure; failsafe and
//!   recloser are the peers' closure calls (which read their clocks only on state
//!   changes).
//! - `shared_threads`: `SharedBreaker::call` throughput with 1 and 2 threads on one
//!   breaker (the mutex under contention).
//! - `tower`: one request through a bare `service_fn`, through it behind mycel's layer,
//!   and behind tower-resilience's circuit breaker layer.

#![allow(missing_docs)] // criterion_group! defines an undocumented function

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use failsafe::{backoff, failure_policy};
use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome};
use mycel::time::{Duration, Instant};
use mycel_std::{
    CircuitBreakerLayer, Clock, ExclusiveBreaker, LocalBreaker, ManualClock, RecentClock,
    SharedBreaker, StdClock, TscClock,
};
use std::hint::black_box;
use std::sync::Mutex;
use tower::{Service, ServiceExt, service_fn};

fn config() -> BreakerConfig {
    BreakerConfig::consecutive(5, Duration::from_secs(10), 1)
}

/// A protected call's value as a caller uses it (kept), its error dropped: every
/// wrapper's case measures the same use of its `Result`.
#[inline]
fn used<E>(result: Result<u32, E>) -> u32 {
    match result {
        Ok(value) => black_box(value),
        Err(_) => 0,
    }
}

fn call_closed(c: &mut Criterion) {
    let mut g = c.benchmark_group("call_closed");
    g.throughput(Throughput::Elements(1));

    let mut raw: CircuitBreaker = CircuitBreaker::new(config(), Instant::from_ticks(0)).unwrap();
    let now = Instant::from_ticks(1);
    g.bench_function("engine_raw", |b| {
        b.iter(|| {
            let permit = raw.try_acquire(black_box(now)).value.unwrap();
            black_box(raw.record(permit, Outcome::Success, now).value)
        })
    });

    // The same through a reference the compiler cannot see through, as a service holds
    // its breaker (in a struct, behind `&mut`): in `engine_raw` the breaker and its
    // configuration live in registers across iterations, and the policy is folded in.
    g.bench_function("engine_raw_opaque", |b| {
        b.iter(|| {
            let raw = black_box(&mut raw);
            let permit = raw.try_acquire(black_box(now)).value.unwrap();
            black_box(raw.record(permit, Outcome::Success, now).value)
        })
    });

    // What the raw engine costs a service that must read a clock for its `now`: the
    // like-for-like base of a wrapper's call on the same clock.
    let raw_clock = RecentClock::new();
    let mut timed: CircuitBreaker = CircuitBreaker::new(config(), raw_clock.now()).unwrap();
    g.bench_function("engine_raw_recent_clock", |b| {
        b.iter(|| {
            let raw = black_box(&mut timed);
            let permit = raw.try_acquire(raw_clock.now()).value.unwrap();
            black_box(raw.record(permit, Outcome::Success, raw_clock.now()).value)
        })
    });

    // The lock alone: the raw engine behind a mutex, locked twice, with a fixed `now`.
    let locked: Mutex<CircuitBreaker> =
        Mutex::new(CircuitBreaker::new(config(), Instant::from_ticks(0)).unwrap());
    g.bench_function("engine_mutex", |b| {
        b.iter(|| {
            let permit = locked
                .lock()
                .unwrap()
                .try_acquire(black_box(now))
                .value
                .unwrap();
            black_box(
                locked
                    .lock()
                    .unwrap()
                    .record(permit, Outcome::Success, now)
                    .value,
            )
        })
    });

    let clock = StdClock::new();
    let glued: Mutex<CircuitBreaker> =
        Mutex::new(CircuitBreaker::new(config(), clock.now()).unwrap());
    g.bench_function("engine_glue", |b| {
        b.iter(|| {
            let permit = glued
                .lock()
                .unwrap()
                .try_acquire(clock.now())
                .value
                .unwrap();
            let result = black_box(Ok::<u32, ()>(1));
            let outcome = if result.is_ok() {
                Outcome::Success
            } else {
                Outcome::Failure
            };
            black_box(
                glued
                    .lock()
                    .unwrap()
                    .record(permit, outcome, clock.now())
                    .value,
            )
        })
    });

    g.bench_function("std_clock_now", |b| b.iter(|| black_box(clock.now())));
    let tsc = TscClock::new();
    g.bench_function("tsc_clock_now", |b| b.iter(|| black_box(tsc.now())));

    let shared = SharedBreaker::new("bench", config()).unwrap();
    g.bench_function("shared_call", |b| {
        b.iter(|| used(shared.call(|| black_box(Ok::<u32, ()>(1)))))
    });

    let on_tsc = SharedBreaker::with_clock("bench", config(), TscClock::new()).unwrap();
    g.bench_function("shared_call_tsc_clock", |b| {
        b.iter(|| used(on_tsc.call(|| black_box(Ok::<u32, ()>(1)))))
    });

    let manual = SharedBreaker::with_clock("bench", config(), ManualClock::new()).unwrap();
    g.bench_function("shared_call_manual_clock", |b| {
        b.iter(|| used(manual.call(|| black_box(Ok::<u32, ()>(1)))))
    });

    let recent = RecentClock::new();
    g.bench_function("recent_clock_now", |b| b.iter(|| black_box(recent.now())));
    let local = LocalBreaker::new("bench", config()).unwrap();
    g.bench_function("local_call", |b| {
        b.iter(|| used(local.call(|| black_box(Ok::<u32, ()>(1)))))
    });
    let local_manual = LocalBreaker::with_clock("bench", config(), ManualClock::new()).unwrap();
    g.bench_function("local_call_manual_clock", |b| {
        b.iter(|| used(local_manual.call(|| black_box(Ok::<u32, ()>(1)))))
    });

    let mut exclusive = ExclusiveBreaker::new("bench", config()).unwrap();
    g.bench_function("exclusive_call", |b| {
        b.iter(|| used(exclusive.call(|| black_box(Ok::<u32, ()>(1)))))
    });
    let mut exclusive_manual =
        ExclusiveBreaker::with_clock("bench", config(), ManualClock::new()).unwrap();
    g.bench_function("exclusive_call_opaque_manual_clock", |b| {
        b.iter(|| used(black_box(&mut exclusive_manual).call(|| black_box(Ok::<u32, ()>(1)))))
    });
    g.bench_function("exclusive_call_manual_clock", |b| {
        b.iter(|| used(exclusive_manual.call(|| black_box(Ok::<u32, ()>(1)))))
    });

    g.bench_function("local_permit_manual_clock", |b| {
        b.iter(|| {
            if let Ok(permit) = local_manual.acquire() {
                permit.record(black_box(Outcome::Success));
            }
        })
    });

    let failsafe = failsafe::StateMachine::new(
        failure_policy::consecutive_failures(
            5,
            backoff::constant(std::time::Duration::from_secs(10)),
        ),
        (),
    );
    g.bench_function("failsafe", |b| {
        b.iter(|| {
            if failsafe.is_call_permitted() {
                let result = black_box(Ok::<u32, ()>(1));
                if result.is_ok() {
                    failsafe.on_success();
                } else {
                    failsafe.on_error();
                }
                black_box(result)
            } else {
                Err(())
            }
        })
    });

    let recloser = recloser::Recloser::custom()
        .error_rate(1.0)
        .closed_len(5)
        .open_wait(std::time::Duration::from_secs(10))
        .build();
    g.bench_function("recloser", |b| {
        b.iter(|| black_box(recloser.call(|| black_box(Ok::<u32, ()>(1))).is_ok()))
    });
    g.finish();
}

fn shared_threads(c: &mut Criterion) {
    let mut g = c.benchmark_group("shared_threads");
    g.throughput(Throughput::Elements(1));
    for threads in [1u64, 2] {
        let shared = SharedBreaker::new("bench", config()).unwrap();
        g.bench_function(format!("shared_call_{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                let per_thread = iters.div_ceil(threads);
                let start = std::time::Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..threads {
                        s.spawn(|| {
                            for _ in 0..per_thread {
                                black_box(shared.call(|| black_box(Ok::<u32, ()>(1)))).ok();
                            }
                        });
                    }
                });
                // `iters` calls in all, spread over the threads: criterion's time per
                // call is then the group's throughput, not one call's latency.
                start.elapsed()
            })
        });
        // The sharded design weighed against the mutex: each thread calls a breaker of
        // its own (no lock, no merge), the most a sharded breaker could gain before
        // paying for merging its shards' counts.
        g.bench_function(format!("sharded_call_{threads}_threads"), |b| {
            b.iter_custom(|iters| {
                let per_thread = iters.div_ceil(threads);
                let start = std::time::Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..threads {
                        s.spawn(|| {
                            let mut shard = ExclusiveBreaker::new("bench", config()).unwrap();
                            for _ in 0..per_thread {
                                used(shard.call(|| black_box(Ok::<u32, ()>(1))));
                            }
                        });
                    }
                });
                start.elapsed()
            })
        });
    }
    g.finish();
}

fn tower(c: &mut Criterion) {
    let mut g = c.benchmark_group("tower");
    g.throughput(Throughput::Elements(1));
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let backend = || service_fn(|n: u32| async move { Ok::<u32, std::io::Error>(n + 1) });

    let mut bare = backend();
    g.bench_function("bare", |b| {
        b.iter(|| rt.block_on(async { bare.ready().await.unwrap().call(black_box(1)).await }))
    });

    let breaker = SharedBreaker::new("bench", config()).unwrap();
    let mut mycel = tower::Layer::layer(&CircuitBreakerLayer::new(breaker), backend());
    g.bench_function("mycel_layer", |b| {
        b.iter(|| rt.block_on(async { mycel.ready().await.unwrap().call(black_box(1)).await }))
    });

    let resilience = tower_resilience::circuitbreaker::CircuitBreakerLayer::builder()
        .failure_rate_threshold(0.5)
        .sliding_window_size(100)
        .build()
        .unwrap();
    let mut peer = tower::Layer::layer(&resilience, backend());
    g.bench_function("tower_resilience", |b| {
        b.iter(|| rt.block_on(async { peer.ready().await.unwrap().call(black_box(1)).await }))
    });
    g.finish();
}

criterion_group!(benches, call_closed, shared_threads, tower);
criterion_main!(benches);

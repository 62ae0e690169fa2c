//! Where a `SharedBreaker::call` in CLOSED spends its work, counted in instructions
//! (which, unlike times, do not drift with machine load): each case runs a piece of
//! the call alone, so the pieces add up to the whole.
//!
//! - `call_cost list`: the case names.
//! - `call_cost run <case> <reps>`: runs the case `reps` times; under
//!   `valgrind --tool=callgrind`, instructions per call are
//!   `(Ir(2R reps) - Ir(R reps)) / R` (see `std/README.md`).
//! - anything else (as `cargo bench` runs it): every case for a few reps, a smoke test.
#![allow(missing_docs)]

use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome};
use mycel::time::{Duration, Instant};
use mycel_std::{
    Clock, ExclusiveBreaker, LocalBreaker, ManualClock, RecentClock, SharedBank, SharedBreaker,
    StdClock, TscClock,
};
use std::hint::black_box;
use std::sync::Mutex;

fn config() -> BreakerConfig {
    BreakerConfig::consecutive(5, Duration::from_secs(10), 1)
}

type Run = Box<dyn FnMut(u64)>;

/// A case's workload, built only for the case that runs (a `TscClock` calibrates
/// itself when made, for a varying number of instructions).
type Build = fn() -> Run;

/// `try_acquire` + `record` under a mutex, reading `clock` twice: the glue a service
/// writes by hand.
fn glue(clock: impl Clock) -> Run {
    let breaker: Mutex<CircuitBreaker> =
        Mutex::new(CircuitBreaker::new(config(), clock.now()).unwrap());
    Box::new(move |reps| {
        for _ in 0..reps {
            let permit = breaker
                .lock()
                .unwrap()
                .try_acquire(clock.now())
                .value
                .unwrap();
            let outcome = match black_box(Ok::<u32, ()>(1)) {
                Ok(_) => Outcome::Success,
                Err(()) => Outcome::Failure,
            };
            black_box(
                breaker
                    .lock()
                    .unwrap()
                    .record(permit, outcome, clock.now())
                    .value,
            );
        }
    })
}

/// [`glue`] as a shared breaker must do it now that the engine refuses a clock
/// regression: the clock read before the lock, ordered under it after the latest
/// instant the engine has seen (what `SharedBreaker` does).
fn glue_ordered(clock: impl Clock) -> Run {
    let breaker: Mutex<CircuitBreaker> =
        Mutex::new(CircuitBreaker::new(config(), clock.now()).unwrap());
    Box::new(move |reps| {
        for _ in 0..reps {
            let now = clock.now();
            let permit = {
                let mut b = breaker.lock().unwrap();
                let now = now.max(b.last_seen());
                b.try_acquire(now).value.unwrap()
            };
            let outcome = match black_box(Ok::<u32, ()>(1)) {
                Ok(_) => Outcome::Success,
                Err(()) => Outcome::Failure,
            };
            let now = clock.now();
            let mut b = breaker.lock().unwrap();
            let now = now.max(b.last_seen());
            black_box(b.record(permit, outcome, now).value);
        }
    })
}

/// [`glue`] with the other way to keep instants in order: the clock read under the
/// lock, which lengthens every critical section by a clock read.
fn glue_clock_under_lock(clock: impl Clock) -> Run {
    let breaker: Mutex<CircuitBreaker> =
        Mutex::new(CircuitBreaker::new(config(), clock.now()).unwrap());
    Box::new(move |reps| {
        for _ in 0..reps {
            let permit = {
                let mut b = breaker.lock().unwrap();
                b.try_acquire(clock.now()).value.unwrap()
            };
            let outcome = match black_box(Ok::<u32, ()>(1)) {
                Ok(_) => Outcome::Success,
                Err(()) => Outcome::Failure,
            };
            let mut b = breaker.lock().unwrap();
            black_box(b.record(permit, outcome, clock.now()).value);
        }
    })
}

fn shared(clock: impl Clock) -> Run {
    let breaker = SharedBreaker::with_clock("bench", config(), clock).unwrap();
    Box::new(move |reps| {
        for _ in 0..reps {
            black_box(breaker.call(|| black_box(Ok::<u32, ()>(1)))).ok();
        }
    })
}

fn local(clock: impl Clock) -> Run {
    let breaker = LocalBreaker::with_clock("bench", config(), clock).unwrap();
    Box::new(move |reps| {
        for _ in 0..reps {
            black_box(breaker.call(|| black_box(Ok::<u32, ()>(1)))).ok();
        }
    })
}

fn exclusive(clock: impl Clock) -> Run {
    let mut breaker = ExclusiveBreaker::with_clock("bench", config(), clock).unwrap();
    Box::new(move |reps| {
        for _ in 0..reps {
            black_box(breaker.call(|| black_box(Ok::<u32, ()>(1)))).ok();
        }
    })
}

fn cases() -> Vec<(&'static str, Build)> {
    vec![
        ("engine_raw", || {
            Box::new(|reps| {
                let mut raw: CircuitBreaker =
                    CircuitBreaker::new(config(), Instant::from_ticks(0)).unwrap();
                let now = Instant::from_ticks(1);
                for _ in 0..reps {
                    let permit = raw.try_acquire(black_box(now)).value.unwrap();
                    black_box(raw.record(permit, Outcome::Success, now).value);
                }
            })
        }),
        ("engine_raw_recent_clock", || {
            let clock = RecentClock::new();
            Box::new(move |reps| {
                let mut raw: CircuitBreaker = CircuitBreaker::new(config(), clock.now()).unwrap();
                for _ in 0..reps {
                    let raw = black_box(&mut raw);
                    let permit = raw.try_acquire(clock.now()).value.unwrap();
                    black_box(raw.record(permit, Outcome::Success, clock.now()).value);
                }
            })
        }),
        ("engine_mutex", || {
            let breaker: Mutex<CircuitBreaker> =
                Mutex::new(CircuitBreaker::new(config(), Instant::from_ticks(0)).unwrap());
            Box::new(move |reps| {
                let now = Instant::from_ticks(1);
                for _ in 0..reps {
                    let permit = breaker
                        .lock()
                        .unwrap()
                        .try_acquire(black_box(now))
                        .value
                        .unwrap();
                    black_box(
                        breaker
                            .lock()
                            .unwrap()
                            .record(permit, Outcome::Success, now)
                            .value,
                    );
                }
            })
        }),
        ("std_clock_now", || {
            let clock = StdClock::new();
            Box::new(move |reps| {
                for _ in 0..reps {
                    black_box(clock.now());
                }
            })
        }),
        ("tsc_clock_now", || {
            let clock = TscClock::new();
            Box::new(move |reps| {
                for _ in 0..reps {
                    black_box(clock.now());
                }
            })
        }),
        ("recent_clock_now", || {
            let clock = RecentClock::new();
            Box::new(move |reps| {
                for _ in 0..reps {
                    black_box(clock.now());
                }
            })
        }),
        ("exclusive_call_recent_clock", || {
            exclusive(RecentClock::new())
        }),
        ("exclusive_call_manual_clock", || {
            exclusive(ManualClock::new())
        }),
        ("exclusive_call_value_used_manual_clock", || {
            let mut breaker =
                ExclusiveBreaker::with_clock("bench", config(), ManualClock::new()).unwrap();
            Box::new(move |reps| {
                for _ in 0..reps {
                    if let Ok(value) = breaker.call(|| black_box(Ok::<u32, ()>(1))) {
                        black_box(value);
                    }
                }
            })
        }),
        ("local_call_recent_clock", || local(RecentClock::new())),
        ("local_call_manual_clock", || local(ManualClock::new())),
        ("local_call_value_used_manual_clock", || {
            let breaker = LocalBreaker::with_clock("bench", config(), ManualClock::new()).unwrap();
            Box::new(move |reps| {
                for _ in 0..reps {
                    if let Ok(value) = breaker.call(|| black_box(Ok::<u32, ()>(1))) {
                        black_box(value);
                    }
                }
            })
        }),
        ("local_permit_manual_clock", || {
            let breaker = LocalBreaker::with_clock("bench", config(), ManualClock::new()).unwrap();
            Box::new(move |reps| {
                for _ in 0..reps {
                    if let Ok(permit) = breaker.acquire() {
                        permit.record(black_box(Outcome::Success));
                    }
                }
            })
        }),
        ("mutex_lock_unlock", || {
            Box::new(|reps| {
                let m = Mutex::new(0u64);
                for _ in 0..reps {
                    *black_box(&m).lock().unwrap() += 1;
                }
            })
        }),
        ("glue_std_clock", || glue(StdClock::new())),
        ("glue_manual_clock", || glue(ManualClock::new())),
        ("glue_ordered_std_clock", || glue_ordered(StdClock::new())),
        ("glue_clock_under_lock_std_clock", || {
            glue_clock_under_lock(StdClock::new())
        }),
        ("shared_call_std_clock", || shared(StdClock::new())),
        ("shared_call_tsc_clock", || shared(TscClock::new())),
        ("shared_call_manual_clock", || shared(ManualClock::new())),
        ("bank_call_manual_clock", || {
            let bank: SharedBank<u32, 8, ManualClock> =
                SharedBank::with_clock(config(), ManualClock::new()).unwrap();
            Box::new(move |reps| {
                for _ in 0..reps {
                    black_box(bank.call(black_box(3), || black_box(Ok::<u32, ()>(1)))).ok();
                }
            })
        }),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases = cases();
    match args.first().map(String::as_str) {
        Some("list") => {
            for (name, _) in &cases {
                println!("{name}");
            }
        }
        Some("run") => {
            let name = args.get(1).expect("a case name");
            let reps = args
                .get(2)
                .and_then(|r| r.parse().ok())
                .expect("a rep count");
            let (_, build) = cases
                .iter()
                .find(|(n, _)| n == name)
                .expect("a case from `list`");
            let mut run = build();
            run(reps);
        }
        _ => {
            for (_, build) in &cases {
                let mut run = build();
                run(100);
            }
        }
    }
}

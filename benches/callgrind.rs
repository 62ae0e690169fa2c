//! The callgrind driver: runs one workload a given number of times, so
//! `benches/callgrind.sh` can count instructions per firing and per breaker call as
//! `(Ir(2R reps) - Ir(R reps)) / (R * units per rep)`, which cancels setup and start-up.
//!
//! - `callgrind list`: one line per case, `name unit units_per_rep`.
//! - `callgrind run <case> <reps>`: builds the case's workload and runs it `reps` times.
//! - anything else (as `cargo bench` runs it): every case for a few reps, as a smoke test.
#![allow(missing_docs)]

mod support;

use mycel::time::Instant;
use std::hint::black_box;
use support::breakers::{self, Policy};
use support::{Ticks, nets, pipeline};

/// What one rep of a case does: a number of firings, requests or breaker calls.
struct Case {
    name: String,
    unit: &'static str,
    units_per_rep: u32,
    run: Box<dyn Fn(u64)>,
}

fn case(
    name: impl Into<String>,
    unit: &'static str,
    units: u32,
    run: impl Fn(u64) + 'static,
) -> Case {
    Case {
        name: name.into(),
        unit,
        units_per_rep: units,
        run: Box::new(run),
    }
}

/// Firings per rep of the nets that never run dry.
const FIRINGS: u32 = 1024;

macro_rules! scaling_cases {
    ($cases:expr, $t:literal) => {{
        const T: usize = $t;
        $cases.push(case(format!("chain_{T}"), "firing", T as u32, |reps| {
            let mut net = Box::new(nets::chain::<{ T + 1 }, T, { 2 * T }, { T + 2 }>());
            let mut ticks = Ticks::default();
            for _ in 0..reps {
                black_box(nets::chain_round(&mut net, ticks.next()));
            }
        }));
        $cases.push(case(format!("ring_{T}"), "firing", T as u32, |reps| {
            let mut net = Box::new(nets::ring::<T, T, { 2 * T }, { T + 1 }>());
            for _ in 0..reps {
                black_box(nets::run_for(&mut net, Instant::from_ticks(1), T as u32));
            }
        }));
        $cases.push(case(format!("busy_ring_{T}"), "firing", T as u32, |reps| {
            let mut net = Box::new(nets::busy_ring::<T, T, { 2 * T }, { T + 1 }>());
            for _ in 0..reps {
                black_box(nets::run_for(&mut net, Instant::from_ticks(1), T as u32));
            }
        }));
    }};
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        case("ping_pong", "firing", FIRINGS, |reps| {
            let mut net = nets::ping_pong();
            for _ in 0..reps {
                black_box(nets::run_ping_pong(
                    &mut net,
                    Instant::from_ticks(1),
                    FIRINGS,
                ));
            }
        }),
        case("fan", "firing", nets::FAN_CYCLE, |reps| {
            let mut net = nets::fan();
            for _ in 0..reps {
                black_box(nets::run_for(
                    &mut net,
                    Instant::from_ticks(1),
                    nets::FAN_CYCLE,
                ));
            }
        }),
        case("pipeline", "request", pipeline::BATCH as u32, |reps| {
            let (mut net, mut app) = pipeline::pipeline();
            let (mut ticks, mut next_id) = (Ticks::default(), 0u32);
            for _ in 0..reps {
                black_box(pipeline::round(
                    &mut net,
                    &mut app,
                    ticks.next(),
                    &mut next_id,
                ));
            }
        }),
    ];
    scaling_cases!(cases, 8);
    scaling_cases!(cases, 64);
    scaling_cases!(cases, 512);
    scaling_cases!(cases, 1024);
    for policy in Policy::ALL {
        let name = policy.name();
        cases.push(case(
            format!("closed_{name}/mycel"),
            "call",
            1,
            move |reps| {
                let mut breaker = breakers::mycel(policy);
                let mut ticks = Ticks::default();
                for _ in 0..reps {
                    black_box(breakers::mycel_call(&mut breaker, ticks.next()));
                }
            },
        ));
        cases.push(case(
            format!("closed_{name}/failsafe"),
            "call",
            1,
            move |reps| {
                if policy == Policy::Consecutive {
                    let breaker = breakers::failsafe_consecutive();
                    for _ in 0..reps {
                        black_box(breakers::failsafe_call(&breaker));
                    }
                } else {
                    let breaker = breakers::failsafe_rate();
                    for _ in 0..reps {
                        black_box(breakers::failsafe_call(&breaker));
                    }
                }
            },
        ));
        cases.push(case(
            format!("closed_{name}/recloser"),
            "call",
            1,
            move |reps| {
                let breaker = breakers::recloser_for(policy);
                for _ in 0..reps {
                    black_box(breakers::recloser_call(&breaker));
                }
            },
        ));
        cases.push(case(format!("open_{name}/mycel"), "call", 1, move |reps| {
            let mut breaker = breakers::mycel_open(policy);
            let now = Instant::from_ticks(1);
            for _ in 0..reps {
                black_box(breakers::mycel_reject(&mut breaker, black_box(now)));
            }
        }));
        cases.push(case(
            format!("open_{name}/failsafe"),
            "call",
            1,
            move |reps| {
                let breaker = breakers::failsafe_open(breakers::failsafe_consecutive());
                for _ in 0..reps {
                    black_box(breakers::failsafe_call(&breaker));
                }
            },
        ));
        cases.push(case(
            format!("open_{name}/recloser"),
            "call",
            1,
            move |reps| {
                let breaker = breakers::recloser_open(policy);
                for _ in 0..reps {
                    black_box(breakers::recloser_call(&breaker));
                }
            },
        ));
    }
    cases
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases = cases();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["list"] => {
            for c in &cases {
                println!("{} {} {}", c.name, c.unit, c.units_per_rep);
            }
        }
        ["run", name, reps] => {
            let reps: u64 = reps.parse().expect("reps is a number");
            let Some(c) = cases.iter().find(|c| c.name == *name) else {
                eprintln!("unknown case {name}; `list` shows them");
                std::process::exit(2);
            };
            (c.run)(reps);
        }
        _ => {
            for c in &cases {
                (c.run)(3);
            }
            println!(
                "callgrind driver: {} cases ran; benches/callgrind.sh counts their instructions",
                cases.len()
            );
        }
    }
}

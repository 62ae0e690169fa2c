//! The callgrind driver of the user crate: `callgrind run <case> <reps>` runs one
//! workload `reps` times, so `callgrind.sh` can count instructions per firing or per
//! request as `(Ir(2R) - Ir(R)) / (R * units per rep)`, which cancels setup and start-up.
//! `callgrind list` prints `name unit units_per_rep` per case.

use mycel::time::Instant;
use mycel_user_crate::pipeline::{self, App, Pipeline, Request};
use mycel_user_crate::rings;
use std::hint::black_box;

const FIRINGS: u32 = 1024;
const BATCH: u32 = 16;

fn run(case: &str, reps: u64) -> Result<(), String> {
    let now = Instant::from_ticks(0);
    match case {
        "ping_pong" => {
            let mut net = rings::ping_pong();
            for _ in 0..reps {
                black_box(rings::run_ping_pong(&mut net, now, FIRINGS));
            }
        }
        "ring_8" => {
            let mut net = rings::ring_8();
            for _ in 0..reps {
                black_box(rings::run_ring_8(&mut net, now, FIRINGS));
            }
        }
        "ring_1024" => {
            let mut net = Box::new(rings::ring_1024());
            for _ in 0..reps {
                black_box(rings::run_ring_1024(&mut net, now, FIRINGS));
            }
        }
        "pipeline" => {
            let mut net = pipeline::pipeline(now).map_err(|e| e.to_string())?;
            let mut app = App;
            let mut id = 0u32;
            for _ in 0..reps {
                for _ in 0..BATCH {
                    let request = Request {
                        id,
                        healthy: !id.is_multiple_of(16),
                        ..Request::default()
                    };
                    id = (id + 1) % (u32::MAX - 1);
                    net.inject(Pipeline::PLACES.input, request, now)
                        .map_err(|e| e.to_string())?;
                }
                black_box(
                    net.run(now, 4 * BATCH, &mut app)
                        .map_err(|e| e.to_string())?,
                );
                while net.take(Pipeline::PLACES.done).is_ok() {}
            }
        }
        other => return Err(format!("unknown case {other}")),
    }
    Ok(())
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd] if cmd == "list" => {
            for (name, unit, units) in [
                ("ping_pong", "firing", FIRINGS),
                ("ring_8", "firing", FIRINGS),
                ("ring_1024", "firing", FIRINGS),
                ("pipeline", "request", BATCH),
            ] {
                println!("{name} {unit} {units}");
            }
            Ok(())
        }
        [cmd, case, reps] if cmd == "run" => {
            run(case, reps.parse().map_err(|_| format!("bad reps {reps}"))?)
        }
        _ => Err("usage: callgrind list | callgrind run <case> <reps>".into()),
    }
}

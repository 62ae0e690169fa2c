//! Runs both nets once and prints what happened: `cargo run` in this folder.

use mycel::time::{Duration, Instant};
use mycel_user_crate::job_queue::{self, Job};
use mycel_user_crate::pipeline::{self, App, Pipeline, Request};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut queue = job_queue::with_workers(2);
    let p = queue.places();
    for id in 1..=4 {
        queue.inject(p.incoming, Job { id, work: 1 }, Instant::from_ticks(0))?;
    }
    let mut now = Instant::from_ticks(0);
    job_queue::settle(&mut queue, now);
    while let Some(next) = queue.next_deadline(&job_queue::Workers) {
        now = next;
        job_queue::settle(&mut queue, now);
    }
    println!(
        "job queue: {} shipped by {} ms, {} workers idle",
        queue.counters().retired,
        now.as_millis(),
        queue.len(p.workers)
    );

    let mut net = pipeline::pipeline(Instant::from_ticks(0))?;
    let mut app = App;
    let mut rejected = 0;
    for id in 0..20u32 {
        let now = Instant::from_ticks(0) + Duration::from_millis(u64::from(id) * 500);
        let request = Request {
            id,
            healthy: !(4..8).contains(&id),
            ..Request::default()
        };
        net.inject(Pipeline::PLACES.input, request, now)?;
        net.run(now, 16, &mut app)?;
        while net.take(Pipeline::PLACES.rejected).is_ok() {
            rejected += 1;
        }
    }
    println!(
        "pipeline: {} answered, {rejected} rejected by the breaker, breaker {:?}",
        net.len(Pipeline::PLACES.done),
        net.breaker.state()
    );
    Ok(())
}

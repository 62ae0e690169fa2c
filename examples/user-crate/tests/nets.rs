//! Both nets run as declared: the job queue moves jobs through validation, workers and
//! shipping; the pipeline's breaker opens after three failures, rejects while open, and
//! closes again after its open period, which the net's deadline announces.

use mycel::breaker::BreakerStateKind;
use mycel::time::{Duration, Instant};
use mycel_user_crate::job_queue::{self, Job, JobQueue};
use mycel_user_crate::pipeline::{self, App, Pipeline, Request};
use mycel_user_crate::rings;

fn at_ms(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

#[test]
fn counts_are_computed_from_the_declaration() {
    assert_eq!(JobQueue::PLACE_COUNT, 7);
    assert_eq!(JobQueue::TRANSITION_COUNT, 4);
    // validate 2 + error place 1, start 4, finish 3, ship 1.
    assert_eq!(JobQueue::ARC_COUNT, 11);
    // Every place full (8+8+4+2+4+8+1) plus the largest firing's new tokens (start: 2).
    assert_eq!(JobQueue::POOL_SLOTS, 35 + 2);
    assert_eq!(Pipeline::POOL_SLOTS, 7 * 16 + 1);
}

#[test]
fn jobs_flow_through_validation_workers_and_shipping() {
    let mut queue = job_queue::with_workers(2);
    let p = queue.places();
    for id in 1..=3 {
        queue
            .inject(p.incoming, Job { id, work: 1 }, at_ms(0))
            .unwrap();
    }
    queue
        .inject(p.incoming, Job { id: 9, work: 0 }, at_ms(0))
        .unwrap();
    job_queue::settle(&mut queue, at_ms(0));
    assert_eq!(
        queue.len(p.rejected),
        1,
        "the job with no work is set aside"
    );
    assert_eq!(
        queue.len(p.working),
        4,
        "two jobs at work, each with its worker"
    );
    assert_eq!(
        queue.len(p.validated),
        1,
        "the third job waits for a worker"
    );
    assert_eq!(queue.next_deadline(&job_queue::Workers), Some(at_ms(5)));

    job_queue::settle(&mut queue, at_ms(5));
    assert_eq!(queue.len(p.done), 1);
    assert_eq!(
        queue.len(p.validated),
        0,
        "the freed worker took the third job"
    );
    assert_eq!(queue.len(p.working), 4);

    job_queue::settle(&mut queue, at_ms(10));
    assert_eq!(
        queue.firings(JobQueue::TRANSITIONS.ship),
        1,
        "a pair shipped"
    );
    assert_eq!(queue.len(p.done), 0);
    job_queue::settle(&mut queue, at_ms(15));
    assert_eq!(queue.len(p.done), 1, "the last job waits for a partner");
    assert_eq!(queue.len(p.workers), 2, "every worker is idle again");
    assert_eq!(queue.held(), 4);
}

#[test]
fn a_guard_holds_a_job_at_the_head_of_its_place() {
    let mut queue = job_queue::with_workers(2);
    let p = queue.places();
    let held = Job {
        id: job_queue::HOLD,
        work: 1,
    };
    queue.inject(p.incoming, held, at_ms(0)).unwrap();
    job_queue::settle(&mut queue, at_ms(0));
    assert_eq!(queue.len(p.validated), 1);
    assert!(!queue.is_enabled(JobQueue::TRANSITIONS.start));
    assert_eq!(queue.take(p.validated), Ok(held));
}

#[test]
fn a_paused_queue_starts_no_work() {
    let mut queue = job_queue::with_workers(2);
    let p = queue.places();
    queue.inject(p.paused, Job::default(), at_ms(0)).unwrap();
    queue
        .inject(p.incoming, Job { id: 1, work: 1 }, at_ms(0))
        .unwrap();
    job_queue::settle(&mut queue, at_ms(0));
    assert_eq!(queue.len(p.validated), 1);
    assert!(!queue.is_enabled(JobQueue::TRANSITIONS.start));
    queue.take(p.paused).unwrap();
    job_queue::settle(&mut queue, at_ms(1));
    assert_eq!(queue.len(p.working), 2);
}

fn send(net: &mut Pipeline, app: &mut App, id: u32, healthy: bool, now: Instant) {
    let request = Request {
        id,
        healthy,
        ..Request::default()
    };
    net.inject(Pipeline::PLACES.input, request, now).unwrap();
    net.run(now, 16, app).unwrap();
}

#[test]
fn the_breaker_inside_the_pipeline_opens_rejects_and_recovers() {
    let mut net = pipeline::pipeline(at_ms(0)).unwrap();
    let mut app = App;
    let p = net.places();
    for id in 0..3 {
        send(&mut net, &mut app, id, false, at_ms(id.into()));
    }
    assert_eq!(net.breaker.state(), BreakerStateKind::Open);
    assert_eq!(net.len(p.done), 3);

    send(&mut net, &mut app, 3, true, at_ms(10));
    assert_eq!(net.len(p.rejected), 1, "OPEN forwards nothing");
    assert_eq!(net.firings(Pipeline::TRANSITIONS.backend), 3);

    let reopen = net.next_deadline(&app).unwrap();
    assert_eq!(reopen, at_ms(2) + Duration::from_secs(5));
    send(&mut net, &mut app, 4, true, reopen);
    assert_eq!(net.breaker.state(), BreakerStateKind::Closed);
    assert_eq!(net.len(p.done), 4);
}

#[test]
fn a_malformed_request_goes_to_the_error_place() {
    let mut net = pipeline::pipeline(at_ms(0)).unwrap();
    let mut app = App;
    send(&mut net, &mut app, u32::MAX, true, at_ms(0));
    assert_eq!(net.len(Pipeline::PLACES.invalid), 1);
    assert_eq!(net.failures(Pipeline::TRANSITIONS.validate), 1);
}

#[test]
fn the_rings_circulate_their_token() {
    let mut ping_pong = rings::ping_pong();
    assert_eq!(rings::run_ping_pong(&mut ping_pong, at_ms(0), 10), 10);
    assert_eq!(ping_pong.len(rings::PingPong::PLACES.ping), 1);
    // A 1024-transition net is about 240 KiB inline, and an unoptimised build copies
    // it a few times on the way out of `new`: give it a stack to match.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            let mut ring = rings::ring_1024();
            assert_eq!(rings::run_ring_1024(&mut ring, at_ms(0), 1024), 1024);
            assert_eq!(ring.len(rings::Ring1024::PLACES.p0), 1);
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(rings::Ring1024::POOL_SLOTS, 1025);
    let mut ring = rings::ring_8();
    assert_eq!(rings::run_ring_8(&mut ring, at_ms(0), 4), 4);
    assert_eq!(ring.len(rings::Ring8::PLACES.p4), 1);
}

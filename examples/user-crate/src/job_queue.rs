//! A job queue: jobs arrive, are validated (bad ones go to `rejected`), wait for a free
//! worker, are worked on for 5 ms, and leave in pairs.

use mycel::net::{Heads, TransitionId};
use mycel::sched::{Behaviour, Fault, Firing, Passthrough};
use mycel::time::Instant;

/// A job: its number and how much work it carries (0 is malformed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Job {
    /// The job's number.
    pub id: u32,
    /// Units of work; a job with none is rejected.
    pub work: u16,
}

/// Only a job that is not on hold may start (a guard looks at the tokens a transition
/// would consume, here the head of `validated`).
fn not_on_hold(heads: &Heads<'_, Job>) -> bool {
    heads.get(0).is_some_and(|job| job.id != HOLD)
}

/// A job with this number waits in `validated` until it is taken out by hand.
pub const HOLD: u32 = 999;

/// Why validation failed: the job carries no work.
pub const NO_WORK: Fault = Fault(1);

/// Classic token flow, except that `validate` fails for a job with no work, which sends
/// it to the error place `rejected`.
#[derive(Debug, Default)]
pub struct Workers;

impl Behaviour<Job> for Workers {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Job>,
        now: Instant,
    ) -> Result<(), Fault> {
        let validating = JobQueue::transition_of(transition) == Some(JobQueueTransition::Validate);
        if validating && firing.input(0).is_some_and(|job| job.work == 0) {
            return Err(NO_WORK);
        }
        Passthrough.fire(transition, firing, now)
    }
}

mycel::net! {
    /// The job queue.
    pub net JobQueue: Job {
        places {
            /// Jobs waiting to be validated.
            incoming: 8,
            validated: 8,
            /// Malformed jobs, set aside.
            rejected: 4,
            /// Idle workers: one token per worker.
            workers: 2,
            /// A job at work and its worker: two tokens per job.
            working: 4,
            done: 8,
            /// Raised by the operator to stop new work.
            paused: 1,
        }
        transitions {
            validate [error = rejected]: incoming -> validated,
            start [priority = 1, guard = not_on_hold]: validated + workers + !paused -> working * 2,
            finish [delay = 5ms]: working * 2 -> done + workers,
            ship [sink]: done * 2 -> (),
        }
    }
}

/// A queue with `workers` idle workers (at most 2) at time zero.
#[must_use]
pub fn with_workers(workers: u32) -> JobQueue {
    let mut queue = JobQueue::new();
    for id in 0..workers.min(2) {
        // The workers place holds two tokens, so both fit.
        let _ = queue.inject(
            queue.places().workers,
            Job { id, work: 0 },
            Instant::from_ticks(0),
        );
    }
    queue
}

/// Runs the queue at `now` until nothing more can fire at that instant.
pub fn settle(queue: &mut JobQueue, now: Instant) -> u32 {
    queue
        .run(now, 64, &mut Workers)
        .map_or(0, |report| report.fired)
}

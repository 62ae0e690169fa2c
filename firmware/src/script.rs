//! The scripted run: five phases of requests and waits, each with what must hold after it.
//!
//! The phases follow the story the finished example tells with the circuit breaker:
//! normal traffic, a degrading backend that trips the subject, requests turned away
//! with no backend call, the automatic switch to probing at the deadline the subject
//! announces, and recovery. Phase 1 runs it against the placeholder gate, whose states
//! are `pass`, `block` and `probe`.

use crate::backend::Outcome;
use crate::backend::Outcome::{Failure, Success};
use mycel::time::Duration;

/// Simulated time between one request and the next.
pub const REQUEST_SPACING: Duration = Duration::from_millis(10);

/// One scripted step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A request arrives [`REQUEST_SPACING`] after the previous step; if it reaches the
    /// backend, the backend answers with this outcome.
    Request(Outcome),
    /// No input until the subject's next deadline: the clock jumps there (a tickless
    /// sleep) and the subject is polled at exactly that instant.
    SleepUntilDeadline,
}

/// What must hold at the end of a phase. Counts are for the phase alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// Requests admitted.
    pub admitted: u32,
    /// Requests turned away.
    pub rejected: u32,
    /// Calls that reached the backend.
    pub backend_calls: u32,
    /// Of those, calls that failed.
    pub backend_failures: u32,
    /// The state changes, `(from, to)` in order.
    pub changes: &'static [(&'static str, &'static str)],
    /// The state the phase ends in.
    pub state: &'static str,
}

/// A named part of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phase {
    /// Name used in the logs.
    pub name: &'static str,
    /// What happens, in order.
    pub steps: &'static [Step],
    /// What must hold afterwards.
    pub expect: Expect,
}

/// The whole run.
pub static PHASES: [Phase; 5] = [
    Phase {
        name: "normal",
        steps: &[Step::Request(Success); 5],
        expect: Expect {
            admitted: 5,
            rejected: 0,
            backend_calls: 5,
            backend_failures: 0,
            changes: &[],
            state: "pass",
        },
    },
    Phase {
        name: "degradation",
        steps: &[
            Step::Request(Success),
            Step::Request(Failure),
            Step::Request(Failure),
            Step::Request(Failure),
        ],
        expect: Expect {
            admitted: 4,
            rejected: 0,
            backend_calls: 4,
            backend_failures: 3,
            changes: &[("pass", "block")],
            state: "block",
        },
    },
    Phase {
        name: "open",
        // The backend would answer, but no request may reach it.
        steps: &[Step::Request(Success); 4],
        expect: Expect {
            admitted: 0,
            rejected: 4,
            backend_calls: 0,
            backend_failures: 0,
            changes: &[],
            state: "block",
        },
    },
    Phase {
        name: "half-open",
        steps: &[Step::SleepUntilDeadline],
        expect: Expect {
            admitted: 0,
            rejected: 0,
            backend_calls: 0,
            backend_failures: 0,
            changes: &[("block", "probe")],
            state: "probe",
        },
    },
    Phase {
        name: "recovery",
        steps: &[Step::Request(Success); 4],
        expect: Expect {
            admitted: 4,
            rejected: 0,
            backend_calls: 4,
            backend_failures: 0,
            changes: &[("probe", "pass")],
            state: "pass",
        },
    },
];

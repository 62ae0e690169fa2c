//! The scripted run: five phases of requests and waits, each with what must hold after it.
//!
//! Normal traffic; a degrading backend that trips the breaker; requests turned away
//! with no backend call; the automatic switch to HALF_OPEN at the deadline the net
//! announces; and recovery, where the first probe fails, the breaker reopens for a
//! longer period, and after that period two good probes close it.

use crate::backend::Answer;
use crate::backend::Answer::{Failure, Success};
use crate::breaker::OPEN_BASE;
use mycel::time::Duration;

/// Simulated time between one request and the next.
pub const REQUEST_SPACING: Duration = Duration::from_millis(100);

/// The open period after a failed probe: twice the first (growth 200%).
pub const SECOND_OPEN_PERIOD: Duration = Duration::from_secs(10);

/// One scripted step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A well-formed request arrives [`REQUEST_SPACING`] after the previous step; if it
    /// reaches the backend, the backend answers this.
    Request(Answer),
    /// A malformed request arrives [`REQUEST_SPACING`] after the previous step.
    Malformed,
    /// No input until the pipeline's next deadline: the breaker must be OPEN for
    /// `open_period`, the deadline must be the end of that period, and the clock jumps
    /// there (a tickless sleep) and steps the net at exactly that instant.
    SleepUntilDeadline {
        /// How long the breaker's current opening lasts.
        open_period: Duration,
    },
}

/// A state change as the script expects it: `(from, to, cause)`.
pub type ExpectedChange = (&'static str, &'static str, &'static str);

/// What happened to requests during a phase (or the whole run).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub struct Counts {
    /// Requests offered.
    pub requests: u32,
    /// Requests the breaker admitted.
    pub admitted: u32,
    /// Requests the breaker turned away.
    pub rejected: u32,
    /// Requests that failed validation.
    pub invalid: u32,
    /// Calls that reached the backend.
    pub backend_calls: u32,
    /// Of those, calls that failed.
    pub backend_failures: u32,
    /// The breaker's state changes.
    pub state_changes: u32,
}

impl Counts {
    /// Both counts added, field by field (saturating).
    pub const fn plus(self, other: Counts) -> Counts {
        Counts {
            requests: self.requests.saturating_add(other.requests),
            admitted: self.admitted.saturating_add(other.admitted),
            rejected: self.rejected.saturating_add(other.rejected),
            invalid: self.invalid.saturating_add(other.invalid),
            backend_calls: self.backend_calls.saturating_add(other.backend_calls),
            backend_failures: self.backend_failures.saturating_add(other.backend_failures),
            state_changes: self.state_changes.saturating_add(other.state_changes),
        }
    }
}

/// What must hold at the end of a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// The phase's counts.
    pub counts: Counts,
    /// The breaker's state changes, in order.
    pub changes: &'static [ExpectedChange],
    /// The breaker state the phase ends in.
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
        steps: &[
            Step::Request(Success),
            Step::Request(Success),
            Step::Malformed,
            Step::Request(Success),
            Step::Request(Success),
            Step::Request(Success),
        ],
        expect: Expect {
            counts: Counts {
                requests: 6,
                admitted: 5,
                rejected: 0,
                invalid: 1,
                backend_calls: 5,
                backend_failures: 0,
                state_changes: 0,
            },
            changes: &[],
            state: "CLOSED",
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
            counts: Counts {
                requests: 4,
                admitted: 4,
                rejected: 0,
                invalid: 0,
                backend_calls: 4,
                backend_failures: 3,
                state_changes: 1,
            },
            changes: &[("CLOSED", "OPEN", "consecutive_failures")],
            state: "OPEN",
        },
    },
    Phase {
        name: "open",
        // The backend would answer, but no request may reach it.
        steps: &[Step::Request(Success); 4],
        expect: Expect {
            counts: Counts {
                requests: 4,
                admitted: 0,
                rejected: 4,
                invalid: 0,
                backend_calls: 0,
                backend_failures: 0,
                state_changes: 0,
            },
            changes: &[],
            state: "OPEN",
        },
    },
    Phase {
        name: "half-open",
        steps: &[Step::SleepUntilDeadline {
            open_period: OPEN_BASE,
        }],
        expect: Expect {
            counts: Counts {
                requests: 0,
                admitted: 0,
                rejected: 0,
                invalid: 0,
                backend_calls: 0,
                backend_failures: 0,
                state_changes: 1,
            },
            changes: &[("OPEN", "HALF_OPEN", "timeout")],
            state: "HALF_OPEN",
        },
    },
    Phase {
        name: "recovery",
        steps: &[
            // The backend is not back yet: the probe fails and the breaker reopens.
            Step::Request(Failure),
            Step::Request(Success),
            Step::SleepUntilDeadline {
                open_period: SECOND_OPEN_PERIOD,
            },
            // Two good probes close it; traffic flows again.
            Step::Request(Success),
            Step::Request(Success),
            Step::Request(Success),
            Step::Request(Success),
        ],
        expect: Expect {
            counts: Counts {
                requests: 6,
                admitted: 5,
                rejected: 1,
                invalid: 0,
                backend_calls: 5,
                backend_failures: 1,
                state_changes: 3,
            },
            changes: &[
                ("HALF_OPEN", "OPEN", "probe_failure"),
                ("OPEN", "HALF_OPEN", "timeout"),
                ("HALF_OPEN", "CLOSED", "probes_succeeded"),
            ],
            state: "CLOSED",
        },
    },
];

//! The backend task: answers every call after its latency, and fails the calls it
//! receives during the outage.

use crate::links::{ANSWERS, CALLS};
use crate::request::Request;
use crate::scenario::{LATENCY, OUTAGE_FROM, OUTAGE_UNTIL};
use crate::wakeups::{self, Wake};
use embassy_time::Timer;
use mycel::breaker::Outcome;
use mycel::time::{self, Instant};

/// How a backend call ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Answer {
    /// The call succeeded.
    Success,
    /// The call failed.
    Failure,
}

impl Answer {
    /// The outcome the breaker records for a call that ended with this answer.
    pub const fn outcome(self) -> Outcome {
        match self {
            Self::Success => Outcome::Success,
            Self::Failure => Outcome::Failure,
        }
    }

    /// The answer to a call received at `at`: a failure during the outage.
    pub fn for_call_at(at: Instant) -> Self {
        if OUTAGE_FROM <= at && at < OUTAGE_UNTIL {
            Self::Failure
        } else {
            Self::Success
        }
    }
}

/// Takes each call from the engine task, works on it for [`LATENCY`] and sends the
/// request back with its answer.
#[embassy_executor::task]
pub async fn backend() {
    loop {
        let call = CALLS.receive().await;
        let received = wakeups::record(Wake::Call, None);
        let ready = time::add(received, LATENCY);
        Timer::at(ready).await;
        wakeups::record(Wake::Answer, Some(ready));
        let answered = Request {
            answer: Some(Answer::for_call_at(received)),
            ..call
        };
        ANSWERS.send(answered).await;
    }
}

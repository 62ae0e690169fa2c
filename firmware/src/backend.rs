//! The simulated backend behind the pipeline: answers as the script says and counts
//! every call, so the program can check that a rejected request never reached it.

use mycel::breaker::Outcome;

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
}

/// A backend whose answers come from the script.
///
/// The program sets the answer before it offers each request; only the pipeline's
/// `call_backend` transition calls the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptedBackend {
    answer: Answer,
    calls: u32,
    failures: u32,
}

impl Default for ScriptedBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl ScriptedBackend {
    /// A backend that has not been called yet and would succeed.
    pub const fn new() -> Self {
        Self {
            answer: Answer::Success,
            calls: 0,
            failures: 0,
        }
    }

    /// Makes the calls that follow end with `answer`.
    pub fn answer_with(&mut self, answer: Answer) {
        self.answer = answer;
    }

    /// Performs one call, counting it, and returns the scripted answer.
    pub fn call(&mut self) -> Answer {
        self.calls = self.calls.saturating_add(1);
        if self.answer == Answer::Failure {
            self.failures = self.failures.saturating_add(1);
        }
        self.answer
    }

    /// How many calls reached the backend.
    pub const fn calls(&self) -> u32 {
        self.calls
    }

    /// How many of those calls failed.
    pub const fn failures(&self) -> u32 {
        self.failures
    }
}

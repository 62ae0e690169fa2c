//! The simulated backend behind the pipeline: answers with the scripted outcome and
//! counts every call, so the program can check that a rejected request never reached it.

/// How a backend call ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Outcome {
    /// The call succeeded.
    Success,
    /// The call failed.
    Failure,
}

/// A backend whose answers come from the script.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScriptedBackend {
    calls: u32,
    failures: u32,
}

impl ScriptedBackend {
    /// A backend that has not been called yet.
    pub const fn new() -> Self {
        Self {
            calls: 0,
            failures: 0,
        }
    }

    /// Performs one call whose scripted answer is `scripted`, and returns it.
    pub fn call(&mut self, scripted: Outcome) -> Outcome {
        self.calls = self.calls.saturating_add(1);
        if scripted == Outcome::Failure {
            self.failures = self.failures.saturating_add(1);
        }
        scripted
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

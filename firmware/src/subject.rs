//! The contract between the scripted program and the system it drives.
//!
//! Phase 1 drives a placeholder machine ([`crate::placeholder`]); the request pipeline
//! net with the circuit breaker inside replaces it by implementing the same trait,
//! so the program, the script's shape, the logs and the checks stay as they are.

use crate::backend::{Outcome, ScriptedBackend};
use mycel::fsm::Changes;
use mycel::time::Instant;

/// What happened to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Admission {
    /// The request went through to the backend.
    Admitted,
    /// The request was turned away without calling the backend.
    Rejected,
}

/// The system under test, driven one request or one deadline at a time.
///
/// Every call takes `now` from the program's injected clock; the subject never reads
/// a clock itself. State changes are appended to `changes` in the order they happened.
pub trait Subject {
    /// Why a call failed (e.g. a clock regression); any error fails the run.
    type Error: defmt::Format;

    /// Offers one request at `now`. If it is admitted the subject calls `backend`,
    /// whose scripted answer is `scripted`, and records the outcome.
    ///
    /// # Errors
    /// [`Subject::Error`] when the subject refuses the call; nothing is admitted then.
    fn request(
        &mut self,
        backend: &mut ScriptedBackend,
        scripted: Outcome,
        now: Instant,
        changes: &mut Changes,
    ) -> Result<Admission, Self::Error>;

    /// Applies whatever is due at `now` without new input (timeouts, deadlines).
    ///
    /// # Errors
    /// [`Subject::Error`] when the subject refuses the call; nothing changes then.
    fn poll(&mut self, now: Instant, changes: &mut Changes) -> Result<(), Self::Error>;

    /// The earliest instant at which the subject can change without new input.
    fn next_deadline(&self) -> Option<Instant>;

    /// The name of the state that decides admission (in phase 2: the breaker's).
    fn state_name(&self) -> &'static str;

    /// Logs `core::mem::size_of` of the subject's main objects (the footprint report
    /// reads these lines).
    fn log_object_sizes(&self);
}

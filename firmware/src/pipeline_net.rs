//! The request pipeline as a Petri net: its places, transitions and arcs.
//!
//! ```text
//! requests -> validate -> validated -> route -> forwarded  ~~> backend task
//!                 \-> invalid            \-> rejected
//! backend task ~~> responses -> record -> done
//! ```
//!
//! `validate` sends malformed requests to its error place `invalid`; `route` and
//! `record` share the circuit breaker (see [`crate::stages`]): `route` admits a request
//! to `forwarded` with a permit or turns it away to `rejected`, `record` reports the
//! backend's answer. The net does no I/O: the engine task takes admitted requests out
//! of `forwarded` and sends them to the backend task, and puts the answers it gets
//! back into `responses`. A request that never reaches `forwarded` never reaches the
//! backend.
//!
//! The whole definition is the `net!` block below: its structure is validated while the
//! firmware compiles, so the chip runs neither the engine's builder nor a check that
//! could fail.

use crate::request::Request;
use mycel::net::{Place, Transition};

mycel::net! {
    /// The request pipeline. Requests arrive 500 ms apart and the backend answers in
    /// 30 ms, and the engine task takes every token out of the end places after each
    /// step, so a place never holds more than one token.
    pub net PipelineNet: Request {
        places {
            /// Where the host submits requests.
            requests: 1,
            /// Requests that passed validation.
            validated: 1,
            /// Requests that failed validation (`validate`'s error place).
            invalid: 1,
            /// Requests the breaker admitted, each with its permit.
            forwarded: 1,
            /// Requests the breaker turned away; they never reach the backend.
            rejected: 1,
            /// Requests the backend answered, put back by the engine task.
            responses: 1,
            /// Requests whose answer the breaker recorded.
            done: 1,
        }
        transitions {
            /// Checks a request; a malformed one goes to `invalid`.
            validate [error = invalid]: requests -> validated,
            /// Asks the breaker for a permit.
            route: validated -> forwarded + rejected,
            /// Reports the backend's answer to the breaker.
            record: responses -> done,
        }
    }
}

/// Where the host submits requests.
pub const REQUESTS: Place<PipelineNet> = PipelineNet::PLACES.requests;
/// Requests that passed validation.
pub const VALIDATED: Place<PipelineNet> = PipelineNet::PLACES.validated;
/// Requests that failed validation (`validate`'s error place).
pub const INVALID: Place<PipelineNet> = PipelineNet::PLACES.invalid;
/// Requests the breaker admitted, each with its permit.
pub const FORWARDED: Place<PipelineNet> = PipelineNet::PLACES.forwarded;
/// Requests the breaker turned away; they never reach the backend.
pub const REJECTED: Place<PipelineNet> = PipelineNet::PLACES.rejected;
/// Requests the backend answered, put back by the engine task.
pub const RESPONSES: Place<PipelineNet> = PipelineNet::PLACES.responses;
/// Requests whose answer the breaker recorded.
pub const DONE: Place<PipelineNet> = PipelineNet::PLACES.done;

/// Checks a request; a malformed one goes to [`INVALID`].
pub const VALIDATE: Transition<PipelineNet> = PipelineNet::TRANSITIONS.validate;
/// Asks the breaker for a permit.
pub const ROUTE: Transition<PipelineNet> = PipelineNet::TRANSITIONS.route;
/// Reports the backend's answer to the breaker.
pub const RECORD: Transition<PipelineNet> = PipelineNet::TRANSITIONS.record;

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
//! The whole definition is this one function, built at start-up with the engine's
//! runtime [`NetBuilder`]; a declared net can replace it without touching the tasks.

use crate::request::Request;
use mycel::net::{BuildError, NetBuilder, PlaceId, TransitionId, TransitionSpec};
use mycel::sched::Net;

/// Where the host submits requests.
pub const REQUESTS: PlaceId = PlaceId(0);
/// Requests that passed validation.
pub const VALIDATED: PlaceId = PlaceId(1);
/// Requests that failed validation (`validate`'s error place).
pub const INVALID: PlaceId = PlaceId(2);
/// Requests the breaker admitted, each with its permit.
pub const FORWARDED: PlaceId = PlaceId(3);
/// Requests the breaker turned away; they never reach the backend.
pub const REJECTED: PlaceId = PlaceId(4);
/// Requests the backend answered, put back by the engine task.
pub const RESPONSES: PlaceId = PlaceId(5);
/// Requests whose answer the breaker recorded.
pub const DONE: PlaceId = PlaceId(6);

/// Checks a request; a malformed one goes to [`INVALID`].
pub const VALIDATE: TransitionId = TransitionId(0);
/// Asks the breaker for a permit.
pub const ROUTE: TransitionId = TransitionId(1);
/// Reports the backend's answer to the breaker.
pub const RECORD: TransitionId = TransitionId(2);

/// Room in every place. Requests arrive 500 ms apart and the backend answers in 30 ms,
/// and the engine task takes every token out of the end places after each step, so a
/// place never holds more than one token.
const ROOM: u16 = 1;

/// Places, transitions, arcs (seven declared plus `validate`'s error-place arc) and
/// token slots (every place full plus one fresh token for a firing).
pub type PipelineNet = Net<Request, 7, 3, 8, 8>;

/// Builds the pipeline with every place empty.
///
/// # Errors
/// The [`BuildError`] of an invalid definition (e.g. capacities that do not fit the
/// token pool).
pub fn build() -> Result<PipelineNet, BuildError> {
    let mut b = NetBuilder::new();
    let places = [
        "requests",
        "validated",
        "invalid",
        "forwarded",
        "rejected",
        "responses",
        "done",
    ]
    .map(|name| b.place(name, ROOM));
    let validate = b.transition_with("validate", TransitionSpec::new().error_place(INVALID));
    let route = b.transition("route");
    let record = b.transition("record");
    // The constants name what the builder hands out in declaration order.
    defmt::assert!(
        places
            == [
                REQUESTS, VALIDATED, INVALID, FORWARDED, REJECTED, RESPONSES, DONE
            ]
            && [validate, route, record] == [VALIDATE, ROUTE, RECORD],
        "pipeline ids differ from their constants"
    );
    b.input(VALIDATE, REQUESTS, 1)
        .output(VALIDATE, VALIDATED, 1);
    b.input(ROUTE, VALIDATED, 1)
        .output(ROUTE, FORWARDED, 1)
        .output(ROUTE, REJECTED, 1);
    b.input(RECORD, RESPONSES, 1).output(RECORD, DONE, 1);
    b.build()
}

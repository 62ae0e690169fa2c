//! The request pipeline as a Petri net: its places, transitions and arcs.
//!
//! ```text
//! requests -> validate -> validated -> route -> forwarded -> call_backend -> responses -> record -> done
//!                 \-> invalid            \-> rejected
//! ```
//!
//! `validate` sends malformed requests to its error place `invalid`; `route` and
//! `record` share the circuit breaker (see [`crate::stages`]): `route` admits a request
//! to `forwarded` with a permit or turns it away to `rejected`, `record` reports the
//! backend's answer. Only `call_backend` calls the backend, so a request that never
//! reaches `forwarded` never reaches the backend.

use crate::request::Request;
use mycel::net::{BuildError, NetBuilder, PlaceId, TransitionId, TransitionSpec};
use mycel::sched::Net;

/// Where the host submits requests.
pub const REQUESTS: PlaceId = PlaceId::new(0);
/// Requests that passed validation.
pub const VALIDATED: PlaceId = PlaceId::new(1);
/// Requests that failed validation (`validate`'s error place).
pub const INVALID: PlaceId = PlaceId::new(2);
/// Requests the breaker admitted, each with its permit.
pub const FORWARDED: PlaceId = PlaceId::new(3);
/// Requests the breaker turned away; they never reach the backend.
pub const REJECTED: PlaceId = PlaceId::new(4);
/// Requests the backend answered.
pub const RESPONSES: PlaceId = PlaceId::new(5);
/// Requests whose answer the breaker recorded.
pub const DONE: PlaceId = PlaceId::new(6);

/// Checks a request; a malformed one goes to [`INVALID`].
pub const VALIDATE: TransitionId = TransitionId::new(0);
/// Asks the breaker for a permit.
pub const ROUTE: TransitionId = TransitionId::new(1);
/// Calls the backend.
pub const CALL_BACKEND: TransitionId = TransitionId::new(2);
/// Reports the backend's answer to the breaker.
pub const RECORD: TransitionId = TransitionId::new(3);

/// Room in every place. The program offers one request at a time and takes it out at
/// the end, so one token per place would do; two leave room for a small burst.
const ROOM: u16 = 2;

/// Places, transitions, arcs (nine declared plus `validate`'s error-place arc) and
/// token slots (every place full plus one fresh token for a firing).
pub type PipelineNet = Net<Request, 7, 4, 10, 15>;

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
    let call_backend = b.transition("call_backend");
    let record = b.transition("record");
    // The constants name what the builder hands out in declaration order.
    defmt::assert!(
        places
            == [
                REQUESTS, VALIDATED, INVALID, FORWARDED, REJECTED, RESPONSES, DONE
            ]
            && [validate, route, call_backend, record] == [VALIDATE, ROUTE, CALL_BACKEND, RECORD],
        "pipeline ids differ from their constants"
    );
    b.input(VALIDATE, REQUESTS, 1)
        .output(VALIDATE, VALIDATED, 1);
    b.input(ROUTE, VALIDATED, 1)
        .output(ROUTE, FORWARDED, 1)
        .output(ROUTE, REJECTED, 1);
    b.input(CALL_BACKEND, FORWARDED, 1)
        .output(CALL_BACKEND, RESPONSES, 1);
    b.input(RECORD, RESPONSES, 1).output(RECORD, DONE, 1);
    b.build()
}

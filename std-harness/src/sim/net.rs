//! The simulator's Petri net: requests are routed through each service's breaker,
//! forwarded requests call the backend, responses come back and are recorded.
//!
//! ```text
//! requests --route--> forwarded --call_backend--> (backend)        responses --record--> done
//!               \--> rejected                     (response later) --^
//! ```
//!
//! `route` and `record` embed the breaker of the request's service (one breaker per
//! service in a bank); `call_backend` is a sink that hands the request to the simulated
//! backend, whose response the simulator injects into `responses` when it arrives.

use mycel::breaker::Permit;
use mycel::net::{NetBuilder, PlaceId, TransitionId, TransitionSpec};
use mycel::sched::Net;

/// A request on its way through the net.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// The request's number, from 1 in arrival order.
    pub id: u64,
    /// The service it is for (its index in the scenario, and its breaker's key).
    pub service: u16,
    /// The permit its breaker gave it, once admitted.
    pub permit: Option<Permit>,
    /// The backend's answer, once it came back.
    pub ok: Option<bool>,
}

/// Where requests enter.
pub const REQUESTS: PlaceId = PlaceId::new(0);
/// Admitted requests, with their permit, waiting for the backend call.
pub const FORWARDED: PlaceId = PlaceId::new(1);
/// Requests the breaker rejected; they never reach the backend.
pub const REJECTED: PlaceId = PlaceId::new(2);
/// Responses back from the backend, waiting to be recorded.
pub const RESPONSES: PlaceId = PlaceId::new(3);
/// Finished requests.
pub const DONE: PlaceId = PlaceId::new(4);

/// Admission through the service's breaker.
pub const ROUTE: TransitionId = TransitionId::new(0);
/// The call to the backend.
pub const CALL_BACKEND: TransitionId = TransitionId::new(1);
/// The outcome reported to the service's breaker.
pub const RECORD: TransitionId = TransitionId::new(2);

/// Every place holds at most this many tokens. The simulator runs the net to rest
/// after every input, so a place rarely holds more than one.
pub const PLACE_CAPACITY: u16 = 64;

/// The simulator's net type: 5 places, 3 transitions, 6 arcs (8 slots), 5 × 64 tokens.
pub type SimNet = Net<Call, 5, 3, 8, 330>;

/// Builds the simulator's net.
///
/// # Errors
/// The builder's error, which would mean the constants above disagree with each other.
pub fn build() -> Result<SimNet, mycel::net::BuildError> {
    let mut b = NetBuilder::new();
    let requests = b.place("requests", PLACE_CAPACITY);
    let forwarded = b.place("forwarded", PLACE_CAPACITY);
    let rejected = b.place("rejected", PLACE_CAPACITY);
    let responses = b.place("responses", PLACE_CAPACITY);
    let done = b.place("done", PLACE_CAPACITY);
    debug_assert_eq!(
        [requests, forwarded, rejected, responses, done],
        [REQUESTS, FORWARDED, REJECTED, RESPONSES, DONE]
    );
    let route = b.transition("route");
    let call = b.transition_with("call_backend", TransitionSpec::new().sink());
    let record = b.transition("record");
    debug_assert_eq!([route, call, record], [ROUTE, CALL_BACKEND, RECORD]);
    b.input(route, requests, 1)
        .output(route, forwarded, 1)
        .output(route, rejected, 1);
    b.input(call, forwarded, 1);
    b.input(record, responses, 1).output(record, done, 1);
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_net_builds_with_the_declared_ids() {
        let net = build().unwrap();
        assert_eq!(net.place(DONE).unwrap().name, "done");
        assert_eq!(net.transition_name(CALL_BACKEND), Some("call_backend"));
        assert!(net.transition_spec(CALL_BACKEND).unwrap().sink);
    }
}

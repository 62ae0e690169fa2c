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
use mycel::net::{Place, Transition};

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

/// Every place holds at most this many tokens. The simulator runs the net to rest
/// after every input, so a place rarely holds more than one.
pub const PLACE_CAPACITY: u16 = 64;

mycel::net! {
    /// The simulator's net: 5 places of 64 tokens, 3 transitions.
    pub net SimNet: Call {
        places {
            /// Where requests enter.
            requests: 64,
            /// Admitted requests, with their permit, waiting for the backend call.
            forwarded: 64,
            /// Requests the breaker rejected; they never reach the backend.
            rejected: 64,
            /// Responses back from the backend, waiting to be recorded.
            responses: 64,
            /// Finished requests.
            done: 64,
        }
        transitions {
            /// Admission through the service's breaker.
            route: requests -> forwarded + rejected,
            /// The call to the backend: the request leaves the net until its response.
            call_backend [sink]: forwarded -> (),
            /// The outcome reported to the service's breaker.
            record: responses -> done,
        }
    }
}

/// Where requests enter.
pub const REQUESTS: Place<SimNet> = SimNet::PLACES.requests;
/// Admitted requests, with their permit, waiting for the backend call.
pub const FORWARDED: Place<SimNet> = SimNet::PLACES.forwarded;
/// Requests the breaker rejected; they never reach the backend.
pub const REJECTED: Place<SimNet> = SimNet::PLACES.rejected;
/// Responses back from the backend, waiting to be recorded.
pub const RESPONSES: Place<SimNet> = SimNet::PLACES.responses;
/// Finished requests.
pub const DONE: Place<SimNet> = SimNet::PLACES.done;

/// Admission through the service's breaker.
pub const ROUTE: Transition<SimNet> = SimNet::TRANSITIONS.route;
/// The call to the backend.
pub const CALL_BACKEND: Transition<SimNet> = SimNet::TRANSITIONS.call_backend;
/// The outcome reported to the service's breaker.
pub const RECORD: Transition<SimNet> = SimNet::TRANSITIONS.record;

/// Builds the simulator's net.
#[must_use]
pub fn build() -> SimNet {
    SimNet::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_net_is_declared_with_the_capacity_the_simulator_counts_on() {
        let net = build();
        let inner = net.as_net();
        assert_eq!(inner.place(DONE.id()).unwrap().name, "done");
        assert_eq!(
            inner.transition_name(CALL_BACKEND.id()),
            Some("call_backend")
        );
        assert!(inner.transition_spec(CALL_BACKEND.id()).unwrap().sink);
        for place in inner.places() {
            assert_eq!(inner.place(place).unwrap().capacity, PLACE_CAPACITY);
        }
    }
}

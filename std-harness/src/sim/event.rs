//! What a simulation reports, event by event, and where those events go.

use crate::backend::FailureCause;
use mycel::breaker::{BreakerStateKind, Reason, Recorded};
use mycel::sched::FiringError;
use mycel::time::{Duration, Instant};

/// Why a request was not forwarded to its backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The service's breaker refused a permit.
    Breaker(mycel::breaker::RejectReason),
    /// No breaker could be had for the service (the bank was full of breakers that may
    /// not be evicted). The simulator gives every service a breaker up front, so this
    /// is reported rather than expected.
    BankFull,
}

impl Rejection {
    /// A stable lowercase name: `"open"`, `"forced_open"`, `"half_open_full"`,
    /// `"clock_regression"` (never in a simulation, whose clock only moves forward) or
    /// `"bank_full"`.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Breaker(r) => r.as_str(),
            Self::BankFull => "bank_full",
        }
    }
}

/// One thing that happened in a simulation, at a simulated instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimEvent {
    /// When it happened.
    pub at: Instant,
    /// What happened.
    pub kind: EventKind,
}

/// The kinds of [`SimEvent`]. Services are indices into the scenario's services.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventKind {
    /// A request arrived and was put into the net's `requests` place.
    Request {
        /// The request's number, from 1 in arrival order.
        id: u64,
        /// Its service.
        service: usize,
    },
    /// A token was refused because its place was full (backpressure): a request
    /// that could not enter, or a response that could not be delivered.
    Refused {
        /// The request's number.
        id: u64,
        /// Its service.
        service: usize,
        /// The full place.
        place: &'static str,
    },
    /// A transition fired.
    Fired {
        /// Its name.
        transition: &'static str,
        /// Tokens it consumed.
        consumed: u16,
        /// Tokens it produced.
        produced: u16,
    },
    /// A firing failed and was undone.
    FiringFailed {
        /// The transition's name.
        transition: &'static str,
        /// Why.
        error: FiringError,
    },
    /// The request was not forwarded: it never reaches the backend.
    Rejected {
        /// The request's number.
        id: u64,
        /// Its service.
        service: usize,
        /// Why.
        reason: Rejection,
    },
    /// The backend received a call (only permitted requests get here).
    BackendCall {
        /// The request's number.
        id: u64,
        /// Its service.
        service: usize,
        /// Whether the permit is a half-open probe.
        probe: bool,
        /// How long the call takes; its response arrives this long after.
        latency: Duration,
        /// Whether it succeeds.
        ok: bool,
        /// Why it fails, when it does.
        cause: Option<FailureCause>,
    },
    /// A response came back and its outcome was given to the breaker.
    Recorded {
        /// The request's number.
        id: u64,
        /// Its service.
        service: usize,
        /// Whether the call succeeded.
        ok: bool,
        /// What the breaker did with it (`Stale` for a permit from before a state change).
        recorded: Recorded,
    },
    /// A service's breaker changed state.
    StateChange {
        /// The service.
        service: usize,
        /// The state left.
        from: BreakerStateKind,
        /// The state entered.
        to: BreakerStateKind,
        /// Why.
        reason: Reason,
        /// For a change into OPEN: when the open period ends.
        open_until: Option<Instant>,
    },
}

/// Receives every event of a simulation, in order.
pub trait EventSink {
    /// Called once per event.
    fn event(&mut self, event: &SimEvent);
}

impl<S: EventSink + ?Sized> EventSink for &mut S {
    fn event(&mut self, event: &SimEvent) {
        (**self).event(event);
    }
}

impl<S: EventSink> EventSink for Option<S> {
    fn event(&mut self, event: &SimEvent) {
        if let Some(sink) = self {
            sink.event(event);
        }
    }
}

impl<A: EventSink, B: EventSink> EventSink for (A, B) {
    fn event(&mut self, event: &SimEvent) {
        self.0.event(event);
        self.1.event(event);
    }
}

impl<A: EventSink, B: EventSink, C: EventSink> EventSink for (A, B, C) {
    fn event(&mut self, event: &SimEvent) {
        self.0.event(event);
        self.1.event(event);
        self.2.event(event);
    }
}

impl EventSink for Vec<SimEvent> {
    fn event(&mut self, event: &SimEvent) {
        self.push(*event);
    }
}

impl EventSink for () {
    fn event(&mut self, _: &SimEvent) {}
}

//! What the pipeline's transitions do: the net's [`Behaviour`].
//!
//! `route` and `record` hold no logic of their own: they hand their tokens to the
//! circuit breaker through the engine's [`Admit`] and [`Report`] bindings, and the
//! breaker's answer picks the output place. They fire through `embed::fire_fixed`:
//! both bindings route only to outputs of their transitions, so every firing through
//! the breaker stands whatever it answers, and no snapshot of the breaker (nor its
//! undo) is linked. The breaker's open period reaches the net through
//! [`Behaviour::next_deadline`] and [`Behaviour::poll`], so OPEN becomes HALF_OPEN
//! when the net is stepped at that deadline, with no call from outside.

use crate::breaker::{CONFIG, PipelineBreaker};
use crate::pipeline_net::{DONE, FORWARDED, RECORD, REJECTED, ROUTE, VALIDATE, VALIDATED};
use crate::request::Request;
use mycel::breaker::ConfigError;
use mycel::breaker::in_net::{Admit, Report};
use mycel::embed;
use mycel::fsm::ChangeSink;
use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::time::Instant;

/// `validate` refused a malformed request (its tokens go to the `invalid` place).
pub const MALFORMED: Fault = Fault(1);
/// A transition fired without the token its arcs promise (never expected).
pub const NO_INPUT: Fault = Fault(2);
/// A stage could not place its token (never expected: the net checks room first).
pub const NO_ROOM: Fault = Fault(3);
/// A transition this behaviour does not know fired (never expected).
pub const UNKNOWN_TRANSITION: Fault = Fault(4);

/// `route`: every request asks the breaker; admitted ones carry their permit on.
const ADMIT: Admit<Request> = Admit {
    forwarded: FORWARDED.id(),
    rejected: REJECTED.id(),
    attach: |request, permit| Request {
        permit: Some(permit),
        ..*request
    },
};

/// `record`: every answered request reports its permit and outcome to the breaker.
const REPORT: Report<Request> = Report {
    done: DONE.id(),
    outcome: |request| match (request.permit, request.answer) {
        (Some(permit), Some(answer)) => Some((permit, answer.outcome())),
        _ => None,
    },
};

/// The state the transitions share: the circuit breaker.
#[derive(Debug)]
pub struct Stages {
    breaker: PipelineBreaker,
}

impl Stages {
    /// A CLOSED breaker started at `now`.
    ///
    /// # Errors
    /// The [`ConfigError`] naming the first invalid field of the breaker configuration.
    pub fn new(now: Instant) -> Result<Self, ConfigError> {
        Ok(Self {
            breaker: PipelineBreaker::new(CONFIG, now)?,
        })
    }

    /// The circuit breaker.
    pub const fn breaker(&self) -> &PipelineBreaker {
        &self.breaker
    }
}

/// `validate`: well-formed requests move on; a malformed one fails the firing, which
/// sends it to the error place.
fn validate(firing: &mut Firing<'_, Request>) -> Result<(), Fault> {
    let request = firing.input(0).ok_or(NO_INPUT)?;
    if !request.well_formed {
        return Err(MALFORMED);
    }
    firing.forward(0, VALIDATED).map_err(|_refused| NO_ROOM)
}

impl Behaviour<Request> for Stages {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Request>,
        now: Instant,
    ) -> Result<(), Fault> {
        match transition {
            id if id == VALIDATE => validate(firing),
            id if id == ROUTE => {
                embed::fire_fixed(self.breaker.state_machine_mut(), &ADMIT, firing, now)
            }
            id if id == RECORD => {
                embed::fire_fixed(self.breaker.state_machine_mut(), &REPORT, firing, now)
            }
            _ => Err(UNKNOWN_TRANSITION),
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.breaker.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        poll_breaker(&mut self.breaker, now, changes);
    }
}

/// The breaker's due timeouts applied at `now`, changes to `changes`. Out of line:
/// inlined, its locals (the timeout's answer, the change, the deadline) would sit in
/// the frame of the net's run, under every firing's dispatch on the deepest stack path.
#[inline(never)]
fn poll_breaker(breaker: &mut PipelineBreaker, now: Instant, changes: &mut dyn ChangeSink) {
    let _ = breaker.poll_into(now, changes);
}

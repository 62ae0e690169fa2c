//! The breaker bindings of the simulator's net, which also note the breaker's answer
//! so the simulator can report rejections and stale outcomes.

use super::net::{Call, DONE, FORWARDED, REJECTED};
use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{BreakerMachine, BreakerOutput, Outcome, Permit, Recorded, Rejected};
use mycel::embed::{Binding, Route};
use std::cell::Cell;

/// [`Admit`], noting each answer: the permit, or why the request was rejected.
#[derive(Debug)]
pub struct Admission {
    inner: Admit<Call>,
    /// The latest answer, taken by the simulator after each firing.
    pub answer: Cell<Option<Result<Permit, Rejected>>>,
}

impl Admission {
    /// Admits into `forwarded` with the permit attached, rejects into `rejected`.
    #[must_use]
    pub fn new() -> Self {
        Self {
            inner: Admit {
                forwarded: FORWARDED.id(),
                rejected: REJECTED.id(),
                attach: |c, p| Call {
                    permit: Some(p),
                    ..*c
                },
            },
            answer: Cell::new(None),
        }
    }
}

impl Default for Admission {
    fn default() -> Self {
        Self::new()
    }
}

impl<const W: usize, const B: usize> Binding<Call, BreakerMachine<W, B>> for Admission {
    fn event(&self, token: &Call) -> Option<mycel::breaker::BreakerEvent> {
        <Admit<Call> as Binding<Call, BreakerMachine<W, B>>>::event(&self.inner, token)
    }

    fn route(&self, token: &Call, output: Option<BreakerOutput>) -> Route<Call> {
        if let Some(BreakerOutput::Acquired(answer)) = output {
            self.answer.set(Some(answer));
        }
        <Admit<Call> as Binding<Call, BreakerMachine<W, B>>>::route(&self.inner, token, output)
    }
}

/// [`Report`], noting what the breaker did with each outcome.
#[derive(Debug)]
pub struct Reporting {
    inner: Report<Call>,
    /// The latest answer, taken by the simulator after each firing.
    pub answer: Cell<Option<Recorded>>,
}

impl Reporting {
    /// Records the response's outcome under its permit, then moves it to `done`.
    #[must_use]
    pub fn new() -> Self {
        Self {
            inner: Report {
                done: DONE.id(),
                outcome: |c| match (c.permit, c.ok) {
                    (Some(p), Some(true)) => Some((p, Outcome::Success)),
                    (Some(p), Some(false)) => Some((p, Outcome::Failure)),
                    _ => None,
                },
            },
            answer: Cell::new(None),
        }
    }
}

impl Default for Reporting {
    fn default() -> Self {
        Self::new()
    }
}

impl<const W: usize, const B: usize> Binding<Call, BreakerMachine<W, B>> for Reporting {
    fn event(&self, token: &Call) -> Option<mycel::breaker::BreakerEvent> {
        <Report<Call> as Binding<Call, BreakerMachine<W, B>>>::event(&self.inner, token)
    }

    fn route(&self, token: &Call, output: Option<BreakerOutput>) -> Route<Call> {
        if let Some(BreakerOutput::Recorded(recorded)) = output {
            self.answer.set(Some(recorded));
        }
        <Report<Call> as Binding<Call, BreakerMachine<W, B>>>::route(&self.inner, token, output)
    }
}

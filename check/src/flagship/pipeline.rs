//! The request pipeline with a circuit breaker inside, as the flagship proof explores
//! it: the net, its token, and the behaviour that wires the breaker into its two
//! transitions.

use std::cell::Cell;

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{
    BreakerEvent, BreakerMachine, BreakerOutput, BreakerStateKind, CircuitBreaker, Outcome, Permit,
};
use mycel::embed::{self, Binding, Route};
use mycel::fsm::ChangeSink;
use mycel::net::{Place, TransitionId};
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::time::Instant;

/// The most requests the pipeline's terminal places hold, and so the most a proof may
/// inject.
pub const MAX_REQUESTS: u8 = 8;

/// A request on its way through the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Call {
    /// Which request this is: the number of requests injected before it.
    pub id: u8,
    /// The breaker's permit, attached when the request was admitted.
    pub permit: Option<Permit>,
    /// How the backend answered, once it has.
    pub answer: Option<Outcome>,
}

mycel::net! {
    /// The request pipeline: `route` asks the breaker for a permit and forwards the
    /// request to the backend (`forwarded`) or rejects it; the backend's answers come
    /// back in `responses`, and `record` reports them to the breaker.
    ///
    /// ```text
    /// requests -> route -> forwarded -> (backend) -> responses -> record -> done
    ///                  \-> rejected
    /// ```
    #[derive(Clone)]
    pub net Pipeline: Call {
        places {
            requests: 2,
            forwarded: 2,
            responses: 1,
            done: 8,
            rejected: 8,
        }
        transitions {
            route: requests -> forwarded + rejected,
            record: responses -> done,
        }
    }
}

/// How `route` admits requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Admission {
    /// As shipped: the breaker's [`Admit`] binding, which forwards a request only with a
    /// permit and sends rejected ones to `rejected`.
    Breaker,
    /// A deliberately broken binding that asks the breaker but forwards the requests it
    /// rejects: what the proof must catch.
    ForwardRejected,
}

/// Whether `breaker` refuses calls at `now`: OPEN (or forced open) and not yet due to
/// move on. A breaker whose open period has ended is HALF_OPEN as soon as it is asked.
#[must_use]
pub fn is_open_at(breaker: &CircuitBreaker, now: Instant) -> bool {
    matches!(
        breaker.state(),
        BreakerStateKind::Open | BreakerStateKind::ForcedOpen
    ) && breaker.next_deadline().is_none_or(|due| due > now)
}

/// The `route` binding: [`Admit`], or its broken variant, noting whether it sent the
/// request to `forwarded`.
#[derive(Clone)]
struct Gate {
    admit: Admit<Call>,
    admission: Admission,
    forwarded: Cell<bool>,
}

impl<const W: usize, const B: usize> Binding<Call, BreakerMachine<W, B>> for Gate {
    fn event(&self, token: &Call) -> Option<BreakerEvent> {
        Binding::<Call, BreakerMachine<W, B>>::event(&self.admit, token)
    }

    fn route(&self, token: &Call, output: Option<BreakerOutput>) -> Route<Call> {
        let route = Binding::<Call, BreakerMachine<W, B>>::route(&self.admit, token, output);
        let route = match (self.admission, route) {
            (Admission::ForwardRejected, Route::Forward(p)) if p == self.admit.rejected => {
                Route::Forward(self.admit.forwarded)
            }
            (_, route) => route,
        };
        let (Route::Forward(to) | Route::Replace(to, _)) = &route;
        let to_backend = *to == self.admit.forwarded;
        self.forwarded.set(to_backend);
        route
    }
}

/// The behaviour behind the pipeline's transitions: one breaker shared by `route` and
/// `record`, and a watch on every `route` firing.
///
/// It serializes as what changes while the pipeline runs (the breaker and the watch),
/// so that [`NetExplorer`](crate::explore::NetExplorer) can explore the pipeline too.
#[derive(Clone)]
pub struct PipelineApp {
    /// The breaker both transitions use.
    pub breaker: CircuitBreaker,
    gate: Gate,
    report: Report<Call>,
    /// Whether some `route` firing forwarded a request while the breaker was open
    /// ([`is_open_at`] the firing's instant) since this was last cleared.
    pub forwarded_while_open: bool,
}

impl PipelineApp {
    /// The behaviour for `breaker`, admitting as `admission` says.
    #[must_use]
    pub fn new(breaker: CircuitBreaker, admission: Admission) -> Self {
        let places = Pipeline::PLACES;
        Self {
            breaker,
            gate: Gate {
                admit: Admit {
                    forwarded: places.forwarded.id(),
                    rejected: places.rejected.id(),
                    attach: |call, permit| Call {
                        permit: Some(permit),
                        ..*call
                    },
                },
                admission,
                forwarded: Cell::new(false),
            },
            report: Report {
                done: places.done.id(),
                outcome: |call| call.permit.zip(call.answer),
            },
            forwarded_while_open: false,
        }
    }
}

impl serde::Serialize for PipelineApp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (
            &self.breaker,
            self.gate.admission,
            self.forwarded_while_open,
        )
            .serialize(serializer)
    }
}

impl Behaviour<Call> for PipelineApp {
    fn fire(
        &mut self,
        t: TransitionId,
        firing: &mut Firing<'_, Call>,
        now: Instant,
    ) -> Result<(), Fault> {
        match Pipeline::transition_of(t) {
            Some(PipelineTransition::Route) => {
                let open = is_open_at(&self.breaker, now);
                self.gate.forwarded.set(false);
                let fired = embed::fire(self.breaker.state_machine_mut(), &self.gate, firing, now);
                if fired.is_ok() && open && self.gate.forwarded.get() {
                    self.forwarded_while_open = true;
                }
                fired
            }
            Some(PipelineTransition::Record) => {
                embed::fire(self.breaker.state_machine_mut(), &self.report, firing, now)
            }
            None => Err(Fault(u16::MAX)),
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.breaker.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        // The net polls only forward; a breaker ahead of it refuses `now`, changing nothing.
        let _ = self.breaker.poll_into(now, changes);
    }
}

crate::declared_subject!(Pipeline: Call { requests, forwarded, responses, done, rejected });

/// The pipeline's places in declaration order, as the proof stores markings.
pub(super) fn places() -> [Place<Pipeline>; 5] {
    let p = Pipeline::PLACES;
    [p.requests, p.forwarded, p.responses, p.done, p.rejected]
}

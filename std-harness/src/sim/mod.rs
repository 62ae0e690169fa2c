//! The discrete-event simulator: a manual clock, a scheduled agenda of inputs, and the
//! real [`Net`](mycel::sched::Net) with a breaker bank inside it.
//!
//! The loop always jumps to the earliest of the next scheduled input (a request
//! arrival or a backend response) and the net's
//! [`next_deadline`](mycel::sched::Net::next_deadline) (a breaker's open period
//! ending), so it never sleeps and an hour of traffic runs in milliseconds. At each
//! instant it steps the net to rest, reporting every firing, rejection, state change
//! and backend call to an [`EventSink`].

mod bindings;
mod error;
mod event;
mod finished;
mod net;
mod queue;
mod services;

pub use error::SimError;
pub use finished::{BreakerStats, Finished, PlaceStats, TransitionStats};

pub use event::{EventKind, EventSink, Rejection, SimEvent};
pub use net::{
    CALL_BACKEND, Call, DONE, FORWARDED, PLACE_CAPACITY, RECORD, REJECTED, REQUESTS, RESPONSES,
    ROUTE, SimNet, build as build_net,
};

use crate::clock::ManualClock;
use crate::scenario::Scenario;
use crate::traffic::Arrivals;
use mycel::breaker::{BreakerChange, BreakerState, BreakerStateKind};
use mycel::net::Place;
use mycel::sched::{NetEvent, Step};
use mycel::time::{Instant, add, earliest};
use queue::{Agenda, Input};
use services::{Happened, Services};

/// The most steps the net may take at one instant before the run is declared stuck.
pub(crate) const MAX_STEPS_PER_INSTANT: u32 = 100_000;

/// One run of a scenario with a seed.
pub struct Simulation<'s> {
    scenario: &'s Scenario,
    clock: ManualClock,
    net: SimNet,
    services: Services,
    agenda: Agenda,
    generators: Vec<Arrivals>,
    next_id: u64,
    observed: Vec<NetEvent>,
    events: u64,
    instants: u64,
}

impl<'s> Simulation<'s> {
    /// Prepares a run of `scenario` whose backends draw from `seed`.
    ///
    /// # Errors
    /// [`SimError::Bank`], which checked scenarios rule out.
    pub fn new(scenario: &'s Scenario, seed: u64) -> Result<Self, SimError> {
        let net = net::build();
        let services = Services::new(scenario, seed).map_err(SimError::Bank)?;
        let mut sim = Self {
            scenario,
            clock: ManualClock::starting_at(Instant::from_ticks(0)),
            net,
            services,
            agenda: Agenda::default(),
            generators: scenario.traffic.iter().map(Arrivals::new).collect(),
            next_id: 1,
            observed: Vec::new(),
            events: 0,
            instants: 0,
        };
        for generator in 0..sim.generators.len() {
            sim.schedule_next_arrival(generator);
        }
        Ok(sim)
    }

    /// The net, for diagrams and inspection.
    #[must_use]
    pub const fn net(&self) -> &SimNet {
        &self.net
    }

    /// Runs to the end of the scenario, reporting every event to `sink` and the
    /// simulated instant reached to `progress` now and then.
    ///
    /// # Errors
    /// [`SimError`] if the engine misbehaves (time going backwards, a net that does
    /// not come to rest); never because of the scenario.
    pub fn run(
        mut self,
        sink: &mut impl EventSink,
        progress: &mut dyn FnMut(Instant),
    ) -> Result<Finished, SimError> {
        let end = self.scenario.end();
        loop {
            let input_at = self.agenda.next_at();
            let deadline = self.net.next_deadline(&self.services);
            let Some(now) = earliest(input_at, deadline) else {
                break;
            };
            if now >= end {
                break;
            }
            self.clock.advance_to(now)?;
            self.instants = self.instants.saturating_add(1);
            if self.instants.is_multiple_of(4096) {
                progress(now);
            }
            if deadline.is_some_and(|d| d <= now) {
                self.settle(now, sink)?;
            }
            if input_at == Some(now)
                && let Some((_, input)) = self.agenda.pop()
            {
                self.handle(now, input, sink)?;
            }
        }
        progress(end);
        Ok(self.finish(end))
    }

    fn schedule_next_arrival(&mut self, generator: usize) {
        let end = self.scenario.end();
        let next = self.generators.get_mut(generator).and_then(Iterator::next);
        if let Some(at) = next.filter(|at| *at < end) {
            self.agenda.push(at, Input::Arrival { generator });
        }
    }

    fn emit(&mut self, sink: &mut impl EventSink, at: Instant, kind: EventKind) {
        self.events = self.events.saturating_add(1);
        sink.event(&SimEvent { at, kind });
    }

    fn handle(
        &mut self,
        now: Instant,
        input: Input,
        sink: &mut impl EventSink,
    ) -> Result<(), SimError> {
        let (place, call) = match input {
            Input::Arrival { generator } => {
                self.schedule_next_arrival(generator);
                let service = self
                    .scenario
                    .traffic
                    .get(generator)
                    .map_or(0, |t| t.service);
                let call = Call {
                    id: self.next_id,
                    service: u16::try_from(service).unwrap_or(u16::MAX),
                    permit: None,
                    ok: None,
                };
                self.next_id = self.next_id.saturating_add(1);
                self.emit(
                    sink,
                    now,
                    EventKind::Request {
                        id: call.id,
                        service,
                    },
                );
                (net::REQUESTS, call)
            }
            Input::Completion(call) => (net::RESPONSES, call),
        };
        if let Err(e) = self.net.inject(place, call, now) {
            let name = Self::place_name(place);
            let kind = EventKind::Refused {
                id: call.id,
                service: usize::from(call.service),
                place: name,
            };
            self.emit(sink, now, kind);
            if let mycel::sched::InjectError::ClockRegression(_, regression) = e {
                return Err(regression.into());
            }
        }
        self.settle(now, sink)
    }

    fn place_name(place: Place<SimNet>) -> &'static str {
        place.name()
    }

    /// Steps the net at `now` until no transition is ready and no breaker is due,
    /// reporting what each step did.
    fn settle(&mut self, now: Instant, sink: &mut impl EventSink) -> Result<(), SimError> {
        for _ in 0..MAX_STEPS_PER_INSTANT {
            let mut observed = std::mem::take(&mut self.observed);
            observed.clear();
            let step = {
                let mut collect = |e: &NetEvent| observed.push(*e);
                self.net
                    .step_observed(now, &mut self.services, &mut collect)?
            };
            for e in &observed {
                self.report_net_event(e, sink);
            }
            self.observed = observed;
            self.report_happened(now, sink);
            while self.net.take(net::DONE).is_ok() {}
            while self.net.take(net::REJECTED).is_ok() {}
            let due = self.services.bank.next_deadline().is_some_and(|d| d <= now);
            if step == Step::Idle && !due {
                return Ok(());
            }
        }
        Err(SimError::Stuck { at: now })
    }

    fn report_net_event(&mut self, event: &NetEvent, sink: &mut impl EventSink) {
        match *event {
            NetEvent::Fired {
                name: transition,
                at,
                consumed,
                produced,
                ..
            } => {
                self.emit(
                    sink,
                    at,
                    EventKind::Fired {
                        transition,
                        consumed,
                        produced,
                    },
                );
            }
            NetEvent::Failed {
                name: transition,
                at,
                error,
                ..
            } => {
                self.emit(sink, at, EventKind::FiringFailed { transition, error });
            }
            NetEvent::StateChanged(change) => {
                if let Some(c) = BreakerChange::from_state_change(&change) {
                    let service = usize::try_from(c.instance).unwrap_or(usize::MAX);
                    let open_until = self.open_until(service, &c);
                    let kind = EventKind::StateChange {
                        service,
                        from: c.from,
                        to: c.to,
                        reason: c.reason,
                        open_until,
                    };
                    self.emit(sink, c.at, kind);
                }
            }
            NetEvent::Injected { .. } | NetEvent::Refused { .. } | NetEvent::Taken { .. } => {}
        }
    }

    /// For a change into OPEN: when that open period ends, read from the breaker if it
    /// is still in the OPEN the change entered.
    fn open_until(&self, service: usize, change: &BreakerChange) -> Option<Instant> {
        if change.to != BreakerStateKind::Open {
            return None;
        }
        let key = u16::try_from(service).ok()?;
        match self.services.bank.get(&key)?.state_detail() {
            BreakerState::Open { opened_at, period } if opened_at == change.at => {
                Some(add(opened_at, period))
            }
            _ => None,
        }
    }

    fn report_happened(&mut self, now: Instant, sink: &mut impl EventSink) {
        let happened = std::mem::take(&mut self.services.happened);
        for h in &happened {
            match *h {
                Happened::Rejected(call, reason) => {
                    let kind = EventKind::Rejected {
                        id: call.id,
                        service: usize::from(call.service),
                        reason,
                    };
                    self.emit(sink, now, kind);
                }
                Happened::Called(call, reply) => {
                    let kind = EventKind::BackendCall {
                        id: call.id,
                        service: usize::from(call.service),
                        probe: call.permit.is_some_and(|p| p.is_probe()),
                        latency: reply.latency,
                        ok: reply.ok,
                        cause: reply.cause,
                    };
                    self.emit(sink, now, kind);
                    let response = Call {
                        ok: Some(reply.ok),
                        ..call
                    };
                    self.agenda
                        .push(add(now, reply.latency), Input::Completion(response));
                }
                Happened::Recorded(call, recorded) => {
                    let kind = EventKind::Recorded {
                        id: call.id,
                        service: usize::from(call.service),
                        ok: call.ok.unwrap_or(false),
                        recorded,
                    };
                    self.emit(sink, now, kind);
                }
            }
        }
        self.services.happened = happened;
        self.services.happened.clear();
    }

    fn finish(self, end: Instant) -> Finished {
        let net = self.net.as_net();
        let places = net
            .places()
            .filter_map(|p| {
                net.place(p).map(|spec| PlaceStats {
                    name: spec.name,
                    capacity: spec.capacity,
                    tokens: net.len(p),
                    high_water: net.high_water(p),
                })
            })
            .collect();
        let transitions = net
            .transitions()
            .map(|t| TransitionStats {
                name: net.transition_name(t).unwrap_or("?"),
                firings: net.firings(t),
                failures: net.failures(t),
            })
            .collect();
        let calls = self.services.backend_calls();
        let breakers = self
            .services
            .bank
            .iter()
            .map(|(key, breaker)| {
                let index = usize::from(key);
                BreakerStats {
                    service: self
                        .scenario
                        .services
                        .get(index)
                        .map_or_else(String::new, |s| s.name.clone()),
                    state: breaker.state(),
                    metrics: breaker.metrics(),
                    backend_calls: calls.get(index).copied().unwrap_or(0),
                }
            })
            .collect();
        Finished {
            end,
            places,
            transitions,
            counters: *net.counters(),
            breakers,
            in_flight: self.agenda.completions(),
            events: self.events,
            instants: self.instants,
        }
    }
}

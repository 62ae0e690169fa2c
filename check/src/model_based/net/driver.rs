//! Drivers that apply [`Call`]s to the engine or to the reference and report the same
//! [`Applied`] record, so suites can run either, or both in lockstep.

use crate::reference::net::{NetSpec, RefBuildError, RefNet};
use mycel::sched::NetEvent;
use mycel::time::Instant;

use super::engine::{EngineNet, ToEngineError, place_id, to_engine};
use super::ops::{Call, Op};
use super::outcome::{Event, Outcome, StepOutcome};
use super::script::{Script, Scripted};
use super::snapshot::Snapshot;

/// What one call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The call.
    pub call: Call,
    /// What it returned.
    pub outcome: Outcome,
    /// What it reported, in order.
    pub events: Vec<Event>,
    /// The firing attempts it made: transition and consumed tokens, as the behaviour
    /// received them.
    pub attempts: Vec<(usize, Vec<u32>)>,
}

/// The engine with a scripted behaviour.
#[derive(Debug)]
pub struct EngineDriver {
    spec: NetSpec<u32>,
    net: EngineNet,
    behaviour: Scripted,
}

impl EngineDriver {
    /// Builds the engine net of `spec` with `script` for its transitions.
    ///
    /// # Errors
    /// As [`to_engine`].
    pub fn new(spec: &NetSpec<u32>, script: &Script) -> Result<Self, ToEngineError> {
        Ok(Self {
            spec: spec.clone(),
            net: to_engine(spec)?,
            behaviour: Scripted::new(spec, script),
        })
    }

    /// [`EngineDriver::new`] with a behaviour that claims pass-through flow for the
    /// transitions without moves (see [`Scripted::claiming_pass_through`]).
    ///
    /// # Errors
    /// As [`to_engine`].
    pub fn claiming_pass_through(
        spec: &NetSpec<u32>,
        script: &Script,
    ) -> Result<Self, ToEngineError> {
        Ok(Self {
            spec: spec.clone(),
            net: to_engine(spec)?,
            behaviour: Scripted::new(spec, script).claiming_pass_through(),
        })
    }

    /// The net.
    #[must_use]
    pub fn net(&self) -> &EngineNet {
        &self.net
    }

    /// The definition it was built from.
    #[must_use]
    pub fn spec(&self) -> &NetSpec<u32> {
        &self.spec
    }

    /// The last instant the net has seen, in ticks.
    #[must_use]
    pub fn last_seen(&self) -> u64 {
        self.net.last_seen().as_ticks()
    }

    /// The observable state now.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of_engine(&self.net, &self.behaviour)
    }

    /// The call `op` stands for now.
    #[must_use]
    pub fn resolve(&self, op: Op) -> Call {
        op.resolve(self.last_seen(), self.spec.places.len())
    }

    /// Resolves and applies `op`.
    pub fn apply(&mut self, op: Op) -> Applied {
        let call = self.resolve(op);
        self.call(call)
    }

    /// Applies `call`.
    pub fn call(&mut self, call: Call) -> Applied {
        let mut events = Vec::new();
        let mut observe = |e: &NetEvent| events.extend(Event::of_engine(e));
        let outcome = match call {
            Call::Inject { place, value, now } => {
                Outcome::of_engine_inject(self.net.inject_observed(
                    place_id(place),
                    value,
                    Instant::from_ticks(now),
                    &mut observe,
                ))
            }
            Call::Take { place } => {
                Outcome::of_engine_take(self.net.take_observed(place_id(place), &mut observe))
            }
            Call::Step { now } => self
                .net
                .step_observed(Instant::from_ticks(now), &mut self.behaviour, &mut observe)
                .map_or(Outcome::Regressed, |s| {
                    Outcome::Stepped(StepOutcome::of_engine(s))
                }),
            Call::Run { now, budget } => self
                .net
                .run_observed(
                    Instant::from_ticks(now),
                    budget,
                    &mut self.behaviour,
                    &mut observe,
                )
                .map_or(Outcome::Regressed, Outcome::of_engine_run),
        };
        Applied {
            call,
            outcome,
            events,
            attempts: self.behaviour.take_calls(),
        }
    }
}

/// The reference interpreter with a scripted behaviour.
#[derive(Debug, Clone)]
pub struct RefDriver {
    net: RefNet<u32>,
    behaviour: Scripted,
}

impl RefDriver {
    /// Builds the reference net of `spec` with `script` for its transitions.
    ///
    /// # Errors
    /// As [`RefNet::new`].
    pub fn new(spec: &NetSpec<u32>, script: &Script) -> Result<Self, RefBuildError> {
        Ok(Self {
            net: RefNet::new(spec.clone())?,
            behaviour: Scripted::new(spec, script),
        })
    }

    /// The net.
    #[must_use]
    pub fn net(&self) -> &RefNet<u32> {
        &self.net
    }

    /// The definition it was built from.
    #[must_use]
    pub fn spec(&self) -> &NetSpec<u32> {
        self.net.spec()
    }

    /// The last instant the net has seen, in ticks.
    #[must_use]
    pub fn last_seen(&self) -> u64 {
        self.net.last_seen()
    }

    /// The observable state now.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of_reference(&self.net, &self.behaviour)
    }

    /// The call `op` stands for now.
    #[must_use]
    pub fn resolve(&self, op: Op) -> Call {
        op.resolve(self.last_seen(), self.spec().places.len())
    }

    /// Resolves and applies `op`.
    pub fn apply(&mut self, op: Op) -> Applied {
        let call = self.resolve(op);
        self.call(call)
    }

    /// Applies `call`.
    pub fn call(&mut self, call: Call) -> Applied {
        let before = self.net.trace().len();
        let outcome = match call {
            Call::Inject { place, value, now } => {
                Outcome::of_reference_inject(self.net.inject(place, value, now))
            }
            Call::Take { place } => Outcome::of_reference_take(self.net.take(place)),
            Call::Step { now } => self
                .net
                .step(now, &mut self.behaviour)
                .map_or(Outcome::Regressed, |s| {
                    Outcome::Stepped(StepOutcome::of_reference(s, self.net.spec()))
                }),
            Call::Run { now, budget } => self
                .net
                .run(now, budget, &mut self.behaviour)
                .map_or(Outcome::Regressed, Outcome::of_reference_run),
        };
        let spec = self.net.spec();
        let events = self
            .net
            .trace()
            .iter()
            .skip(before)
            .map(|e| Event::of_reference(e, spec))
            .collect();
        Applied {
            call,
            outcome,
            events,
            attempts: self.behaviour.take_calls(),
        }
    }
}

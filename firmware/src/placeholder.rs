//! Phase-1 stand-in for the request pipeline: one small machine that admits or turns
//! away requests.
//!
//! `Gate` is deliberately simple and is not the engine's circuit breaker: it passes
//! requests, blocks after [`TRIP_AFTER`] failures in a row, lets one probe through
//! [`BLOCK_FOR`] after blocking (a timeout on the injected clock), and passes again
//! after a successful probe. It exists so the platform (boot, logging, clock, checks,
//! exit codes, footprint) can be proven before the net and the breaker exist.

use crate::backend::{Outcome, ScriptedBackend};
use crate::subject::{Admission, Subject};
use mycel::fsm::{
    Changes, Edge, Handled, Machine, StateMachine, StateSpec, Table, TableError, Transition,
    Trigger,
};
use mycel::time::{self, ClockRegression, Duration, Instant};

/// Failures in a row that make the gate block.
pub const TRIP_AFTER: u8 = 3;
/// How long the gate blocks before it lets a probe through.
pub const BLOCK_FOR: Duration = Duration::from_millis(100);

/// The gate's states; the failure run lives in the state that counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateState {
    /// Requests pass; `failures_in_a_row` counts the trailing failures.
    Pass {
        /// Failures since the last success.
        failures_in_a_row: u8,
    },
    /// Requests are turned away until the timeout.
    Block,
    /// Requests pass; the first outcome decides between passing and blocking again.
    Probe,
}

/// What the gate reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateEvent {
    /// A request asks to go through.
    Acquire,
    /// An admitted request finished with this outcome.
    Record(Outcome),
}

/// The gate's answer to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The request may call the backend.
    Admit,
    /// The request is turned away.
    Reject,
    /// The outcome was taken into account.
    Recorded,
}

/// The placeholder machine (see the module doc).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Gate;

impl Machine for Gate {
    type State = GateState;
    type Event = GateEvent;
    type Output = Verdict;

    const NAME: &'static str = "gate";
    const TABLE: Table = Table {
        initial: "pass",
        states: &[
            StateSpec {
                name: "pass",
                timeout: false,
            },
            StateSpec {
                name: "block",
                timeout: true,
            },
            StateSpec {
                name: "probe",
                timeout: false,
            },
        ],
        edges: &[
            Edge {
                from: "pass",
                to: "block",
                on: Trigger::Event("failure"),
            },
            Edge {
                from: "block",
                to: "probe",
                on: Trigger::Timeout,
            },
            Edge {
                from: "probe",
                to: "pass",
                on: Trigger::Event("success"),
            },
            Edge {
                from: "probe",
                to: "block",
                on: Trigger::Event("failure"),
            },
        ],
    };

    fn initial(&self) -> GateState {
        GateState::Pass {
            failures_in_a_row: 0,
        }
    }

    fn state_name(state: &GateState) -> &'static str {
        match state {
            GateState::Pass { .. } => "pass",
            GateState::Block => "block",
            GateState::Probe => "probe",
        }
    }

    fn handle(
        &mut self,
        state: &mut GateState,
        event: GateEvent,
        _now: Instant,
    ) -> Handled<GateState, Verdict> {
        match (state, event) {
            (GateState::Block, GateEvent::Acquire) => Handled::stay(Verdict::Reject),
            (_, GateEvent::Acquire) => Handled::stay(Verdict::Admit),
            (GateState::Pass { failures_in_a_row }, GateEvent::Record(Outcome::Failure)) => {
                *failures_in_a_row = failures_in_a_row.saturating_add(1);
                if *failures_in_a_row >= TRIP_AFTER {
                    Handled::go(Verdict::Recorded, GateState::Block, "failures")
                } else {
                    Handled::stay(Verdict::Recorded)
                }
            }
            (GateState::Pass { failures_in_a_row }, GateEvent::Record(Outcome::Success)) => {
                *failures_in_a_row = 0;
                Handled::stay(Verdict::Recorded)
            }
            (GateState::Probe, GateEvent::Record(Outcome::Success)) => Handled::go(
                Verdict::Recorded,
                GateState::Pass {
                    failures_in_a_row: 0,
                },
                "probe succeeded",
            ),
            (GateState::Probe, GateEvent::Record(Outcome::Failure)) => {
                Handled::go(Verdict::Recorded, GateState::Block, "probe failed")
            }
            // An outcome arriving while blocked belongs to a call admitted earlier: it
            // cannot change a decision already taken.
            (GateState::Block, GateEvent::Record(_)) => Handled::stay(Verdict::Recorded),
        }
    }

    fn deadline(&self, state: &GateState, entered_at: Instant) -> Option<Instant> {
        matches!(state, GateState::Block).then(|| time::add(entered_at, BLOCK_FOR))
    }

    fn on_timeout(&mut self, state: &mut GateState, _at: Instant) -> Option<Transition<GateState>> {
        matches!(state, GateState::Block).then_some(Transition::new(GateState::Probe, "timeout"))
    }
}

/// The placeholder pipeline: every request asks the gate, admitted ones call the backend.
pub struct PlaceholderPipeline {
    gate: StateMachine<Gate>,
}

impl PlaceholderPipeline {
    /// Validates the gate's transition table, then builds a pipeline whose gate starts
    /// passing at `start`.
    ///
    /// # Errors
    /// The [`TableError`] that makes the gate's table invalid.
    pub fn build(start: Instant) -> Result<Self, TableError> {
        Gate::TABLE.validate()?;
        Ok(Self {
            gate: StateMachine::new(Gate, start),
        })
    }
}

impl Subject for PlaceholderPipeline {
    type Error = ClockRegression;

    fn request(
        &mut self,
        backend: &mut ScriptedBackend,
        scripted: Outcome,
        now: Instant,
        changes: &mut Changes,
    ) -> Result<Admission, ClockRegression> {
        let asked = self.gate.dispatch(GateEvent::Acquire, now)?;
        changes.extend_from(&asked.changes);
        if asked.output != Verdict::Admit {
            return Ok(Admission::Rejected);
        }
        let outcome = backend.call(scripted);
        let recorded = self.gate.dispatch(GateEvent::Record(outcome), now)?;
        changes.extend_from(&recorded.changes);
        Ok(Admission::Admitted)
    }

    fn poll(&mut self, now: Instant, changes: &mut Changes) -> Result<(), ClockRegression> {
        self.gate.poll(now, changes)
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.gate.deadline()
    }

    fn state_name(&self) -> &'static str {
        self.gate.state_name()
    }

    fn log_object_sizes(&self) {
        defmt::info!(
            "size_of: PlaceholderPipeline {=usize} B, StateMachine<Gate> {=usize} B, Changes {=usize} B",
            core::mem::size_of::<PlaceholderPipeline>(),
            core::mem::size_of::<StateMachine<Gate>>(),
            core::mem::size_of::<Changes>(),
        );
    }
}

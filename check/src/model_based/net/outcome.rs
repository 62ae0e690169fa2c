//! What a call returned and what it reported, in one form for the engine and the
//! reference, so the two can be compared with `assert_eq!`.

use crate::reference::net::{
    NetSpec, RefEmissionError, RefEvent, RefFault, RefInjectError, RefRun, RefStep, RefTakeError,
};
use mycel::net::PlaceId;
use mycel::sched::{
    Disposition, EmitError, FiringError, InjectError, NetEvent, RunReport, Step, TakeError,
};

/// Why an inject handed its token back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InjectRefusal {
    /// The place was full.
    Full,
    /// No such place.
    UnknownPlace,
    /// The place belongs to another net (never made by these tests' ids).
    ForeignPlace,
    /// `now` was before the last instant seen.
    ClockRegression,
}

/// Why a take returned no token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TakeRefusal {
    /// The place was empty.
    Empty,
    /// No such place.
    UnknownPlace,
    /// The place belongs to another net (never made by these tests' ids).
    ForeignPlace,
}

/// Which emission was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmissionKind {
    /// To a place that is not an output of the transition.
    UndeclaredOutput,
    /// Beyond an output arc's weight.
    WeightExceeded,
    /// Forwarding a token index that was not consumed.
    NoSuchInput,
    /// Forwarding a consumed token twice.
    AlreadyForwarded,
    /// The pool ran out (the builder's sizing should make this impossible).
    PoolExhausted,
    /// The place belongs to another net (never made by these tests' ids).
    ForeignPlace,
}

/// Why a firing failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// The behaviour returned this fault code.
    Behaviour(u16),
    /// An emission was refused.
    Emission(EmissionKind),
    /// A non-sink produced fewer tokens than it consumed.
    LostTokens,
    /// A non-source produced more tokens than it consumed.
    InventedTokens,
    /// A machine embedded in the transition had seen a later instant than the firing's
    /// (the net models drive no machine ahead of the net, so only the engine can say it).
    ClockRegression,
}

/// What one step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepOutcome {
    /// Nothing was ready.
    Idle,
    /// A transition fired.
    Fired {
        /// Transition index.
        transition: usize,
        /// Tokens consumed.
        consumed: usize,
        /// Tokens produced.
        produced: usize,
    },
    /// A firing failed and was undone.
    Failed {
        /// Transition index.
        transition: usize,
        /// Why.
        fault: FaultKind,
        /// The error place the consumed tokens went to (`None`: rolled back).
        error_place: Option<usize>,
    },
}

/// What a call returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The token was injected.
    Injected,
    /// The token was handed back.
    InjectRefused {
        /// Why.
        refusal: InjectRefusal,
        /// The token handed back.
        token: u32,
    },
    /// A token was taken.
    Taken(u32),
    /// No token was taken.
    TakeRefused(TakeRefusal),
    /// A step ran.
    Stepped(StepOutcome),
    /// A run ran.
    Ran {
        /// Successful firings.
        fired: u32,
        /// Failed firings.
        failed: u32,
        /// The budget ran out with a transition still ready.
        exhausted: bool,
    },
    /// A step or run was refused for a clock regression.
    Regressed,
}

/// One reported event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// A token was injected.
    Injected {
        /// Place index.
        place: usize,
        /// Instant.
        at: u64,
    },
    /// A token was taken.
    Taken {
        /// Place index.
        place: usize,
        /// Instant (the last one seen).
        at: u64,
    },
    /// A transition fired or failed.
    Step {
        /// What happened.
        outcome: StepOutcome,
        /// Instant.
        at: u64,
    },
}

impl Outcome {
    /// The engine's inject result.
    #[must_use]
    pub fn of_engine_inject(result: Result<(), InjectError<u32>>) -> Self {
        match result {
            Ok(()) => Self::Injected,
            Err(e) => {
                let refusal = match e {
                    InjectError::Full(..) => InjectRefusal::Full,
                    InjectError::UnknownPlace(..) => InjectRefusal::UnknownPlace,
                    InjectError::ForeignPlace(..) => InjectRefusal::ForeignPlace,
                    InjectError::ClockRegression(..) => InjectRefusal::ClockRegression,
                };
                Self::InjectRefused {
                    refusal,
                    token: e.into_token(),
                }
            }
        }
    }

    /// The reference's inject result.
    #[must_use]
    pub fn of_reference_inject(result: Result<(), RefInjectError<u32>>) -> Self {
        match result {
            Ok(()) => Self::Injected,
            Err(e) => {
                let refusal = match e {
                    RefInjectError::Full(..) => InjectRefusal::Full,
                    RefInjectError::UnknownPlace(..) => InjectRefusal::UnknownPlace,
                    RefInjectError::ClockRegression(_) => InjectRefusal::ClockRegression,
                };
                Self::InjectRefused {
                    refusal,
                    token: e.into_token(),
                }
            }
        }
    }

    /// The engine's take result.
    #[must_use]
    pub fn of_engine_take(result: Result<u32, TakeError>) -> Self {
        match result {
            Ok(token) => Self::Taken(token),
            Err(TakeError::Empty(..)) => Self::TakeRefused(TakeRefusal::Empty),
            Err(TakeError::UnknownPlace(_)) => Self::TakeRefused(TakeRefusal::UnknownPlace),
            Err(TakeError::ForeignPlace(_)) => Self::TakeRefused(TakeRefusal::ForeignPlace),
        }
    }

    /// The reference's take result.
    #[must_use]
    pub fn of_reference_take(result: Result<u32, RefTakeError>) -> Self {
        match result {
            Ok(token) => Self::Taken(token),
            Err(RefTakeError::Empty) => Self::TakeRefused(TakeRefusal::Empty),
            Err(RefTakeError::UnknownPlace) => Self::TakeRefused(TakeRefusal::UnknownPlace),
        }
    }

    /// The engine's run report.
    #[must_use]
    pub fn of_engine_run(report: RunReport) -> Self {
        Self::Ran {
            fired: report.fired,
            failed: report.failed,
            exhausted: report.exhausted,
        }
    }

    /// The reference's run report.
    #[must_use]
    pub fn of_reference_run(report: RefRun) -> Self {
        Self::Ran {
            fired: report.fired,
            failed: report.failed,
            exhausted: report.exhausted,
        }
    }
}

impl FaultKind {
    /// The engine's firing error.
    #[must_use]
    pub fn of_engine(error: FiringError) -> Self {
        match error {
            FiringError::Behaviour(fault) => Self::Behaviour(fault.0),
            FiringError::Emission(e) => Self::Emission(match e {
                EmitError::UndeclaredOutput { .. } => EmissionKind::UndeclaredOutput,
                EmitError::ForeignPlace(_) => EmissionKind::ForeignPlace,
                EmitError::WeightExceeded { .. } => EmissionKind::WeightExceeded,
                EmitError::NoSuchInput(_) => EmissionKind::NoSuchInput,
                EmitError::AlreadyForwarded(_) => EmissionKind::AlreadyForwarded,
                EmitError::PoolExhausted => EmissionKind::PoolExhausted,
            }),
            FiringError::LostTokens { .. } => Self::LostTokens,
            FiringError::InventedTokens { .. } => Self::InventedTokens,
            FiringError::ClockRegression(_) => Self::ClockRegression,
        }
    }

    /// The reference's fault.
    #[must_use]
    pub fn of_reference(fault: RefFault) -> Self {
        match fault {
            RefFault::Behaviour(code) => Self::Behaviour(code),
            RefFault::Emission(e) => Self::Emission(match e {
                RefEmissionError::UndeclaredOutput => EmissionKind::UndeclaredOutput,
                RefEmissionError::WeightExceeded => EmissionKind::WeightExceeded,
                RefEmissionError::NoSuchInput => EmissionKind::NoSuchInput,
                RefEmissionError::AlreadyForwarded => EmissionKind::AlreadyForwarded,
            }),
            RefFault::LostTokens => Self::LostTokens,
            RefFault::InventedTokens => Self::InventedTokens,
        }
    }
}

fn error_place_of(disposition: Disposition) -> Option<usize> {
    match disposition {
        Disposition::RolledBack => None,
        Disposition::ToErrorPlace { place, .. } => Some(place.index()),
    }
}

fn reference_error_place(spec: &NetSpec<u32>, transition: usize, to_error: bool) -> Option<usize> {
    if to_error {
        spec.transitions.get(transition).and_then(|t| t.error_place)
    } else {
        None
    }
}

impl StepOutcome {
    /// The engine's step result.
    #[must_use]
    pub fn of_engine(step: Step) -> Self {
        match step {
            Step::Idle => Self::Idle,
            Step::Fired {
                transition,
                consumed,
                produced,
            } => Self::Fired {
                transition: transition.index(),
                consumed: usize::from(consumed),
                produced: usize::from(produced),
            },
            Step::Failed {
                transition,
                error,
                disposition,
            } => Self::Failed {
                transition: transition.index(),
                fault: FaultKind::of_engine(error),
                error_place: error_place_of(disposition),
            },
        }
    }

    /// The reference's step result on a net built from `spec`.
    #[must_use]
    pub fn of_reference(step: RefStep, spec: &NetSpec<u32>) -> Self {
        match step {
            RefStep::Idle => Self::Idle,
            RefStep::Fired {
                transition,
                consumed,
                produced,
            } => Self::Fired {
                transition,
                consumed,
                produced,
            },
            RefStep::Failed {
                transition,
                fault,
                to_error_place,
            } => Self::Failed {
                transition,
                fault: FaultKind::of_reference(fault),
                error_place: reference_error_place(spec, transition, to_error_place),
            },
        }
    }

    /// The transition that fired or failed.
    #[must_use]
    pub fn transition(self) -> Option<usize> {
        match self {
            Self::Idle => None,
            Self::Fired { transition, .. } | Self::Failed { transition, .. } => Some(transition),
        }
    }
}

impl Event {
    /// The engine's event; `None` for events the reference does not report (refused
    /// injects, state changes of embedded machines).
    #[must_use]
    pub fn of_engine(event: &NetEvent) -> Option<Self> {
        let place = |p: PlaceId| p.index();
        match *event {
            NetEvent::Injected { place: p, at, .. } => Some(Self::Injected {
                place: place(p),
                at: at.as_ticks(),
            }),
            NetEvent::Taken { place: p, at, .. } => Some(Self::Taken {
                place: place(p),
                at: at.as_ticks(),
            }),
            NetEvent::Fired {
                transition,
                at,
                consumed,
                produced,
                ..
            } => Some(Self::Step {
                outcome: StepOutcome::Fired {
                    transition: transition.index(),
                    consumed: usize::from(consumed),
                    produced: usize::from(produced),
                },
                at: at.as_ticks(),
            }),
            NetEvent::Failed {
                transition,
                at,
                error,
                disposition,
                ..
            } => Some(Self::Step {
                outcome: StepOutcome::Failed {
                    transition: transition.index(),
                    fault: FaultKind::of_engine(error),
                    error_place: error_place_of(disposition),
                },
                at: at.as_ticks(),
            }),
            NetEvent::Refused { .. } | NetEvent::StateChanged(_) => None,
        }
    }

    /// The reference's trace entry on a net built from `spec`.
    #[must_use]
    pub fn of_reference(event: &RefEvent<u32>, spec: &NetSpec<u32>) -> Self {
        match event {
            RefEvent::Injected { place, at, .. } => Self::Injected {
                place: *place,
                at: *at,
            },
            RefEvent::Taken { place, at, .. } => Self::Taken {
                place: *place,
                at: *at,
            },
            RefEvent::Fired {
                transition,
                consumed,
                produced,
                at,
            } => Self::Step {
                outcome: StepOutcome::Fired {
                    transition: *transition,
                    consumed: consumed.len(),
                    produced: produced.len(),
                },
                at: *at,
            },
            RefEvent::Failed {
                transition,
                fault,
                to_error_place,
                at,
            } => Self::Step {
                outcome: StepOutcome::Failed {
                    transition: *transition,
                    fault: FaultKind::of_reference(*fault),
                    error_place: reference_error_place(spec, *transition, *to_error_place),
                },
                at: *at,
            },
        }
    }
}

//! The engine's and the reference's events, step results and states in the terms
//! both share, so they compare with `==`.

use mycel::net::Net;
use mycel::net::{ReadySet, StructureStore};
use mycel::sched::{Behaviour, Disposition, FiringError, NetEvent, Step};

use crate::reference::net::{Passthrough as RefPassthrough, RefEvent, RefFault, RefNet, RefStep};

/// An event in the terms both sides share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Seen {
    Injected {
        place: usize,
        at: u64,
    },
    Taken {
        place: usize,
        at: u64,
    },
    Fired {
        transition: usize,
        at: u64,
        consumed: usize,
        produced: usize,
    },
    Failed {
        transition: usize,
        at: u64,
        fault: &'static str,
        to_error_place: bool,
    },
}

/// A step result in the terms both sides share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SeenStep {
    Idle,
    Fired {
        transition: usize,
        consumed: usize,
        produced: usize,
    },
    Failed {
        transition: usize,
        fault: &'static str,
        to_error_place: bool,
    },
}

fn fault_name(error: &FiringError) -> &'static str {
    match error {
        FiringError::Behaviour(_) => "behaviour",
        FiringError::Emission(_) => "emission",
        FiringError::LostTokens { .. } => "lost_tokens",
        FiringError::InventedTokens { .. } => "invented_tokens",
        FiringError::ClockRegression(_) => "clock_regression",
    }
}

pub(super) fn seen_engine(event: &NetEvent) -> Option<Seen> {
    Some(match *event {
        NetEvent::Injected { place, at, .. } => Seen::Injected {
            place: place.index(),
            at: at.as_ticks(),
        },
        NetEvent::Taken { place, at, .. } => Seen::Taken {
            place: place.index(),
            at: at.as_ticks(),
        },
        NetEvent::Fired {
            transition,
            at,
            consumed,
            produced,
            ..
        } => Seen::Fired {
            transition: transition.index(),
            at: at.as_ticks(),
            consumed: usize::from(consumed),
            produced: usize::from(produced),
        },
        NetEvent::Failed {
            transition,
            at,
            error,
            disposition,
            ..
        } => Seen::Failed {
            transition: transition.index(),
            at: at.as_ticks(),
            fault: fault_name(&error),
            to_error_place: matches!(disposition, Disposition::ToErrorPlace { .. }),
        },
        // The reference records neither refusals nor machine state.
        NetEvent::Refused { .. } | NetEvent::StateChanged(_) => return None,
    })
}

pub(super) fn seen_reference<C>(event: &RefEvent<C>) -> Seen {
    match event {
        RefEvent::Injected { place, at, .. } => Seen::Injected {
            place: *place,
            at: *at,
        },
        RefEvent::Taken { place, at, .. } => Seen::Taken {
            place: *place,
            at: *at,
        },
        RefEvent::Fired {
            transition,
            consumed,
            produced,
            at,
        } => Seen::Fired {
            transition: *transition,
            at: *at,
            consumed: consumed.len(),
            produced: produced.len(),
        },
        RefEvent::Failed {
            transition,
            fault,
            to_error_place,
            at,
        } => Seen::Failed {
            transition: *transition,
            at: *at,
            fault: fault.as_str(),
            to_error_place: *to_error_place,
        },
    }
}

pub(super) fn seen_engine_step(step: &Step) -> SeenStep {
    match *step {
        Step::Idle => SeenStep::Idle,
        Step::Fired {
            transition,
            consumed,
            produced,
        } => SeenStep::Fired {
            transition: transition.index(),
            consumed: usize::from(consumed),
            produced: usize::from(produced),
        },
        Step::Failed {
            transition,
            error,
            disposition,
        } => SeenStep::Failed {
            transition: transition.index(),
            fault: fault_name(&error),
            to_error_place: matches!(disposition, Disposition::ToErrorPlace { .. }),
        },
    }
}

pub(super) fn seen_reference_step(step: &RefStep) -> SeenStep {
    match *step {
        RefStep::Idle => SeenStep::Idle,
        RefStep::Fired {
            transition,
            consumed,
            produced,
        } => SeenStep::Fired {
            transition,
            consumed,
            produced,
        },
        RefStep::Failed {
            transition,
            fault,
            to_error_place,
        } => SeenStep::Failed {
            transition,
            fault: RefFault::as_str(fault),
            to_error_place,
        },
    }
}

/// What both sides can say about a net between operations, counters counted from the
/// start of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct State {
    enabled: Vec<bool>,
    firings: Vec<u64>,
    failures: Vec<u64>,
    injected: u64,
    taken: u64,
    created: u64,
    retired: u64,
    last_seen: u64,
    next_deadline: Option<u64>,
}

pub(super) fn engine_state<
    C,
    B,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
    behaviour: &B,
    start: &State,
) -> State
where
    B: Behaviour<C>,
{
    let counters = net.counters();
    let since = |now: u64, then: u64| now.saturating_sub(then);
    State {
        enabled: net.transitions().map(|t| net.is_enabled(t)).collect(),
        firings: net
            .transitions()
            .zip(&start.firings)
            .map(|(t, &then)| since(u64::from(net.firings(t)), then))
            .collect(),
        failures: net
            .transitions()
            .zip(&start.failures)
            .map(|(t, &then)| since(u64::from(net.failures(t)), then))
            .collect(),
        injected: since(counters.injected, start.injected),
        taken: since(counters.taken, start.taken),
        created: since(counters.created, start.created),
        retired: since(counters.retired, start.retired),
        last_seen: net.last_seen().as_ticks(),
        next_deadline: net.next_deadline(behaviour).map(|at| at.as_ticks()),
    }
}

/// The engine's counters when the run starts, as the zero of [`engine_state`].
pub(super) fn engine_start<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
) -> State {
    let counters = net.counters();
    State {
        enabled: Vec::new(),
        firings: net
            .transitions()
            .map(|t| u64::from(net.firings(t)))
            .collect(),
        failures: net
            .transitions()
            .map(|t| u64::from(net.failures(t)))
            .collect(),
        injected: counters.injected,
        taken: counters.taken,
        created: counters.created,
        retired: counters.retired,
        last_seen: 0,
        next_deadline: None,
    }
}

/// The reference's state; its counters start at the tokens it was given (`given`).
pub(super) fn reference_state<C: Clone + PartialEq + Default>(
    net: &RefNet<C>,
    behaviour: &RefPassthrough,
    given: u64,
) -> State {
    let counters = net.counters();
    State {
        enabled: (0..net.spec().transitions.len())
            .map(|t| net.enabled_since(t).is_some())
            .collect(),
        firings: counters.firings.clone(),
        failures: counters.failures.clone(),
        injected: counters.injected.saturating_sub(given),
        taken: counters.taken,
        created: counters.created,
        retired: counters.retired,
        last_seen: net.last_seen(),
        next_deadline: net.next_deadline(behaviour),
    }
}

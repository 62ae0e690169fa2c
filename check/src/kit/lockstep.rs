//! Lockstep against the plain reference semantics: the user's net, run by the engine,
//! and its translation into a [`NetSpec`], run by the reference interpreter
//! [`RefNet`] with [`Passthrough`](crate::reference::net::Passthrough), must agree after
//! every operation on the step results, the tokens of every place (by value) and the
//! events.
//!
//! The reference's guards are data ([`GuardSpec`](crate::reference::net::GuardSpec));
//! an engine guard is a function of the engine's `Heads`, which only the engine can
//! make, so a net with a guarded transition is refused with
//! [`LockstepError::Guarded`] rather than compared without its guard.

use std::fmt;

use mycel::net::{ArcKind as EngineArcKind, Net, PlaceId};
use mycel::sched::{Behaviour, Disposition, FiringError, InjectError, NetEvent, Step};
use mycel::time::Instant;

use super::ops::Op;
use super::subject::Subject;
use super::violation::{named, shown};
use crate::reference::net::{
    ArcKind, ArcSpec, NetSpec, Passthrough as RefPassthrough, PlaceSpec, RefBuildError, RefEvent,
    RefFault, RefInjectError, RefNet, RefStep, TransitionSpec,
};

/// How the net schedules ties, which the running net does not expose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LockstepOptions {
    /// The net was declared with round-robin tie-breaking.
    pub round_robin: bool,
}

/// Why a lockstep run stopped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LockstepError {
    /// The transition has a guard, which the reference cannot evaluate (see the module
    /// documentation).
    #[error("transition {transition} has a guard, which the reference semantics cannot run")]
    Guarded {
        /// The transition, as `name[index]`.
        transition: String,
    },
    /// The reference refused the translated net (a capacity beyond `u32`, or a rule the
    /// engine and the reference read differently).
    #[error("the reference refused the net: {0}")]
    Reference(RefBuildError),
    /// The engine and the reference disagree after operation `index`.
    #[error(
        "operation {index} ({op}): the engine and the reference disagree on {what}: engine {engine}, reference {reference}"
    )]
    Diverged {
        /// The 0-based index of the operation.
        index: usize,
        /// The operation, as text.
        op: String,
        /// What differs: `result`, `events`, `tokens of place x[1]`.
        what: String,
        /// The engine's side (`Debug`).
        engine: String,
        /// The reference's side (`Debug`).
        reference: String,
    },
}

/// What a passing lockstep run compared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LockstepReport {
    /// Operations run.
    pub operations: usize,
    /// Events compared.
    pub events: usize,
    /// Successful firings.
    pub firings: usize,
}

/// An event in the terms both sides share.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seen {
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
enum SeenStep {
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
    }
}

fn seen_engine(event: &NetEvent) -> Option<Seen> {
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

fn seen_reference<C>(event: &RefEvent<C>) -> Seen {
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

fn seen_engine_step(step: &Step) -> SeenStep {
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

fn seen_reference_step(step: &RefStep) -> SeenStep {
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
struct State {
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

fn engine_state<C, B, const P: usize, const T: usize, const A: usize, const K: usize>(
    net: &Net<C, P, T, A, K>,
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
fn engine_start<C, const P: usize, const T: usize, const A: usize, const K: usize>(
    net: &Net<C, P, T, A, K>,
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
fn reference_state<C: Clone + PartialEq + Default>(
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

/// The reference definition of `net`: the same places, transitions, arcs, priorities,
/// delays (in ticks), error places, sources and sinks, and a pool of `K` tokens.
///
/// # Errors
/// [`LockstepError::Guarded`] for the first transition with a guard.
pub fn reference_spec<C, const P: usize, const T: usize, const A: usize, const K: usize>(
    net: &Net<C, P, T, A, K>,
    options: LockstepOptions,
) -> Result<NetSpec<C>, LockstepError> {
    let places = net
        .places()
        .map(|p| {
            let spec = net.place(p);
            PlaceSpec {
                name: spec.map_or("", |s| s.name).to_owned(),
                capacity: spec.map_or(0, |s| u32::from(s.capacity)),
            }
        })
        .collect();
    let mut transitions = Vec::new();
    let mut arcs = Vec::new();
    for t in net.transitions() {
        let name = net.transition_name(t).unwrap_or("");
        let Some(spec) = net.transition_spec(t) else {
            continue;
        };
        if spec.guard.is_some() {
            return Err(LockstepError::Guarded {
                transition: named(name, t.index()),
            });
        }
        transitions.push(TransitionSpec {
            name: name.to_owned(),
            priority: spec.priority,
            delay: spec.delay.as_ticks(),
            error_place: spec.error_place.map(PlaceId::index),
            source: spec.source,
            sink: spec.sink,
            guard: None,
        });
        arcs.extend(net.arcs(t).iter().map(|a| ArcSpec {
            transition: t.index(),
            place: a.place.index(),
            kind: match a.kind {
                EngineArcKind::Input => ArcKind::Input,
                EngineArcKind::Output => ArcKind::Output,
                EngineArcKind::Read => ArcKind::Read,
                EngineArcKind::Inhibitor => ArcKind::Inhibitor,
            },
            weight: u32::from(a.weight),
        }));
    }
    Ok(NetSpec {
        places,
        transitions,
        arcs,
        round_robin: options.round_robin,
        pool: u32::try_from(K).unwrap_or(u32::MAX),
    })
}

/// Runs `ops` on the net and behaviour from `make` and on the reference interpreter
/// with pass-through firings, side by side, and compares them after every operation:
/// the results, the events (refusals and machine state changes aside, which the
/// reference does not record), every place's tokens by value, the counters (from the
/// start of the run), which transitions are enabled, the last instant seen and the next
/// deadline.
///
/// `make`'s behaviour should pass tokens through like
/// [`mycel::sched::Passthrough`]: that is what the reference does. Tokens the net
/// holds at the start are injected into the reference, in order, at the net's last
/// instant seen, so start from a net whose timed transitions are not halfway through a
/// delay.
///
/// ```
/// use mycel::net::Net;
/// use mycel::sched::Passthrough;
/// use mycel_check::kit::{Op, lockstep, LockstepOptions};
///
/// let make = || {
///     let mut b = Net::<u32, 2, 1, 2, 4>::builder();
///     let (a, z) = (b.place("a", 2), b.place("z", 1));
///     let t = b.transition("move");
///     b.input(t, a, 1).output(t, z, 1);
///     (b.build().expect("a valid net"), Passthrough)
/// };
/// let ops = [
///     Op::Inject { place: 0, token: 1 },
///     Op::Inject { place: 0, token: 2 },
///     Op::Step { gap: 0 },
///     Op::Step { gap: 5 },
///     Op::Take { place: 1 },
/// ];
/// let report = lockstep(make, &ops, LockstepOptions::default())?;
/// assert_eq!(report.firings, 1); // `z` is full after the first move
/// # Ok::<(), mycel_check::kit::LockstepError>(())
/// ```
///
/// # Errors
/// [`LockstepError::Guarded`] or [`LockstepError::Reference`] before the first
/// operation; [`LockstepError::Diverged`] at the first disagreement.
pub fn lockstep<C, S, B, F, const P: usize, const T: usize, const A: usize, const K: usize>(
    make: F,
    ops: &[Op<C>],
    options: LockstepOptions,
) -> Result<LockstepReport, LockstepError>
where
    C: Clone + fmt::Debug + PartialEq + Default,
    S: Subject<C, P, T, A, K>,
    B: Behaviour<C>,
    F: FnOnce() -> (S, B),
{
    let (mut subject, mut behaviour) = make();
    let spec = reference_spec(subject.net(), options)?;
    let mut passthrough = RefPassthrough::new(&spec);
    let start = subject.net().last_seen().as_ticks();
    let mut reference = RefNet::starting_at(spec, start).map_err(LockstepError::Reference)?;
    let names: Vec<String> = subject
        .net()
        .places()
        .map(|p| named(subject.net().place(p).map_or("", |s| s.name), p.index()))
        .collect();
    let mut given = 0u64;
    for (index, place) in subject.net().places().enumerate() {
        for token in subject.net().tokens(place) {
            // The reference has the same capacities, so what the engine holds fits.
            given += u64::from(reference.inject(index, token.clone(), start).is_ok());
        }
    }
    let zero = engine_start(subject.net());
    let mut report = LockstepReport {
        operations: ops.len(),
        ..LockstepReport::default()
    };
    let mut now = Instant::from_ticks(start);
    for (index, op) in ops.iter().enumerate() {
        let diverged = |what: &str, engine: String, reference: String| LockstepError::Diverged {
            index,
            op: match op {
                Op::Inject { place, token } => format!(
                    "inject {token:?} into {}",
                    names.get(*place).map_or("?", String::as_str)
                ),
                Op::Take { place } => {
                    format!(
                        "take from {}",
                        names.get(*place).map_or("?", String::as_str)
                    )
                }
                Op::Step { gap } => format!("step after {gap} ticks"),
            },
            what: what.to_owned(),
            engine,
            reference,
        };
        let trace_before = reference.trace().len();
        let mut events = Vec::new();
        let mut record = |e: &NetEvent| events.push(*e);
        match op {
            Op::Inject { place, .. } | Op::Take { place } if *place >= names.len() => continue,
            Op::Inject { place, token } => {
                let id = PlaceId::new(u16::try_from(*place).unwrap_or(u16::MAX));
                let engine = subject
                    .inject_observed(id, token.clone(), now, &mut record)
                    .map_err(|e| match e {
                        InjectError::Full(..) => "full",
                        _ => "refused",
                    });
                let model = reference
                    .inject(*place, token.clone(), now.as_ticks())
                    .map_err(|e| match e {
                        RefInjectError::Full(_) => "full",
                        _ => "refused",
                    });
                if engine != model {
                    return Err(diverged("result", shown(&engine), shown(&model)));
                }
            }
            Op::Take { place } => {
                let id = PlaceId::new(u16::try_from(*place).unwrap_or(u16::MAX));
                let engine = subject.take_observed(id, &mut record).ok();
                let model = reference.take(*place).ok();
                if engine != model {
                    return Err(diverged("result", shown(&engine), shown(&model)));
                }
            }
            Op::Step { gap } => {
                now = Instant::from_ticks(now.as_ticks().saturating_add(*gap));
                let engine = subject
                    .step_observed(now, &mut behaviour, &mut record)
                    .map(|s| seen_engine_step(&s));
                let model = reference
                    .step(now.as_ticks(), &mut passthrough)
                    .map(|s| seen_reference_step(&s));
                if engine.as_ref().ok() != model.as_ref().ok() {
                    return Err(diverged("result", shown(&engine), shown(&model)));
                }
                if matches!(engine, Ok(SeenStep::Fired { .. })) {
                    report.firings += 1;
                }
            }
        }
        let engine_events: Vec<Seen> = events.iter().filter_map(seen_engine).collect();
        let model_events: Vec<Seen> = reference
            .trace()
            .get(trace_before..)
            .unwrap_or(&[])
            .iter()
            .map(seen_reference)
            .collect();
        if engine_events != model_events {
            return Err(diverged(
                "events",
                shown(&engine_events),
                shown(&model_events),
            ));
        }
        report.events += engine_events.len();
        for (p, place) in subject.net().places().enumerate() {
            let engine: Vec<C> = subject.net().tokens(place).cloned().collect();
            let model: Vec<C> = reference
                .marking(p)
                .map(|q| q.iter().cloned().collect())
                .unwrap_or_default();
            if engine != model {
                let what = format!(
                    "tokens of place {}",
                    names.get(p).map_or("?", String::as_str)
                );
                return Err(diverged(&what, shown(&engine), shown(&model)));
            }
        }
        let engine = engine_state(subject.net(), &behaviour, &zero);
        let model = reference_state(&reference, &passthrough, given);
        if engine != model {
            return Err(diverged(
                "counters, enabled transitions, last instant or deadline",
                shown(&engine),
                shown(&model),
            ));
        }
    }
    Ok(report)
}

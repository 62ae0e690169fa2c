//! Lockstep against the plain reference semantics: the user's net, run by the engine,
//! and its translation into a [`NetSpec`](crate::reference::net::NetSpec)
//! ([`reference_spec`]), run by the reference interpreter [`RefNet`] with
//! [`Passthrough`](crate::reference::net::Passthrough), must agree after every
//! operation on the step results, the events, the tokens of every place (by value), the
//! counters, which transitions are enabled, the last instant seen and the next deadline.
//!
//! The reference's guards are data ([`GuardSpec`](crate::reference::net::GuardSpec));
//! an engine guard is a function of the engine's `Heads`, which only the engine can
//! make. So a guarded net runs in [`lockstep_with_guards`], given each guard restated
//! for the reference ([`ReferenceGuards`]); [`lockstep`] refuses a guarded transition
//! with [`LockstepError::Guarded`] rather than compare it without its guard.

mod guards;
mod seen;
mod spec;

use std::fmt;

use mycel::net::PlaceId;
use mycel::sched::{Behaviour, InjectError, NetEvent};
use mycel::time::Instant;

pub use self::guards::ReferenceGuards;
use self::seen::{
    Seen, SeenStep, engine_start, engine_state, reference_state, seen_engine, seen_engine_step,
    seen_reference, seen_reference_step,
};
pub use self::spec::reference_spec;
use super::ops::Op;
use super::subject::Subject;
use super::violation::{named, shown};
use crate::reference::net::{Passthrough as RefPassthrough, RefBuildError, RefInjectError, RefNet};

/// How the net schedules ties, which the running net does not expose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LockstepOptions {
    /// The net was declared with round-robin tie-breaking.
    pub round_robin: bool,
}

/// Why a lockstep run stopped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LockstepError {
    /// The transition has a guard and no statement of it for the reference was given
    /// (see [`ReferenceGuards`] and [`lockstep_with_guards`]).
    #[error(
        "transition {transition} has a guard: state it for the reference with ReferenceGuards and run lockstep_with_guards"
    )]
    Guarded {
        /// The transition, as `name[index]`.
        transition: String,
    },
    /// A guard was stated for a transition that has none, or that the net does not
    /// have (as `#index`): the net and its statement disagree.
    #[error("a reference guard is stated for transition {transition}, which has no guard")]
    StrayGuard {
        /// The transition, as `name[index]`, or `#index` past the net's transitions.
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
/// [`LockstepError::Guarded`] (for a guarded net use [`lockstep_with_guards`]) or
/// [`LockstepError::Reference`] before the first operation;
/// [`LockstepError::Diverged`] at the first disagreement.
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
    lockstep_with_guards(make, ops, options, &ReferenceGuards::new())
}

/// [`lockstep`] for a net with guarded transitions: `guards` states each guard for the
/// reference, and the run compares, on every operation, the engine running the net's
/// guards with the reference running their statements.
///
/// # Errors
/// [`LockstepError::Guarded`] for a guarded transition `guards` says nothing about,
/// [`LockstepError::StrayGuard`] for a guard stated for a transition without one, or
/// [`LockstepError::Reference`], before the first operation;
/// [`LockstepError::Diverged`] at the first disagreement (a guard and its statement
/// that answer differently show up here, as a firing on one side only).
pub fn lockstep_with_guards<
    C,
    S,
    B,
    F,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
>(
    make: F,
    ops: &[Op<C>],
    options: LockstepOptions,
    guards: &ReferenceGuards<C>,
) -> Result<LockstepReport, LockstepError>
where
    C: Clone + fmt::Debug + PartialEq + Default,
    S: Subject<C, P, T, A, K>,
    B: Behaviour<C>,
    F: FnOnce() -> (S, B),
{
    let (mut subject, mut behaviour) = make();
    let spec = reference_spec(subject.net(), options, guards)?;
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

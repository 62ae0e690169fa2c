//! The proof itself: explore every state of the pipeline and check each one.

use mycel::breaker::BreakerStateKind;

use super::model::{PipelineError, PipelineModel, Step};
use crate::explore::{InternedModel, SearchLimits, StateIndex, StateSpace, search};

/// What exploring the pipeline found. Every trace is a shortest one from the empty
/// pipeline (breadth-first search).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineProof {
    /// Whether every reachable state was seen (not stopped at the state limit).
    pub complete: bool,
    /// Distinct states reached.
    pub states: u64,
    /// Steps taken from all states, whether or not they led to a new state.
    pub edges: u64,
    /// The length of the longest shortest trace.
    pub depth: u32,
    /// States where all requests have ended (done or rejected) and nothing can happen.
    pub finished_states: u64,
    /// The shortest trace to a state reached by forwarding a request while the breaker
    /// was open, if any.
    pub forwarded_while_open: Option<Vec<Step>>,
    /// The shortest trace to a state where a request at the backend holds no permit
    /// (a state-level witness of the same property, independent of watching `route`),
    /// if any.
    pub forwarded_without_permit: Option<Vec<Step>>,
    /// The shortest trace to a state where more probes of the breaker's current
    /// generation are at the backend than HALF_OPEN admits at once, if any.
    pub too_many_probes: Option<Vec<Step>>,
    /// The most probes of the breaker's current generation at the backend in one state.
    pub most_probes: usize,
    /// The shortest trace to a state where some injected request is in no place or in
    /// more than one (or a token that is no request appears), if any.
    pub request_unaccounted: Option<Vec<Step>>,
    /// States where nothing can happen but some request has not ended.
    pub deadlock_count: u64,
    /// Shortest traces to the first deadlocks.
    pub deadlocks: Vec<Vec<Step>>,
    /// The shortest trace to a state with the breaker OPEN, if any: the safety
    /// property is not vacuous.
    pub breaker_opens: Option<Vec<Step>>,
    /// The shortest trace to a request rejected by the breaker, if any.
    pub request_rejected: Option<Vec<Step>>,
}

impl PipelineProof {
    /// Whether the exploration was complete and found no violation and no deadlock.
    #[must_use]
    pub fn holds(&self) -> bool {
        self.complete
            && self.forwarded_while_open.is_none()
            && self.forwarded_without_permit.is_none()
            && self.too_many_probes.is_none()
            && self.request_unaccounted.is_none()
            && self.deadlock_count == 0
    }
}

/// How many deadlock traces a proof keeps.
const DEADLOCKS_KEPT: usize = 5;

/// Explores every state of `model` (up to `max_states`) and checks on each: no request
/// was forwarded while the breaker was open, every request at the backend holds a
/// permit, no more probes of the current generation are at the backend than HALF_OPEN
/// admits at once, every injected request is in exactly one
/// place, and a state where nothing can happen has every request ended.
///
/// # Errors
/// The model's [`PipelineError`] if a step could not be computed.
pub fn prove(model: &PipelineModel, max_states: u64) -> Result<PipelineProof, PipelineError> {
    let mut forwarded_while_open = None;
    let mut forwarded_without_permit = None;
    let mut too_many_probes = None;
    let mut most_probes = 0;
    let mut request_unaccounted = None;
    let mut breaker_opens = None;
    let mut request_rejected = None;
    let mut finished = 0u64;
    let limits = SearchLimits {
        max_states,
        max_deadlocks_kept: DEADLOCKS_KEPT,
        progress: None,
    };
    let model = InternedModel::new(model)?;
    let requests = model.system().requests();
    let first = |slot: &mut Option<StateIndex>, index: StateIndex, holds: bool| {
        if holds && slot.is_none() {
            *slot = Some(index);
        }
    };
    let seen = search(&model, limits, |index, key| {
        let Some(&number) = key.first() else { return };
        model.with_state(number, |state| {
            first(&mut forwarded_while_open, index, state.forwarded_while_open);
            first(
                &mut forwarded_without_permit,
                index,
                state.forwarded().iter().any(|call| call.permit.is_none()),
            );
            let generation = state.breaker.generation();
            let probes = state
                .forwarded()
                .iter()
                .filter_map(|call| call.permit)
                .filter(|p| p.is_probe() && p.generation() == generation)
                .count();
            most_probes = most_probes.max(probes);
            first(
                &mut too_many_probes,
                index,
                probes > usize::from(state.breaker.config().half_open.max_permits),
            );
            first(
                &mut request_unaccounted,
                index,
                !state.accounts_for_every_request(),
            );
            first(
                &mut breaker_opens,
                index,
                state.breaker.state() == BreakerStateKind::Open,
            );
            first(&mut request_rejected, index, !state.rejected().is_empty());
            if state.is_finished(requests) && state.breaker.next_deadline().is_none() {
                finished += 1;
            }
        });
    })?;
    // The initial state is stored before the search visits anything.
    if let Some(initial) = model.state(0) {
        first(
            &mut request_unaccounted,
            0,
            !initial.accounts_for_every_request(),
        );
    }
    let trace = |i: Option<StateIndex>| i.map(|i| steps(&seen.space, i));
    Ok(PipelineProof {
        complete: !seen.stopped_at_limit,
        states: seen.space.len() as u64,
        edges: seen.edges,
        depth: seen.depth,
        finished_states: finished,
        forwarded_while_open: trace(forwarded_while_open),
        forwarded_without_permit: trace(forwarded_without_permit),
        too_many_probes: trace(too_many_probes),
        most_probes,
        request_unaccounted: trace(request_unaccounted),
        deadlock_count: seen.deadlock_count,
        deadlocks: seen
            .deadlocks
            .iter()
            .map(|&i| steps(&seen.space, i))
            .collect(),
        breaker_opens: trace(breaker_opens),
        request_rejected: trace(request_rejected),
    })
}

/// The steps of the shortest trace to state `i`.
fn steps(space: &StateSpace, i: StateIndex) -> Vec<Step> {
    space
        .trace(i)
        .into_iter()
        .filter_map(Step::from_label)
        .collect()
}

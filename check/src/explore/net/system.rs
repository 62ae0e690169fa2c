//! A running net and its environment as a [`ValueSystem`]: the states are the net at
//! rest, the steps the environment's events and timeouts.

use std::cell::RefCell;
use std::marker::PhantomData;

use mycel::net::Schedule;
use mycel::sched::{Behaviour, Step};
use mycel::time::Instant;
use serde::Serialize;

use super::environment::{Environment, OutsideEvent};
use super::error::{EncodeError, NetExploreError};
use super::state::NetState;
use crate::explore::ValueSystem;
use crate::kit::Subject;

/// The most firings the net may make at one instant before it must be at rest, unless
/// [`NetSystem::with_run_budget`] says otherwise.
pub const DEFAULT_RUN_BUDGET: u32 = 10_000;

/// A transition that fired (or failed) in a run of the net to rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firing {
    /// The transition's name.
    pub transition: &'static str,
    /// Whether the firing failed and was undone (its tokens back, or in its error place).
    pub failed: bool,
}

/// A running net (the subject `S`, with its behaviour `B`) and what its environment
/// may do to it, as a [`ValueSystem`] the explorer searches through
/// [`InternedModel`](crate::explore::InternedModel).
///
/// A state is the net at rest ([`NetState`]); a step is one of the environment's
/// [`OutsideEvent`]s, or time passing to the net's next deadline, followed by a run of
/// the net until nothing is ready. Two states are one when they have the same bytes:
/// the instant, how many tokens each inject event has used, every place's tokens by
/// value in queue order, each transition's [`Schedule`] and tie-break order, the
/// machines the subject owns, and the behaviour, all serialized with `postcard`. So
/// tokens, owned machines and the behaviour must be `serde::Serialize`, and the subject
/// and behaviour `Clone` (a declared net is when declared with `#[derive(Clone)]`).
pub struct NetSystem<S, B, C, const P: usize, const T: usize, const A: usize, const K: usize> {
    initial: NetState<S, B>,
    environment: Environment<C>,
    run_budget: u32,
    /// Whether each transition has fired successfully in some run so far.
    fired: RefCell<Vec<bool>>,
    _tokens: PhantomData<fn() -> C>,
}

impl<S, B, C, const P: usize, const T: usize, const A: usize, const K: usize> std::fmt::Debug
    for NetSystem<S, B, C, P, T, A, K>
where
    C: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetSystem")
            .field("environment", &self.environment)
            .field("run_budget", &self.run_budget)
            .finish_non_exhaustive()
    }
}

impl<S, B, C, const P: usize, const T: usize, const A: usize, const K: usize>
    NetSystem<S, B, C, P, T, A, K>
where
    S: Subject<C, P, T, A, K> + Clone,
    B: Behaviour<C> + Clone + Serialize,
    C: Clone + Serialize,
{
    /// The system of the net and behaviour `make` returns, driven by `environment`. The
    /// initial state is that net run to rest at the last instant it has seen.
    ///
    /// # Errors
    /// [`NetExploreError::Restless`] if the new net does not come to rest;
    /// [`NetExploreError::UnknownPlace`] for an event naming a place not the net's;
    /// [`NetExploreError::TooManyEvents`] for an environment of more than `u32::MAX - 1`
    /// events.
    pub fn new(
        make: impl FnOnce() -> (S, B),
        environment: Environment<C>,
    ) -> Result<Self, NetExploreError> {
        Self::with_run_budget(make, environment, DEFAULT_RUN_BUDGET)
    }

    /// [`NetSystem::new`] allowing at most `run_budget` firings at one instant before
    /// the net must be at rest.
    ///
    /// # Errors
    /// As [`NetSystem::new`].
    pub fn with_run_budget(
        make: impl FnOnce() -> (S, B),
        environment: Environment<C>,
        run_budget: u32,
    ) -> Result<Self, NetExploreError> {
        if u32::try_from(environment.steps()).is_err() {
            return Err(NetExploreError::TooManyEvents(environment.events().len()));
        }
        let (subject, behaviour) = make();
        if let Some((event, place)) = environment
            .places()
            .find(|&(_, place)| subject.net().place(place).is_none())
        {
            return Err(NetExploreError::UnknownPlace {
                event: event.to_string(),
                place,
            });
        }
        let now = subject.net().last_seen();
        let transitions = subject.net().transition_count();
        let mut initial = NetState {
            subject,
            behaviour,
            now,
            injected: vec![0; environment.events().len()],
        };
        let system = Self {
            initial: initial.clone(),
            environment,
            run_budget,
            fired: RefCell::new(vec![false; transitions]),
            _tokens: PhantomData,
        };
        system.run_to_rest(&mut initial, &mut |_| {})?;
        Ok(Self { initial, ..system })
    }

    /// The environment driving the net.
    #[must_use]
    pub fn environment(&self) -> &Environment<C> {
        &self.environment
    }

    /// The net at rest before any outside event.
    #[must_use]
    pub fn initial_state(&self) -> &NetState<S, B> {
        &self.initial
    }

    /// Whether `transition` (by index) fired successfully in some run so far.
    #[must_use]
    pub fn has_fired(&self, transition: usize) -> bool {
        self.fired
            .borrow()
            .get(transition)
            .copied()
            .unwrap_or(false)
    }

    /// The state after step `label` from `state`, or `None` when the step is not
    /// enabled there; each firing of the run to rest is passed to `firing`.
    ///
    /// # Errors
    /// [`NetExploreError::Restless`] when the net does not come to rest.
    pub fn advance(
        &self,
        state: &NetState<S, B>,
        label: u32,
        firing: &mut dyn FnMut(Firing),
    ) -> Result<Option<NetState<S, B>>, NetExploreError> {
        let mut next = state.clone();
        let now = next.now;
        let index = label as usize;
        match self.environment.events().get(index) {
            Some(OutsideEvent::Inject { place, tokens, .. }) => {
                let used = next.injected.get(index).copied().unwrap_or(0);
                let Some(token) = tokens.get(used as usize) else {
                    return Ok(None);
                };
                if next
                    .subject
                    .inject_observed(*place, token.clone(), now, &mut ())
                    .is_err()
                {
                    return Ok(None);
                }
                if let Some(n) = next.injected.get_mut(index) {
                    *n = used.saturating_add(1);
                }
            }
            Some(OutsideEvent::Take { place, .. }) => {
                if next.subject.take_observed(*place, &mut ()).is_err() {
                    return Ok(None);
                }
            }
            Some(OutsideEvent::Answer {
                from, to, answer, ..
            }) => {
                let Ok(call) = next.subject.take_observed(*from, &mut ()) else {
                    return Ok(None);
                };
                if next
                    .subject
                    .inject_observed(*to, answer(call), now, &mut ())
                    .is_err()
                {
                    return Ok(None);
                }
            }
            None if index == self.environment.events().len() && self.environment.has_timeouts() => {
                match next.subject.next_deadline(&next.behaviour) {
                    Some(due) if due > now => next.now = due,
                    _ => return Ok(None),
                }
            }
            None => return Ok(None),
        }
        self.run_to_rest(&mut next, firing)?;
        Ok(Some(next))
    }

    /// The firings of each step of `labels` from the initial state: what a trace shows.
    /// Stops at the first step that is not enabled.
    ///
    /// # Errors
    /// As [`NetSystem::advance`].
    pub fn replay(&self, labels: &[u32]) -> Result<Vec<(Instant, Vec<Firing>)>, NetExploreError> {
        let mut state = self.initial.clone();
        let mut steps = Vec::with_capacity(labels.len());
        for &label in labels {
            let mut firings = Vec::new();
            let Some(next) = self.advance(&state, label, &mut |f| firings.push(f))? else {
                break;
            };
            steps.push((next.now, firings));
            state = next;
        }
        Ok(steps)
    }

    /// Steps the net at its instant until nothing is ready.
    fn run_to_rest(
        &self,
        state: &mut NetState<S, B>,
        firing: &mut dyn FnMut(Firing),
    ) -> Result<(), NetExploreError> {
        let now = state.now;
        for _ in 0..self.run_budget {
            let step = state
                .subject
                .step_observed(now, &mut state.behaviour, &mut ())
                .map_err(|_| NetExploreError::ClockRegression(now))?;
            let (transition, failed) = match step {
                Step::Idle => return Ok(()),
                Step::Fired { transition, .. } => (transition, false),
                Step::Failed { transition, .. } => (transition, true),
            };
            if !failed && let Some(seen) = self.fired.borrow_mut().get_mut(transition.index()) {
                *seen = true;
            }
            firing(Firing {
                transition: state
                    .subject
                    .net()
                    .transition_name(transition)
                    .unwrap_or("?"),
                failed,
            });
        }
        Err(NetExploreError::Restless {
            budget: self.run_budget,
            at: now,
        })
    }
}

impl<S, B, C, const P: usize, const T: usize, const A: usize, const K: usize> ValueSystem
    for NetSystem<S, B, C, P, T, A, K>
where
    S: Subject<C, P, T, A, K> + Clone,
    B: Behaviour<C> + Clone + Serialize,
    C: Clone + Serialize,
{
    type State = NetState<S, B>;
    type Error = NetExploreError;

    fn labels(&self) -> usize {
        self.environment.steps()
    }

    fn initial(&self) -> NetState<S, B> {
        self.initial.clone()
    }

    fn encode(&self, state: &NetState<S, B>, bytes: &mut Vec<u8>) -> Result<(), NetExploreError> {
        bytes.extend(state.now.as_ticks().to_le_bytes());
        for used in &state.injected {
            bytes.extend(used.to_le_bytes());
        }
        let net = state.subject.net();
        for place in net.places() {
            bytes.extend(
                u32::try_from(net.len(place))
                    .unwrap_or(u32::MAX)
                    .to_le_bytes(),
            );
            for token in net.tokens(place) {
                encode_value(token, bytes)?;
            }
        }
        for transition in net.transitions() {
            let (tag, due) = match net.schedule_of(transition) {
                None | Some(Schedule::Disabled) => (0u8, None),
                Some(Schedule::Ready) => (1, None),
                Some(Schedule::Waiting { due }) => (2, Some(due)),
                Some(Schedule::Held { due }) => (3, Some(due)),
            };
            bytes.push(tag);
            if let Some(due) = due {
                bytes.extend(due.as_ticks().to_le_bytes());
            }
        }
        // Only the order of the tie-break ranks matters, not their values (which grow
        // with every round-robin firing).
        let mut order: Vec<_> = net.transitions().collect();
        order.sort_by_key(|&t| net.tie_rank(t));
        for t in order {
            bytes.extend(u16::try_from(t.index()).unwrap_or(u16::MAX).to_le_bytes());
        }
        state.subject.encode_machines(bytes)?;
        encode_value(&state.behaviour, bytes)?;
        Ok(())
    }

    fn step(
        &self,
        state: &NetState<S, B>,
        label: u32,
    ) -> Result<Option<NetState<S, B>>, NetExploreError> {
        self.advance(state, label, &mut |_| {})
    }
}

/// Appends `value`'s `postcard` bytes to `bytes`: how the explorer identifies tokens,
/// machines and behaviours (and what [`declared_subject!`](crate::declared_subject)
/// writes a declared net's machines with).
///
/// # Errors
/// [`EncodeError::Serialize`] when `value` cannot be serialized.
pub fn encode_value<V: Serialize + ?Sized>(
    value: &V,
    bytes: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    *bytes = postcard::to_extend(value, std::mem::take(bytes))?;
    Ok(())
}

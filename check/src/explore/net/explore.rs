//! Exploring a running net: every state at rest, breadth-first, checked on each.

use std::time::Instant as WallClock;

use mycel::sched::Behaviour;
use serde::Serialize;

use super::Environment;
use super::error::NetExploreError;
use super::options::{NetOptions, StatePredicate};
use super::report::{NetExploration, NetPropertyResult, NetTrace, NetVerdict, TraceStep};
use super::state::NetState;
use super::system::NetSystem;
use crate::explore::{InternedModel, PropertyKind, SearchLimits, StateIndex, ValueSystem, search};
use crate::kit::Subject;

/// A [`NetSystem`] whose ends are told from deadlocks by the caller's predicate.
struct Judged<'s, 'p, S, B, C, const P: usize, const T: usize, const A: usize, const K: usize> {
    system: &'s NetSystem<S, B, C, P, T, A, K>,
    finished: Option<&'s StatePredicate<'p, S, B>>,
}

impl<S, B, C, const P: usize, const T: usize, const A: usize, const K: usize> ValueSystem
    for Judged<'_, '_, S, B, C, P, T, A, K>
where
    S: Subject<C, P, T, A, K> + Clone,
    B: Behaviour<C> + Clone + Serialize,
    C: Clone + Serialize,
{
    type State = NetState<S, B>;
    type Error = NetExploreError;

    fn labels(&self) -> usize {
        self.system.labels()
    }

    fn initial(&self) -> Self::State {
        self.system.initial()
    }

    fn encode(&self, state: &Self::State, bytes: &mut Vec<u8>) -> Result<(), Self::Error> {
        self.system.encode(state, bytes)
    }

    fn step(&self, state: &Self::State, label: u32) -> Result<Option<Self::State>, Self::Error> {
        self.system.step(state, label)
    }

    fn is_finished(&self, state: &Self::State) -> bool {
        self.finished.is_some_and(|finished| finished(state))
    }
}

/// Explores a running net: every state it can reach under an environment,
/// breadth-first, each checked.
///
/// [`NetExplorer::new`] takes the net and its behaviour from `make` (as the kit's
/// [`Checker`](crate::kit::Checker) does): a net made with the builder, or a net declared
/// with [`mycel::net!`] and made a [`Subject`] with
/// [`declared_subject!`](crate::declared_subject) (listing its machines). Add
/// properties, then [`NetExplorer::run`] finds deadlocks, the bound of every place,
/// transitions that never fire, the token balance, and the verdict of each property,
/// every finding with a shortest trace of outside events and the firings each caused.
/// A state is the whole net at rest, its tokens by value and its machines' full state
/// included (see [`NetSystem`] for what must be `Clone` and `Serialize`). Time is
/// untimed: see [`Environment`].
///
/// ```
/// use mycel::net::{Net, PlaceId};
/// use mycel::sched::Passthrough;
/// use mycel_check::explore::{Environment, NetExplorer};
///
/// // A relay of capacity 1 between an inbox and an outbox.
/// let make = || {
///     let mut b = Net::<u32, 2, 1, 2, 4>::builder();
///     let (inbox, outbox) = (b.place("inbox", 2), b.place("outbox", 1));
///     let relay = b.transition("relay");
///     b.input(relay, inbox, 1).output(relay, outbox, 1);
///     (b.build().expect("a valid net"), Passthrough)
/// };
/// // Each build hands out ids of its own: name the places by position.
/// let (inbox, outbox) = (PlaceId::new(0), PlaceId::new(1));
/// let environment = Environment::new()
///     .inject("send", inbox, [1, 2, 3])
///     .take("receive", outbox);
/// let report = NetExplorer::new(make, environment)
///     .always("at most two messages wait", move |s| s.len(inbox) <= 2)
///     .finished(|s| s.injected(0) == 3 && s.subject().held() == 0)
///     .run()?;
/// assert!(report.holds(), "{report}");
/// assert_eq!(report.bound("outbox"), Some(1));
/// # Ok::<(), mycel_check::explore::NetExploreError>(())
/// ```
pub struct NetExplorer<'a, S, B, C> {
    made: (S, B),
    environment: Environment<C>,
    options: NetOptions<'a, S, B>,
}

impl<S, B, C: std::fmt::Debug> std::fmt::Debug for NetExplorer<'_, S, B, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetExplorer")
            .field("environment", &self.environment)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, S, B, C> NetExplorer<'a, S, B, C> {
    /// An explorer of the net and behaviour `make` returns, driven by `environment`,
    /// with no properties, at most [`DEFAULT_MAX_NET_STATES`](super::DEFAULT_MAX_NET_STATES) states and
    /// [`DEFAULT_RUN_BUDGET`](super::DEFAULT_RUN_BUDGET) firings at one instant.
    pub fn new(make: impl FnOnce() -> (S, B), environment: Environment<C>) -> Self {
        Self {
            made: make(),
            environment,
            options: NetOptions::new(),
        }
    }

    /// Asks that `predicate` hold in every reachable state; a violation comes with a
    /// shortest trace to it.
    #[must_use]
    pub fn always(
        mut self,
        name: impl Into<String>,
        predicate: impl Fn(&NetState<S, B>) -> bool + 'a,
    ) -> Self {
        self.options
            .properties
            .push((name.into(), PropertyKind::Always, Box::new(predicate)));
        self
    }

    /// Asks whether some reachable state satisfies `predicate`, with a shortest trace
    /// to one.
    #[must_use]
    pub fn reachable(
        mut self,
        name: impl Into<String>,
        predicate: impl Fn(&NetState<S, B>) -> bool + 'a,
    ) -> Self {
        self.options
            .properties
            .push((name.into(), PropertyKind::Reachable, Box::new(predicate)));
        self
    }

    /// Declares which states where nothing can happen are intended ends (every request
    /// answered, say) rather than deadlocks.
    #[must_use]
    pub fn finished(mut self, predicate: impl Fn(&NetState<S, B>) -> bool + 'a) -> Self {
        self.options.finished = Some(Box::new(predicate));
        self
    }

    /// Stops after `n` states: the report says it is incomplete, and verdicts it could
    /// not reach are [`NetVerdict::Unknown`].
    #[must_use]
    pub fn max_states(mut self, n: u64) -> Self {
        self.options.max_states = n;
        self
    }

    /// Keeps the traces of at most `n` deadlocks (all are counted).
    #[must_use]
    pub fn max_deadlocks_kept(mut self, n: usize) -> Self {
        self.options.max_deadlocks_kept = n;
        self
    }

    /// Allows `n` firings at one instant before the net must be at rest (else
    /// [`NetExploreError::Restless`]).
    #[must_use]
    pub fn run_budget(mut self, n: u32) -> Self {
        self.options.run_budget = n;
        self
    }

    /// Runs the exploration.
    ///
    /// # Errors
    /// [`NetExploreError`]: a state that cannot be encoded (a machine a declared net
    /// owns but does not list), or a net that does not come to rest.
    pub fn run<const P: usize, const T: usize, const A: usize, const K: usize>(
        self,
    ) -> Result<NetExploration, NetExploreError>
    where
        S: Subject<C, P, T, A, K> + Clone,
        B: Behaviour<C> + Clone + Serialize,
        C: Clone + Serialize,
    {
        explore(|| self.made, self.environment, self.options)
    }
}

/// What [`NetExplorer::run`] does.
fn explore<S, B, C, const P: usize, const T: usize, const A: usize, const K: usize>(
    make: impl FnOnce() -> (S, B),
    environment: Environment<C>,
    options: NetOptions<'_, S, B>,
) -> Result<NetExploration, NetExploreError>
where
    S: Subject<C, P, T, A, K> + Clone,
    B: Behaviour<C> + Clone + Serialize,
    C: Clone + Serialize,
{
    let started = WallClock::now();
    let system = NetSystem::with_run_budget(make, environment, options.run_budget)?;
    let judged = Judged {
        system: &system,
        finished: options.finished.as_ref(),
    };
    let model = InternedModel::new(&judged)?;
    let net = system.initial_state().subject().net();
    let places: Vec<&'static str> = net
        .places()
        .map(|p| net.place(p).map_or("?", |spec| spec.name))
        .collect();
    let transitions: Vec<&'static str> = net
        .transitions()
        .map(|t| net.transition_name(t).unwrap_or("?"))
        .collect();
    let mut place_bounds = vec![0usize; places.len()];
    let mut first_seen: Vec<Option<StateIndex>> = vec![None; options.properties.len()];
    let mut unbalanced: Option<StateIndex> = None;
    let limits = SearchLimits {
        max_states: options.max_states,
        max_deadlocks_kept: options.max_deadlocks_kept,
        progress: None,
    };
    let seen = search(&model, limits, |index, key| {
        let Some(&number) = key.first() else { return };
        model.with_state(number, |state| {
            let net = state.subject().net();
            for (bound, place) in place_bounds.iter_mut().zip(net.places()) {
                *bound = (*bound).max(net.len(place));
            }
            let c = net.counters();
            let balanced = c.injected.checked_add(c.created)
                == c.taken
                    .checked_add(c.retired)
                    .and_then(|n| n.checked_add(net.held()));
            if !balanced && unbalanced.is_none() {
                unbalanced = Some(index);
            }
            for ((_, kind, predicate), first) in options.properties.iter().zip(&mut first_seen) {
                let hit = match kind {
                    PropertyKind::Always => !predicate(state),
                    PropertyKind::Reachable => predicate(state),
                };
                if hit && first.is_none() {
                    *first = Some(index);
                }
            }
        });
    })?;
    let trace = |index: StateIndex| -> Result<NetTrace, NetExploreError> {
        let labels = seen.space.trace(index);
        let steps = system.replay(&labels)?;
        Ok(NetTrace {
            steps: labels
                .iter()
                .zip(steps)
                .map(|(&label, (at, firings))| TraceStep {
                    event: system.environment().step_name(label).to_string(),
                    at,
                    firings,
                })
                .collect(),
        })
    };
    let complete = !seen.stopped_at_limit;
    let mut properties = Vec::with_capacity(options.properties.len());
    for ((name, kind, _), first) in options.properties.iter().zip(first_seen) {
        let verdict = match (kind, first) {
            (PropertyKind::Always, Some(i)) => NetVerdict::Violated(trace(i)?),
            (PropertyKind::Reachable, Some(i)) => NetVerdict::Reached(trace(i)?),
            (_, None) if !complete => NetVerdict::Unknown,
            (PropertyKind::Always, None) => NetVerdict::Holds,
            (PropertyKind::Reachable, None) => NetVerdict::Unreachable,
        };
        properties.push(NetPropertyResult {
            name: name.clone(),
            kind: *kind,
            verdict,
        });
    }
    let tokens_conserved = match unbalanced {
        Some(i) => NetVerdict::Violated(trace(i)?),
        None if !complete => NetVerdict::Unknown,
        None => NetVerdict::Holds,
    };
    let deadlocks = seen
        .deadlocks
        .iter()
        .map(|&i| trace(i))
        .collect::<Result<_, _>>()?;
    let dead_transitions = transitions
        .iter()
        .enumerate()
        .filter(|&(t, _)| !system.has_fired(t))
        .map(|(_, &name)| name)
        .collect();
    Ok(NetExploration {
        complete,
        max_states: options.max_states,
        states: seen.space.len() as u64,
        edges: seen.edges,
        depth: seen.depth,
        deadlock_count: seen.deadlock_count,
        deadlocks,
        finished_states: seen.finished_count,
        places,
        place_bounds,
        dead_transitions,
        tokens_conserved,
        properties,
        elapsed: started.elapsed(),
    })
}

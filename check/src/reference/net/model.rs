//! The reference interpreter itself: the pinned net semantics, one plain step at a time.

use std::collections::VecDeque;

use super::behaviour::{Action, RefBehaviour};
use super::counters::RefNetCounters;
use super::host::{RefInjectError, RefTakeError};
use super::spec::{ArcKind, ArcSpec, NetSpec};
use super::step::{ClockRegression, RefEmissionError, RefFault, RefRun, RefStep};
use super::trace::RefEvent;
use super::validate::{RefBuildError, validate};

/// A plainly written coloured Petri-net interpreter over tokens of type `C`.
///
/// After every operation it re-evaluates the structural enabling of every transition; it
/// keeps a full trace of events. Time is plain `u64` ticks.
#[derive(Clone, Debug)]
pub struct RefNet<C> {
    spec: NetSpec<C>,
    marking: Vec<VecDeque<C>>,
    last_seen: u64,
    /// Per transition: since when it has been continuously structurally enabled.
    enabled_since: Vec<Option<u64>>,
    /// Per transition: not ready at instants before this (set by a rollback).
    held_until: Vec<Option<u64>>,
    /// Per transition: sequence number of its latest successful firing (round robin).
    last_fired: Vec<Option<u64>>,
    firings_so_far: u64,
    counters: RefNetCounters,
    trace: Vec<RefEvent<C>>,
}

impl<C: Clone + PartialEq> RefNet<C> {
    /// An empty net at instant 0.
    ///
    /// # Errors
    /// The first [`RefBuildError`] [`validate`] finds.
    pub fn new(spec: NetSpec<C>) -> Result<Self, RefBuildError> {
        Self::starting_at(spec, 0)
    }

    /// An empty net whose clock starts at `start`: transitions enabled with no tokens
    /// (sources) count as enabled since `start`.
    ///
    /// # Errors
    /// The first [`RefBuildError`] [`validate`] finds.
    pub fn starting_at(spec: NetSpec<C>, start: u64) -> Result<Self, RefBuildError> {
        validate(&spec)?;
        let places = spec.places.len();
        let transitions = spec.transitions.len();
        let mut net = Self {
            spec,
            marking: vec![VecDeque::new(); places],
            last_seen: start,
            enabled_since: vec![None; transitions],
            held_until: vec![None; transitions],
            last_fired: vec![None; transitions],
            firings_so_far: 0,
            counters: RefNetCounters {
                firings: vec![0; transitions],
                failures: vec![0; transitions],
                high_water: vec![0; places],
                ..RefNetCounters::default()
            },
            trace: Vec::new(),
        };
        net.reevaluate(start, &[], None);
        Ok(net)
    }

    /// Appends `token` to the tail of `place` at `now`.
    ///
    /// # Errors
    /// [`RefInjectError::ClockRegression`] if `now` is earlier than the last instant seen,
    /// [`RefInjectError::UnknownPlace`], or [`RefInjectError::Full`] when the place holds
    /// `capacity` tokens (checked in that order). On error nothing changes (not even the
    /// last instant seen) and the token is handed back.
    pub fn inject(&mut self, place: usize, token: C, now: u64) -> Result<(), RefInjectError<C>> {
        if now < self.last_seen {
            return Err(RefInjectError::ClockRegression(token));
        }
        let Some(capacity) = self.spec.places.get(place).map(|spec| spec.capacity) else {
            return Err(RefInjectError::UnknownPlace(token));
        };
        if self.len(place) >= capacity as usize {
            return Err(RefInjectError::Full(token));
        }
        self.last_seen = now;
        self.append(place, token.clone());
        self.counters.injected = self.counters.injected.saturating_add(1);
        self.trace.push(RefEvent::Injected {
            place,
            token,
            at: now,
        });
        self.reevaluate(now, &[place], None);
        Ok(())
    }

    /// Pops the head token of `place`, at the last instant seen.
    ///
    /// # Errors
    /// [`RefTakeError::UnknownPlace`] or [`RefTakeError::Empty`]; nothing changes.
    pub fn take(&mut self, place: usize) -> Result<C, RefTakeError> {
        let queue = self
            .marking
            .get_mut(place)
            .ok_or(RefTakeError::UnknownPlace)?;
        let token = queue.pop_front().ok_or(RefTakeError::Empty)?;
        let at = self.last_seen;
        self.counters.taken = self.counters.taken.saturating_add(1);
        self.trace.push(RefEvent::Taken {
            place,
            token: token.clone(),
            at,
        });
        self.reevaluate(at, &[place], None);
        Ok(token)
    }

    /// Fires at most one transition at `now`: first `behaviour.poll(now)`, then the ready
    /// transition with the highest priority (ties: declaration order, or least recently
    /// fired with round robin).
    ///
    /// # Errors
    /// [`ClockRegression`] if `now` is earlier than the last instant seen; nothing changes.
    pub fn step(
        &mut self,
        now: u64,
        behaviour: &mut impl RefBehaviour<C>,
    ) -> Result<RefStep, ClockRegression> {
        self.advance_to(now)?;
        behaviour.poll(now);
        let Some(transition) = self.choose(now) else {
            self.reevaluate(now, &[], None);
            return Ok(RefStep::Idle);
        };
        Ok(self.fire(transition, now, behaviour))
    }

    /// Steps at `now` until nothing is ready or `budget` firings (successful or failed)
    /// happened.
    ///
    /// # Errors
    /// [`ClockRegression`] if `now` is earlier than the last instant seen; nothing changes.
    pub fn run(
        &mut self,
        now: u64,
        budget: u32,
        behaviour: &mut impl RefBehaviour<C>,
    ) -> Result<RefRun, ClockRegression> {
        self.advance_to(now)?;
        let mut run = RefRun::default();
        loop {
            if run.fired.saturating_add(run.failed) >= budget {
                run.exhausted = self.choose(now).is_some();
                return Ok(run);
            }
            match self.step(now, behaviour)? {
                RefStep::Idle => return Ok(run),
                RefStep::Fired { .. } => run.fired = run.fired.saturating_add(1),
                RefStep::Failed { .. } => run.failed = run.failed.saturating_add(1),
            }
        }
    }

    /// The earliest instant at which something can happen without new input: the last
    /// instant seen if a transition is ready, else the minimum of the enabled timed
    /// transitions' `since + delay` still ahead, the hold-until of held enabled
    /// transitions, and `behaviour.next_deadline()`.
    pub fn next_deadline(&self, behaviour: &impl RefBehaviour<C>) -> Option<u64> {
        let now = self.last_seen;
        let mut candidates: Vec<u64> = behaviour.next_deadline().into_iter().collect();
        for transition in 0..self.spec.transitions.len() {
            let Some(since) = self.enabled_since.get(transition).copied().flatten() else {
                continue;
            };
            if self.is_ready(transition, now) {
                candidates.push(now);
                continue;
            }
            let delay_ends = since.saturating_add(self.delay(transition));
            if delay_ends > now {
                candidates.push(delay_ends);
            }
            if let Some(until) = self.held_until(transition, now) {
                candidates.push(until);
            }
        }
        candidates.into_iter().min()
    }

    /// The tokens in `place`, head first (`None` for an unknown place).
    pub fn marking(&self, place: usize) -> Option<&VecDeque<C>> {
        self.marking.get(place)
    }

    /// How many tokens `place` holds (0 for an unknown place).
    pub fn len(&self, place: usize) -> usize {
        self.marking.get(place).map_or(0, VecDeque::len)
    }

    /// The last instant seen.
    pub fn last_seen(&self) -> u64 {
        self.last_seen
    }

    /// Since when `transition` has been continuously structurally enabled (`None`: not
    /// enabled or unknown).
    pub fn enabled_since(&self, transition: usize) -> Option<u64> {
        self.enabled_since.get(transition).copied().flatten()
    }

    /// Whether `transition` would be chosen as a candidate at instant `at`: enabled,
    /// its delay elapsed, and not held.
    pub fn is_ready(&self, transition: usize, at: u64) -> bool {
        self.enabled_since(transition)
            .is_some_and(|since| at >= since.saturating_add(self.delay(transition)))
            && self.held_until(transition, at).is_none()
    }

    /// The lifetime counters.
    pub fn counters(&self) -> &RefNetCounters {
        &self.counters
    }

    /// Every event so far, oldest first.
    pub fn trace(&self) -> &[RefEvent<C>] {
        &self.trace
    }

    /// The definition the net was built from.
    pub fn spec(&self) -> &NetSpec<C> {
        &self.spec
    }

    /// Token conservation: `injected + created == taken + retired + tokens in places`.
    pub fn tokens_conserved(&self) -> bool {
        let held: u64 = self.marking.iter().map(|queue| queue.len() as u64).sum();
        let came_in = u128::from(self.counters.injected) + u128::from(self.counters.created);
        let went_out = u128::from(self.counters.taken) + u128::from(self.counters.retired);
        came_in == went_out + u128::from(held)
    }

    fn advance_to(&mut self, now: u64) -> Result<(), ClockRegression> {
        if now < self.last_seen {
            return Err(ClockRegression {
                now,
                last_seen: self.last_seen,
            });
        }
        self.last_seen = now;
        Ok(())
    }

    fn delay(&self, transition: usize) -> u64 {
        self.spec
            .transitions
            .get(transition)
            .map_or(0, |spec| spec.delay)
    }

    /// The hold's end if `transition` is held at `at`.
    fn held_until(&self, transition: usize, at: u64) -> Option<u64> {
        self.held_until
            .get(transition)
            .copied()
            .flatten()
            .filter(|&until| at < until)
    }

    fn arcs_of(&self, transition: usize) -> impl Iterator<Item = &ArcSpec> {
        self.spec
            .arcs
            .iter()
            .filter(move |arc| arc.transition == transition)
    }

    fn capacity(&self, place: usize) -> u64 {
        self.spec
            .places
            .get(place)
            .map_or(0, |spec| u64::from(spec.capacity))
    }

    /// Weight of `transition`'s Input arc on `place`, else 0.
    fn input_weight(&self, transition: usize, place: usize) -> u64 {
        self.arcs_of(transition)
            .filter(|arc| arc.kind == ArcKind::Input && arc.place == place)
            .map(|arc| u64::from(arc.weight))
            .sum()
    }

    /// Weight of `transition`'s Output arc on `place`, or `None` if there is none.
    fn output_weight(&self, transition: usize, place: usize) -> Option<u64> {
        self.arcs_of(transition)
            .find(|arc| arc.kind == ArcKind::Output && arc.place == place)
            .map(|arc| u64::from(arc.weight))
    }

    /// The first `w` tokens of each Input place, in arc order (what a firing consumes).
    fn would_consume(&self, transition: usize) -> Vec<C> {
        self.arcs_of(transition)
            .filter(|arc| arc.kind == ArcKind::Input)
            .flat_map(|arc| {
                let queue = self.marking.get(arc.place);
                queue
                    .into_iter()
                    .flatten()
                    .take(arc.weight as usize)
                    .cloned()
            })
            .collect()
    }

    /// Rule 2: structural enabling, guard included.
    fn structurally_enabled(&self, transition: usize) -> bool {
        let Some(spec) = self.spec.transitions.get(transition) else {
            return false;
        };
        let arcs_allow = self.arcs_of(transition).all(|arc| {
            let len = self.len(arc.place) as u64;
            let weight = u64::from(arc.weight);
            match arc.kind {
                ArcKind::Input | ArcKind::Read => len >= weight,
                ArcKind::Inhibitor => len < weight,
                // len - in_w + w <= cap, rearranged so nothing can underflow.
                ArcKind::Output => {
                    len + weight
                        <= self.capacity(arc.place) + self.input_weight(transition, arc.place)
                }
            }
        });
        if !arcs_allow {
            return false;
        }
        if let Some(error_place) = spec.error_place {
            let consumed: u64 = self
                .arcs_of(transition)
                .filter(|arc| arc.kind == ArcKind::Input)
                .map(|arc| u64::from(arc.weight))
                .sum();
            if self.len(error_place) as u64 + consumed > self.capacity(error_place) {
                return false;
            }
        }
        spec.guard
            .as_ref()
            .is_none_or(|guard| guard.accepts(&self.would_consume(transition)))
    }

    /// Rules 3 and 4 after an operation at `at` that changed the marking of `changed`
    /// places; `fired` is the transition that just fired successfully, if any.
    fn reevaluate(&mut self, at: u64, changed: &[usize], fired: Option<usize>) {
        for transition in 0..self.spec.transitions.len() {
            let touches_changed = changed.iter().any(|&place| {
                self.arcs_of(transition).any(|arc| arc.place == place)
                    || self
                        .spec
                        .transitions
                        .get(transition)
                        .and_then(|spec| spec.error_place)
                        == Some(place)
            });
            if touches_changed && let Some(hold) = self.held_until.get_mut(transition) {
                *hold = None;
            }
            let enabled = self.structurally_enabled(transition);
            let restart = fired == Some(transition);
            if let Some(since) = self.enabled_since.get_mut(transition) {
                *since = match (enabled, *since) {
                    (false, _) => None,
                    (true, None) => Some(at),
                    (true, Some(_)) if restart => Some(at),
                    (true, Some(earlier)) => Some(earlier),
                };
            }
        }
    }

    /// Rule 5: the ready transition with the highest priority, ties broken by declaration
    /// order or, with round robin, by least recent successful firing.
    fn choose(&self, now: u64) -> Option<usize> {
        (0..self.spec.transitions.len())
            .filter(|&transition| self.is_ready(transition, now))
            .min_by_key(|&transition| {
                let priority = self
                    .spec
                    .transitions
                    .get(transition)
                    .map_or(0, |spec| spec.priority);
                // Sequence numbers start at 1, so a never-fired transition (0) sorts first.
                let recency = if self.spec.round_robin {
                    self.last_fired
                        .get(transition)
                        .copied()
                        .flatten()
                        .unwrap_or(0)
                } else {
                    0
                };
                (std::cmp::Reverse(priority), recency, transition)
            })
    }

    /// Rule 6: consume, call the behaviour, check its actions, then commit or fail.
    fn fire(
        &mut self,
        transition: usize,
        now: u64,
        behaviour: &mut impl RefBehaviour<C>,
    ) -> RefStep {
        let Some(spec) = self.spec.transitions.get(transition) else {
            return RefStep::Idle;
        };
        let (source, sink, error_place) = (spec.source, spec.sink, spec.error_place);
        let inputs: Vec<(usize, usize)> = self
            .arcs_of(transition)
            .filter(|arc| arc.kind == ArcKind::Input)
            .map(|arc| (arc.place, arc.weight as usize))
            .collect();
        let mut consumed = Vec::new();
        for &(place, weight) in &inputs {
            if let Some(queue) = self.marking.get_mut(place) {
                consumed.extend(queue.drain(..weight.min(queue.len())));
            }
        }

        let (actions, result) = behaviour.fire(transition, &consumed, now);
        let (produced, emission_error) = self.check_actions(transition, &consumed, actions);

        let fault = match (result, emission_error) {
            (Err(code), _) => Some(RefFault::Behaviour(code)),
            (Ok(()), Some(error)) => Some(RefFault::Emission(error)),
            (Ok(()), None) if !sink && produced.len() < consumed.len() => {
                Some(RefFault::LostTokens)
            }
            (Ok(()), None) if !source && produced.len() > consumed.len() => {
                Some(RefFault::InventedTokens)
            }
            (Ok(()), None) => None,
        };
        let input_places: Vec<usize> = inputs.iter().map(|&(place, _)| place).collect();

        let Some(fault) = fault else {
            return self.commit(transition, now, consumed, produced, input_places);
        };
        if let Some(count) = self.counters.failures.get_mut(transition) {
            *count = count.saturating_add(1);
        }
        let to_error_place = error_place.is_some();
        self.trace.push(RefEvent::Failed {
            transition,
            fault,
            to_error_place,
            at: now,
        });
        if let Some(error_place) = error_place {
            for token in consumed {
                self.append(error_place, token);
            }
            let mut changed = input_places;
            changed.push(error_place);
            self.reevaluate(now, &changed, None);
        } else {
            // Put every token back at the front of its place, in its original order.
            let mut rest = consumed.into_iter();
            for &(place, weight) in &inputs {
                let tokens: Vec<C> = rest.by_ref().take(weight).collect();
                if let Some(queue) = self.marking.get_mut(place) {
                    for token in tokens.into_iter().rev() {
                        queue.push_front(token);
                    }
                }
            }
            self.reevaluate(now, &[], None);
            if let Some(hold) = self.held_until.get_mut(transition) {
                *hold = Some(now.saturating_add(1));
            }
        }
        RefStep::Failed {
            transition,
            fault,
            to_error_place,
        }
    }

    /// Applies the checks of rule 6 to each action in order: the tokens a successful
    /// firing would append, and the first emission error. Invalid actions produce nothing.
    fn check_actions(
        &self,
        transition: usize,
        consumed: &[C],
        actions: Vec<Action<C>>,
    ) -> (Vec<(usize, C)>, Option<RefEmissionError>) {
        let mut produced: Vec<(usize, C)> = Vec::new();
        let mut forwarded = vec![false; consumed.len()];
        let mut first_error = None;
        for action in actions {
            // A forward checks its input first, then its place like an emit.
            let checked = match action {
                Action::Forward { input, place } => {
                    Self::check_forward(consumed, &forwarded, input).and_then(|token| {
                        self.check_output(transition, place, &produced)
                            .map(|()| (place, token, Some(input)))
                    })
                }
                Action::Emit { place, token } => self
                    .check_output(transition, place, &produced)
                    .map(|()| (place, token, None)),
            };
            match checked {
                Ok((place, token, input)) => {
                    if let Some(done) = input.and_then(|i| forwarded.get_mut(i)) {
                        *done = true;
                    }
                    produced.push((place, token));
                }
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        (produced, first_error)
    }

    /// Consumed token `input`, if it exists and was not forwarded yet.
    fn check_forward(
        consumed: &[C],
        forwarded: &[bool],
        input: usize,
    ) -> Result<C, RefEmissionError> {
        match (consumed.get(input), forwarded.get(input)) {
            (Some(_), Some(true)) => Err(RefEmissionError::AlreadyForwarded),
            (Some(token), Some(false)) => Ok(token.clone()),
            _ => Err(RefEmissionError::NoSuchInput),
        }
    }

    /// Whether `place` is an Output of `transition` that can take one more token, given
    /// what the firing has `produced` so far.
    fn check_output(
        &self,
        transition: usize,
        place: usize,
        produced: &[(usize, C)],
    ) -> Result<(), RefEmissionError> {
        let sent_so_far = produced
            .iter()
            .filter(|(target, _)| *target == place)
            .count() as u64;
        match self.output_weight(transition, place) {
            None => Err(RefEmissionError::UndeclaredOutput),
            Some(weight) if sent_so_far >= weight => Err(RefEmissionError::WeightExceeded),
            Some(_) => Ok(()),
        }
    }

    fn commit(
        &mut self,
        transition: usize,
        now: u64,
        consumed: Vec<C>,
        produced: Vec<(usize, C)>,
        input_places: Vec<usize>,
    ) -> RefStep {
        let (consumed_count, produced_count) = (consumed.len(), produced.len());
        let mut changed = input_places;
        for (place, token) in &produced {
            self.append(*place, token.clone());
            changed.push(*place);
        }
        let counters = &mut self.counters;
        counters.retired = counters
            .retired
            .saturating_add(consumed_count.saturating_sub(produced_count) as u64);
        counters.created = counters
            .created
            .saturating_add(produced_count.saturating_sub(consumed_count) as u64);
        if let Some(count) = counters.firings.get_mut(transition) {
            *count = count.saturating_add(1);
        }
        self.firings_so_far = self.firings_so_far.saturating_add(1);
        if let Some(last) = self.last_fired.get_mut(transition) {
            *last = Some(self.firings_so_far);
        }
        self.trace.push(RefEvent::Fired {
            transition,
            consumed,
            produced,
            at: now,
        });
        self.reevaluate(now, &changed, Some(transition));
        RefStep::Fired {
            transition,
            consumed: consumed_count,
            produced: produced_count,
        }
    }

    /// Appends `token` to the tail of `place` and updates its high-water mark.
    fn append(&mut self, place: usize, token: C) {
        if let Some(queue) = self.marking.get_mut(place) {
            queue.push_back(token);
            let len = queue.len();
            if let Some(mark) = self.counters.high_water.get_mut(place) {
                *mark = (*mark).max(len);
            }
        }
    }
}

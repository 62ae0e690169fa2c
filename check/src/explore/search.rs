//! Breadth-first search over any [`Model`]: every state once, in order of distance from
//! the initial state, so the first state found with a property has a shortest trace.

use super::model::Model;
use super::state_space::{MAX_STATES, StateIndex, StateSpace};

/// How far a search may go, and whom it tells how far it got.
pub struct SearchLimits<'a> {
    /// The most states stored; when one more would be stored the search stops and
    /// returns what it saw ([`Search::stopped_at_limit`]). At most
    /// [`MAX_STATES`](super::state_space::MAX_STATES).
    pub max_states: u64,
    /// The most deadlocks whose index is kept (all are counted).
    pub max_deadlocks_kept: usize,
    /// Called every [`PROGRESS_EVERY`] expanded states.
    pub progress: Option<&'a mut dyn FnMut(&Progress)>,
}

/// How many stored states have their successors generated, and their hash slots
/// touched, together.
pub(super) const TOUCH: usize = 32;

/// How often [`SearchLimits::progress`] is called, in expanded states.
pub const PROGRESS_EVERY: u64 = 1 << 16;

/// How far a running search has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// States stored so far.
    pub states: u64,
    /// States whose successors have been computed.
    pub expanded: u64,
    /// Steps (edges) seen so far.
    pub edges: u64,
    /// The breadth-first level being expanded.
    pub depth: u32,
}

/// What a breadth-first search saw.
#[derive(Debug)]
pub struct Search {
    /// Every state stored, with the shortest way to reach it.
    pub space: StateSpace,
    /// Steps seen from expanded states (each enabled label of each expanded state,
    /// whether or not it led to a new state).
    pub edges: u64,
    /// States whose successors were computed (all of them, unless stopped).
    pub expanded: u64,
    /// The deepest breadth-first level stored: the length of the longest shortest trace.
    pub depth: u32,
    /// Expanded states with no successor that the model does not call finished.
    pub deadlock_count: u64,
    /// Expanded states with no successor that the model calls finished
    /// ([`Model::is_finished`]): the intended ends.
    pub finished_count: u64,
    /// The first [`SearchLimits::max_deadlocks_kept`] of them, in breadth-first order.
    pub deadlocks: Vec<StateIndex>,
    /// Per label, whether some expanded state enabled it.
    pub fired: Vec<bool>,
    /// Whether the search stopped at [`SearchLimits::max_states`] before seeing every
    /// reachable state.
    pub stopped_at_limit: bool,
}

/// Successors of a run of consecutive stored states: all their keys one after the other,
/// the label of each, and where each state's successors end.
#[derive(Debug, Default)]
pub(super) struct Batch {
    pub(super) keys: Vec<u64>,
    pub(super) labels: Vec<u32>,
    pub(super) ends: Vec<usize>,
}

impl Batch {
    /// Generates the successors of `states` (keys one after the other) into `self`.
    pub(super) fn generate<M: Model>(
        &mut self,
        model: &M,
        states: &[u64],
        words: usize,
        scratch: &mut [u64],
    ) -> Result<(), M::Error> {
        self.keys.clear();
        self.labels.clear();
        self.ends.clear();
        for state in states.chunks_exact(words) {
            model.successors(state, scratch, |label, successor| {
                self.keys.extend_from_slice(successor);
                self.labels.push(label);
            })?;
            self.ends.push(self.labels.len());
        }
        Ok(())
    }
}

/// The search's running totals, and the breadth-first bookkeeping.
pub(super) struct Tally<'a, V> {
    pub(super) space: StateSpace,
    visit: V,
    progress: Option<&'a mut dyn FnMut(&Progress)>,
    max_states: u64,
    max_deadlocks_kept: usize,
    edges: u64,
    expanded: u64,
    deadlock_count: u64,
    finished_count: u64,
    deadlocks: Vec<StateIndex>,
    fired: Vec<bool>,
    stopped_at_limit: bool,
    /// States before `level_end` are at `level`, the rest at `level + 1`.
    level: u32,
    level_end: usize,
    /// The next state to expand.
    pub(super) next: usize,
    current: Vec<u64>,
}

impl<'a, V: FnMut(StateIndex, &[u64])> Tally<'a, V> {
    /// A search of `model` holding only its initial state (already visited).
    pub(super) fn start<M: Model>(model: &M, limits: SearchLimits<'a>, mut visit: V) -> Self {
        let words = model.words().max(1);
        let mut space = StateSpace::new(words);
        let mut current = vec![0u64; words];
        model.initial(&mut current);
        if let Some(root) = space.insert_root(&current) {
            visit(root, &current);
        }
        Self {
            space,
            visit,
            progress: limits.progress,
            max_states: limits.max_states.clamp(1, MAX_STATES),
            max_deadlocks_kept: limits.max_deadlocks_kept,
            edges: 0,
            expanded: 0,
            deadlock_count: 0,
            finished_count: 0,
            deadlocks: Vec::new(),
            fired: vec![false; model.labels()],
            stopped_at_limit: false,
            level: 0,
            level_end: 1,
            next: 0,
            current,
        }
    }

    /// Whether every stored state is expanded, or the search stopped at its limit.
    pub(super) fn done(&self) -> bool {
        self.stopped_at_limit || self.next >= self.space.len()
    }

    /// Stores the successors in `batch` of the states from `self.next` on, in order,
    /// exactly as if each state were expanded alone. The batch's home slots are touched
    /// first, so that memory serves them together.
    pub(super) fn absorb<M: Model>(&mut self, model: &M, batch: &Batch) {
        let words = self.current.len();
        let mut from = 0;
        for group in batch.ends.chunks(TOUCH) {
            let group_end = group.last().copied().unwrap_or(from);
            let mut fetched = 0u64;
            for key in batch
                .keys
                .get(from * words..group_end * words)
                .unwrap_or(&[])
                .chunks_exact(words)
            {
                fetched ^= self.space.touch(key);
            }
            std::hint::black_box(fetched);
            for &to in group {
                if self.next == self.level_end {
                    self.level += 1;
                    self.level_end = self.space.len();
                }
                let parent = index(self.next);
                for (k, &label) in (from..to).zip(batch.labels.get(from..to).unwrap_or(&[])) {
                    self.edges += 1;
                    if let Some(f) = self.fired.get_mut(label as usize) {
                        *f = true;
                    }
                    if self.stopped_at_limit {
                        continue;
                    }
                    let successor = batch.keys.get(k * words..(k + 1) * words).unwrap_or(&[]);
                    if self.space.len() as u64 >= self.max_states {
                        // Only a new state would go over the limit.
                        self.stopped_at_limit = !self.space.contains(successor);
                        continue;
                    }
                    if let Some(new) = self.space.insert(successor, parent, label) {
                        (self.visit)(new, successor);
                    }
                }
                if self.stopped_at_limit {
                    return;
                }
                if from == to {
                    self.current.copy_from_slice(self.space.key(parent));
                    if model.is_finished(&self.current) {
                        self.finished_count += 1;
                    } else {
                        self.deadlock_count += 1;
                        if self.deadlocks.len() < self.max_deadlocks_kept {
                            self.deadlocks.push(parent);
                        }
                    }
                }
                from = to;
                self.next += 1;
                self.expanded += 1;
                if self.expanded.is_multiple_of(PROGRESS_EVERY)
                    && let Some(report) = self.progress.as_mut()
                {
                    report(&Progress {
                        states: self.space.len() as u64,
                        expanded: self.expanded,
                        edges: self.edges,
                        depth: self.level,
                    });
                }
            }
        }
    }

    /// What the search saw.
    pub(super) fn finish(self) -> Search {
        let depth = if self.space.len() > self.level_end {
            self.level + 1
        } else {
            self.level
        };
        Search {
            space: self.space,
            edges: self.edges,
            expanded: self.expanded,
            depth,
            deadlock_count: self.deadlock_count,
            finished_count: self.finished_count,
            deadlocks: self.deadlocks,
            fired: self.fired,
            stopped_at_limit: self.stopped_at_limit,
        }
    }
}

/// Explores `model` breadth-first from its initial state, on the calling thread.
/// `visit(index, key)` is called once for each state when it is first stored, in
/// breadth-first order.
///
/// # Errors
/// The model's error, as soon as [`Model::successors`] returns it.
pub fn search<M: Model>(
    model: &M,
    limits: SearchLimits<'_>,
    visit: impl FnMut(StateIndex, &[u64]),
) -> Result<Search, M::Error> {
    let mut tally = Tally::start(model, limits, visit);
    let words = model.words().max(1);
    let mut scratch = vec![0u64; words];
    let mut states = Vec::new();
    let mut batch = Batch::default();
    while !tally.done() {
        let end = tally.space.len().min(tally.next + TOUCH);
        states.clear();
        for i in tally.next..end {
            states.extend_from_slice(tally.space.key(index(i)));
        }
        batch.generate(model, &states, words, &mut scratch)?;
        tally.absorb(model, &batch);
    }
    Ok(tally.finish())
}

/// A position in the space as a [`StateIndex`]; positions never exceed
/// [`MAX_STATES`], so this does not saturate in practice.
pub(super) fn index(i: usize) -> StateIndex {
    StateIndex::try_from(i).unwrap_or(StateIndex::MAX)
}

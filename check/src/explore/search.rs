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

/// How many stored states have their successors generated together.
const BATCH: usize = 32;

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
#[derive(Debug, Clone)]
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
    /// Expanded states with no successor.
    pub deadlock_count: u64,
    /// The first [`SearchLimits::max_deadlocks_kept`] of them, in breadth-first order.
    pub deadlocks: Vec<StateIndex>,
    /// Per label, whether some expanded state enabled it.
    pub fired: Vec<bool>,
    /// Whether the search stopped at [`SearchLimits::max_states`] before seeing every
    /// reachable state.
    pub stopped_at_limit: bool,
}

/// Explores `model` breadth-first from its initial state. `visit(index, key)` is
/// called once for each state when it is first stored, in breadth-first order.
///
/// # Errors
/// The model's error, as soon as [`Model::successors`] returns it.
pub fn search<M: Model>(
    model: &M,
    limits: SearchLimits<'_>,
    mut visit: impl FnMut(StateIndex, &[u64]),
) -> Result<Search, M::Error> {
    let words = model.words().max(1);
    let max_states = limits.max_states.clamp(1, MAX_STATES);
    let mut progress = limits.progress;
    let mut space = StateSpace::new(words);
    let mut current = vec![0u64; words];
    let mut scratch = vec![0u64; words];
    model.initial(&mut current);
    if let Some(root) = space.insert_root(&current) {
        visit(root, &current);
    }
    let mut edges: u64 = 0;
    let mut expanded: u64 = 0;
    let mut deadlock_count: u64 = 0;
    let mut deadlocks = Vec::new();
    let mut fired = vec![false; model.labels()];
    let mut stopped_at_limit = false;
    // States before `level_end` are at `level`, the rest at `level + 1`.
    let mut level: u32 = 0;
    let mut level_end: usize = 1;
    let mut next: usize = 0;
    // Successors of a batch of stored states, generated before any is looked up, so
    // that their hash slots can be fetched from memory together.
    let mut batch_keys: Vec<u64> = Vec::new();
    let mut batch_labels: Vec<u32> = Vec::new();
    let mut batch_ends: Vec<usize> = Vec::new();
    'search: while next < space.len() {
        let batch_end = space.len().min(next + BATCH);
        batch_keys.clear();
        batch_labels.clear();
        batch_ends.clear();
        for i in next..batch_end {
            current.copy_from_slice(space.key(index(i)));
            model.successors(&current, &mut scratch, |label, successor| {
                batch_keys.extend_from_slice(successor);
                batch_labels.push(label);
            })?;
            batch_ends.push(batch_labels.len());
        }
        let mut fetched = 0u64;
        for key in batch_keys.chunks_exact(words) {
            fetched ^= space.touch(key);
        }
        std::hint::black_box(fetched);
        let mut from = 0;
        for (i, &to) in (next..batch_end).zip(&batch_ends) {
            if i == level_end {
                level += 1;
                level_end = space.len();
            }
            let parent = index(i);
            for (k, &label) in (from..to).zip(&batch_labels[from..to]) {
                edges += 1;
                if let Some(f) = fired.get_mut(label as usize) {
                    *f = true;
                }
                if stopped_at_limit {
                    continue;
                }
                let successor = &batch_keys[k * words..(k + 1) * words];
                if space.len() as u64 >= max_states {
                    // Only a new state would go over the limit.
                    stopped_at_limit = !space.contains(successor);
                    continue;
                }
                if let Some(new) = space.insert(successor, parent, label) {
                    visit(new, successor);
                }
            }
            if stopped_at_limit {
                break 'search;
            }
            if from == to {
                current.copy_from_slice(space.key(parent));
                if !model.is_finished(&current) {
                    deadlock_count += 1;
                    if deadlocks.len() < limits.max_deadlocks_kept {
                        deadlocks.push(parent);
                    }
                }
            }
            from = to;
            next += 1;
            expanded += 1;
            if expanded.is_multiple_of(PROGRESS_EVERY)
                && let Some(report) = progress.as_mut()
            {
                report(&Progress {
                    states: space.len() as u64,
                    expanded,
                    edges,
                    depth: level,
                });
            }
        }
    }
    let depth = if space.len() > level_end {
        level + 1
    } else {
        level
    };
    Ok(Search {
        space,
        edges,
        expanded,
        depth,
        deadlock_count,
        deadlocks,
        fired,
        stopped_at_limit,
    })
}

/// A position in the space as a [`StateIndex`]; positions never exceed
/// [`MAX_STATES`], so this does not saturate in practice.
fn index(i: usize) -> StateIndex {
    StateIndex::try_from(i).unwrap_or(StateIndex::MAX)
}

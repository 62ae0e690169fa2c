//! What an exploration of a P/T net found.

use std::time::Duration;

use super::options::PropertyKind;
use crate::pt_net::{PtNet, TransitionIndex};

/// A shortest firing sequence from the initial marking, and the marking it ends in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The transitions fired, in order.
    pub transitions: Vec<TransitionIndex>,
    /// The marking reached, one count per place.
    pub marking: Vec<u64>,
}

impl Trace {
    /// The ids of the transitions fired, in order.
    #[must_use]
    pub fn ids<'n>(&self, net: &'n PtNet) -> Vec<&'n str> {
        self.transitions
            .iter()
            .map(|t| net.transitions().get(t.0).map_or("?", |t| t.id.as_str()))
            .collect()
    }
}

/// The answer to one [`Property`](super::Property).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// An `Always` property held in every reachable marking (the exploration was
    /// complete).
    Holds,
    /// An `Always` property failed; the shortest trace to a marking where it fails.
    Violated(Trace),
    /// A `Reachable` predicate holds; the shortest trace to a marking where it does.
    Reached(Trace),
    /// A `Reachable` predicate holds in no reachable marking (the exploration was
    /// complete).
    Unreachable,
    /// The exploration stopped at its state limit before an answer was found.
    Unknown,
}

/// A property's name, kind and verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyResult {
    /// The name given to the property.
    pub name: String,
    /// What it asked.
    pub kind: PropertyKind,
    /// The answer.
    pub verdict: Verdict,
}

/// Everything an exploration saw. When [`Exploration::complete`] is false the
/// exploration stopped at [`Options::max_states`](super::Options::max_states) and every
/// count, bound and list covers only the markings seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Exploration {
    /// Whether every reachable marking was seen.
    pub complete: bool,
    /// The state limit the exploration ran under.
    pub max_states: u64,
    /// Distinct markings stored (all reachable markings, when complete).
    pub states: u64,
    /// Markings whose enabled transitions were all fired.
    pub expanded: u64,
    /// Firings seen from expanded markings: one per enabled transition per marking.
    pub edges: u64,
    /// The length of the longest shortest trace to a stored marking.
    pub depth: u32,
    /// Expanded markings that enable no transition and are not declared finished.
    pub deadlock_count: u64,
    /// Shortest traces to the first deadlocks, shortest first
    /// (at most [`Options::max_deadlocks_kept`](super::Options::max_deadlocks_kept)).
    pub deadlocks: Vec<Trace>,
    /// Per place, the most tokens it held in a stored marking.
    pub place_bounds: Vec<u64>,
    /// Transitions enabled in no expanded marking, by index.
    pub dead_transitions: Vec<TransitionIndex>,
    /// The properties' answers, in the order they were given.
    pub properties: Vec<PropertyResult>,
    /// The `u64` words of one packed marking.
    pub words_per_state: usize,
    /// The bits of the packed marking that fields use.
    pub bits_per_state: u32,
    /// Bytes allocated for the stored markings, their parents and the hash set.
    pub memory_bytes: usize,
    /// Wall-clock time of the exploration, including restarts after a field overflow.
    pub elapsed: Duration,
    /// How many times the exploration restarted with a wider field for a place no
    /// invariant bounds.
    pub restarts: u32,
}

impl Exploration {
    /// Memory per stored marking, in bytes.
    #[must_use]
    pub fn bytes_per_state(&self) -> f64 {
        self.memory_bytes as f64 / self.states.max(1) as f64
    }

    /// Stored markings per second of [`Exploration::elapsed`].
    #[must_use]
    pub fn states_per_second(&self) -> f64 {
        self.states as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

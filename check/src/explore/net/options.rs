//! What an exploration of a running net checks and how far it may go.

use super::state::NetState;
use super::system::DEFAULT_RUN_BUDGET;
use crate::explore::{DEFAULT_MAX_DEADLOCKS_KEPT, PropertyKind};

/// A question about one state of an explored net.
pub(super) type StatePredicate<'a, S, B> = Box<dyn Fn(&NetState<S, B>) -> bool + 'a>;

/// The default state limit of a [`NetExplorer`](super::NetExplorer): each state is a
/// whole net by value, so far fewer than a P/T net's packed markings.
pub const DEFAULT_MAX_NET_STATES: u64 = 1_000_000;

/// What a [`NetExplorer`](super::NetExplorer) checks on every state, and its limits.
pub(super) struct NetOptions<'a, S, B> {
    /// The most states stored; past it the exploration stops, incomplete.
    pub(super) max_states: u64,
    /// The most deadlock traces kept (all deadlocks are counted).
    pub(super) max_deadlocks_kept: usize,
    /// The most firings at one instant before the net must be at rest.
    pub(super) run_budget: u32,
    /// The properties, in the order given: name, kind, predicate.
    pub(super) properties: Vec<(String, PropertyKind, StatePredicate<'a, S, B>)>,
    /// Which states where nothing can happen are intended ends, not deadlocks.
    pub(super) finished: Option<StatePredicate<'a, S, B>>,
}

impl<S, B> std::fmt::Debug for NetOptions<'_, S, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetOptions")
            .field("max_states", &self.max_states)
            .field("max_deadlocks_kept", &self.max_deadlocks_kept)
            .field("run_budget", &self.run_budget)
            .field(
                "properties",
                &self.properties.iter().map(|p| &p.0).collect::<Vec<_>>(),
            )
            .field("finished", &self.finished.is_some())
            .finish()
    }
}

impl<S, B> NetOptions<'_, S, B> {
    /// No properties, no finished states, the default limits.
    pub(super) fn new() -> Self {
        Self {
            max_states: DEFAULT_MAX_NET_STATES,
            max_deadlocks_kept: DEFAULT_MAX_DEADLOCKS_KEPT,
            run_budget: DEFAULT_RUN_BUDGET,
            properties: Vec::new(),
            finished: None,
        }
    }
}

//! What an exploration of a running net checks and how far it may go.

use super::state::NetState;
use super::system::DEFAULT_RUN_BUDGET;
use crate::explore::{DEFAULT_MAX_DEADLOCKS_KEPT, PropertyKind};

/// A question about one state of an explored net.
pub type StatePredicate<'a, S, B> = Box<dyn Fn(&NetState<S, B>) -> bool + 'a>;

/// The default state limit of [`explore_net`](super::explore_net): each state is a
/// whole net by value, so far fewer than a P/T net's packed markings.
pub const DEFAULT_MAX_NET_STATES: u64 = 1_000_000;

/// What [`explore_net`](super::explore_net) checks on every state, and its limits.
pub struct NetOptions<'a, S, B> {
    /// The most states stored; past it the exploration stops, incomplete.
    pub max_states: u64,
    /// The most deadlock traces kept (all deadlocks are counted).
    pub max_deadlocks_kept: usize,
    /// The most firings at one instant before the net must be at rest.
    pub run_budget: u32,
    /// The properties, in the order given: name, kind, predicate.
    pub properties: Vec<(String, PropertyKind, StatePredicate<'a, S, B>)>,
    /// Which states where nothing can happen are intended ends, not deadlocks.
    pub finished: Option<StatePredicate<'a, S, B>>,
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

impl<S, B> Default for NetOptions<'_, S, B> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a, S, B> NetOptions<'a, S, B> {
    /// No properties, no finished states, the default limits.
    #[must_use]
    pub fn new() -> Self {
        Self {
            max_states: DEFAULT_MAX_NET_STATES,
            max_deadlocks_kept: DEFAULT_MAX_DEADLOCKS_KEPT,
            run_budget: DEFAULT_RUN_BUDGET,
            properties: Vec::new(),
            finished: None,
        }
    }

    /// Stops after `n` states, incomplete.
    #[must_use]
    pub fn max_states(mut self, n: u64) -> Self {
        self.max_states = n;
        self
    }

    /// Allows `n` firings at one instant before the net must be at rest.
    #[must_use]
    pub fn run_budget(mut self, n: u32) -> Self {
        self.run_budget = n;
        self
    }

    /// Asks that `predicate` hold in every reachable state; a violation comes with a
    /// shortest trace to it.
    #[must_use]
    pub fn always(
        mut self,
        name: impl Into<String>,
        predicate: impl Fn(&NetState<S, B>) -> bool + 'a,
    ) -> Self {
        self.properties
            .push((name.into(), PropertyKind::Always, Box::new(predicate)));
        self
    }

    /// Asks whether some reachable state satisfies `predicate`, with a shortest trace to
    /// one.
    #[must_use]
    pub fn reachable(
        mut self,
        name: impl Into<String>,
        predicate: impl Fn(&NetState<S, B>) -> bool + 'a,
    ) -> Self {
        self.properties
            .push((name.into(), PropertyKind::Reachable, Box::new(predicate)));
        self
    }

    /// Declares which states where nothing can happen are intended ends (every request
    /// answered, say) rather than deadlocks.
    #[must_use]
    pub fn finished(mut self, predicate: impl Fn(&NetState<S, B>) -> bool + 'a) -> Self {
        self.finished = Some(Box::new(predicate));
        self
    }
}

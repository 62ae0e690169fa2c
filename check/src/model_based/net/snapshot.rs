//! Everything observable about a net between calls, in one comparable value.

use crate::reference::net::{RefBehaviour, RefNet};
use mycel::sched::Behaviour;

use super::engine::EngineNet;

/// What a transition has done so far and whether it is enabled now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransitionState {
    /// Successful firings.
    pub firings: u64,
    /// Failed firings.
    pub failures: u64,
    /// Enabled by the current marking (ready, waiting for its delay, or held).
    pub enabled: bool,
}

/// The observable state of a net.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Snapshot {
    /// Per place, its tokens head first.
    pub marking: Vec<Vec<u32>>,
    /// Per place, the most tokens it ever held.
    pub high_water: Vec<usize>,
    /// Tokens the host injected.
    pub injected: u64,
    /// Tokens the host took.
    pub taken: u64,
    /// Tokens sources created.
    pub created: u64,
    /// Tokens sinks retired.
    pub retired: u64,
    /// Successful firings of all transitions.
    pub firings: u64,
    /// Failed firings of all transitions.
    pub failures: u64,
    /// Per transition.
    pub transitions: Vec<TransitionState>,
    /// The last instant seen, in ticks.
    pub last_seen: u64,
    /// When to call again, in ticks.
    pub next_deadline: Option<u64>,
}

impl Snapshot {
    /// The engine's state (with `behaviour` for its deadline).
    #[must_use]
    pub fn of_engine<B: Behaviour<u32>>(net: &EngineNet, behaviour: &B) -> Self {
        let counters = net.counters();
        Self {
            marking: net
                .places()
                .map(|p| net.tokens(p).copied().collect())
                .collect(),
            high_water: net.places().map(|p| net.high_water(p)).collect(),
            injected: counters.injected,
            taken: counters.taken,
            created: counters.created,
            retired: counters.retired,
            firings: counters.firings,
            failures: counters.failures,
            transitions: net
                .transitions()
                .map(|t| TransitionState {
                    firings: u64::from(net.firings(t)),
                    failures: u64::from(net.failures(t)),
                    enabled: net.is_enabled(t),
                })
                .collect(),
            last_seen: net.last_seen().as_ticks(),
            next_deadline: net.next_deadline(behaviour).map(|d| d.as_ticks()),
        }
    }

    /// The reference's state (with `behaviour` for its deadline).
    #[must_use]
    pub fn of_reference<B: RefBehaviour<u32>>(net: &RefNet<u32>, behaviour: &B) -> Self {
        let spec = net.spec();
        let counters = net.counters();
        Self {
            marking: (0..spec.places.len())
                .map(|p| {
                    net.marking(p)
                        .map_or_else(Vec::new, |q| q.iter().copied().collect())
                })
                .collect(),
            high_water: counters.high_water.clone(),
            injected: counters.injected,
            taken: counters.taken,
            created: counters.created,
            retired: counters.retired,
            firings: counters.firings.iter().sum(),
            failures: counters.failures.iter().sum(),
            transitions: (0..spec.transitions.len())
                .map(|t| TransitionState {
                    firings: counters.firings.get(t).copied().unwrap_or(0),
                    failures: counters.failures.get(t).copied().unwrap_or(0),
                    enabled: net.enabled_since(t).is_some(),
                })
                .collect(),
            last_seen: net.last_seen(),
            next_deadline: net.next_deadline(behaviour),
        }
    }

    /// Tokens held in all places.
    #[must_use]
    pub fn held(&self) -> u64 {
        self.marking.iter().map(|q| q.len() as u64).sum()
    }

    /// Tokens in place `p` (0 for an unknown place).
    #[must_use]
    pub fn len(&self, p: usize) -> usize {
        self.marking.get(p).map_or(0, Vec::len)
    }

    /// The state with `next_deadline` and `last_seen` left out, for comparing nets
    /// that saw different instants.
    #[must_use]
    pub fn timeless(&self) -> Self {
        Self {
            last_seen: 0,
            next_deadline: None,
            ..self.clone()
        }
    }
}

//! State changes as values, and the small buffer that carries them out of a call.

use super::Label;
use crate::time::Instant;

/// How many state changes one call can report; see [`Changes`].
pub const MAX_CHANGES_PER_CALL: usize = 4;

/// One state change of one machine: what it was, what it is, when and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StateChange {
    /// The machine's name ([`crate::fsm::Machine::NAME`]).
    pub machine: &'static str,
    /// Which instance of that machine (e.g. the backend index in a breaker bank).
    pub instance: u32,
    /// The kind of the state left.
    pub from: Label,
    /// The kind of the state entered.
    pub to: Label,
    /// Why: the declared cause (an event, a policy, a timeout).
    pub cause: Label,
    /// The instant of the change. For a timeout this is the deadline itself, even when
    /// it was observed later, so the result does not depend on how often time is polled.
    pub at: Instant,
}

/// Where a machine's runtime puts the state changes of a call.
///
/// [`Changes`] keeps them as they are; a caller with its own representation (a
/// breaker's typed changes, a trace writer) implements this to receive each change
/// without a buffer being built and copied for calls that change nothing.
pub trait ChangeSink {
    /// Receives one change; changes arrive in the order they happened.
    fn push(&mut self, change: StateChange);
}

impl ChangeSink for Changes {
    #[inline]
    fn push(&mut self, change: StateChange) {
        Changes::push(self, change);
    }
}

/// The state changes produced by one call, in the order they happened.
///
/// Bounded by [`MAX_CHANGES_PER_CALL`]; a change that does not fit is counted in
/// [`Changes::dropped`] instead of being lost silently. The runtime never produces more
/// than [`crate::fsm::MAX_CHAINED_TIMEOUTS`] + 1 changes per call, which fits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    list: heapless::Vec<StateChange, MAX_CHANGES_PER_CALL>,
    dropped: u16,
}

impl Changes {
    /// An empty buffer.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            list: heapless::Vec::new(),
            dropped: 0,
        }
    }

    /// Appends a change, or counts it as dropped when the buffer is full.
    pub fn push(&mut self, change: StateChange) {
        if self.list.push(change).is_err() {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// Appends every change of `other`, keeping order and dropped counts.
    pub fn extend_from(&mut self, other: &Changes) {
        for c in other.iter() {
            self.push(*c);
        }
        self.dropped = self.dropped.saturating_add(other.dropped);
    }

    /// The changes, oldest first.
    pub fn iter(&self) -> core::slice::Iter<'_, StateChange> {
        self.list.iter()
    }

    /// The changes as a slice, oldest first.
    #[must_use]
    pub fn as_slice(&self) -> &[StateChange] {
        &self.list
    }

    /// How many changes are held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether no change is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many changes did not fit (0 unless a machine chains unusually many timeouts).
    #[must_use]
    pub const fn dropped(&self) -> u16 {
        self.dropped
    }

    /// The most recent change, if any.
    #[must_use]
    pub fn last(&self) -> Option<&StateChange> {
        self.list.last()
    }

    /// Empties the buffer and its dropped count.
    pub fn clear(&mut self) {
        self.list.clear();
        self.dropped = 0;
    }
}

impl<'a> IntoIterator for &'a Changes {
    type Item = &'a StateChange;
    type IntoIter = core::slice::Iter<'a, StateChange>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(n: u32) -> StateChange {
        StateChange {
            machine: "m",
            instance: n,
            from: "a".into(),
            to: "b".into(),
            cause: "e".into(),
            at: Instant::from_ticks(u64::from(n)),
        }
    }

    #[test]
    fn overflowing_changes_are_counted_not_lost_silently() {
        let mut c = Changes::new();
        for n in 0..6 {
            c.push(change(n));
        }
        assert_eq!(c.len(), MAX_CHANGES_PER_CALL);
        assert_eq!(c.dropped(), 2);
        assert_eq!(c.as_slice()[0].instance, 0);
        c.clear();
        assert!(c.is_empty());
        assert_eq!(c.dropped(), 0);
    }
    #[test]
    fn extending_keeps_order_and_adds_up_what_both_dropped() {
        let mut first = Changes::new();
        first.push(change(0));
        let mut second = Changes::new();
        for n in 1..=6 {
            second.push(change(n));
        }
        assert_eq!(second.dropped(), 2);
        first.extend_from(&second);
        let instances: heapless::Vec<u32, 4> = first.iter().map(|c| c.instance).collect();
        assert_eq!(instances.as_slice(), [0, 1, 2, 3]);
        // Two dropped by `second`, and its fourth change found `first` full.
        assert_eq!(first.dropped(), 3);
    }
}

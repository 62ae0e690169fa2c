//! The typed state changes one breaker call made.

use super::BreakerChange;
use crate::fsm::{ChangeSink, StateChange};

/// The most state changes one breaker call can make: two due timeouts (a half-open
/// maximum wait reopening, then that open period ending) and the call's own change.
pub const MAX_BREAKER_CHANGES: usize = 3;

/// The state changes one breaker call made, oldest first, as compact typed values.
///
/// Kept small (a few dozen bytes) because every `try_acquire` and `record` returns one,
/// and almost always empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BreakerChanges {
    list: heapless::Vec<BreakerChange, MAX_BREAKER_CHANGES, u8>,
    /// The call was an operator reset (reported after the changes).
    reset: bool,
}

impl BreakerChanges {
    /// No changes.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            list: heapless::Vec::new(),
            reset: false,
        }
    }

    /// Marks the call as an operator reset.
    pub(crate) fn mark_reset(&mut self) {
        self.reset = true;
    }

    /// Whether the call was an operator reset: after its state change `X -> CLOSED`
    /// if it had one, the reset itself is reported (also from CLOSED, where the reset
    /// is all there is to report).
    #[must_use]
    pub fn is_reset(&self) -> bool {
        self.reset
    }

    /// The changes as a slice, oldest first.
    #[must_use]
    pub fn as_slice(&self) -> &[BreakerChange] {
        &self.list
    }

    /// The changes, oldest first.
    pub fn iter(&self) -> core::slice::Iter<'_, BreakerChange> {
        self.list.iter()
    }

    /// How many changes the call made.
    #[must_use]
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the call changed nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The latest change, if any.
    #[must_use]
    pub fn last(&self) -> Option<&BreakerChange> {
        self.list.last()
    }
}

impl ChangeSink for BreakerChanges {
    #[inline]
    fn push(&mut self, change: StateChange) {
        // The runtime never reports more than MAX_BREAKER_CHANGES per breaker call,
        // and only breaker changes reach this sink.
        if let Some(typed) = BreakerChange::from_state_change(&change) {
            let _ = self.list.push(typed);
        }
    }
}

impl<'a> IntoIterator for &'a BreakerChanges {
    type Item = &'a BreakerChange;
    type IntoIter = core::slice::Iter<'a, BreakerChange>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

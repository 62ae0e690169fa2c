//! What a net reports while it runs.

use super::FiringError;
use crate::fsm::{ChangeSink, StateChange};
use crate::net::{PlaceId, TransitionId};
use crate::time::Instant;

/// Where the consumed tokens of a failed firing went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Disposition {
    /// Back to the front of their places, in their original order.
    RolledBack,
    /// To the transition's error place, in consumption order.
    ToErrorPlace(PlaceId),
}

/// One thing that happened in a net.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum NetEvent {
    /// The host injected a token.
    Injected {
        /// Into this place.
        place: PlaceId,
        /// At this instant.
        at: Instant,
    },
    /// The host's token was refused because the place was full.
    Refused {
        /// The full place.
        place: PlaceId,
        /// At this instant.
        at: Instant,
    },
    /// The host took a token.
    Taken {
        /// From this place.
        place: PlaceId,
        /// At the last instant the net had seen.
        at: Instant,
    },
    /// A transition fired.
    Fired {
        /// The transition.
        transition: TransitionId,
        /// At this instant.
        at: Instant,
        /// Tokens it consumed.
        consumed: u16,
        /// Tokens it produced.
        produced: u16,
    },
    /// A firing failed and was undone.
    Failed {
        /// The transition.
        transition: TransitionId,
        /// At this instant.
        at: Instant,
        /// Why the firing failed.
        error: FiringError,
        /// Where the consumed tokens went.
        disposition: Disposition,
    },
    /// An embedded machine changed state.
    StateChanged(StateChange),
}

/// Receives every [`NetEvent`] of the calls it is passed to.
///
/// `()` ignores everything; any `FnMut(&NetEvent)` closure is an observer.
pub trait Observer {
    /// Called once per event, in the order events happen.
    fn on_event(&mut self, event: &NetEvent);
}

impl Observer for () {
    #[inline]
    fn on_event(&mut self, _: &NetEvent) {}
}

impl<F: FnMut(&NetEvent)> Observer for F {
    #[inline]
    fn on_event(&mut self, event: &NetEvent) {
        self(event);
    }
}

/// Passes the state changes of embedded machines straight to an observer, as they
/// happen, so none has to wait in a bounded buffer.
pub(crate) struct ReportChanges<'a, O>(pub(crate) &'a mut O);

impl<O: Observer> ChangeSink for ReportChanges<'_, O> {
    #[inline]
    fn push(&mut self, change: StateChange) {
        self.0.on_event(&NetEvent::StateChanged(change));
    }
}

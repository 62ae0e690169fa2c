//! What a net reports while it runs.

use super::FiringError;
use crate::fsm::{ChangeSink, StateChange};
use crate::net::{Named, PlaceId, TransitionId};
use crate::time::Instant;

/// Where the consumed tokens of a failed firing went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Disposition {
    /// Back to the front of their places, in their original order.
    RolledBack,
    /// To the transition's error place, in consumption order.
    ToErrorPlace {
        /// The error place.
        place: PlaceId,
        /// Its name.
        name: &'static str,
    },
}

/// One thing that happened in a net.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum NetEvent {
    /// The host injected a token.
    Injected {
        /// Into this place.
        place: PlaceId,
        /// Its name.
        name: &'static str,
        /// At this instant.
        at: Instant,
    },
    /// The host's token was refused because the place was full.
    Refused {
        /// The full place.
        place: PlaceId,
        /// Its name.
        name: &'static str,
        /// At this instant.
        at: Instant,
    },
    /// The host took a token.
    Taken {
        /// From this place.
        place: PlaceId,
        /// Its name.
        name: &'static str,
        /// At the last instant the net had seen.
        at: Instant,
    },
    /// A transition fired.
    Fired {
        /// The transition.
        transition: TransitionId,
        /// Its name.
        name: &'static str,
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
        /// Its name.
        name: &'static str,
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

/// An instant as milliseconds with three decimals.
struct Millis(Instant);

impl core::fmt::Display for Millis {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let us = self.0.as_micros();
        write!(f, "{}.{:03} ms", us / 1000, us % 1000)
    }
}

impl core::fmt::Display for Disposition {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::RolledBack => f.write_str("the consumed tokens went back to their places"),
            Self::ToErrorPlace { place, name } => write!(
                f,
                "the consumed tokens went to the error place {}",
                Named(name, place.index())
            ),
        }
    }
}

impl core::fmt::Display for NetEvent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Injected { place, name, at } => {
                write!(
                    f,
                    "{} injected at {}",
                    Named(name, place.index()),
                    Millis(*at)
                )
            }
            Self::Refused { place, name, at } => write!(
                f,
                "{} refused a token at {}: it is full",
                Named(name, place.index()),
                Millis(*at)
            ),
            Self::Taken { place, name, at } => {
                write!(
                    f,
                    "{} gave a token at {}",
                    Named(name, place.index()),
                    Millis(*at)
                )
            }
            Self::Fired {
                transition,
                name,
                at,
                consumed,
                produced,
            } => write!(
                f,
                "{} fired at {}: {consumed} consumed, {produced} produced",
                Named(name, transition.index()),
                Millis(*at)
            ),
            Self::Failed {
                transition,
                name,
                at,
                error,
                disposition,
            } => write!(
                f,
                "{} failed at {}: {error}; {disposition}",
                Named(name, transition.index()),
                Millis(*at)
            ),
            Self::StateChanged(c) => write!(
                f,
                "{}#{}: {} -> {} ({}) at {}",
                c.machine,
                c.instance,
                c.from,
                c.to,
                c.cause,
                Millis(c.at)
            ),
        }
    }
}

/// Receives every [`NetEvent`] of the calls it is passed to.
///
/// `()` ignores everything; any `FnMut(&NetEvent)` closure is an observer.
pub trait Observer {
    /// Called once per event, in the order events happen.
    fn on_event(&mut self, event: &NetEvent);

    /// Called for each state change of an embedded machine as it happens, in place of
    /// `on_event(&NetEvent::StateChanged(*change))`, which is what it does unless
    /// overridden. An observer that handles changes on their own may override it, so
    /// the change is not copied into an event first (a firing's deepest stack path on
    /// small targets runs through here).
    #[inline]
    fn on_state_change(&mut self, change: &StateChange) {
        self.on_event(&NetEvent::StateChanged(*change));
    }
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
        self.0.on_state_change(&change);
    }
}

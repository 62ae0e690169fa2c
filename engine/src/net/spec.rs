//! Declarations of places and transitions, as given to the builder.

use super::{Heads, PlaceId};
use crate::time::Duration;

/// A guard: a pure predicate over the tokens a transition would consume.
///
/// It is a plain function (no captured state) because the engine caches its answer
/// until the marking of one of the transition's places changes.
pub type Guard<C> = fn(&Heads<'_, C>) -> bool;

/// A place as declared: a name and a capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PlaceSpec {
    /// Name used in diagrams and traces.
    pub name: &'static str,
    /// The most tokens the place can hold.
    pub capacity: u16,
}

impl PlaceSpec {
    pub(crate) const EMPTY: Self = Self {
        name: "",
        capacity: 0,
    };
}

/// How a transition behaves, apart from its arcs. Build one with the `const` methods:
///
/// ```
/// use mycel::net::TransitionSpec;
/// use mycel::time::Duration;
/// let spec: TransitionSpec<u8> = TransitionSpec::new().priority(2).delay(Duration::from_millis(5));
/// assert_eq!(spec.priority, 2);
/// ```
#[derive(Debug)]
pub struct TransitionSpec<C> {
    /// Higher fires first among enabled transitions (default 0).
    pub priority: u8,
    /// The transition fires only after being enabled continuously this long (default 0).
    pub delay: Duration,
    /// Must accept the tokens the transition would consume (default: none, always accepts).
    pub guard: Option<Guard<C>>,
    /// Where consumed tokens go when the behaviour fails (default: back where they came from).
    pub error_place: Option<PlaceId>,
    /// May produce more tokens than it consumes, and may have no input arc.
    pub source: bool,
    /// May produce fewer tokens than it consumes (the rest retire from the net).
    pub sink: bool,
}

impl<C> Clone for TransitionSpec<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for TransitionSpec<C> {}

impl<C> Default for TransitionSpec<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C> TransitionSpec<C> {
    /// Priority 0, no delay, no guard, no error place, neither source nor sink.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            priority: 0,
            delay: Duration::from_ticks(0),
            guard: None,
            error_place: None,
            source: false,
            sink: false,
        }
    }

    /// Sets the priority (higher fires first).
    #[must_use]
    pub const fn priority(mut self, priority: u8) -> Self {
        self.priority = priority;
        self
    }

    /// Sets the delay the transition must stay enabled before it can fire.
    #[must_use]
    pub const fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sets the guard.
    #[must_use]
    pub const fn guard(mut self, guard: Guard<C>) -> Self {
        self.guard = Some(guard);
        self
    }

    /// Sends consumed tokens to `place` when the behaviour fails, instead of rolling back.
    #[must_use]
    pub const fn error_place(mut self, place: PlaceId) -> Self {
        self.error_place = Some(place);
        self
    }

    /// Declares a source: it may have no inputs and may produce more than it consumes.
    #[must_use]
    pub const fn source(mut self) -> Self {
        self.source = true;
        self
    }

    /// Declares a sink: it may produce fewer tokens than it consumes.
    #[must_use]
    pub const fn sink(mut self) -> Self {
        self.sink = true;
        self
    }
}

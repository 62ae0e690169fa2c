//! One state of an explored net: the net at rest between two outside events.

use mycel::net::PlaceId;
use mycel::time::Instant;

use crate::kit::Subject;

/// A running net at rest (nothing can fire until something happens from outside or
/// time passes), with its behaviour, as the explorer keeps it: what properties are
/// asked about.
///
/// The subject is the net itself (a declared net's owned machines with it, reachable
/// as its fields), the behaviour holds the machines of a net made with the builder.
#[derive(Clone, Debug)]
pub struct NetState<S, B> {
    pub(super) subject: S,
    pub(super) behaviour: B,
    pub(super) now: Instant,
    /// How many tokens each inject event has injected, by event.
    pub(super) injected: Vec<u32>,
}

impl<S, B> NetState<S, B> {
    /// The net, with the machines it owns.
    #[must_use]
    pub fn subject(&self) -> &S {
        &self.subject
    }

    /// The behaviour, with the machines it holds.
    #[must_use]
    pub fn behaviour(&self) -> &B {
        &self.behaviour
    }

    /// The instant the net is at: moved only by timeouts.
    #[must_use]
    pub fn now(&self) -> Instant {
        self.now
    }

    /// How many tokens the inject event at position `event` of the environment has
    /// injected on the way here (0 for an event that is not an inject).
    #[must_use]
    pub fn injected(&self, event: usize) -> u32 {
        self.injected.get(event).copied().unwrap_or(0)
    }

    /// How many tokens `place` holds.
    #[must_use]
    pub fn len<C, const P: usize, const T: usize, const A: usize, const K: usize>(
        &self,
        place: PlaceId,
    ) -> usize
    where
        S: Subject<C, P, T, A, K>,
    {
        self.subject.net().len(place)
    }

    /// The tokens of `place`, head first.
    pub fn tokens<'s, C: 's, const P: usize, const T: usize, const A: usize, const K: usize>(
        &'s self,
        place: PlaceId,
    ) -> impl Iterator<Item = &'s C> + 's
    where
        S: Subject<C, P, T, A, K>,
    {
        self.subject.net().tokens(place)
    }
}

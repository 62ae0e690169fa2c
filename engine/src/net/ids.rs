//! Ids of places and transitions, and the tag that ties a built net's ids to it.

use core::cmp::Ordering;
use core::hash::{Hash, Hasher};

/// The most places, transitions or arcs one net can have (its `P`, `T` and `A`): they are
/// numbered with 16-bit indices, and their counts are kept in 16 bits too.
pub const MAX_IDS: usize = u16::MAX as usize;

/// Which builder handed an id out: 0 for an id made from a bare position
/// ([`PlaceId::new`]), accepted by every net; otherwise one number per builder, so a net
/// can tell its own ids from another net's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NetTag(pub(crate) u16);

impl NetTag {
    /// The tag of ids made from a bare position.
    pub(crate) const ANY: Self = Self(0);

    /// A tag no other builder of this program has had (until 65 535 builders wrap it).
    pub(crate) fn fresh() -> Self {
        use core::sync::atomic::{AtomicU16, Ordering::Relaxed};
        static NEXT: AtomicU16 = AtomicU16::new(1);
        #[cfg(target_has_atomic = "16")]
        let tag = NEXT.fetch_add(1, Relaxed);
        // Without compare-and-swap (thumbv6m) builders are made from one thread of
        // execution; a race here could only let two nets share a tag, which weakens the
        // foreign-id check and breaks nothing else.
        #[cfg(not(target_has_atomic = "16"))]
        let tag = {
            let tag = NEXT.load(Relaxed);
            NEXT.store(tag.wrapping_add(1), Relaxed);
            tag
        };
        Self(if tag == 0 { 1 } else { tag })
    }

    /// Whether an id with this tag may be used with a net tagged `net`.
    #[inline]
    pub(crate) const fn fits(self, net: Self) -> bool {
        self.0 == 0 || self.0 == net.0
    }
}

macro_rules! id {
    ($(#[$doc:meta])* $name:ident, $letter:literal, $defmt:literal) => {
        $(#[$doc])*
        ///
        /// Ids compare, order and hash by position only: the net they came from is checked
        /// where they are used. An id handed out by one net's builder and passed to another
        /// net is refused with a typed error (`ForeignPlace`, `ForeignTransition`), never
        /// read as a bare index; an id made with `new` from a bare position is accepted by
        /// every net.
        #[derive(Clone, Copy)]
        pub struct $name {
            index: u16,
            net: NetTag,
        }

        impl $name {
            /// The id at `index` in declaration order, accepted by every net: for code
            /// that knows the declaration order (loaders, generated code, tests).
            #[must_use]
            pub const fn new(index: u16) -> Self {
                Self {
                    index,
                    net: NetTag::ANY,
                }
            }

            pub(crate) const fn tagged(index: u16, net: NetTag) -> Self {
                Self { index, net }
            }

            /// The position in declaration order.
            #[inline]
            #[must_use]
            pub const fn index(self) -> usize {
                self.index as usize
            }

            /// The position in declaration order, as stored.
            #[inline]
            pub(crate) const fn raw(self) -> u16 {
                self.index
            }

            /// Whether this id may be used with the net tagged `net`.
            #[inline]
            pub(crate) const fn fits(self, net: NetTag) -> bool {
                self.net.fits(net)
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.index == other.index
            }
        }

        impl Eq for $name {}

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> Ordering {
                self.index.cmp(&other.index)
            }
        }

        impl Hash for $name {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.index.hash(state);
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.index)
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, concat!($letter, "{}"), self.index)
            }
        }

        #[cfg(feature = "defmt")]
        impl defmt::Format for $name {
            fn format(&self, f: defmt::Formatter<'_>) {
                defmt::write!(f, $defmt, self.index);
            }
        }

        // Serialized as the bare position: a restored id is accepted by every net.
        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u16(self.index)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                u16::deserialize(d).map(Self::new)
            }
        }

        #[cfg(feature = "arbitrary")]
        impl<'a> arbitrary::Arbitrary<'a> for $name {
            fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
                u16::arbitrary(u).map(Self::new)
            }

            fn size_hint(depth: usize) -> (usize, Option<usize>) {
                u16::size_hint(depth)
            }
        }
    };
}

id!(
    /// A place of a net, numbered in declaration order from 0.
    PlaceId,
    "p",
    "p{=u16}"
);

id!(
    /// A transition of a net, numbered in declaration order from 0.
    TransitionId,
    "t",
    "t{=u16}"
);

/// `name[index]` (or `[index]` for an id without a name): how errors, events and logs
/// name a place or a transition.
pub(crate) struct Named<'a>(pub(crate) &'a str, pub(crate) usize);

impl core::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

//! Ids that carry their net's type, for nets declared with [`net!`](crate::net!).
//!
//! A [`Place<N>`] can only be passed to the net type `N` it was declared in: handing a
//! place of one declared net to another does not compile. Both convert into the plain
//! [`PlaceId`] / [`TransitionId`] the engine's runtime API takes, so a declared net
//! still works with behaviours, observers and diagrams.

use core::fmt;
use core::marker::PhantomData;

use super::{PlaceId, TransitionId};

/// A place of the declared net `N`, named by [`net!`](crate::net!) (for example
/// `JobQueue::PLACES.validated`).
pub struct Place<N> {
    id: PlaceId,
    name: &'static str,
    net: PhantomData<fn() -> N>,
}

/// A transition of the declared net `N`, named by [`net!`](crate::net!) (for example
/// `JobQueue::TRANSITIONS.validate`).
pub struct Transition<N> {
    id: TransitionId,
    name: &'static str,
    net: PhantomData<fn() -> N>,
}

macro_rules! typed_id {
    ($typed:ident, $plain:ident, $what:literal) => {
        impl<N> $typed<N> {
            #[doc = concat!("The ", $what, " declared at `index` under `name`; called by the code `net!` generates.")]
            #[doc(hidden)]
            #[must_use]
            pub const fn __declared(index: u16, name: &'static str) -> Self {
                Self {
                    id: $plain::new(index),
                    name,
                    net: PhantomData,
                }
            }

            #[doc = concat!("The plain id the engine's runtime API takes.")]
            #[inline]
            #[must_use]
            pub const fn id(self) -> $plain {
                self.id
            }

            #[doc = concat!("The ", $what, "'s name, as declared.")]
            #[must_use]
            pub const fn name(self) -> &'static str {
                self.name
            }

            #[doc = concat!("The ", $what, "'s position in declaration order.")]
            #[must_use]
            pub const fn index(self) -> usize {
                self.id.index()
            }
        }

        impl<N> Clone for $typed<N> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<N> Copy for $typed<N> {}

        impl<N> PartialEq for $typed<N> {
            fn eq(&self, other: &Self) -> bool {
                self.id == other.id
            }
        }

        impl<N> Eq for $typed<N> {}

        impl<N> PartialEq<$plain> for $typed<N> {
            fn eq(&self, other: &$plain) -> bool {
                self.id == *other
            }
        }

        impl<N> PartialEq<$typed<N>> for $plain {
            fn eq(&self, other: &$typed<N>) -> bool {
                *self == other.id
            }
        }

        impl<N> From<$typed<N>> for $plain {
            fn from(typed: $typed<N>) -> Self {
                typed.id
            }
        }

        impl<N> fmt::Debug for $typed<N> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}[{}]", self.name, self.id.index())
            }
        }

        impl<N> fmt::Display for $typed<N> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.name)
            }
        }

        #[cfg(feature = "defmt")]
        impl<N> defmt::Format for $typed<N> {
            fn format(&self, f: defmt::Formatter<'_>) {
                defmt::write!(f, "{=str}[{=usize}]", self.name, self.id.index());
            }
        }
    };
}

typed_id!(Place, PlaceId, "place");
typed_id!(Transition, TransitionId, "transition");

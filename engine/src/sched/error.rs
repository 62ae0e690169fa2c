//! Errors of host operations and firings.

use crate::net::{Named, PlaceId};
use crate::time::ClockRegression;

/// Why [`Net::inject`](super::Net::inject) did not take a token. The token is handed back
/// first, then what it is about: the place (with its declared name when it has one) or
/// the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InjectError<C> {
    /// The place, named, holds as many tokens as its capacity.
    Full(C, PlaceId, &'static str),
    /// The net has no such place.
    UnknownPlace(C, PlaceId),
    /// The place was handed out by another net's builder.
    ForeignPlace(C, PlaceId),
    /// `now` is earlier than the last instant the net has seen.
    ClockRegression(C, ClockRegression),
}

impl<C> InjectError<C> {
    /// The token that was not injected.
    pub fn into_token(self) -> C {
        match self {
            Self::Full(c, ..)
            | Self::UnknownPlace(c, _)
            | Self::ForeignPlace(c, _)
            | Self::ClockRegression(c, _) => c,
        }
    }
}

impl<C> core::fmt::Display for InjectError<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Full(_, place, name) => {
                write!(f, "place {} is full", Named(name, place.index()))
            }
            Self::UnknownPlace(_, place) => write!(f, "the net has no place {place}"),
            Self::ForeignPlace(_, place) => write!(f, "place {place} belongs to another net"),
            Self::ClockRegression(_, e) => e.fmt(f),
        }
    }
}

impl<C: core::fmt::Debug> core::error::Error for InjectError<C> {}

/// Why [`Net::take`](super::Net::take) returned no token, and the place it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TakeError {
    /// The place, named, holds no token.
    Empty(PlaceId, &'static str),
    /// The net has no such place.
    UnknownPlace(PlaceId),
    /// The place was handed out by another net's builder.
    ForeignPlace(PlaceId),
}

impl core::fmt::Display for TakeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Empty(place, name) => {
                write!(f, "place {} is empty", Named(name, place.index()))
            }
            Self::UnknownPlace(place) => write!(f, "the net has no place {place}"),
            Self::ForeignPlace(place) => write!(f, "place {place} belongs to another net"),
        }
    }
}

impl core::error::Error for TakeError {}

/// A failure reported by a behaviour, with an application-defined code.
///
/// Returning it from [`Behaviour::fire`](super::Behaviour::fire) fails the firing:
/// the consumed tokens go back (or to the error place) and the net reports
/// [`FiringError::Behaviour`] with this fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Fault(
    /// The application's code for what went wrong; the engine gives it no meaning.
    pub u16,
);

impl core::fmt::Display for Fault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "behaviour fault {}", self.0)
    }
}

impl core::error::Error for Fault {}

/// Why an emission from a behaviour was refused. The firing then fails as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EmitError {
    /// The place is not an output of the firing transition.
    UndeclaredOutput {
        /// The place.
        place: PlaceId,
        /// Its name, or `""` for an id that is no place of the net.
        name: &'static str,
    },
    /// The place was handed out by another net's builder.
    ForeignPlace(PlaceId),
    /// The transition already produced its output arc's weight into the place.
    WeightExceeded {
        /// The place.
        place: PlaceId,
        /// Its name.
        name: &'static str,
    },
    /// No consumed token has this index.
    NoSuchInput(u16),
    /// The consumed token was already forwarded.
    AlreadyForwarded(u16),
    /// No free slot in the token pool. The builder sizes the pool so this cannot happen;
    /// it is reported rather than assumed.
    PoolExhausted,
}

impl core::fmt::Display for EmitError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::UndeclaredOutput { place, name: "" } => {
                write!(f, "{place} is no place of the net")
            }
            Self::UndeclaredOutput { place, name } => write!(
                f,
                "{} is not an output of the transition",
                Named(name, place.index())
            ),
            Self::ForeignPlace(p) => write!(f, "{p} belongs to another net"),
            Self::WeightExceeded { place, name } => write!(
                f,
                "more tokens to {} than its arc's weight",
                Named(name, place.index())
            ),
            Self::NoSuchInput(i) => write!(f, "no consumed token #{i}"),
            Self::AlreadyForwarded(i) => write!(f, "consumed token #{i} was already forwarded"),
            Self::PoolExhausted => f.write_str("the token pool is exhausted"),
        }
    }
}

impl core::error::Error for EmitError {}

/// A token a behaviour tried to emit, handed back with the reason it was refused.
///
/// Returned by [`Firing::emit`](super::Firing::emit); the firing fails as a whole even
/// if the behaviour goes on and returns `Ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Refused<C> {
    /// Why the emission was refused.
    pub error: EmitError,
    /// The token the behaviour tried to emit, unchanged.
    pub token: C,
}

impl<C> core::fmt::Display for Refused<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "emission refused: {}", self.error)
    }
}

impl<C: core::fmt::Debug> core::error::Error for Refused<C> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Why a firing failed. Its consumed tokens went back or to the error place; nothing it
/// produced remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FiringError {
    /// The behaviour returned this fault.
    Behaviour(Fault),
    /// The behaviour tried an emission that was refused.
    Emission(EmitError),
    /// Not a sink, yet it produced fewer tokens than it consumed.
    LostTokens {
        /// Tokens consumed.
        consumed: u16,
        /// Tokens produced.
        produced: u16,
    },
    /// Not a source, yet it produced more tokens than it consumed.
    InventedTokens {
        /// Tokens consumed.
        consumed: u16,
        /// Tokens produced.
        produced: u16,
    },
    /// A machine embedded in the transition has seen a later instant than the firing's
    /// `now` (the application also drives it directly, ahead of the net): it refused the
    /// event and is left as it was (see [`crate::embed`]).
    ClockRegression(ClockRegression),
}

impl core::fmt::Display for FiringError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Behaviour(Fault(code)) => write!(f, "the behaviour failed with code {code}"),
            Self::Emission(e) => write!(f, "refused emission: {e}"),
            Self::LostTokens { consumed, produced } => write!(
                f,
                "consumed {consumed} tokens but produced {produced} without being a sink"
            ),
            Self::InventedTokens { consumed, produced } => write!(
                f,
                "consumed {consumed} tokens but produced {produced} without being a source"
            ),
            Self::ClockRegression(e) => write!(f, "an embedded machine refused the firing: {e}"),
        }
    }
}

impl core::error::Error for FiringError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Behaviour(fault) => Some(fault),
            Self::Emission(e) => Some(e),
            Self::ClockRegression(e) => Some(e),
            Self::LostTokens { .. } | Self::InventedTokens { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::error::Error;
    use core::fmt::Write;

    fn shown(e: &dyn core::fmt::Display) -> heapless::String<96> {
        let mut s = heapless::String::new();
        write!(s, "{e}").unwrap();
        s
    }

    #[test]
    fn fault_displays_its_code_and_is_an_error() {
        assert_eq!(shown(&Fault(7)).as_str(), "behaviour fault 7");
        assert!(Fault(7).source().is_none());
    }

    #[test]
    fn refused_displays_why_and_exposes_the_emit_error_as_source() {
        let r = Refused {
            error: EmitError::WeightExceeded {
                place: PlaceId::new(3),
                name: "done",
            },
            token: 9u32,
        };
        assert_eq!(
            shown(&r).as_str(),
            "emission refused: more tokens to done[3] than its arc's weight"
        );
        let source = r.source().unwrap();
        assert_eq!(
            shown(&source).as_str(),
            "more tokens to done[3] than its arc's weight"
        );
        let stranger = EmitError::UndeclaredOutput {
            place: PlaceId::new(9),
            name: "",
        };
        assert_eq!(shown(&stranger).as_str(), "p9 is no place of the net");
    }

    #[test]
    fn firing_error_exposes_the_fault_or_emit_error_as_source() {
        assert!(FiringError::Behaviour(Fault(1)).source().is_some());
        assert!(
            FiringError::Emission(EmitError::PoolExhausted)
                .source()
                .is_some()
        );
        let lost = FiringError::LostTokens {
            consumed: 2,
            produced: 1,
        };
        assert!(lost.source().is_none());
    }
}

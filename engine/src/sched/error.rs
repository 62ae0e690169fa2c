//! Errors of host operations and firings.

use crate::net::PlaceId;
use crate::time::ClockRegression;

/// Why [`Net::inject`](super::Net::inject) did not take a token. The token is handed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InjectError<C> {
    /// The place holds as many tokens as its capacity.
    Full(C),
    /// No such place.
    UnknownPlace(C),
    /// `now` is earlier than the last instant the net has seen.
    ClockRegression(C, ClockRegression),
}

impl<C> InjectError<C> {
    /// The token that was not injected.
    pub fn into_token(self) -> C {
        match self {
            Self::Full(c) | Self::UnknownPlace(c) | Self::ClockRegression(c, _) => c,
        }
    }
}

impl<C> core::fmt::Display for InjectError<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Full(_) => f.write_str("the place is full"),
            Self::UnknownPlace(_) => f.write_str("no such place"),
            Self::ClockRegression(_, e) => e.fmt(f),
        }
    }
}

impl<C: core::fmt::Debug> core::error::Error for InjectError<C> {}

/// Why [`Net::take`](super::Net::take) returned no token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TakeError {
    /// The place holds no token.
    Empty,
    /// No such place.
    UnknownPlace,
}

impl core::fmt::Display for TakeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Empty => f.write_str("the place is empty"),
            Self::UnknownPlace => f.write_str("no such place"),
        }
    }
}

impl core::error::Error for TakeError {}

/// A failure reported by a behaviour, with an application-defined code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Fault(pub u16);

/// Why an emission from a behaviour was refused. The firing then fails as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EmitError {
    /// The place is not an output of the firing transition.
    UndeclaredOutput(PlaceId),
    /// The transition already produced its output arc's weight into the place.
    WeightExceeded(PlaceId),
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
            Self::UndeclaredOutput(p) => write!(f, "{p} is not an output of the transition"),
            Self::WeightExceeded(p) => write!(f, "more tokens to {p} than its arc's weight"),
            Self::NoSuchInput(i) => write!(f, "no consumed token #{i}"),
            Self::AlreadyForwarded(i) => write!(f, "consumed token #{i} was already forwarded"),
            Self::PoolExhausted => f.write_str("the token pool is exhausted"),
        }
    }
}

impl core::error::Error for EmitError {}

/// A token a behaviour tried to emit, handed back with the reason it was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Refused<C> {
    /// Why.
    pub error: EmitError,
    /// The token, unchanged.
    pub token: C,
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
        }
    }
}

impl core::error::Error for FiringError {}

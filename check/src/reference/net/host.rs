//! Errors of the host operations `inject` and `take`.

use std::fmt;

/// Why `inject` refused a token; the token is handed back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefInjectError<C> {
    /// `now` is earlier than the last instant seen.
    ClockRegression(C),
    /// No place has that index.
    UnknownPlace(C),
    /// The place already holds `capacity` tokens.
    Full(C),
}

impl<C> RefInjectError<C> {
    /// The refused token.
    pub fn into_token(self) -> C {
        match self {
            Self::ClockRegression(token) | Self::UnknownPlace(token) | Self::Full(token) => token,
        }
    }
}

impl<C> fmt::Display for RefInjectError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ClockRegression(_) => "inject at an instant earlier than the last one seen",
            Self::UnknownPlace(_) => "inject into an unknown place",
            Self::Full(_) => "inject into a full place",
        })
    }
}

impl<C: fmt::Debug> std::error::Error for RefInjectError<C> {}

/// Why `take` returned no token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefTakeError {
    /// No place has that index.
    UnknownPlace,
    /// The place holds no token.
    Empty,
}

impl fmt::Display for RefTakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnknownPlace => "take from an unknown place",
            Self::Empty => "take from an empty place",
        })
    }
}

impl std::error::Error for RefTakeError {}

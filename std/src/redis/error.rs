//! What can go wrong with the store: it is unreachable, refuses us, is slow, or holds a
//! value no fleet breaker could have written.

use mycel::breaker::FleetError;
use std::fmt;

/// Why a value read from the store was not used. Counted and ignored: it never moves
/// a breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreValueError {
    /// A breaker key holds something other than a hash.
    WrongType,
    /// A field that does not parse (`what` names it), or a reply of the wrong shape.
    Malformed(&'static str),
    /// More count fields than a view has room for.
    Oversized,
    /// Values that parse but no fleet could have made (see [`FleetError`]).
    Impossible(FleetError),
}

impl fmt::Display for StoreValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongType => f.write_str("a breaker key holds something other than a hash"),
            Self::Malformed(what) => write!(f, "malformed {what}"),
            Self::Oversized => f.write_str("more count fields than fit"),
            Self::Impossible(e) => write!(f, "impossible value: {e}"),
        }
    }
}

impl std::error::Error for StoreValueError {}

/// Why a sync with the store did not happen or was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The configuration cannot be used (a bad URL, an unreadable or unparsable CA
    /// certificate, a CA certificate with a plain `redis://` URL); the message never
    /// holds a password.
    Config(String),
    /// The store refused our credentials, or wants some we did not give.
    Auth(String),
    /// The TLS handshake failed: the store's certificate is not trusted (or does not
    /// name the URL's host), or the store does not speak TLS on that port.
    Tls(String),
    /// No connection or no answer within the configured timeout.
    Timeout,
    /// The connection failed or dropped.
    Unreachable(String),
    /// The store answered a command with an error.
    Command(String),
    /// The store's value is unusable; it was ignored.
    Invalid(StoreValueError),
    /// Waiting out the reconnect backoff after a failure: no attempt was made.
    Backoff,
}

impl StoreError {
    /// Whether the store itself is unreachable or failing (an outage), as opposed to
    /// answering with a value this instance ignores.
    #[must_use]
    pub fn is_outage(&self) -> bool {
        !matches!(self, Self::Invalid(_))
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(m) => write!(f, "store configuration: {m}"),
            Self::Auth(m) => write!(f, "store authentication failed: {m}"),
            Self::Tls(m) => write!(f, "store TLS handshake failed: {m}"),
            Self::Timeout => f.write_str("store timed out"),
            Self::Unreachable(m) => write!(f, "store unreachable: {m}"),
            Self::Command(m) => write!(f, "store command failed: {m}"),
            Self::Invalid(e) => write!(f, "store value ignored: {e}"),
            Self::Backoff => f.write_str("store down, waiting before reconnecting"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<StoreValueError> for StoreError {
    fn from(e: StoreValueError) -> Self {
        Self::Invalid(e)
    }
}

//! What a protected call answers when it fails: a rejection by the breaker, or the
//! call's own error.

use mycel::breaker::{BreakerStateKind, RejectReason};
use std::sync::Arc;
use std::time::Duration;

/// The breaker did not permit the call; the protected code was not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The name of the breaker (its backend) that rejected the call.
    pub breaker: Arc<str>,
    /// The breaker's state when it rejected the call.
    pub state: BreakerStateKind,
    /// Why: OPEN, FORCED_OPEN, or HALF_OPEN with every probe outstanding.
    pub reason: RejectReason,
    /// When OPEN: how long until the open period ends and probes are admitted again.
    /// `None` for the other reasons, which end on an operator call or a probe's report.
    pub retry_after: Option<Duration>,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "breaker {} rejected the call ({}, state {})",
            self.breaker,
            self.reason.as_str(),
            self.state
        )?;
        if let Some(after) = self.retry_after {
            write!(f, ", retry after {after:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Rejection {}

/// The error of a call protected by a breaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError<E> {
    /// The breaker rejected the call, which never ran.
    Rejected(Rejection),
    /// The call ran and failed with its own error (whether that error counted as a
    /// failure, was ignored, or was a success is the classifier's business).
    Inner(E),
}

impl<E> CallError<E> {
    /// The rejection, if the breaker rejected the call.
    #[must_use]
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            Self::Rejected(r) => Some(r),
            Self::Inner(_) => None,
        }
    }

    /// The call's own error, if it ran and failed.
    pub fn into_inner(self) -> Option<E> {
        match self {
            Self::Rejected(_) => None,
            Self::Inner(e) => Some(e),
        }
    }

    /// Whether the breaker rejected the call.
    #[must_use]
    pub fn is_rejected(&self) -> bool {
        matches!(self, Self::Rejected(_))
    }
}

impl<E: std::fmt::Display> std::fmt::Display for CallError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Rejected(r) => r.fmt(f),
            Self::Inner(e) => write!(f, "protected call failed: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for CallError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Rejected(r) => Some(r),
            Self::Inner(e) => Some(e),
        }
    }
}

impl<E> From<Rejection> for CallError<E> {
    fn from(r: Rejection) -> Self {
        Self::Rejected(r)
    }
}

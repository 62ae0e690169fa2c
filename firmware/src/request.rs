//! The token that flows through the pipeline: one request and what has happened to it.

use crate::backend::Answer;
use mycel::breaker::Permit;

/// One request as it moves from place to place. Each stage fills in what it learned,
/// so the token that reaches `done` carries the request's whole story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// Sequence number given by the program, so it can tell which request came out.
    pub id: u32,
    /// Whether the request passes validation; the script sends a malformed one to show
    /// that validation failures go to the `invalid` place and never reach the breaker.
    pub well_formed: bool,
    /// The breaker's permit, attached by `route` when the breaker admits the request.
    pub permit: Option<Permit>,
    /// The backend's answer, attached by `call_backend`.
    pub answer: Option<Answer>,
}

impl Request {
    /// A request as the host submits it: not yet admitted nor answered.
    pub const fn new(id: u32, well_formed: bool) -> Self {
        Self {
            id,
            well_formed,
            permit: None,
            answer: None,
        }
    }
}

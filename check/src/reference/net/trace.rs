//! The model's trace: every event, in the order it happened.

use super::step::RefFault;

/// One event of the trace, in the order it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefEvent<C> {
    /// The host put `token` at the tail of `place`.
    Injected {
        /// Index of the place.
        place: usize,
        /// The token.
        token: C,
        /// The instant of the call.
        at: u64,
    },
    /// The host popped `token` from the head of `place`.
    Taken {
        /// Index of the place.
        place: usize,
        /// The token.
        token: C,
        /// The last instant seen (take has no `now`).
        at: u64,
    },
    /// A transition fired successfully.
    Fired {
        /// Index of the transition.
        transition: usize,
        /// The consumed tokens in consumption order.
        consumed: Vec<C>,
        /// `(place, token)` appended, in action order.
        produced: Vec<(usize, C)>,
        /// The instant of the step.
        at: u64,
    },
    /// A transition's firing failed.
    Failed {
        /// Index of the transition.
        transition: usize,
        /// Why.
        fault: RefFault,
        /// Whether the consumed tokens went to the error place (else they rolled back).
        to_error_place: bool,
        /// The instant of the step.
        at: u64,
    },
}

//! What a failed check reports: the operation, and what broke, with names and numbers.

use std::fmt;

use mycel::sched::FiringError;

/// A check that failed after operation `index` of a sequence.
///
/// Its `Display` is one readable sentence, for a failing test's message:
/// `operation 3 (step after 0 ticks): transition validate[0] broke the flow contract:
/// consumed 1 tokens but produced 0 without being a sink`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("operation {index} ({op}): {kind}")]
pub struct Violation {
    /// The 0-based index of the operation after which the check failed.
    pub index: usize,
    /// The operation, as text.
    pub op: String,
    /// What failed (boxed: a `Result` carrying it stays small).
    pub kind: Box<ViolationKind>,
}

/// What a failed check found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ViolationKind {
    /// A place holds more tokens than its capacity.
    #[error("place {place} holds {len} tokens, over its capacity {capacity}")]
    OverCapacity {
        /// The place, as `name[index]`.
        place: String,
        /// Tokens it holds.
        len: usize,
        /// Its declared capacity.
        capacity: usize,
    },
    /// The place refused an injection while it had room.
    #[error("place {place} refused a token while holding {len} of {capacity}")]
    RefusedWithRoom {
        /// The place, as `name[index]`.
        place: String,
        /// Tokens it holds.
        len: usize,
        /// Its declared capacity.
        capacity: usize,
    },
    /// A take returned another token than the place's head, or none from a place that
    /// held some.
    #[error("take from place {place} returned {got} while its head was {head}")]
    WrongTake {
        /// The place, as `name[index]`.
        place: String,
        /// The head before the take (`Debug`), or `none`.
        head: String,
        /// What the take returned (`Debug`), or the error.
        got: String,
    },
    /// The net holds another number of tokens than came in and went out: tokens were
    /// lost or invented.
    #[error(
        "the net holds {held} tokens, but {expected} are accounted for \
         (start {start} + injected {injected} - taken {taken} + created {created} - retired {retired})"
    )]
    TokensNotConserved {
        /// Tokens the places hold.
        held: u64,
        /// What the operations and events account for.
        expected: i128,
        /// Tokens held before the first operation.
        start: u64,
        /// Successful injections.
        injected: u64,
        /// Successful takes.
        taken: u64,
        /// Tokens sources produced beyond what they consumed, from the events.
        created: u64,
        /// Tokens sinks consumed beyond what they produced, from the events.
        retired: u64,
    },
    /// The net's own counters disagree with what the kit counted from the operations
    /// and events.
    #[error("the net's counter {counter} moved by {net}, the operations and events say {kit}")]
    CountersDisagree {
        /// Which counter (`injected`, `taken`, `created`, `retired`, `firings`, `failures`).
        counter: &'static str,
        /// How far the net's counter moved since the start.
        net: u64,
        /// How far the kit counted.
        kit: u64,
    },
    /// A firing failed because the behaviour broke the net's flow rules (an emission
    /// refused, tokens lost by a non-sink, tokens invented by a non-source): a bug in
    /// the behaviour or in how the net is wired, not a fault it chose to report.
    #[error("transition {transition} broke the flow contract: {error}")]
    BrokenFlowContract {
        /// The transition, as `name[index]`.
        transition: String,
        /// How.
        error: FiringError,
    },
    /// A weighted token sum that must stay constant (a P-invariant of the net, or a law
    /// the user stated) changed by more than the host moved.
    #[error(
        "{origin} {sum} is {actual}, expected {expected} (host moves counted){}",
        fired_by(transition)
    )]
    SumNotConserved {
        /// `P-invariant` or `law "name"`.
        origin: String,
        /// The sum, as `ping + 2 pong`.
        sum: String,
        /// Its value now.
        actual: i128,
        /// Its value by the operations so far.
        expected: i128,
        /// The transition that fired or failed in this operation, if one did.
        transition: Option<String>,
    },
    /// A second run of the same operations from a fresh net went another way.
    #[error("the replay differs: {what}: first run {first}, replay {replay}")]
    Replay {
        /// What differs (`events`, `step result`, `tokens of place x[1]`).
        what: String,
        /// The first run's value (`Debug`).
        first: String,
        /// The replay's value (`Debug`).
        replay: String,
    },
}

fn fired_by(transition: &Option<String>) -> String {
    transition
        .as_ref()
        .map(|t| format!("; transition {t} fired in this operation"))
        .unwrap_or_default()
}

/// `name[index]`, as the engine names places and transitions.
pub(crate) fn named(name: &str, index: usize) -> String {
    format!("{name}[{index}]")
}

/// A `Debug` rendering for messages.
pub(crate) fn shown(value: &impl fmt::Debug) -> String {
    format!("{value:?}")
}

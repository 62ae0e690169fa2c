//! The reference Petri-net interpreter: [`RefNet`].
//!
//! A plainly written oracle for the engine's net and scheduler. Places are `VecDeque`s,
//! every operation re-evaluates every transition, and every event is kept in a trace.
//! It follows the ten pinned rules of the brief literally (marking and host operations,
//! structural enabling, timing, holds after rollback, step, firing, run, next deadline,
//! counters, trace); the unit tests in `tests.rs` pin each rule with a hand-computed case.
//! [`validate()`] mirrors the engine's build errors.
//!
//! # Readings chosen where the rules are silent
//!
//! The engine must make the same choices for the model-based tests to agree:
//!
//! - **Start**: [`RefNet::new`] starts the clock at 0, [`RefNet::starting_at`] at a given
//!   instant; transitions enabled on the empty marking (sources) are enabled since then.
//! - **"Fired" means a successful firing** (the rules' own vocabulary: `Fired` vs `Failed`,
//!   `firings` vs `failures`). Only a successful firing restarts the transition's
//!   `enabled_since` (rule 3) and counts as "fired" for round robin. A failed firing only
//!   re-evaluates: after a rollback the marking is unchanged, so `since` is kept and the
//!   transition is ready again once its hold ends (at `now + 1`); after a move to the error
//!   place `since` is kept if it is still enabled.
//! - **Marking change** (which clears holds) means a token was removed from or appended to
//!   the place by a completed operation: inject, take, a successful firing (its Input
//!   places and the places it produced into) or a failure to the error place (its Input
//!   places and the error place). A rollback changes nothing. Read and Inhibitor places
//!   are "places the transition has an arc on" too.
//! - **Failed host calls change nothing**, not even the last instant seen. `inject` checks
//!   clock regression, then the place, then room.
//! - **`run`** checks the clock once, then steps; with budget 0 it fires nothing (and does
//!   not call `behaviour.poll`). `exhausted` is whether a transition is still ready at
//!   `now` after the budget-th firing. An Idle `step` still calls `behaviour.poll(now)`.
//! - **`next_deadline`** follows rule 8 literally: the hold-until of a held enabled
//!   transition is a candidate even when its delay ends later (an early wake-up, never a
//!   missed one). It is read at the last instant seen and does not poll the behaviour.
//! - **Emission checks** per action, in this order (the engine's `Firing::forward`):
//!   for `Forward` no such input, then already forwarded; then for both undeclared output
//!   (also for a place index that does not exist), then weight exceeded (counting only
//!   valid earlier actions). Invalid actions produce nothing; the first error is reported
//!   inside [`RefFault::Emission`].
//! - **Guards** see the would-be-consumed tokens in consumption order; a source with no
//!   Input arc shows its guard an empty slice ([`GuardSpec::AllEqual`] accepts it,
//!   [`GuardSpec::Never`] does not).
//! - **Validation** runs whole passes in the order the rules list them (see
//!   [`validate()`]); a duplicate is reported at the later arc.
//! - **High-water marks** are taken after each token is appended (a firing removes its
//!   inputs before it appends its outputs).

mod behaviour;
mod counters;
mod guard;
mod host;
mod model;
mod spec;
mod step;
mod trace;
mod validate;

#[cfg(test)]
mod tests;

pub use behaviour::{Action, FnBehaviour, Passthrough, RefBehaviour};
pub use counters::RefNetCounters;
pub use guard::{GuardSpec, all_equal, first_token_even};
pub use host::{RefInjectError, RefTakeError};
pub use model::RefNet;
pub use spec::{ArcKind, ArcSpec, NetSpec, PlaceSpec, TransitionSpec};
pub use step::{ClockRegression, RefEmissionError, RefFault, RefRun, RefStep};
pub use trace::RefEvent;
pub use validate::{MAX_CONSUMED_PER_FIRING, RefBuildError, validate};

//! # mycel
//!
//! A deterministic, `no_std`, fixed-capacity engine that steps a coloured Petri net
//! whose transitions can embed finite state machines, with a circuit breaker as the
//! flagship machine. Nothing here reads a clock, allocates or panics on any input.
//!
//! ## Layers
//!
//! Each layer uses only the ones before it:
//!
//! - [`time`]: the injected [`Instant`](time::Instant) and
//!   [`Duration`](time::Duration) (re-exported from embassy-time), saturating helpers
//!   and the [`Clock`](time::Clock) that turns a `now` from the past into a typed error.
//! - [`fsm`]: the [`Machine`](fsm::Machine) trait (state enum with data in its
//!   variants, entry/exit actions, deadlines on the injected clock), the runtime
//!   [`StateMachine`](fsm::StateMachine), and static transition tables that can be
//!   validated and drawn.
//! - [`net`](mod@net): the structure of a net (places with capacities, transitions, arcs) and
//!   its validating [`NetBuilder`](net::NetBuilder).
//! - [`sched`]: the running [`Net`](sched::Net): the token pool, enabled sets,
//!   atomic firing with rollback, `step`/`run`/`next_deadline`, observers and counters.
//! - [`embed`]: FSM-in-PN, a machine inside a transition: each consumed token is an
//!   event, the machine's answer picks the output place.
//! - [`breaker`]: the circuit breaker machine, usable alone or inside a net, and a
//!   bank of breakers keyed by backend.
//! - [`diagram`]: Mermaid diagrams of nets and machines through `core::fmt::Write`.
//!
//! ## Declaring
//!
//! A net known at compile time is declared once with [`net!`]: every count the const
//! generics need is computed, ids are typed by their net, and the structure is
//! validated while the crate compiles, by the same `const fn` the runtime
//! [`NetBuilder`](net::NetBuilder) runs for nets read from files. A machine is declared
//! once with [`machine!`]: its state kinds, causes and edges give its transition
//! table, names and diagram.
//!
//! ## Time
//!
//! Every call that can depend on time takes `now`. A `now` earlier than the last one
//! seen is a clock regression: a typed error, and nothing changes.
//! [`Net::next_deadline`](sched::Net::next_deadline) tells the earliest instant at
//! which anything can change without new input, so firmware can sleep until then.
//!
//! ## Features
//!
//! - `defmt`: `defmt::Format` for public types; engine logs go to defmt.
//! - `log`: engine logs go to the `log` facade (defmt wins if both are on).
//! - `serde`: breaker state and configuration serialize, e.g. with postcard.
//! - `arbitrary`: `arbitrary::Arbitrary` for fuzz inputs (links `std`: host fuzzing only).
//! - `compact-code`: smaller code for microcontrollers, a little slower (the scheduler's
//!   two heaps share one copy of their code: about 400 B less flash on Cortex-M, up to
//!   a few percent more instructions per firing in nets with hundreds of enabled
//!   transitions).
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::panic,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

// `arbitrary`'s derive needs std; it is for host-side fuzzing only.
#[cfg(feature = "arbitrary")]
extern crate std;

// The engine declares its own machines with `machine!`, whose code names `::mycel`.
extern crate self as mycel;

#[macro_use]
mod fmt;

pub mod breaker;
pub mod diagram;
pub mod embed;
pub mod fsm;
pub mod net;
pub mod sched;
#[cfg(feature = "serde")]
#[doc(hidden)]
pub mod serde_time;
pub mod time;

/// Declares a whole net in one block: places, transitions, arcs and options, with every
/// count computed and every structural mistake a compile error at its name.
///
/// ```
/// use mycel::sched::Passthrough;
/// use mycel::time::Instant;
///
/// mycel::net! {
///     /// Jobs arrive, are checked, worked on and shipped.
///     pub net JobQueue: u32 {
///         places {
///             incoming: 8,
///             validated: 8,
///             rejected: 4,
///             done: 16,
///         }
///         transitions {
///             validate [guard = has_payload, error = rejected]: incoming -> validated,
///             work [priority = 1, delay = 5ms]: validated -> done,
///             ship [sink]: done * 2 -> (),
///         }
///     }
/// }
///
/// fn has_payload(heads: &mycel::net::Heads<'_, u32>) -> bool {
///     heads.get(0).is_some_and(|&job| job != 0)
/// }
///
/// let mut queue = JobQueue::new();
/// let places = queue.places();
/// queue.inject(places.incoming, 7, Instant::from_ticks(0)).unwrap();
/// queue.run(Instant::from_ticks(0), 10, &mut Passthrough).unwrap();
/// assert_eq!(queue.len(places.validated), 1);
/// assert_eq!(JobQueue::POOL_SLOTS, 8 + 8 + 4 + 16 + 1);
/// ```
///
/// # Syntax
///
/// ```text
/// #[round_robin]          (optional: ties among equal priorities go round-robin)
/// #[straight_line]        (optional: pass-through firings written out per transition)
/// #[pool(N)]              (optional: a pool size, checked to be large enough)
/// #[derive(Clone)]        (optional: the net can be cloned, tokens and machines with it)
/// pub net Name: Colour {
///     machines { name: Type, ... }     (optional: machines the net owns)
///     places { name: capacity, ... }
///     transitions { name [options]: inputs -> outputs, ... }
/// }
/// ```
///
/// - **`#[straight_line]`** trades flash for speed: each transition that only passes
///   its tokens through (no behaviour of its own, no delay, no machine) gets its firing
///   and the enabling it changes written out at compile time, and the next transition
///   is picked from a bitmap by rank (ping-pong: 102 instructions a firing instead of
///   560, measured from a user's crate). It costs several hundred bytes of code per such
///   transition, so it is off unless asked for; it cannot go with `#[round_robin]`.
///   Behaviour is identical either way (lockstep property tests hold the two together).
/// - **Inputs** are `()` or arcs joined by `+`: `place` consumes, `?place` reads (a test
///   arc), `!place` inhibits; each may carry a weight, `place * 2`.
/// - **Outputs** are `()` or `place` / `place * weight` joined by `+`: the transition may
///   produce up to the weight into the place.
/// - **Options**: `priority = N` (higher fires first), `delay = 5ms` (also `250us`,
///   `2s`, or any `Duration` expression), `guard = function` (a
///   [`Guard`](net::Guard)), `error = place` (where consumed tokens go when the
///   behaviour fails), `source` (may have no inputs, may produce more than it
///   consumes), `sink` (may produce fewer), `machine = name, binding = expression`
///   (FSM-in-PN: each consumed token goes to that machine as an event through the
///   [`Binding`](embed::Binding), atomically; see [`embed`]).
/// - **Machines**: any [`Embeddable`](fsm::Embeddable) type, a [`StateMachine`](fsm::StateMachine)
///   or a [`CircuitBreaker`](breaker::CircuitBreaker). The net owns them as public fields,
///   `Name::new(machine, ...)` takes them in declaration order, their timeouts join
///   `next_deadline` and fire at `step` before transitions of the same instant, and the
///   behaviour passed to `step` and `run` handles only the other transitions.
///
/// # What is generated
///
/// A concrete type `Name` with `Name::new()` (a `const fn` when the net owns no machines
/// and every transition has an input or read arc: the empty net is then a constant,
/// computed while compiling, so a `static` of it needs no code to start), the typed
/// ids `Name::PLACES.place` and
/// `Name::TRANSITIONS.transition` (also `net.places()` and `net.transitions()`), the
/// computed `PLACE_COUNT`, `TRANSITION_COUNT`, `ARC_COUNT` and `POOL_SLOTS`, and the
/// host API of [`Net`](sched::Net) (`inject`, `take`, `step`, `run`, `next_deadline`, ...)
/// taking those typed ids, so a place of another net does not compile:
///
/// ```compile_fail
/// mycel::net! { net A: u8 { places { p: 1 } } }
/// mycel::net! { net B: u8 { places { p: 1 } } }
/// let mut b = B::new();
/// b.inject(A::PLACES.p, 1, mycel::time::Instant::from_ticks(0)); // a place of A
/// ```
///
/// # Compile-time checks
///
/// An unknown or twice-declared name, a zero capacity or weight, an output weight above
/// its place's capacity, a `#[pool(N)]` too small, a transition with no input that is
/// not a `source`, and one that consumes more than its outputs can take that is not a
/// `sink` are errors at the offending name.
pub use mycel_macros::net;

/// Declares a machine once: its state kinds, the causes of its state changes and every
/// edge it may take. Its transition table (for validation and Mermaid diagrams), its
/// state and cause names and the positions typed state changes are read back by all
/// come from this one block.
///
/// ```
/// use mycel::fsm::{Handled, Label, Machine, StateMachine, States, Transition};
/// use mycel::time::{Duration, Instant};
///
/// mycel::machine! {
///     machine "door" {
///         /// The door's states, without their data.
///         #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///         pub states DoorKind {
///             #[initial]
///             Closed,
///             #[timeout]
///             Open,
///         }
///         /// Why the door moved.
///         #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///         pub causes DoorCause {
///             Pushed,
///             SwungShut,
///         }
///         edges {
///             Closed -> Open on push,
///             Open -> Closed on timeout,
///         }
///     }
/// }
///
/// /// The state with its data: how often it was pushed while open.
/// #[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// enum Door { Closed, Open { pushes: u8 } }
///
/// impl States for Door {
///     type Kind = DoorKind;
///     fn kind(&self) -> DoorKind {
///         match self { Door::Closed => DoorKind::Closed, Door::Open { .. } => DoorKind::Open }
///     }
/// }
///
/// struct Swing;
///
/// impl Machine for Swing {
///     type State = Door;
///     type Event = ();
///     type Output = ();
///     fn initial(&self) -> Door { Door::Closed }
///     fn handle(&mut self, state: &mut Door, _: (), _: Instant) -> Handled<Door, ()> {
///         match state {
///             Door::Closed => Handled::go((), Door::Open { pushes: 0 }, DoorCause::Pushed),
///             Door::Open { pushes } => { *pushes += 1; Handled::stay(()) }
///         }
///     }
///     fn deadline(&self, state: &Door, entered: Instant) -> Option<Instant> {
///         matches!(state, Door::Open { .. }).then(|| entered + Duration::from_secs(3))
///     }
///     fn on_timeout(&mut self, _: &mut Door, _: Instant) -> Option<Transition<Door>> {
///         Some(Transition::new(Door::Closed, DoorCause::SwungShut))
///     }
/// }
///
/// assert_eq!(Swing::NAME, "door");
/// assert_eq!(Swing::TABLE.validate(), Ok(()));
/// assert_eq!(DoorKind::Open.as_str(), "OPEN");
/// assert_eq!(DoorCause::SwungShut.as_str(), "swung_shut");
/// let mut door = StateMachine::new(Swing, Instant::from_ticks(0));
/// let pushed = door.dispatch((), Instant::from_secs(1)).unwrap();
/// assert_eq!(pushed.changes.as_slice()[0].cause, Label::from(DoorCause::Pushed));
/// ```
///
/// # Syntax
///
/// ```text
/// machine "name" {
///     #[attributes] pub states Kind { #[initial] A, #[timeout] B, C = "SEE", .. }
///     #[attributes] pub causes Cause { Failure, Timeout, .. }      (optional)
///     edges { A -> B on event, B -> A on timeout, A | C -> B on reset, .. }
/// }
/// ```
///
/// State kinds are reported as `SCREAMING_SNAKE` of their variant (`HalfOpen` is
/// `"HALF_OPEN"`) and causes as `snake_case` (`ConsecutiveFailures` is
/// `"consecutive_failures"`), unless a name is given with `= "name"`. Each enum gets
/// `ALL`, `as_str`, `index`, `from_name` and `Display`; the kinds also get `TABLE` and
/// implement [`fsm::StateKind`], the causes [`fsm::CauseKind`] and `Into<Label>`, so a
/// handler passes a cause, not a string.
///
/// # Compile-time checks
///
/// An edge naming an unknown state, a name declared twice, no `#[initial]` state or two,
/// a state that cannot be reached from the initial one, a `#[timeout]` state that no
/// edge leaves `on timeout` and a timeout edge from a state not marked `#[timeout]` are
/// errors at the offending name.
pub use mycel_macros::machine;

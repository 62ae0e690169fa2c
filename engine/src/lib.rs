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
//! - [`net`]: the structure of a net (places with capacities, transitions, arcs) and
//!   its validating [`NetBuilder`](net::NetBuilder).
//! - [`sched`]: the running [`Net`](sched::Net): the token pool, enabled sets,
//!   atomic firing with rollback, `step`/`run`/`next_deadline`, observers and counters.
//! - [`embed`]: FSM-in-PN, a machine inside a transition: each consumed token is an
//!   event, the machine's answer picks the output place.
//! - [`breaker`]: the circuit breaker machine, usable alone or inside a net, and a
//!   bank of breakers keyed by backend.
//! - [`diagram`]: Mermaid diagrams of nets and machines through `core::fmt::Write`.
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

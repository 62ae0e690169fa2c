//! Declaration macros for the [mycel](https://docs.rs/mycel) engine, re-exported as
//! `mycel::net!` and `mycel::machine!`. Use them through `mycel`; this crate only
//! generates code.
//!
//! `net!` declares a whole coloured Petri net in one block. Every count the engine's
//! const generics need (places, transitions, arcs, pool slots) is computed, ids are typed
//! by their net, and every structural mistake the runtime builder would reject is a
//! compile error at the name that causes it. See `mycel::net!` for the syntax.

mod machine;
mod net;

use proc_macro::TokenStream;

/// Declares a net: see `mycel::net!`, which documents the syntax with examples.
#[proc_macro]
pub fn net(input: TokenStream) -> TokenStream {
    net::net(input.into()).into()
}

/// Declares a machine: see `mycel::machine!`, which documents the syntax with examples.
#[proc_macro]
pub fn machine(input: TokenStream) -> TokenStream {
    machine::machine(input.into()).into()
}

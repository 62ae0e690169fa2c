//! `machine!`: parse, check, expand.

mod expand;
mod parse;

use proc_macro2::TokenStream;

/// Turns a `machine!` block into its kinds, causes and table, or compile errors at the
/// names that cause them.
pub fn machine(input: TokenStream) -> TokenStream {
    match syn::parse2::<parse::MachineDecl>(input).and_then(|decl| expand::expand(&decl)) {
        Ok(code) => code,
        Err(e) => e.to_compile_error(),
    }
}

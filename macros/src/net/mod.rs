//! `net!`: parse, check, expand.

mod check;
mod expand;
mod parse;
mod straight;

use proc_macro2::TokenStream;

/// Turns a `net!` block into its generated net type, or compile errors at the names
/// that cause them.
pub fn net(input: TokenStream) -> TokenStream {
    let decl = match syn::parse2::<parse::NetDecl>(input) {
        Ok(decl) => decl,
        Err(e) => return e.to_compile_error(),
    };
    match check::check(&decl) {
        Ok(checked) => expand::expand(&decl, &checked),
        Err(e) => e.to_compile_error(),
    }
}

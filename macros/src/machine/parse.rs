//! The syntax of a `machine!` block.
//!
//! ```text
//! machine "name" {
//!     #[attrs] pub states Kind { #[initial] A, #[timeout] B, C = "SEE", .. }
//!     #[attrs] pub causes Cause { Failure, Timeout = "timed_out", .. }      (optional)
//!     edges { A -> B on event, B -> C on timeout, A | C -> A on reset, .. }
//! }
//! ```

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Token, Visibility, braced};

/// One whole `machine!` block.
pub struct MachineDecl {
    pub name: LitStr,
    pub states: EnumDecl,
    pub causes: Option<EnumDecl>,
    pub edges: Vec<EdgeDecl>,
}

/// The `states` or `causes` enum.
pub struct EnumDecl {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub variants: Vec<VariantDecl>,
}

/// One variant, with the name it is reported under.
pub struct VariantDecl {
    pub attrs: Vec<Attribute>,
    pub ident: Ident,
    /// The explicit name, if given (`Open = "OPEN"`).
    pub name: Option<LitStr>,
    pub initial: bool,
    pub timeout: bool,
}

/// `From | From -> To on trigger`
pub struct EdgeDecl {
    pub from: Vec<Ident>,
    pub to: Ident,
    /// An event's name, or `timeout`.
    pub on: Ident,
}

mod kw {
    syn::custom_keyword!(machine);
    syn::custom_keyword!(states);
    syn::custom_keyword!(causes);
    syn::custom_keyword!(edges);
    syn::custom_keyword!(on);
}

impl Parse for MachineDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.parse::<kw::machine>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `machine \"name\" { states .. edges .. }`",
            )
        })?;
        let name: LitStr = input.parse()?;
        let body;
        braced!(body in input);
        let mut states = None;
        let mut causes = None;
        let mut edges = None;
        while !body.is_empty() {
            let attrs = body.call(Attribute::parse_outer)?;
            if body.peek(kw::edges) {
                let key = body.parse::<kw::edges>()?;
                if edges.is_some() {
                    return Err(syn::Error::new(key.span, "`edges` is declared twice"));
                }
                let inner;
                braced!(inner in body);
                let list = Punctuated::<EdgeDecl, Token![,]>::parse_terminated(&inner)?;
                edges = Some(list.into_iter().collect());
                continue;
            }
            let vis: Visibility = body.parse()?;
            let look = body.lookahead1();
            if look.peek(kw::states) {
                let key = body.parse::<kw::states>()?;
                if states.is_some() {
                    return Err(syn::Error::new(key.span, "`states` is declared twice"));
                }
                states = Some(parse_enum(&body, attrs, vis)?);
            } else if look.peek(kw::causes) {
                let key = body.parse::<kw::causes>()?;
                if causes.is_some() {
                    return Err(syn::Error::new(key.span, "`causes` is declared twice"));
                }
                causes = Some(parse_enum(&body, attrs, vis)?);
            } else {
                return Err(look.error());
            }
        }
        let Some(states) = states else {
            return Err(syn::Error::new(
                name.span(),
                "a machine needs `states Kind { .. }`",
            ));
        };
        Ok(Self {
            name,
            states,
            causes,
            edges: edges.unwrap_or_default(),
        })
    }
}

fn parse_enum(
    input: ParseStream<'_>,
    attrs: Vec<Attribute>,
    vis: Visibility,
) -> syn::Result<EnumDecl> {
    let name: Ident = input.parse()?;
    let inner;
    braced!(inner in input);
    let mut variants = Vec::new();
    while !inner.is_empty() {
        let mut attrs = inner.call(Attribute::parse_outer)?;
        let mut initial = false;
        let mut timeout = false;
        attrs.retain(|a| {
            if a.path().is_ident("initial") {
                initial = true;
                false
            } else if a.path().is_ident("timeout") {
                timeout = true;
                false
            } else {
                true
            }
        });
        let ident: Ident = inner.parse()?;
        let name = if inner.peek(Token![=]) {
            inner.parse::<Token![=]>()?;
            Some(inner.parse::<LitStr>()?)
        } else {
            None
        };
        variants.push(VariantDecl {
            attrs,
            ident,
            name,
            initial,
            timeout,
        });
        if inner.is_empty() {
            break;
        }
        inner.parse::<Token![,]>()?;
    }
    Ok(EnumDecl {
        attrs,
        vis,
        name,
        variants,
    })
}

impl Parse for EdgeDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut from = vec![input.parse::<Ident>()?];
        while input.peek(Token![|]) {
            input.parse::<Token![|]>()?;
            from.push(input.parse()?);
        }
        input.parse::<Token![->]>()?;
        let to: Ident = input.parse()?;
        input.parse::<kw::on>()?;
        let on: Ident = input.parse()?;
        Ok(Self { from, to, on })
    }
}

//! Checks a `machine!` declaration and generates its kinds, causes and table.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::parse::{EnumDecl, MachineDecl, VariantDecl};

/// Collects every error of a declaration, each at its own span.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        let e = syn::Error::new(span, message);
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }
}

/// `HalfOpen` -> `HALF_OPEN` (`upper`) or `half_open`.
fn snake(ident: &str, upper: bool) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        if upper {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The names each variant is reported under.
fn names(decl: &EnumDecl, upper: bool, errors: &mut Errors) -> Vec<String> {
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut idents: HashMap<String, ()> = HashMap::new();
    decl.variants
        .iter()
        .map(|v| {
            let name = v
                .name
                .as_ref()
                .map_or_else(|| snake(&v.ident.to_string(), upper), syn::LitStr::value);
            if idents.insert(v.ident.to_string(), ()).is_some() {
                errors.at(v.ident.span(), format!("`{}` is declared twice", v.ident));
            } else if seen.insert(name.clone(), ()).is_some() {
                errors.at(v.ident.span(), format!("the name \"{name}\" is used twice"));
            }
            name
        })
        .collect()
}

/// Checks `decl` and generates its code, or every error at its span.
pub fn expand(decl: &MachineDecl) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let states = &decl.states;
    let state_names = names(states, true, &mut errors);
    let cause_names = decl
        .causes
        .as_ref()
        .map(|c| names(c, false, &mut errors))
        .unwrap_or_default();
    if states.variants.is_empty() {
        errors.at(states.name.span(), "a machine needs at least one state");
    }
    if states.variants.len() > 64 {
        errors.at(states.name.span(), "a machine may have at most 64 states");
    }
    let initials: Vec<&VariantDecl> = states.variants.iter().filter(|v| v.initial).collect();
    let initial = match initials.as_slice() {
        [one] => Some(one),
        [] => {
            errors.at(
                states.name.span(),
                "mark the state the machine starts in with `#[initial]`",
            );
            None
        }
        [_, second, ..] => {
            errors.at(second.ident.span(), "only one state can be `#[initial]`");
            None
        }
    };
    let index_of: HashMap<String, usize> = states
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| (v.ident.to_string(), i))
        .collect();
    let known = states
        .variants
        .iter()
        .map(|v| format!("`{}`", v.ident))
        .collect::<Vec<_>>()
        .join(", ");
    let resolve = |ident: &syn::Ident, errors: &mut Errors| {
        let found = index_of.get(&ident.to_string()).copied();
        if found.is_none() {
            errors.at(
                ident.span(),
                format!("unknown state `{ident}`: the states are {known}"),
            );
        }
        found
    };
    // (from, to, Some(event) or None for a timeout)
    let mut edges: Vec<(usize, usize, Option<String>)> = Vec::new();
    let mut has_timeout_edge = vec![false; states.variants.len()];
    for edge in &decl.edges {
        let to = resolve(&edge.to, &mut errors);
        let timeout = edge.on == "timeout";
        for from in &edge.from {
            let Some(f) = resolve(from, &mut errors) else {
                continue;
            };
            if timeout {
                if let Some(flag) = has_timeout_edge.get_mut(f) {
                    *flag = true;
                }
                if states.variants.get(f).is_some_and(|v| !v.timeout) {
                    errors.at(
                        from.span(),
                        format!("`{from}` leaves on timeout but is not marked `#[timeout]`"),
                    );
                }
            }
            if let Some(t) = to {
                edges.push((f, t, (!timeout).then(|| edge.on.to_string())));
            }
        }
    }
    for (v, has) in states.variants.iter().zip(&has_timeout_edge) {
        if v.timeout && !has {
            errors.at(
                v.ident.span(),
                format!(
                    "`{}` is marked `#[timeout]` but no edge leaves it `on timeout`",
                    v.ident
                ),
            );
        }
    }
    // Reachability only over edges that all resolved, so a misspelt state is one error.
    let resolved = errors.0.is_none();
    if let Some(start) = initial
        .filter(|_| resolved)
        .and_then(|v| index_of.get(&v.ident.to_string()))
    {
        let mut reached = vec![false; states.variants.len()];
        let mut queue = vec![*start];
        while let Some(s) = queue.pop() {
            if reached.get(s).copied().unwrap_or(true) {
                continue;
            }
            if let Some(r) = reached.get_mut(s) {
                *r = true;
            }
            queue.extend(edges.iter().filter(|e| e.0 == s).map(|e| e.1));
        }
        for (v, r) in states.variants.iter().zip(&reached) {
            if !r {
                errors.at(
                    v.ident.span(),
                    format!(
                        "state `{}` cannot be reached from the initial state",
                        v.ident
                    ),
                );
            }
        }
    }
    if let Some(e) = errors.0 {
        return Err(e);
    }

    let machine = &decl.name;
    let kind = &states.name;
    let initial_name = initial
        .and_then(|v| index_of.get(&v.ident.to_string()))
        .and_then(|&i| state_names.get(i))
        .cloned()
        .unwrap_or_default();
    let specs = states.variants.iter().zip(&state_names).map(|(v, name)| {
        let timeout = v.timeout;
        quote!(::mycel::fsm::StateSpec { name: #name, timeout: #timeout },)
    });
    let edge_tokens = edges.iter().map(|(f, t, on)| {
        let from = state_names.get(*f).cloned().unwrap_or_default();
        let to = state_names.get(*t).cloned().unwrap_or_default();
        let on = match on {
            Some(event) => quote!(::mycel::fsm::Trigger::Event(#event)),
            None => quote!(::mycel::fsm::Trigger::Timeout),
        };
        quote!(::mycel::fsm::Edge { from: #from, to: #to, on: #on },)
    });
    let kind_enum = labelled_enum(states, &state_names, "state");
    let kind_impl = quote! {
        impl #kind {
            /// The machine's transition table: its states, initial state and edges.
            pub const TABLE: ::mycel::fsm::Table = ::mycel::fsm::Table {
                initial: #initial_name,
                states: &[#(#specs)*],
                edges: &[#(#edge_tokens)*],
            };
        }

        impl ::mycel::fsm::StateKind for #kind {
            const MACHINE: &'static str = #machine;
            const TABLE: ::mycel::fsm::Table = #kind::TABLE;
            fn label(self) -> ::mycel::fsm::Label {
                ::mycel::fsm::Label::new(self.as_str(), self.index())
            }
            fn from_index(index: u16) -> ::core::option::Option<Self> {
                Self::ALL.get(usize::from(index)).copied()
            }
        }
    };
    let causes = decl.causes.as_ref().map(|causes| {
        let cause = &causes.name;
        let cause_enum = labelled_enum(causes, &cause_names, "cause");
        quote! {
            #cause_enum

            impl ::mycel::fsm::CauseKind for #cause {
                fn label(self) -> ::mycel::fsm::Label {
                    ::mycel::fsm::Label::new(self.as_str(), self.index())
                }
                fn from_index(index: u16) -> ::core::option::Option<Self> {
                    Self::ALL.get(usize::from(index)).copied()
                }
            }

            impl ::core::convert::From<#cause> for ::mycel::fsm::Label {
                fn from(cause: #cause) -> Self {
                    ::mycel::fsm::CauseKind::label(cause)
                }
            }
        }
    });
    Ok(quote! {
        #kind_enum
        #kind_impl
        #causes
    })
}

/// The enum itself, with `ALL`, `as_str`, `index`, `from_name` and `Display`.
fn labelled_enum(decl: &EnumDecl, names: &[String], what: &str) -> TokenStream {
    let EnumDecl {
        attrs,
        vis,
        name,
        variants,
    } = decl;
    let count = variants.len();
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let variant_attrs = variants.iter().map(|v| &v.attrs);
    let indices = (0..count).map(|i| u16::try_from(i).unwrap_or(u16::MAX));
    let all_doc = format!("Every {what}, in declaration order.");
    let as_str_doc = format!(
        "The {what}'s name, as reported in state changes: {}.",
        names
            .iter()
            .map(|n| format!("`\"{n}\"`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let from_doc = format!("The {what} named `name`, if any.");
    let index_doc = format!("The {what}'s position in its declaration.");
    quote! {
        #(#attrs)*
        #vis enum #name {
            #( #(#variant_attrs)* #idents, )*
        }

        impl #name {
            #[doc = #all_doc]
            pub const ALL: [Self; #count] = [#(Self::#idents),*];

            #[doc = #as_str_doc]
            #[must_use]
            pub const fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#idents => #names,)*
                }
            }

            #[doc = #index_doc]
            #[must_use]
            pub const fn index(&self) -> u16 {
                match self {
                    #(Self::#idents => #indices,)*
                }
            }

            #[doc = #from_doc]
            #[must_use]
            pub fn from_name(name: &str) -> ::core::option::Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == name)
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.pad(self.as_str())
            }
        }
    }
}

//! The syntax of a `net!` block, parsed into a declaration that keeps every name's span.
//!
//! ```text
//! #[round_robin] #[straight_line] #[pool(N)]   (optional)
//! pub net Name: Colour {
//!     machines { name: Type, ... }             (optional: machines the net owns)
//!     places { name: capacity, ... }
//!     transitions {
//!         name [option, ...]: inputs -> outputs,
//!         ...
//!     }
//! }
//! inputs  := () | arc + arc + ...      arc := place | ?place (read) | !place (inhibitor), each [* weight]
//! outputs := () | place [* weight] + ...
//! option  := priority = N | delay = 5ms | delay = <Duration expr> | guard = <fn path>
//!          | error = place | source | sink
//!          | machine = name, binding = <expr>   (feed each token to that machine)
//! ```

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Expr, Ident, LitInt, Token, Type, Visibility, braced, bracketed};

/// One whole `net!` block.
pub struct NetDecl {
    /// Attributes passed through to the generated type (docs, derives are not allowed).
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub colour: Type,
    pub round_robin: bool,
    /// `#[straight_line]`: fire pass-through transitions with code written out per
    /// transition (faster, larger: see `straight.rs`).
    pub straight_line: Option<Attribute>,
    /// An explicit pool size, checked against what the net needs.
    pub pool: Option<LitInt>,
    pub machines: Vec<MachineDecl>,
    pub places: Vec<PlaceDecl>,
    pub transitions: Vec<TransitionDecl>,
}

/// `name: Type`: a machine the net owns (anything `Embeddable`).
pub struct MachineDecl {
    pub attrs: Vec<Attribute>,
    pub name: Ident,
    pub ty: Type,
}

/// `name: capacity`
pub struct PlaceDecl {
    pub attrs: Vec<Attribute>,
    pub name: Ident,
    pub capacity: LitInt,
}

/// `name [options]: inputs -> outputs`
pub struct TransitionDecl {
    pub attrs: Vec<Attribute>,
    pub name: Ident,
    pub priority: Option<LitInt>,
    pub delay: Option<Delay>,
    pub guard: Option<Expr>,
    pub error: Option<Ident>,
    pub source: Option<Span>,
    pub sink: Option<Span>,
    pub machine: Option<Ident>,
    pub binding: Option<Expr>,
    pub inputs: Vec<ArcDecl>,
    pub outputs: Vec<ArcDecl>,
}

/// How long a timed transition must stay enabled.
pub enum Delay {
    /// `5ms`, `2s`, `100us`: a literal with a unit suffix.
    Literal { micros: u64 },
    /// Any expression of type `mycel::time::Duration`.
    Expr(Box<Expr>),
}

/// What an arc does, as written before its place.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ArcKind {
    Input,
    Read,
    Inhibitor,
    Output,
}

/// One arc of a transition.
pub struct ArcDecl {
    pub kind: ArcKind,
    pub place: Ident,
    pub weight: LitInt,
}

mod kw {
    syn::custom_keyword!(net);
    syn::custom_keyword!(places);
    syn::custom_keyword!(transitions);
    syn::custom_keyword!(machines);
}

impl Parse for NetDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut attrs = Vec::new();
        let mut round_robin = false;
        let mut straight_line = None;
        let mut pool = None;
        for attr in input.call(Attribute::parse_outer)? {
            if attr.path().is_ident("round_robin") {
                attr.meta.require_path_only()?;
                round_robin = true;
            } else if attr.path().is_ident("straight_line") {
                attr.meta.require_path_only()?;
                straight_line = Some(attr);
            } else if attr.path().is_ident("pool") {
                pool = Some(attr.parse_args::<LitInt>()?);
            } else if attr.path().is_ident("derive") {
                // Its `Debug` is generated; `Clone` is what a checker needs to branch.
                let derived = attr.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )?;
                if let Some(other) = derived.iter().find(|path| !path.is_ident("Clone")) {
                    return Err(syn::Error::new_spanned(
                        other,
                        "a net derives `Clone` only (its `Debug` is generated)",
                    ));
                }
                attrs.push(attr);
            } else if attr.path().is_ident("doc") || attr.path().is_ident("allow") {
                attrs.push(attr);
            } else {
                return Err(syn::Error::new_spanned(
                    attr,
                    "a net takes doc comments, `#[round_robin]`, `#[straight_line]`, `#[pool(N)]`, `#[derive(Clone)]` and `#[allow(..)]` only",
                ));
            }
        }
        let vis: Visibility = input.parse()?;
        input
            .parse::<kw::net>()
            .map_err(|e| syn::Error::new(e.span(), "expected `net Name: Colour { .. }`"))?;
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let colour: Type = input.parse()?;
        let body;
        braced!(body in input);
        let mut places = None;
        let mut transitions = None;
        let mut machines = None;
        while !body.is_empty() {
            let look = body.lookahead1();
            if look.peek(kw::machines) {
                let key = body.parse::<kw::machines>()?;
                if machines.is_some() {
                    return Err(syn::Error::new(key.span, "`machines` is declared twice"));
                }
                let inner;
                braced!(inner in body);
                machines = Some(parse_machines(&inner)?);
            } else if look.peek(kw::places) {
                let key = body.parse::<kw::places>()?;
                if places.is_some() {
                    return Err(syn::Error::new(key.span, "`places` is declared twice"));
                }
                let inner;
                braced!(inner in body);
                places = Some(parse_places(&inner)?);
            } else if look.peek(kw::transitions) {
                let key = body.parse::<kw::transitions>()?;
                if transitions.is_some() {
                    return Err(syn::Error::new(key.span, "`transitions` is declared twice"));
                }
                let inner;
                braced!(inner in body);
                transitions = Some(parse_transitions(&inner)?);
            } else {
                return Err(look.error());
            }
        }
        let Some(places) = places else {
            return Err(syn::Error::new(
                name.span(),
                "a net needs a `places { name: capacity, .. }` section",
            ));
        };
        Ok(Self {
            attrs,
            vis,
            name,
            colour,
            round_robin,
            straight_line,
            pool,
            machines: machines.unwrap_or_default(),
            places,
            transitions: transitions.unwrap_or_default(),
        })
    }
}

fn parse_machines(input: ParseStream<'_>) -> syn::Result<Vec<MachineDecl>> {
    let mut machines = Vec::new();
    while !input.is_empty() {
        let attrs = input.call(Attribute::parse_outer)?;
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let ty: Type = input.parse()?;
        machines.push(MachineDecl { attrs, name, ty });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(machines)
}

fn parse_places(input: ParseStream<'_>) -> syn::Result<Vec<PlaceDecl>> {
    let mut places = Vec::new();
    while !input.is_empty() {
        let attrs = input.call(Attribute::parse_outer)?;
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let capacity: LitInt = input.parse()?;
        places.push(PlaceDecl {
            attrs,
            name,
            capacity,
        });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(places)
}

fn parse_transitions(input: ParseStream<'_>) -> syn::Result<Vec<TransitionDecl>> {
    let mut transitions = Vec::new();
    while !input.is_empty() {
        transitions.push(parse_transition(input)?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(transitions)
}

fn parse_transition(input: ParseStream<'_>) -> syn::Result<TransitionDecl> {
    let attrs = input.call(Attribute::parse_outer)?;
    let name: Ident = input.parse()?;
    let mut t = TransitionDecl {
        attrs,
        name,
        priority: None,
        delay: None,
        guard: None,
        error: None,
        source: None,
        sink: None,
        machine: None,
        binding: None,
        inputs: Vec::new(),
        outputs: Vec::new(),
    };
    if input.peek(syn::token::Bracket) {
        let options;
        bracketed!(options in input);
        while !options.is_empty() {
            parse_option(&options, &mut t)?;
            if options.is_empty() {
                break;
            }
            options.parse::<Token![,]>()?;
        }
    }
    input.parse::<Token![:]>()?;
    t.inputs = parse_arcs(input, true)?;
    input.parse::<Token![->]>()?;
    t.outputs = parse_arcs(input, false)?;
    Ok(t)
}

fn parse_option(input: ParseStream<'_>, t: &mut TransitionDecl) -> syn::Result<()> {
    let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
    let twice = || syn::Error::new(key.span(), format!("option `{key}` is given twice"));
    match key.to_string().as_str() {
        "source" if t.source.is_none() => t.source = Some(key.span()),
        "sink" if t.sink.is_none() => t.sink = Some(key.span()),
        "priority" if t.priority.is_none() => {
            input.parse::<Token![=]>()?;
            t.priority = Some(input.parse()?);
        }
        "delay" if t.delay.is_none() => {
            input.parse::<Token![=]>()?;
            t.delay = Some(parse_delay(input)?);
        }
        "guard" if t.guard.is_none() => {
            input.parse::<Token![=]>()?;
            t.guard = Some(input.parse()?);
        }
        "error" if t.error.is_none() => {
            input.parse::<Token![=]>()?;
            t.error = Some(input.parse()?);
        }
        "machine" if t.machine.is_none() => {
            input.parse::<Token![=]>()?;
            t.machine = Some(input.parse()?);
        }
        "binding" if t.binding.is_none() => {
            input.parse::<Token![=]>()?;
            t.binding = Some(input.parse()?);
        }
        "source" | "sink" | "priority" | "delay" | "guard" | "error" | "machine" | "binding" => {
            return Err(twice());
        }
        _ => {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown transition option `{key}`: expected `priority = N`, `delay = 5ms`, \
                     `guard = function`, `error = place`, `source`, `sink`, \
                     `machine = name` or `binding = expression`"
                ),
            ));
        }
    }
    Ok(())
}

fn parse_delay(input: ParseStream<'_>) -> syn::Result<Delay> {
    if input.peek(LitInt) {
        let lit: LitInt = input.parse()?;
        let per_unit: u64 = match lit.suffix() {
            "us" => 1,
            "ms" => 1_000,
            "s" => 1_000_000,
            _ => {
                return Err(syn::Error::new(
                    lit.span(),
                    "a delay literal needs a unit: `250us`, `5ms` or `2s` \
                     (or write a `Duration` expression)",
                ));
            }
        };
        let value: u64 = lit.base10_parse()?;
        let Some(micros) = value.checked_mul(per_unit) else {
            return Err(syn::Error::new(
                lit.span(),
                "this delay does not fit in 64-bit microseconds",
            ));
        };
        return Ok(Delay::Literal { micros });
    }
    Ok(Delay::Expr(Box::new(input.parse()?)))
}

fn parse_arcs(input: ParseStream<'_>, inputs: bool) -> syn::Result<Vec<ArcDecl>> {
    let mut arcs = Vec::new();
    if input.peek(syn::token::Paren) {
        let empty;
        let paren = syn::parenthesized!(empty in input);
        if !empty.is_empty() {
            return Err(syn::Error::new(
                paren.span.join(),
                "`()` stands for no arcs; list arcs as `a + b * 2`",
            ));
        }
        return Ok(arcs);
    }
    loop {
        let kind = if inputs && input.peek(Token![?]) {
            input.parse::<Token![?]>()?;
            ArcKind::Read
        } else if inputs && input.peek(Token![!]) {
            input.parse::<Token![!]>()?;
            ArcKind::Inhibitor
        } else if inputs {
            ArcKind::Input
        } else {
            ArcKind::Output
        };
        let place: Ident = input.parse()?;
        let weight = if input.peek(Token![*]) {
            input.parse::<Token![*]>()?;
            input.parse::<LitInt>()?
        } else {
            LitInt::new("1", place.span())
        };
        arcs.push(ArcDecl {
            kind,
            place,
            weight,
        });
        if !input.peek(Token![+]) {
            break;
        }
        input.parse::<Token![+]>()?;
    }
    Ok(arcs)
}

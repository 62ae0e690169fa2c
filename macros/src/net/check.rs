//! Every structural rule the runtime builder enforces, checked on the declaration so a
//! mistake is a compile error at the name that causes it. All errors are reported at
//! once, each at its own span.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::{Ident, LitInt};

use super::parse::{ArcDecl, ArcKind, NetDecl, TransitionDecl};

/// The engine's limits, mirrored from `mycel::net` (16-bit ids and pool slots).
const MAX_IDS: usize = u16::MAX as usize;
const MAX_POOL: usize = u16::MAX as usize;
/// `mycel::net::MAX_FIRING_INPUTS`.
const MAX_FIRING_INPUTS: usize = 32;

/// A declaration that passed every check, with what the generated code needs computed.
pub struct Checked {
    /// Capacity of each place, in declaration order.
    pub capacities: Vec<u16>,
    /// Each transition's arcs, resolved to place indices and weights.
    pub arcs: Vec<Vec<(ArcKind, usize, u16)>>,
    /// Each transition's error place index.
    pub error_places: Vec<Option<usize>>,
    /// Each transition's priority.
    pub priorities: Vec<u8>,
    /// The machine (index into the declaration's `machines`) each transition feeds.
    pub machine_of: Vec<Option<usize>>,
    /// Arcs including one per error place: the net's `A`.
    pub arc_count: usize,
    /// Every place full plus the largest firing's fresh tokens: the net's `K`.
    pub pool: usize,
}

/// Collects errors so every mistake in a block is reported in one compile.
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

fn number<T: std::str::FromStr>(
    lit: &LitInt,
    errors: &mut Errors,
    what: &str,
    range: &str,
) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    if !lit.suffix().is_empty() {
        errors.at(
            lit.span(),
            format!("{what} is a plain number, without a suffix"),
        );
        return None;
    }
    match lit.base10_parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.at(lit.span(), format!("{what} must be {range}"));
            None
        }
    }
}

/// Checks `net`, returning the computed model or every error found.
pub fn check(net: &NetDecl) -> syn::Result<Checked> {
    let mut errors = Errors::default();
    let net_name = &net.name;

    if net.places.is_empty() {
        errors.at(
            net_name.span(),
            format!("net `{net_name}` declares no place"),
        );
    }
    if net.places.len() > MAX_IDS {
        errors.at(
            net_name.span(),
            format!("a net may have at most {MAX_IDS} places"),
        );
    }
    if net.transitions.len() > MAX_IDS {
        errors.at(
            net_name.span(),
            format!("a net may have at most {MAX_IDS} transitions"),
        );
    }
    if let Some(attr) = &net.straight_line {
        let span = syn::spanned::Spanned::span(attr);
        if net.round_robin {
            errors.at(
                span,
                "`#[straight_line]` needs a fixed firing order: it cannot go with `#[round_robin]`"
                    .to_owned(),
            );
        }
        if net.transitions.len() > super::straight::MAX_RANKED {
            errors.at(
                span,
                format!(
                    "`#[straight_line]` covers at most {} transitions",
                    super::straight::MAX_RANKED
                ),
            );
        }
    }

    let mut place_index: HashMap<String, usize> = HashMap::new();
    let mut capacities = Vec::with_capacity(net.places.len());
    for (i, place) in net.places.iter().enumerate() {
        let name = place.name.to_string();
        if place_index.insert(name.clone(), i).is_some() {
            errors.at(
                place.name.span(),
                format!("place `{name}` is declared twice in net `{net_name}`"),
            );
        }
        let capacity = number::<u16>(
            &place.capacity,
            &mut errors,
            "a capacity",
            "between 1 and 65535",
        )
        .unwrap_or(1);
        if capacity == 0 {
            errors.at(
                place.capacity.span(),
                format!(
                    "place `{name}` has capacity 0: a place must be able to hold at least one token"
                ),
            );
        }
        capacities.push(capacity);
    }
    let known_places = || {
        net.places
            .iter()
            .map(|p| format!("`{}`", p.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut resolve = |place: &Ident, errors: &mut Errors| -> Option<usize> {
        let found = place_index.get(&place.to_string()).copied();
        if found.is_none() {
            errors.at(
                place.span(),
                format!(
                    "unknown place `{place}`: net `{net_name}` declares {}",
                    known_places()
                ),
            );
        }
        found
    };

    let mut machine_index: HashMap<String, usize> = HashMap::new();
    for (i, m) in net.machines.iter().enumerate() {
        if machine_index.insert(m.name.to_string(), i).is_some() {
            errors.at(
                m.name.span(),
                format!("machine `{}` is declared twice in net `{net_name}`", m.name),
            );
        }
    }
    let mut machine_of = Vec::with_capacity(net.transitions.len());
    for t in &net.transitions {
        let found = t.machine.as_ref().and_then(|m| {
            let found = machine_index.get(&m.to_string()).copied();
            if found.is_none() {
                errors.at(
                    m.span(),
                    format!(
                        "unknown machine `{m}`: declare it in `machines {{ {m}: Type }}` of net `{net_name}`"
                    ),
                );
            }
            found
        });
        match (&t.machine, &t.binding) {
            (Some(m), None) => errors.at(
                m.span(),
                format!(
                    "transition `{}` feeds machine `{m}` but names no binding: add \
                     `binding = ..`, the `Binding` that turns its tokens into events and \
                     answers into places",
                    t.name
                ),
            ),
            (None, Some(b)) => errors.at(
                syn::spanned::Spanned::span(b),
                format!(
                    "transition `{}` has a binding but no `machine = ..` to feed",
                    t.name
                ),
            ),
            _ => {}
        }
        machine_of.push(found);
    }

    let mut transition_names: HashMap<String, ()> = HashMap::new();
    let mut arcs = Vec::with_capacity(net.transitions.len());
    let mut error_places = Vec::with_capacity(net.transitions.len());
    let mut priorities = Vec::with_capacity(net.transitions.len());
    let mut arc_count: usize = 0;
    let mut largest_fresh: usize = 0;
    for t in &net.transitions {
        let name = t.name.to_string();
        if transition_names.insert(name.clone(), ()).is_some() {
            errors.at(
                t.name.span(),
                format!("transition `{name}` is declared twice in net `{net_name}`"),
            );
        }
        priorities.push(
            t.priority
                .as_ref()
                .and_then(|p| number::<u8>(p, &mut errors, "a priority", "between 0 and 255"))
                .unwrap_or(0),
        );
        let resolved = check_arcs(t, &capacities, &mut resolve, &mut errors);
        let error_place = t.error.as_ref().and_then(|p| resolve(p, &mut errors));
        if let (Some(p), Some(ident)) = (error_place, &t.error)
            && resolved.iter().any(|&(_, q, _)| q == p)
        {
            errors.at(
                ident.span(),
                format!(
                    "`{ident}` is the error place of `{name}` and also one of its arcs' places: \
                         failed tokens could not be told from good ones"
                ),
            );
        }
        // Counted over the arcs as written, so an unknown place or a bad weight, already
        // reported, does not also read as a missing arc.
        let flow = |kind: ArcKind| -> usize {
            t.inputs
                .iter()
                .chain(&t.outputs)
                .filter(|a| a.kind == kind)
                .map(|a| {
                    a.weight
                        .base10_parse::<u16>()
                        .map_or(1, |w| usize::from(w.max(1)))
                })
                .sum()
        };
        let (consumes, produces) = (flow(ArcKind::Input), flow(ArcKind::Output));
        check_flow(t, consumes, produces, &mut errors);
        let fresh = if t.source.is_some() {
            produces
        } else {
            produces.min(consumes)
        };
        largest_fresh = largest_fresh.max(fresh);
        arc_count += t.inputs.len() + t.outputs.len() + usize::from(t.error.is_some());
        arcs.push(resolved);
        error_places.push(error_place);
    }
    if arc_count > MAX_IDS {
        errors.at(
            net_name.span(),
            format!("a net may have at most {MAX_IDS} arcs"),
        );
    }

    let needed = capacities.iter().map(|&c| usize::from(c)).sum::<usize>() + largest_fresh;
    let pool = match &net.pool {
        Some(lit) => {
            let given = number::<usize>(lit, &mut errors, "a pool size", "a number of slots")
                .unwrap_or(needed);
            if given < needed {
                errors.at(
                    lit.span(),
                    format!(
                        "a pool of {given} slots is too small: net `{net_name}` needs {needed} \
                         (every place full, plus the largest firing's new tokens); leave \
                         `#[pool(..)]` out to have it computed"
                    ),
                );
            }
            given
        }
        None => needed,
    };
    if pool > MAX_POOL {
        errors.at(
            net_name.span(),
            format!("net `{net_name}` needs a pool of {pool} slots; the engine allows at most {MAX_POOL}"),
        );
    }

    match errors.0 {
        Some(e) => Err(e),
        None => Ok(Checked {
            capacities,
            arcs,
            error_places,
            priorities,
            machine_of,
            arc_count,
            pool,
        }),
    }
}

/// Resolves and checks one transition's arcs: known places, weights, no duplicates,
/// outputs that fit their place.
fn check_arcs(
    t: &TransitionDecl,
    capacities: &[u16],
    resolve: &mut impl FnMut(&Ident, &mut Errors) -> Option<usize>,
    errors: &mut Errors,
) -> Vec<(ArcKind, usize, u16)> {
    let mut resolved: Vec<(ArcKind, usize, u16)> = Vec::new();
    for arc in t.inputs.iter().chain(&t.outputs) {
        let place = resolve(&arc.place, errors);
        let weight =
            number::<u16>(&arc.weight, errors, "a weight", "between 1 and 65535").unwrap_or(1);
        if weight == 0 {
            errors.at(
                arc.weight.span(),
                format!(
                    "the arc between `{}` and `{}` has weight 0: an arc moves or tests at least one token",
                    t.name, arc.place
                ),
            );
        }
        let Some(place) = place else { continue };
        let capacity = capacities.get(place).copied().unwrap_or(u16::MAX);
        if arc.kind == ArcKind::Output && weight > capacity && capacity > 0 {
            errors.at(
                arc.weight.span(),
                format!(
                    "`{}` may put {weight} tokens into `{}`, which holds at most {capacity}: \
                     the transition could never fire",
                    t.name, arc.place
                ),
            );
        }
        if let Some(clash) = duplicate(&resolved, arc, place) {
            errors.at(arc.place.span(), clash);
        }
        resolved.push((arc.kind, place, weight));
    }
    resolved
}

fn duplicate(resolved: &[(ArcKind, usize, u16)], arc: &ArcDecl, place: usize) -> Option<String> {
    let consuming = |k: ArcKind| matches!(k, ArcKind::Input | ArcKind::Read);
    resolved
        .iter()
        .find(|&&(k, p, _)| p == place && (k == arc.kind || (consuming(k) && consuming(arc.kind))))
        .map(|_| {
            format!(
                "`{}` is connected twice the same way: merge the two arcs into one with a weight",
                arc.place
            )
        })
}

/// The conservation rules: a transition without inputs must be a source, and one that
/// consumes more than its outputs can take must be a sink.
fn check_flow(t: &TransitionDecl, consumes: usize, produces: usize, errors: &mut Errors) {
    let name = &t.name;
    if consumes == 0 && t.source.is_none() {
        errors.at(
            name.span(),
            format!(
                "transition `{name}` has no input arc: declare it `{name} [source]` if it brings \
                 tokens into the net"
            ),
        );
    }
    if consumes > MAX_FIRING_INPUTS {
        errors.at(
            name.span(),
            format!(
                "one firing of `{name}` consumes {consumes} tokens; the engine takes at most \
                 {MAX_FIRING_INPUTS} per firing"
            ),
        );
    }
    if t.sink.is_none() && consumes > 0 {
        if produces == 0 {
            errors.at(
                name.span(),
                format!(
                    "transition `{name}` consumes tokens but never produces any: add an output \
                     arc, or declare it `{name} [sink]` if it takes tokens out of the net"
                ),
            );
        } else if produces < consumes {
            errors.at(
                name.span(),
                format!(
                    "transition `{name}` consumes {consumes} tokens but its outputs take at most \
                     {produces}: every firing would lose tokens; raise an output weight, or \
                     declare it `{name} [sink]`"
                ),
            );
        }
    }
}

//! Straight-line firing, for a net declared `#[straight_line]` (opt-in: each
//! pass-through transition gets its own firing code, hundreds of bytes of flash apiece,
//! which a firmware with a tight budget may not want): the step that picks the
//! next ready transition and, for each transition that can pass its tokens through, the
//! firing written out with its places, its arcs and the enabling of every transition it
//! can affect known at compile time. Everything else (a behaviour's own firing, timed
//! transitions, machines, failures) goes to the engine's generic firing, on the same
//! state.
//!
//! The rules are the interpreter's (see `engine/src/net/running/commit.rs`): the firing
//! consumes its inputs in arc order, forwards them to its outputs in arc order, counts
//! the firing, re-evaluates every transition with an arc on a place it touched, and
//! reports it. The lockstep property tests (`engine/tests/straight_line.rs`) hold the two to
//! the same steps, markings, events and errors.

use proc_macro2::TokenStream;
use quote::quote;

use super::check::Checked;
use super::parse::{ArcKind, NetDecl};

/// The most transitions a rank set covers (64 words of 64 bits, one summary word).
pub const MAX_RANKED: usize = 64 * 64;

/// Whether `net` fires straight-line: asked for with `#[straight_line]`, no round-robin
/// (its order changes as it runs) and few enough transitions for a rank set (`check`
/// reports the last two as errors when asked for).
pub fn applies(net: &NetDecl) -> bool {
    net.straight_line.is_some() && !net.round_robin && net.transitions.len() <= MAX_RANKED
}

/// The number of 64-bit words of the net's rank set.
pub fn words(net: &NetDecl) -> usize {
    net.transitions.len().div_ceil(64).max(1)
}

/// The arms of the generated `match` on the transition to fire, one per transition
/// that can fire straight-line; `net`, `now`, `with` and `observer` are in scope.
pub fn arms(net: &NetDecl, checked: &Checked) -> TokenStream {
    let index = arc_index(checked);
    let rank = ranks(checked).0;
    let arms = (0..net.transitions.len()).filter_map(|t| arm(net, checked, &index, &rank, t));
    quote!(#(#arms)*)
}

/// Compile-time assertions, for the type `name`, that every arc the generated firing
/// updates is the engine's own: the same entry of its place-to-arc index, for the same
/// transition, with the same bounds, and all of each transition's arcs.
pub fn agreement(name: &syn::Ident, checked: &Checked) -> TokenStream {
    let index = arc_index(checked);
    let entries = index.iter().enumerate().flat_map(|(t, arcs)| {
        let t = u16_of(t);
        arcs.iter().map(move |a| {
            let (k, lo, hi) = (a.k, a.lo, a.hi);
            quote!((#k, #t, #lo, #hi),)
        })
    });
    let at_rank = ranks(checked).1.into_iter().map(u16_of);
    quote! {
        const _: () = ::core::assert!(
            #name::DECLARATION.__agrees(&[#(#entries)*]),
            "net! and the engine disagree on the arcs of this net",
        );
        const _: () = ::core::assert!(
            #name::DECLARATION.__ranks_agree(&[#(#at_rank),*]),
            "net! and the engine disagree on the firing order of this net",
        );
    }
}

/// Each transition's rank in the ready set, and the transition at each rank: higher
/// priority first, then declaration order (the engine's `RankSet`).
fn ranks(checked: &Checked) -> (Vec<usize>, Vec<usize>) {
    let mut at_rank: Vec<usize> = (0..checked.priorities.len()).collect();
    at_rank.sort_by_key(|&t| std::cmp::Reverse(checked.priorities.get(t).copied().unwrap_or(0)));
    let mut rank = vec![0; at_rank.len()];
    for (r, &t) in at_rank.iter().enumerate() {
        if let Some(slot) = rank.get_mut(t) {
            *slot = r;
        }
    }
    (rank, at_rank)
}

/// One arc as the engine's enabling sees it: its entry in the place-to-arc index, its
/// place, and the range of tokens there that allows its transition.
struct IndexedArc {
    k: u16,
    place: u16,
    lo: u16,
    hi: u16,
}

/// Every transition's arcs, its error place's last, as the engine indexes them
/// (`declare.rs`): declared arcs in transition then arc order, then one arc per error
/// place in transition order, sorted stably by place.
fn arc_index(checked: &Checked) -> Vec<Vec<IndexedArc>> {
    let capacity = |p: usize| checked.capacities.get(p).copied().unwrap_or(0);
    // (transition, place, lo, hi) in the engine's arc order.
    let mut all = Vec::new();
    for (t, arcs) in checked.arcs.iter().enumerate() {
        for &(kind, place, w) in arcs {
            let own: u16 = arcs
                .iter()
                .filter(|(k, q, _)| *k == ArcKind::Input && *q == place)
                .map(|&(_, _, w)| w)
                .next()
                .unwrap_or(0);
            let (lo, hi) = match kind {
                ArcKind::Input | ArcKind::Read => (w, u16::MAX),
                ArcKind::Inhibitor => (0, w.saturating_sub(1)),
                ArcKind::Output => (0, capacity(place).saturating_sub(w).saturating_add(own)),
            };
            all.push((t, place, lo, hi));
        }
    }
    for (t, error) in checked.error_places.iter().enumerate() {
        if let Some(e) = *error {
            let consumes = checked.arcs.get(t).map_or(0, |arcs| {
                weights(arcs, ArcKind::Input)
                    .map(|(_, w)| w)
                    .fold(0u16, u16::saturating_add)
            });
            let (lo, hi) = match capacity(e).checked_sub(consumes) {
                Some(hi) => (0, hi),
                None => (1, 0),
            };
            all.push((t, e, lo, hi));
        }
    }
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| all.get(i).map_or(0, |a| a.1));
    let mut index: Vec<Vec<IndexedArc>> = checked.arcs.iter().map(|_| Vec::new()).collect();
    for (k, i) in order.into_iter().enumerate() {
        if let Some(&(t, place, lo, hi)) = all.get(i)
            && let Some(arcs) = index.get_mut(t)
        {
            arcs.push(IndexedArc {
                k: u16_of(k),
                place: u16_of(place),
                lo,
                hi,
            });
        }
    }
    index
}

/// The straight-line firing of transition `t`, if it passes its tokens through without
/// a delay or a machine: it is not a source and its outputs take exactly what it
/// consumes, so forwarding cannot fail (the engine's `forwards_all`).
fn arm(
    net: &NetDecl,
    checked: &Checked,
    index: &[Vec<IndexedArc>],
    rank: &[usize],
    t: usize,
) -> Option<TokenStream> {
    let decl = net.transitions.get(t)?;
    let arcs = checked.arcs.get(t)?;
    if decl.delay.is_some() || decl.source.is_some() || checked.machine_of.get(t)?.is_some() {
        return None;
    }
    let consumes: usize = weights(arcs, ArcKind::Input)
        .map(|(_, w)| usize::from(w))
        .sum();
    let produces: usize = weights(arcs, ArcKind::Output)
        .map(|(_, w)| usize::from(w))
        .sum();
    if consumes == 0 || consumes != produces {
        return None;
    }
    let this = u16_of(t);
    // Inputs in arc order, each its weight's worth from the head of its place...
    let mut slot = 0usize;
    let mut pops = Vec::new();
    for (place, w) in weights(arcs, ArcKind::Input) {
        let place = u16_of(place);
        for _ in 0..w {
            let name = quote::format_ident!("__slot{}", slot);
            pops.push(quote!(let #name = net.__pop(#place);));
            slot += 1;
        }
    }
    // ...to the outputs in arc order, each filled to its weight.
    let mut slot = 0usize;
    let mut pushes = Vec::new();
    for (place, w) in weights(arcs, ArcKind::Output) {
        let place = u16_of(place);
        for _ in 0..w {
            let name = quote::format_ident!("__slot{}", slot);
            pushes.push(quote!(net.__push(#place, #name);));
            slot += 1;
        }
    }
    let touched: Vec<usize> = arcs
        .iter()
        .filter(|(kind, _, _)| matches!(kind, ArcKind::Input | ArcKind::Output))
        .map(|&(_, place, _)| place)
        .collect();
    let updates = affected(net, checked, &touched).into_iter().map(|u| {
        let decl = net.transitions.get(u);
        let arcs = index.get(u).map_or(&[][..], Vec::as_slice).iter().map(|a| {
            let (k, place, lo, hi) = (a.k, a.place, a.lo, a.hi);
            let allows = if lo > hi {
                quote!(false)
            } else if lo == 0 {
                quote!(net.__len(#place) <= #hi)
            } else if hi == u16::MAX {
                quote!(net.__len(#place) >= #lo)
            } else {
                quote!((#lo..=#hi).contains(&net.__len(#place)))
            };
            quote!((#k, #allows))
        });
        let rank = u16_of(rank.get(u).copied().unwrap_or(0));
        let u = u16_of(u);
        let untimed = decl.is_some_and(|d| d.delay.is_none());
        if decl.is_some_and(|d| d.guard.is_some()) {
            quote! {
                net.__arcs(#u, [#(#arcs),*]);
                net.__recheck(#u, __at);
            }
        } else {
            quote! {
                let __allowed = net.__arcs(#u, [#(#arcs),*]);
                net.__enabling(#u, #rank, __allowed, #untimed, __at);
            }
        }
    });
    let moved = u16_of(consumes);
    let body = quote! {
        let __at = now.as_ticks();
        #(#pops)*
        #(#pushes)*
        #(#updates)*
        net.__fired(#this, now, #moved, observer)
    };
    let guard = quote! {
        #this if ::mycel::sched::Behaviour::passes_through(
            &*with,
            ::mycel::net::TransitionId::new(#this),
        )
    };
    Some(quote!(#guard => { #body }))
}

/// The places and weights of `arcs` of `kind`, in arc order.
fn weights(
    arcs: &[(ArcKind, usize, u16)],
    kind: ArcKind,
) -> impl Iterator<Item = (usize, u16)> + '_ {
    arcs.iter()
        .filter(move |(k, _, _)| *k == kind)
        .map(|&(_, place, w)| (place, w))
}

/// Every transition with an arc (its error place's included) on one of `places`, in
/// index order, each once.
fn affected(net: &NetDecl, checked: &Checked, places: &[usize]) -> Vec<usize> {
    (0..net.transitions.len())
        .filter(|&u| {
            let on_arc = checked
                .arcs
                .get(u)
                .is_some_and(|arcs| arcs.iter().any(|(_, p, _)| places.contains(p)));
            let on_error = checked
                .error_places
                .get(u)
                .copied()
                .flatten()
                .is_some_and(|e| places.contains(&e));
            on_arc || on_error
        })
        .collect()
}

fn u16_of(i: usize) -> u16 {
    // The checks limit every count to 16 bits.
    u16::try_from(i).unwrap_or(u16::MAX)
}

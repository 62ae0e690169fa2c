//! The code a checked `net!` block turns into: a concrete net type whose every count is
//! computed, typed ids for its places and transitions, and a host API that takes them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::check::Checked;
use super::parse::{ArcKind, Delay, NetDecl};
use super::straight;

/// Generates the net type for `net`, whose structure `checked` validated.
pub fn expand(net: &NetDecl, checked: &Checked) -> TokenStream {
    let NetDecl {
        attrs,
        vis,
        name,
        colour,
        ..
    } = net;
    let places_ty = format_ident!("{}Places", name);
    let which_ty = format_ident!("{}Transition", name);
    let variants: Vec<_> = net
        .transitions
        .iter()
        .map(|tr| {
            format_ident!(
                "{}",
                camel_case(&tr.name.to_string()),
                span = tr.name.span()
            )
        })
        .collect();
    let variant_docs = net
        .transitions
        .iter()
        .map(|tr| format!("The transition `{}`.", tr.name));
    let which_arms = variants.iter().enumerate().map(|(i, v)| {
        let index = index_u16(i);
        quote!(#index => ::core::option::Option::Some(#which_ty::#v),)
    });
    let transitions_ty = format_ident!("{}Transitions", name);
    let p = net.places.len();
    let t = net.transitions.len();
    let a = checked.arc_count;
    let k = checked.pool;
    let straight_line = straight::applies(net);
    let ready = if straight_line {
        let w = straight::words(net);
        quote!(::mycel::net::RankSet<#t, #w>)
    } else {
        quote!(::mycel::net::ReadyHeap<#t>)
    };
    let inner =
        quote!(::mycel::sched::Net<#colour, #p, #t, #a, #k, #ready, ::mycel::net::Declared<#name>>);
    let place = quote!(::mycel::net::Place<#name>);
    let transition = quote!(::mycel::net::Transition<#name>);

    let place_fields = net.places.iter().map(|pl| {
        let (attrs, field) = (&pl.attrs, &pl.name);
        let doc = doc_unless_given(attrs, &format!("The place `{field}`."));
        quote!(#(#attrs)* #doc pub #field: #place,)
    });
    let place_values = net.places.iter().enumerate().map(|(i, pl)| {
        let (field, text, index) = (&pl.name, pl.name.to_string(), index_u16(i));
        quote!(#field: ::mycel::net::Place::__declared(#index, #text),)
    });
    let transition_fields = net.transitions.iter().map(|tr| {
        let (attrs, field) = (&tr.attrs, &tr.name);
        let doc = doc_unless_given(attrs, &format!("The transition `{field}`."));
        quote!(#(#attrs)* #doc pub #field: #transition,)
    });
    let transition_values = net.transitions.iter().enumerate().map(|(i, tr)| {
        let (field, text, index) = (&tr.name, tr.name.to_string(), index_u16(i));
        quote!(#field: ::mycel::net::Transition::__declared(#index, #text),)
    });

    let declare_places = net.places.iter().zip(&checked.capacities).map(|(pl, cap)| {
        let text = pl.name.to_string();
        quote!(::mycel::net::PlaceSpec { name: #text, capacity: #cap },)
    });
    let declare_transitions = net.transitions.iter().enumerate().map(|(i, tr)| {
        let text = tr.name.to_string();
        let priority = checked.priorities.get(i).copied().unwrap_or(0);
        let mut spec = quote!(::mycel::net::TransitionSpec::new().priority(#priority));
        match &tr.delay {
            Some(Delay::Literal { micros }) => {
                spec = quote!(#spec.delay(::mycel::time::Duration::from_micros(#micros)));
            }
            Some(Delay::Expr(e)) => spec = quote!(#spec.delay(#e)),
            None => {}
        }
        if let Some(guard) = &tr.guard {
            spec = quote!(#spec.guard(#guard));
        }
        if let Some(Some(error)) = checked.error_places.get(i) {
            let error = index_u16(*error);
            spec = quote!(#spec.error_place(::mycel::net::PlaceId::new(#error)));
        }
        if tr.source.is_some() {
            spec = quote!(#spec.source());
        }
        if tr.sink.is_some() {
            spec = quote!(#spec.sink());
        }
        quote!((#text, #spec),)
    });
    let declare_arcs = checked.arcs.iter().enumerate().flat_map(|(i, arcs)| {
        let tr = index_u16(i);
        arcs.iter().map(move |&(kind, place, weight)| {
            let place = index_u16(place);
            let kind = match kind {
                ArcKind::Input => quote!(Input),
                ArcKind::Output => quote!(Output),
                ArcKind::Read => quote!(Read),
                ArcKind::Inhibitor => quote!(Inhibitor),
            };
            quote!(::mycel::net::Arc {
                transition: ::mycel::net::TransitionId::new(#tr),
                place: ::mycel::net::PlaceId::new(#place),
                kind: ::mycel::net::ArcKind::#kind,
                weight: #weight,
            },)
        })
    });
    let machines = MachineTokens::new(net, checked, &format_ident!("{}WithMachines", name));
    let MachineTokens {
        fields: machine_fields,
        params: machine_params,
        inits: machine_inits,
        composite,
        enter,
        deadline,
    } = &machines;
    let default_impl = net.machines.is_empty().then(|| {
        quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let new_fn = new_fn(net, name, checked, &inner, machine_params, machine_inits);
    let agreement = if straight_line {
        straight::agreement(name, checked)
    } else {
        TokenStream::new()
    };
    let (step_body, run_body, step_at) = if straight_line {
        let arms = straight::arms(net, checked);
        (
            quote! {
                net.__advance(now)?;
                ::core::result::Result::Ok(Self::__step_at(net, now, with, observer))
            },
            quote! {
                net.__advance(now)?;
                let mut report = ::mycel::sched::RunReport::default();
                loop {
                    if report.fired.saturating_add(report.failed) >= budget {
                        report.exhausted = net.__exhausted(now);
                        return ::core::result::Result::Ok(report);
                    }
                    match Self::__step_at(net, now, with, observer) {
                        ::mycel::sched::Step::Idle => return ::core::result::Result::Ok(report),
                        ::mycel::sched::Step::Fired { .. } => {
                            report.fired = report.fired.saturating_add(1);
                        }
                        ::mycel::sched::Step::Failed { .. } => {
                            report.failed = report.failed.saturating_add(1);
                        }
                    }
                }
            },
            quote! {
                /// One step at `now` on a clock already advanced: the next ready
                /// transition fires, straight-line where it passes its tokens through.
                #[inline(always)]
                fn __step_at<B: ::mycel::sched::Behaviour<#colour>, O: ::mycel::sched::Observer>(
                    net: &mut #inner,
                    now: ::mycel::time::Instant,
                    with: &mut B,
                    observer: &mut O,
                ) -> ::mycel::sched::Step {
                    let ::core::option::Option::Some(t) = net.__next_ready(now, with, observer) else {
                        return ::mycel::sched::Step::Idle;
                    };
                    match t {
                        #arms
                        _ => net.__fire(t, now, with, observer),
                    }
                }
            },
        )
    } else {
        (
            quote!(net.step_observed(now, with, observer)),
            quote!(net.run_observed(now, budget, with, observer)),
            TokenStream::new(),
        )
    };
    let round_robin = net.round_robin;
    let machine_count = net.machines.len();
    let name_text = name.to_string();
    let net_doc = doc_unless_given(
        attrs,
        &format!("The net `{name_text}`, declared with `net!`."),
    );

    quote! {
        #(#attrs)*
        #net_doc
        #vis struct #name {
            net: #inner,
            #machine_fields
        }

        #composite

        #[doc = concat!("The places of [`", #name_text, "`], by name.")]
        #[derive(Clone, Copy, Debug)]
        #vis struct #places_ty {
            #(#place_fields)*
        }

        #[doc = concat!("The transitions of [`", #name_text, "`], by name.")]
        #[derive(Clone, Copy, Debug)]
        #vis struct #transitions_ty {
            #(#transition_fields)*
        }

        #[doc = concat!("The transitions of [`", #name_text, "`] as an enum, to `match` on the id a")]
        /// behaviour is given: see `transition_of`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #vis enum #which_ty {
            #( #[doc = #variant_docs] #variants, )*
        }

        // Evaluates the declaration even if `new` is never called.
        const _: () = {
            let _ = #name::DECLARATION;
        };

        #agreement

        #default_impl

        // The running net reads the structure from this constant (in flash on a
        // microcontroller) instead of holding a copy.
        impl ::mycel::net::Declares<#colour, #p, #t, #a, #k> for #name {
            const DECLARED: &'static ::mycel::net::Declaration<#colour, #p, #t, #a, #k> =
                &#name::DECLARATION;
            type Ready = #ready;
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name_text)
                    .field("held", &self.net.held())
                    .field("last_seen", &self.net.last_seen())
                    .finish_non_exhaustive()
            }
        }

        #[allow(dead_code)]
        impl #name {
            /// How many places the net has.
            pub const PLACE_COUNT: usize = #p;
            /// How many transitions the net has.
            pub const TRANSITION_COUNT: usize = #t;
            /// How many arcs the net has, one per error place included.
            pub const ARC_COUNT: usize = #a;
            /// Token slots in the pool: every place full plus the largest firing's new tokens.
            pub const POOL_SLOTS: usize = #k;
            /// How many machines the net owns (declared in `machines { .. }`).
            pub const MACHINE_COUNT: usize = #machine_count;
            /// The places, by name.
            pub const PLACES: #places_ty = #places_ty { #(#place_values)* };
            /// The transitions, by name.
            pub const TRANSITIONS: #transitions_ty = #transitions_ty { #(#transition_values)* };

            /// The net's structure, validated by the engine while this crate compiles.
            const DECLARATION: ::mycel::net::Declaration<#colour, #p, #t, #a, #k> =
                match ::mycel::net::Declaration::__new(
                    &[#(#declare_places)*],
                    &[#(#declare_transitions)*],
                    &[#(#declare_arcs)*],
                    #round_robin,
                ) {
                    ::core::result::Result::Ok(declaration) => declaration,
                    // Reached only while compiling: net! checks every rule first.
                    ::core::result::Result::Err(_) => ::core::panic!(
                        concat!("the engine refuses net `", #name_text, "`")
                    ),
                };

            /// The running net with every place empty, computed while compiling;
            /// `None` when the empty marking enables a transition, whose first
            /// scheduling then happens at run time.
            const START: ::core::option::Option<#inner> = <#inner>::__declared_start();

            #new_fn

            /// The same net, empty, run by the engine's interpreter over its arc tables
            /// instead of the code generated here: the twin the lockstep tests of
            /// straight-line firing compare it with.
            #[doc(hidden)]
            #[must_use]
            pub fn __interpreter() -> ::mycel::sched::Net<#colour, #p, #t, #a, #k> {
                ::mycel::sched::Net::declared(Self::DECLARATION)
            }

            /// Which of this net's transitions `id` is, for a behaviour to `match` on;
            /// `None` for an id that is not one of its transitions.
            #[must_use]
            pub fn transition_of(id: ::mycel::net::TransitionId) -> ::core::option::Option<#which_ty> {
                match u16::try_from(id.index()).unwrap_or(u16::MAX) {
                    #(#which_arms)*
                    _ => ::core::option::Option::None,
                }
            }

            #step_at

            /// The places, by name (the same as [`Self::PLACES`]).
            #[must_use]
            pub const fn places(&self) -> #places_ty {
                Self::PLACES
            }

            /// The transitions, by name (the same as [`Self::TRANSITIONS`]).
            #[must_use]
            pub const fn transitions(&self) -> #transitions_ty {
                Self::TRANSITIONS
            }

            /// The running net underneath, for what takes plain ids: observers'
            /// events, diagrams, iteration over every place or transition.
            #[must_use]
            pub const fn as_net(&self) -> &#inner {
                &self.net
            }

            /// Puts `token` at the back of `place` at `now`.
            ///
            /// # Errors
            /// The token comes back in the error when the place is full or `now` is
            /// earlier than an instant the net has already seen.
            pub fn inject(
                &mut self,
                place: #place,
                token: #colour,
                now: ::mycel::time::Instant,
            ) -> ::core::result::Result<(), ::mycel::sched::InjectError<#colour>> {
                self.net.inject(place.id(), token, now)
            }

            /// [`Self::inject`], reporting to `observer`.
            ///
            /// # Errors
            /// As [`Self::inject`].
            pub fn inject_observed<O: ::mycel::sched::Observer>(
                &mut self,
                place: #place,
                token: #colour,
                now: ::mycel::time::Instant,
                observer: &mut O,
            ) -> ::core::result::Result<(), ::mycel::sched::InjectError<#colour>> {
                self.net.inject_observed(place.id(), token, now, observer)
            }

            /// Takes the token at the front of `place` out of the net.
            ///
            /// # Errors
            /// [`TakeError::Empty`](::mycel::sched::TakeError::Empty) when the place holds no token.
            pub fn take(
                &mut self,
                place: #place,
            ) -> ::core::result::Result<#colour, ::mycel::sched::TakeError> {
                self.net.take(place.id())
            }

            /// [`Self::take`], reporting to `observer`.
            ///
            /// # Errors
            /// As [`Self::take`].
            pub fn take_observed<O: ::mycel::sched::Observer>(
                &mut self,
                place: #place,
                observer: &mut O,
            ) -> ::core::result::Result<#colour, ::mycel::sched::TakeError> {
                self.net.take_observed(place.id(), observer)
            }

            /// How many tokens `place` holds.
            #[must_use]
            pub fn len(&self, place: #place) -> usize {
                self.net.len(place.id())
            }

            /// The token at the front of `place`, if any.
            #[must_use]
            pub fn peek(&self, place: #place) -> ::core::option::Option<&#colour> {
                self.net.peek(place.id())
            }

            /// The tokens in `place`, front first.
            pub fn tokens(&self, place: #place) -> impl ::core::iter::Iterator<Item = &#colour> + '_ {
                self.net.tokens(place.id())
            }

            /// The most tokens `place` has held at once.
            #[must_use]
            pub fn high_water(&self, place: #place) -> usize {
                self.net.high_water(place.id())
            }

            /// How many times `transition` has fired.
            #[must_use]
            pub fn firings(&self, transition: #transition) -> u32 {
                self.net.firings(transition.id())
            }

            /// How many firings of `transition` failed.
            #[must_use]
            pub fn failures(&self, transition: #transition) -> u32 {
                self.net.failures(transition.id())
            }

            /// Whether `transition` is enabled now (its delay may still be running).
            #[must_use]
            pub fn is_enabled(&self, transition: #transition) -> bool {
                self.net.is_enabled(transition.id())
            }

            /// Tokens in the whole net.
            #[must_use]
            pub fn held(&self) -> u64 {
                self.net.held()
            }

            /// The net's counters: firings, failures, tokens in and out.
            #[must_use]
            pub const fn counters(&self) -> &::mycel::sched::NetCounters {
                self.net.counters()
            }

            /// The latest instant the net has seen.
            #[must_use]
            pub const fn last_seen(&self) -> ::mycel::time::Instant {
                self.net.last_seen()
            }

            /// The earliest instant at which anything can change without new input: a
            /// timed transition or one of `behaviour`'s machines coming due.
            #[must_use]
            pub fn next_deadline<B: ::mycel::sched::Behaviour<#colour>>(
                &self,
                behaviour: &B,
            ) -> ::core::option::Option<::mycel::time::Instant> {
                #deadline
            }

            /// Fires at most one transition at `now`.
            ///
            /// # Errors
            /// [`ClockRegression`](::mycel::time::ClockRegression) when `now` is earlier
            /// than an instant the net has already seen; nothing changes.
            pub fn step<B: ::mycel::sched::Behaviour<#colour>>(
                &mut self,
                now: ::mycel::time::Instant,
                behaviour: &mut B,
            ) -> ::core::result::Result<::mycel::sched::Step, ::mycel::time::ClockRegression> {
                self.step_observed(now, behaviour, &mut ())
            }

            /// [`Self::step`], reporting to `observer`.
            ///
            /// # Errors
            /// As [`Self::step`].
            pub fn step_observed<B: ::mycel::sched::Behaviour<#colour>, O: ::mycel::sched::Observer>(
                &mut self,
                now: ::mycel::time::Instant,
                behaviour: &mut B,
                observer: &mut O,
            ) -> ::core::result::Result<::mycel::sched::Step, ::mycel::time::ClockRegression> {
                #enter
                #step_body
            }

            /// Fires up to `budget` transitions at `now`.
            ///
            /// # Errors
            /// As [`Self::step`].
            pub fn run<B: ::mycel::sched::Behaviour<#colour>>(
                &mut self,
                now: ::mycel::time::Instant,
                budget: u32,
                behaviour: &mut B,
            ) -> ::core::result::Result<::mycel::sched::RunReport, ::mycel::time::ClockRegression> {
                self.run_observed(now, budget, behaviour, &mut ())
            }

            /// [`Self::run`], reporting to `observer`.
            ///
            /// # Errors
            /// As [`Self::step`].
            pub fn run_observed<B: ::mycel::sched::Behaviour<#colour>, O: ::mycel::sched::Observer>(
                &mut self,
                now: ::mycel::time::Instant,
                budget: u32,
                behaviour: &mut B,
                observer: &mut O,
            ) -> ::core::result::Result<::mycel::sched::RunReport, ::mycel::time::ClockRegression> {
                #enter
                #run_body
            }
        }
    }
}

/// The code for the machines a net owns: its fields, `new`'s parameters, the behaviour
/// that feeds the machine transitions to their machines and everything else to the
/// caller's behaviour, and how each host call reaches it.
struct MachineTokens {
    fields: TokenStream,
    params: TokenStream,
    inits: TokenStream,
    composite: TokenStream,
    /// Binds `net` and `with` (the behaviour to pass the net) from `self` and `behaviour`.
    enter: TokenStream,
    /// The net's next deadline, machines included, from `self` and `behaviour`.
    deadline: TokenStream,
}

impl MachineTokens {
    fn new(net: &NetDecl, checked: &Checked, composite_ty: &syn::Ident) -> Self {
        let colour = &net.colour;
        if net.machines.is_empty() {
            return Self {
                fields: TokenStream::new(),
                params: TokenStream::new(),
                inits: TokenStream::new(),
                composite: TokenStream::new(),
                enter: quote!(let (net, with) = (&mut self.net, behaviour);),
                deadline: quote!(self.net.next_deadline(behaviour)),
            };
        }
        let names: Vec<_> = net.machines.iter().map(|m| &m.name).collect();
        let types: Vec<_> = net.machines.iter().map(|m| &m.ty).collect();
        let fields = net.machines.iter().map(|m| {
            let (attrs, field, ty) = (&m.attrs, &m.name, &m.ty);
            let doc = doc_unless_given(
                attrs,
                &format!("The machine `{field}`, embedded in the net."),
            );
            quote!(#(#attrs)* #doc pub #field: #ty,)
        });
        let fire_arms = checked
            .machine_of
            .iter()
            .zip(&net.transitions)
            .enumerate()
            .filter_map(|(i, (m, tr))| {
                let machine = names.get((*m)?)?;
                let binding = tr.binding.as_ref()?;
                let index = proc_macro2::Literal::usize_unsuffixed(i);
                Some(quote! {
                    #index => ::mycel::embed::fire(
                        ::mycel::fsm::Embeddable::state_machine_mut(&mut *self.#machine),
                        &(#binding),
                        firing,
                        now,
                    ),
                })
            });
        let fed: Vec<_> = checked
            .machine_of
            .iter()
            .enumerate()
            .filter(|(_, m)| m.is_some())
            .map(|(i, _)| proc_macro2::Literal::usize_unsuffixed(i))
            .collect();
        let composite = quote! {
            /// The behaviour a declared net runs: machine transitions go to their
            /// machines, every other transition to the caller's behaviour.
            #[doc(hidden)]
            struct #composite_ty<'m, B> {
                user: &'m mut B,
                #( #names: &'m mut #types, )*
            }

            impl<B: ::mycel::sched::Behaviour<#colour>> ::mycel::sched::Behaviour<#colour>
                for #composite_ty<'_, B>
            {
                #[inline]
                fn fire(
                    &mut self,
                    transition: ::mycel::net::TransitionId,
                    firing: &mut ::mycel::sched::Firing<'_, #colour>,
                    now: ::mycel::time::Instant,
                ) -> ::core::result::Result<(), ::mycel::sched::Fault> {
                    match transition.index() {
                        #(#fire_arms)*
                        _ => self.user.fire(transition, firing, now),
                    }
                }

                fn passes_through(&self, transition: ::mycel::net::TransitionId) -> bool {
                    match transition.index() {
                        #( #fed => false, )*
                        _ => self.user.passes_through(transition),
                    }
                }

                fn next_deadline(&self) -> ::core::option::Option<::mycel::time::Instant> {
                    let deadline = self.user.next_deadline();
                    #(
                        let deadline = ::mycel::time::earliest(
                            deadline,
                            ::mycel::fsm::Embeddable::next_deadline(&*self.#names),
                        );
                    )*
                    deadline
                }

                fn poll(
                    &mut self,
                    now: ::mycel::time::Instant,
                    changes: &mut dyn ::mycel::fsm::ChangeSink,
                ) {
                    #( ::mycel::fsm::Embeddable::poll(&mut *self.#names, now, changes); )*
                    self.user.poll(now, changes);
                }
            }
        };
        Self {
            fields: quote!(#(#fields)*),
            params: quote!(#( #names: #types ),*),
            inits: quote!(#( #names, )*),
            composite,
            enter: quote! {
                let Self { net, #(#names),* } = self;
                let mut composite = #composite_ty { user: behaviour, #(#names),* };
                let with = &mut composite;
            },
            deadline: quote! {
                let last = self.net.last_seen();
                let deadline = self.net.next_deadline(behaviour);
                #(
                    let deadline = ::mycel::time::earliest(
                        deadline,
                        ::mycel::fsm::Embeddable::next_deadline(&self.#names)
                            .map(|at| if at < last { last } else { at }),
                    );
                )*
                deadline
            },
        }
    }
}

/// `call_backend` -> `CallBackend`.
fn camel_case(snake: &str) -> String {
    snake
        .split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

fn index_u16(i: usize) -> u16 {
    // The checks limit every count to 16 bits.
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// A doc attribute with `text`, unless `attrs` already document the item.
fn doc_unless_given(attrs: &[syn::Attribute], text: &str) -> TokenStream {
    if attrs.iter().any(|a| a.path().is_ident("doc")) {
        TokenStream::new()
    } else {
        quote!(#[doc = #text])
    }
}

/// Whether the empty marking enables no transition: each has an input or a read arc,
/// which an empty place blocks. Such a net's initial running state is a constant.
fn starts_idle(checked: &Checked) -> bool {
    checked.arcs.iter().all(|arcs| {
        arcs.iter()
            .any(|&(kind, _, _)| matches!(kind, ArcKind::Input | ArcKind::Read))
    })
}

/// The net's `new`: a `const fn` returning the constant initial state for a net
/// without machines that starts idle; otherwise that constant when the engine has
/// one, else the state computed at run time.
fn new_fn(
    net: &NetDecl,
    name: &syn::Ident,
    checked: &Checked,
    inner: &TokenStream,
    machine_params: &TokenStream,
    machine_inits: &TokenStream,
) -> TokenStream {
    if net.machines.is_empty() && starts_idle(checked) {
        return quote! {
            /// The net with every place empty, at time zero: a constant computed
            /// while compiling (on a microcontroller, a static of it is initialised
            /// from flash data, by no code). Its structure was validated at compile
            /// time, so nothing here can fail.
            #[must_use]
            pub const fn new() -> Self {
                /// Every transition has an input or a read arc, so the engine has
                /// the constant; reached only while compiling if it had not.
                const STARTED: #inner = match #name::START {
                    ::core::option::Option::Some(net) => net,
                    ::core::option::Option::None => ::core::panic!("the net starts idle"),
                };
                Self { net: STARTED }
            }
        };
    }
    quote! {
        /// The net with every place empty, at time zero, owning the machines
        /// it embeds (if it declares any). Its structure was validated at
        /// compile time, so nothing here can fail.
        #[must_use]
        pub fn new(#machine_params) -> Self {
            Self {
                net: match Self::START {
                    ::core::option::Option::Some(net) => net,
                    ::core::option::Option::None => {
                        ::mycel::sched::Net::__declared_with(::mycel::net::Declared::new())
                    }
                },
                #machine_inits
            }
        }
    }
}

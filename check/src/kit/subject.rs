//! What the kit drives: a running net the host can inject into, take from and step.

use mycel::net::{Net, PlaceId, ReadySet, StructureStore};
use mycel::sched::{Behaviour, InjectError, Observer, Step, TakeError};
use mycel::time::{ClockRegression, Instant};

use crate::explore::EncodeError;

/// A running net the kit can drive with plain [`PlaceId`]s: a [`Net`] made with the
/// builder, or a net declared with [`mycel::net!`] through [`declared_subject!`](crate::declared_subject).
///
/// `P`, `T`, `A` and `K` are the capacities of the [`Net`] underneath, so the kit can
/// read its structure and marking with [`Subject::net`].
pub trait Subject<C, const P: usize, const T: usize, const A: usize, const K: usize> {
    /// Where the net underneath keeps its ready transitions.
    type Ready: ReadySet;
    /// Where the net underneath keeps its structure.
    type Store: StructureStore<C, P, T, A, K>;

    /// The running net underneath, read-only.
    fn net(&self) -> &Net<C, P, T, A, K, Self::Ready, Self::Store>;

    /// Puts `token` at the tail of `place` at `now`, reporting to `observer`.
    ///
    /// # Errors
    /// As [`Net::inject`]: the token comes back when the place is full, unknown, or
    /// `now` is earlier than the last instant seen.
    fn inject_observed<O: Observer>(
        &mut self,
        place: PlaceId,
        token: C,
        now: Instant,
        observer: &mut O,
    ) -> Result<(), InjectError<C>>;

    /// Takes the head token of `place`, reporting to `observer`.
    ///
    /// # Errors
    /// As [`Net::take`]: the place is empty or unknown.
    fn take_observed<O: Observer>(
        &mut self,
        place: PlaceId,
        observer: &mut O,
    ) -> Result<C, TakeError>;

    /// Fires at most one transition at `now` with `behaviour`, reporting to `observer`.
    ///
    /// # Errors
    /// As [`Net::step`]: [`ClockRegression`] when `now` is earlier than the last instant
    /// seen.
    fn step_observed<B: Behaviour<C>, O: Observer>(
        &mut self,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Result<Step, ClockRegression>;

    /// The earliest instant at which anything can change without new input: a timed
    /// transition, a machine of `behaviour`, or a machine the subject owns coming due.
    fn next_deadline<B: Behaviour<C>>(&self, behaviour: &B) -> Option<Instant> {
        self.net().next_deadline(behaviour)
    }

    /// Appends the serialized state of every machine the subject owns to `bytes`, so
    /// that the explorer tells states apart by them. A net made with the builder owns
    /// none (its machines live in its behaviour): nothing is written.
    ///
    /// # Errors
    /// [`EncodeError::UnlistedMachines`] when a declared net owns machines that
    /// [`declared_subject!`](crate::declared_subject) does not list;
    /// [`EncodeError::Serialize`] when a machine cannot be serialized.
    fn encode_machines(&self, bytes: &mut Vec<u8>) -> Result<(), EncodeError> {
        let _ = bytes;
        Ok(())
    }
}

impl<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
> Subject<C, P, T, A, K> for Net<C, P, T, A, K, R, Store>
{
    type Ready = R;
    type Store = Store;

    fn net(&self) -> &Net<C, P, T, A, K, R, Store> {
        self
    }

    fn inject_observed<O: Observer>(
        &mut self,
        place: PlaceId,
        token: C,
        now: Instant,
        observer: &mut O,
    ) -> Result<(), InjectError<C>> {
        Net::inject_observed(self, place, token, now, observer)
    }

    fn take_observed<O: Observer>(
        &mut self,
        place: PlaceId,
        observer: &mut O,
    ) -> Result<C, TakeError> {
        Net::take_observed(self, place, observer)
    }

    fn step_observed<B: Behaviour<C>, O: Observer>(
        &mut self,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Result<Step, ClockRegression> {
        Net::step_observed(self, now, behaviour, observer)
    }
}

/// Makes a net declared with [`mycel::net!`] a kit [`Subject`], so that the kit can
/// drive it (embedded machines included) with plain place ids.
///
/// Give the net's type, its token type and every place once, by name, in any order: a
/// declared net's host calls take its typed places, and the macro maps the kit's plain
/// ids onto them. It fails to compile if a place is missing or listed twice.
///
/// ```
/// mycel::net! {
///     pub net PingPong: u32 {
///         places { ping: 1, pong: 1 }
///         transitions { serve: ping -> pong, back: pong -> ping }
///     }
/// }
/// mycel_check::declared_subject!(PingPong: u32 { ping, pong });
///
/// use mycel_check::kit::Subject;
/// let net = PingPong::new();
/// assert_eq!(Subject::net(&net).place_count(), 2);
/// ```
///
/// A net that owns machines lists them after its places, so that the explorer
/// ([`NetExplorer`](crate::explore::NetExplorer)) tells its states apart by them too;
/// the machines must then be `serde::Serialize`. Listing them is needed only for
/// exploring: the kit's [`Checker`](crate::kit::Checker) drives the net without it.
/// When they are listed, a machine left out or listed twice stops the build.
///
/// ```
/// use mycel::breaker::in_net::Admit;
/// use mycel::breaker::{BreakerConfig, CircuitBreaker, Permit};
/// use mycel::time::{Duration, Instant};
///
/// #[derive(Debug, Clone, Copy, Default, serde::Serialize)]
/// struct Request { permit: Option<Permit> }
///
/// mycel::net! {
///     #[derive(Clone)]
///     net Gate: Request {
///         machines { breaker: CircuitBreaker }
///         places { waiting: 2, admitted: 2, rejected: 2 }
///         transitions { route [machine = breaker, binding = ADMIT]: waiting -> admitted + rejected }
///     }
/// }
/// const ADMIT: Admit<Request> = Admit {
///     forwarded: Gate::PLACES.admitted.id(),
///     rejected: Gate::PLACES.rejected.id(),
///     attach: |_, permit| Request { permit: Some(permit) },
/// };
/// mycel_check::declared_subject!(Gate: Request { waiting, admitted, rejected } machines { breaker });
///
/// let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 1);
/// let gate = Gate::new(CircuitBreaker::new(config, Instant::from_ticks(0))?);
/// let mut bytes = Vec::new();
/// mycel_check::kit::Subject::encode_machines(&gate, &mut bytes)?;
/// assert!(!bytes.is_empty(), "the breaker's state is written");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A machine listed twice (or one the net does not own) stops the build:
///
/// ```compile_fail
/// # use mycel::breaker::in_net::Admit;
/// # use mycel::breaker::{CircuitBreaker, Permit};
/// # #[derive(Debug, Clone, Copy, Default, serde::Serialize)]
/// # struct Request { permit: Option<Permit> }
/// # mycel::net! {
/// #     #[derive(Clone)]
/// #     net Gate: Request {
/// #         machines { breaker: CircuitBreaker }
/// #         places { waiting: 2, admitted: 2, rejected: 2 }
/// #         transitions { route [machine = breaker, binding = ADMIT]: waiting -> admitted + rejected }
/// #     }
/// # }
/// # const ADMIT: Admit<Request> = Admit {
/// #     forwarded: Gate::PLACES.admitted.id(),
/// #     rejected: Gate::PLACES.rejected.id(),
/// #     attach: |_, permit| Request { permit: Some(permit) },
/// # };
/// mycel_check::declared_subject!(Gate: Request { waiting, admitted, rejected } machines { breaker, breaker });
/// ```
///
/// A place left out (or listed twice) stops the build:
///
/// ```compile_fail
/// mycel::net! {
///     pub net PingPong: u32 {
///         places { ping: 1, pong: 1 }
///         transitions { serve: ping -> pong, back: pong -> ping }
///     }
/// }
/// mycel_check::declared_subject!(PingPong: u32 { ping });
/// ```
#[macro_export]
macro_rules! declared_subject {
    ($net:ident : $colour:ty { $($place:ident),+ $(,)? } $(machines { $($machine:ident),+ $(,)? })?) => {
        // Every place listed once: as many as the net has, none twice.
        const _: () = {
            let listed = [$($net::PLACES.$place.index()),+];
            ::core::assert!(
                listed.len() == $net::PLACE_COUNT,
                "declared_subject! must list every place of the net once"
            );
            let mut seen = [false; $net::PLACE_COUNT];
            let mut i = 0;
            while i < listed.len() {
                ::core::assert!(!seen[listed[i]], "declared_subject! lists a place twice");
                seen[listed[i]] = true;
                i += 1;
            }
        };
        $(
            // Every machine listed once: as many as the net owns, each a field of it.
            const _: () = ::core::assert!(
                [$(::core::stringify!($machine)),+].len() == $net::MACHINE_COUNT,
                "declared_subject! must list every machine of the net once"
            );
            const _: fn(&$net) = |net| {
                let $net { $($machine: _),+ , .. } = net;
            };
        )?

        impl
            $crate::kit::Subject<
                $colour,
                { $net::PLACE_COUNT },
                { $net::TRANSITION_COUNT },
                { $net::ARC_COUNT },
                { $net::POOL_SLOTS },
            > for $net
        {
            type Ready = <$net as ::mycel::net::Declares<
                $colour,
                { $net::PLACE_COUNT },
                { $net::TRANSITION_COUNT },
                { $net::ARC_COUNT },
                { $net::POOL_SLOTS },
            >>::Ready;
            type Store = ::mycel::net::Declared<$net>;

            fn net(
                &self,
            ) -> &::mycel::net::Net<
                $colour,
                { $net::PLACE_COUNT },
                { $net::TRANSITION_COUNT },
                { $net::ARC_COUNT },
                { $net::POOL_SLOTS },
                Self::Ready,
                Self::Store,
            > {
                $net::as_net(self)
            }

            fn inject_observed<O: ::mycel::sched::Observer>(
                &mut self,
                place: ::mycel::net::PlaceId,
                token: $colour,
                now: ::mycel::time::Instant,
                observer: &mut O,
            ) -> ::core::result::Result<(), ::mycel::sched::InjectError<$colour>> {
                let typed = [$($net::PLACES.$place),+]
                    .into_iter()
                    .find(|typed| typed.index() == place.index());
                match typed {
                    ::core::option::Option::Some(typed) => {
                        $net::inject_observed(self, typed, token, now, observer)
                    }
                    ::core::option::Option::None => ::core::result::Result::Err(
                        ::mycel::sched::InjectError::UnknownPlace(token, place),
                    ),
                }
            }

            fn take_observed<O: ::mycel::sched::Observer>(
                &mut self,
                place: ::mycel::net::PlaceId,
                observer: &mut O,
            ) -> ::core::result::Result<$colour, ::mycel::sched::TakeError> {
                let typed = [$($net::PLACES.$place),+]
                    .into_iter()
                    .find(|typed| typed.index() == place.index());
                match typed {
                    ::core::option::Option::Some(typed) => {
                        $net::take_observed(self, typed, observer)
                    }
                    ::core::option::Option::None => ::core::result::Result::Err(
                        ::mycel::sched::TakeError::UnknownPlace(place),
                    ),
                }
            }

            fn step_observed<
                B: ::mycel::sched::Behaviour<$colour>,
                O: ::mycel::sched::Observer,
            >(
                &mut self,
                now: ::mycel::time::Instant,
                behaviour: &mut B,
                observer: &mut O,
            ) -> ::core::result::Result<::mycel::sched::Step, ::mycel::time::ClockRegression> {
                $net::step_observed(self, now, behaviour, observer)
            }

            fn next_deadline<B: ::mycel::sched::Behaviour<$colour>>(
                &self,
                behaviour: &B,
            ) -> ::core::option::Option<::mycel::time::Instant> {
                $net::next_deadline(self, behaviour)
            }

            fn encode_machines(
                &self,
                bytes: &mut ::std::vec::Vec<u8>,
            ) -> ::core::result::Result<(), $crate::explore::EncodeError> {
                let listed: &[&str] = &[$($(::core::stringify!($machine)),+)?];
                if listed.len() < $net::MACHINE_COUNT {
                    return ::core::result::Result::Err(
                        $crate::explore::EncodeError::UnlistedMachines {
                            count: $net::MACHINE_COUNT,
                        },
                    );
                }
                let _ = &bytes;
                $($( $crate::explore::encode_value(&self.$machine, bytes)?; )+)?
                ::core::result::Result::Ok(())
            }
        }
    };
}

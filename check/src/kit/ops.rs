//! Host operation sequences for any net: what [`Checker`](super::Checker) and
//! [`lockstep`](super::lockstep()) replay, and the proptest strategy that generates them.

use mycel::net::{ReadySet, StructureStore};
use std::fmt;

use mycel::net::Net;
use mycel::time::Duration;
use proptest::prelude::*;

/// One thing the host does to a running net.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op<C> {
    /// Inject `token` into the place at index `place` (declaration order), at the
    /// current instant.
    Inject {
        /// Index of the place.
        place: usize,
        /// The token.
        token: C,
    },
    /// Take the head token of the place at index `place`.
    Take {
        /// Index of the place.
        place: usize,
    },
    /// Let `gap` ticks pass, then step once.
    Step {
        /// Ticks added to the clock before the step (0: step at the same instant).
        gap: u64,
    },
}

impl<C: fmt::Debug> fmt::Display for Op<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Inject { place, token } => write!(f, "inject {token:?} into place {place}"),
            Self::Take { place } => write!(f, "take from place {place}"),
            Self::Step { gap } => write!(f, "step after {gap} ticks"),
        }
    }
}

/// How many operations a generated sequence holds, and how often each kind comes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpsShape {
    /// Fewest operations in a sequence.
    pub min_len: usize,
    /// Most operations in a sequence.
    pub max_len: usize,
    /// Relative weight of injections.
    pub inject: u32,
    /// Relative weight of takes.
    pub take: u32,
    /// Relative weight of steps.
    pub step: u32,
}

impl Default for OpsShape {
    /// 1 to 48 operations; steps as often as injections, takes a third as often, so
    /// tokens flow through the net rather than bounce at its edges.
    fn default() -> Self {
        Self {
            min_len: 1,
            max_len: 48,
            inject: 3,
            take: 1,
            step: 3,
        }
    }
}

/// The gap before a step: zero half the time (several firings at one instant), else up
/// to 1 ms (inside most delays), else 1 ms to 10 s (past every delay and timeout).
pub fn gap() -> impl Strategy<Value = u64> + Clone {
    let ms = Duration::from_millis(1).as_ticks().max(1);
    let long = Duration::from_secs(10).as_ticks().max(ms);
    prop_oneof![
        3 => Just(0u64),
        2 => 1..=ms,
        1 => ms..=long,
    ]
}

/// Sequences of host operations on a net with `places` places, injecting tokens drawn
/// from `token`, shaped by `shape`. With no place, only steps are generated. Shrinking
/// drops operations and simplifies tokens and gaps.
pub fn ops_for_places<C, S>(
    places: usize,
    token: S,
    shape: OpsShape,
) -> impl Strategy<Value = Vec<Op<C>>>
where
    C: Clone + fmt::Debug + 'static,
    S: Strategy<Value = C> + Clone + 'static,
{
    let steps = gap().prop_map(|gap| Op::Step { gap }).boxed();
    let op = if places == 0 {
        steps
    } else {
        let inject = (0..places, token)
            .prop_map(|(place, token)| Op::Inject { place, token })
            .boxed();
        let take = (0..places).prop_map(|place| Op::Take { place }).boxed();
        prop::strategy::Union::new_weighted(vec![
            (shape.inject, inject),
            (shape.take, take),
            (shape.step, steps),
        ])
        .boxed()
    };
    prop::collection::vec(op, shape.min_len..=shape.max_len.max(shape.min_len))
}

/// [`ops_for_places`] for the places of `net` (a net made with the builder, or
/// [`as_net`](mycel::net!) of a declared one), with the default [`OpsShape`].
///
/// ```
/// use mycel::net::Net;
/// use mycel_check::kit::ops::{Op, ops};
/// use mycel_check::proptest_config::samples;
///
/// let mut b = Net::<u8, 2, 1, 2, 3>::builder();
/// let (a, z) = (b.place("a", 1), b.place("z", 1));
/// let t = b.transition("move");
/// b.input(t, a, 1).output(t, z, 1);
/// let net = b.build()?;
/// for sequence in samples(&ops(&net, 0u8..4), 16) {
///     assert!(sequence.iter().all(|op| match op {
///         Op::Inject { place, .. } | Op::Take { place } => *place < 2,
///         Op::Step { .. } => true,
///     }));
/// }
/// # Ok::<(), mycel::net::BuildError>(())
/// ```
pub fn ops<
    C,
    S,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
    token: S,
) -> impl Strategy<Value = Vec<Op<C>>> + use<C, S, P, T, A, K, R, Store>
where
    C: Clone + fmt::Debug + 'static,
    S: Strategy<Value = C> + Clone + 'static,
{
    ops_for_places(net.place_count(), token, OpsShape::default())
}

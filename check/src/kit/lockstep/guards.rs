//! The reference's version of a net's guards.

use mycel::net::TransitionId;

use crate::reference::net::GuardSpec;

/// For each guarded transition of a net run in [`lockstep_with_guards`](super::lockstep_with_guards),
/// the same test written for the reference semantics: a function of the tokens the
/// transition would consume, in arc order (the engine's guard reads the same tokens
/// through `Heads`).
///
/// An engine guard is code that only the engine can run, so the reference needs its own
/// statement of each one. Stating it twice is the point: the lockstep run then checks
/// that the guard the net runs is the guard its author meant, on every operation.
///
/// ```
/// use mycel::net::{Heads, Net, TransitionSpec};
/// use mycel::sched::Passthrough;
/// use mycel_check::kit::{LockstepOptions, Op, ReferenceGuards, lockstep_with_guards};
/// use mycel_check::reference::net::GuardSpec;
///
/// fn even(heads: &Heads<'_, u32>) -> bool {
///     heads.get(0).is_some_and(|t| t % 2 == 0)
/// }
/// let mut b = Net::<u32, 2, 1, 2, 5>::builder();
/// let (a, z) = (b.place("a", 2), b.place("z", 2));
/// let t = b.transition_with("even_only", TransitionSpec::new().guard(even));
/// b.input(t, a, 1).output(t, z, 1);
/// let net = b.build()?;
///
/// let guards = ReferenceGuards::new().with(t, GuardSpec::Predicate(|tokens| tokens[0] % 2 == 0));
/// let ops = [Op::Inject { place: 0, token: 3 }, Op::Step { gap: 0 }, Op::Take { place: 0 },
///            Op::Inject { place: 0, token: 4 }, Op::Step { gap: 0 }];
/// let report = lockstep_with_guards(|| (net, Passthrough), &ops, LockstepOptions::default(), &guards)?;
/// assert_eq!(report.firings, 1); // 3 is held back, 4 goes through
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ReferenceGuards<C> {
    guards: Vec<(usize, GuardSpec<C>)>,
}

impl<C> Default for ReferenceGuards<C> {
    fn default() -> Self {
        Self { guards: Vec::new() }
    }
}

impl<C> ReferenceGuards<C> {
    /// No guards: for a net without guarded transitions.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// States `transition`'s guard for the reference (replacing an earlier statement
    /// for the same transition).
    #[must_use]
    pub fn with(mut self, transition: impl Into<TransitionId>, guard: GuardSpec<C>) -> Self {
        let index = transition.into().index();
        self.guards.retain(|(t, _)| *t != index);
        self.guards.push((index, guard));
        self
    }

    /// The guard stated for the transition at `index`, if any.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<&GuardSpec<C>> {
        self.guards
            .iter()
            .find(|(t, _)| *t == index)
            .map(|(_, guard)| guard)
    }

    /// The transitions a guard is stated for, in the order they were given.
    pub fn transitions(&self) -> impl Iterator<Item = usize> + '_ {
        self.guards.iter().map(|(t, _)| *t)
    }
}

//! Priorities between steps: in each state only the enabled steps of the highest
//! priority may happen.

use super::model::Model;

/// A [`Model`] whose steps (labels) have priorities: in a state, only the enabled
/// labels of the highest priority among the enabled ones are steps.
///
/// This is the semantics of a net with transition priorities, and of a generalized
/// stochastic Petri net explored untimed: its immediate transitions (priority 1) fire
/// before any timed one (priority 0) may, so a marking that enables an immediate
/// transition (a *vanishing* marking) is left at once, and the markings where time
/// passes (the *tangible* ones) are those whose [`Prioritized::top_priority`] is 0.
/// [`crate::classic::flexible_manufacturing`] is explored this way.
///
/// A label with no priority given has priority 0.
///
/// ```
/// use mycel_check::PtNet;
/// use mycel_check::explore::{Layout, Prioritized, PtModel, SearchLimits, search};
///
/// // `quick` and `slow` compete for one token; `quick` has the higher priority.
/// let mut b = PtNet::builder("race");
/// let (p, q, r) = (b.place("p", 1), b.place("q", 0), b.place("r", 0));
/// let (quick, slow) = (b.transition("quick"), b.transition("slow"));
/// b.input(quick, p, 1).output(quick, q, 1);
/// b.input(slow, p, 1).output(slow, r, 1);
/// let net = b.build()?;
/// let model = Prioritized::new(PtModel::new(&net, Layout::for_net(&net)), vec![1, 0]);
/// let limits = SearchLimits { max_states: 100, max_deadlocks_kept: 1, progress: None };
/// let seen = search(&model, limits, |_, _| {})?;
/// // p → q only: `slow` never fires.
/// assert_eq!((seen.space.len(), seen.fired), (2, vec![true, false]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Prioritized<M> {
    inner: M,
    priorities: Vec<u32>,
}

impl<M: Model> Prioritized<M> {
    /// `inner` with label `i` at priority `priorities[i]` (0 past the end).
    #[must_use]
    pub fn new(inner: M, priorities: Vec<u32>) -> Self {
        Self { inner, priorities }
    }

    /// The model without priorities.
    #[must_use]
    pub fn inner(&self) -> &M {
        &self.inner
    }

    /// The priority of `label`.
    #[must_use]
    pub fn priority(&self, label: u32) -> u32 {
        usize::try_from(label)
            .ok()
            .and_then(|i| self.priorities.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The highest priority among the labels `state` enables in the model without
    /// priorities, or `None` if it enables none.
    ///
    /// # Errors
    /// The model's own error from [`Model::successors`].
    pub fn top_priority(&self, state: &[u64]) -> Result<Option<u32>, M::Error> {
        let mut scratch = vec![0; self.inner.words().max(1)];
        let mut top = None;
        self.inner.successors(state, &mut scratch, |label, _| {
            top = top.max(Some(self.priority(label)));
        })?;
        Ok(top)
    }
}

impl<M: Model> Model for Prioritized<M> {
    type Error = M::Error;

    fn words(&self) -> usize {
        self.inner.words()
    }

    fn labels(&self) -> usize {
        self.inner.labels()
    }

    fn initial(&self, key: &mut [u64]) {
        self.inner.initial(key);
    }

    fn successors<E: FnMut(u32, &[u64])>(
        &self,
        state: &[u64],
        scratch: &mut [u64],
        mut emit: E,
    ) -> Result<(), Self::Error> {
        // The top priority first, then the steps at it: two passes, no buffering.
        let mut top = None;
        self.inner.successors(state, scratch, |label, _| {
            top = top.max(Some(self.priority(label)));
        })?;
        let Some(top) = top else {
            return Ok(());
        };
        self.inner.successors(state, scratch, |label, successor| {
            if self.priority(label) == top {
                emit(label, successor);
            }
        })
    }

    fn is_finished(&self, state: &[u64]) -> bool {
        self.inner.is_finished(state)
    }
}

//! What the explorer explores: anything with an initial state and labelled successors,
//! each state packed into a fixed number of 64-bit words.

/// A transition system the breadth-first [`search`](super::search) can explore.
///
/// A state is a fixed-width key of [`Model::words`] `u64` words, packed by the model:
/// the explorer stores, hashes and compares keys and never looks inside one. Labels
/// (`0..`[`Model::labels`]) name what happened on a step; for a P/T net they are the
/// transitions.
///
/// [`PtModel`](super::PtModel) implements it for a [`PtNet`](crate::PtNet). An engine
/// net with embedded machines plugs in the same way: its key packs the marking (with
/// colours by value) and each machine's state, and its successors are the transitions
/// it can fire and the machines' timeouts.
///
/// A model of its own, searched directly: two counters mod 3, each step bumps one.
///
/// ```
/// use mycel_check::explore::{Model, SearchLimits, search};
///
/// struct TwoCounters;
///
/// impl Model for TwoCounters {
///     type Error = std::convert::Infallible;
///     fn words(&self) -> usize { 1 }
///     fn labels(&self) -> usize { 2 }
///     fn initial(&self, key: &mut [u64]) { key[0] = 0; }
///     fn successors<E: FnMut(u32, &[u64])>(
///         &self, state: &[u64], scratch: &mut [u64], mut emit: E,
///     ) -> Result<(), Self::Error> {
///         let (a, b) = (state[0] & 0xff, state[0] >> 8);
///         scratch[0] = (a + 1) % 3 | b << 8;
///         emit(0, scratch);
///         scratch[0] = a | ((b + 1) % 3) << 8;
///         emit(1, scratch);
///         Ok(())
///     }
/// }
///
/// let limits = SearchLimits { max_states: 100, max_deadlocks_kept: 1, progress: None };
/// let seen = search(&TwoCounters, limits, |_, _| {}).unwrap();
/// assert_eq!((seen.space.len(), seen.edges, seen.depth), (9, 18, 4));
/// // The state a=2, b=1 is reached in three steps at least.
/// let target = (0..9).find(|&i| seen.space.key(i) == [2 | 1 << 8]).unwrap();
/// assert_eq!(seen.space.trace(target).len(), 3);
/// ```
pub trait Model {
    /// Why a successor could not be computed (for example a count outgrowing its field
    /// in the packed key). It ends the search.
    type Error;

    /// The number of `u64` words in every packed state. At least 1.
    fn words(&self) -> usize;

    /// The number of distinct labels; every label passed to `emit` is below it.
    fn labels(&self) -> usize;

    /// Writes the initial state into `key` (`words()` long, zeroed).
    fn initial(&self, key: &mut [u64]);

    /// Calls `emit(label, successor)` once for each step enabled in `state`, in a fixed
    /// order. `scratch` is `words()` long, for the model to build successors in.
    ///
    /// # Errors
    /// The model's own [`Model::Error`]; the search stops and returns it.
    fn successors<E: FnMut(u32, &[u64])>(
        &self,
        state: &[u64],
        scratch: &mut [u64],
        emit: E,
    ) -> Result<(), Self::Error>;

    /// Whether `state`, which enables no step, is an intended end rather than a
    /// deadlock. By default no state is.
    fn is_finished(&self, state: &[u64]) -> bool {
        let _ = state;
        false
    }
}

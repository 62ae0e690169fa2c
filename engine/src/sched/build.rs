//! Turning a validated definition into a running net.
//!
//! The builder lives in the net layer and knows nothing of the scheduler; this is where
//! the scheduler layer adds [`NetBuilder::build`] on top of it, so the layers depend on
//! each other in one direction only.

use super::Net;
use crate::net::{BuildError, Declaration, NetBuilder, ReadySet, StructureStore};

impl<C, const P: usize, const T: usize, const A: usize, const K: usize> NetBuilder<C, P, T, A, K> {
    /// Validates the definition and builds the net with every place empty.
    ///
    /// # Errors
    /// The first [`BuildError`] found: capacity overflows in declaration order, then
    /// capacities `P`, `T`, `A` or `K` beyond the engine's 16-bit indices (see
    /// [`MAX_IDS`](crate::net::MAX_IDS) and [`MAX_POOL`](crate::net::MAX_POOL)), then
    /// places, arcs and transitions in declaration order, then the pool's room for every
    /// place full plus the largest firing.
    pub fn build(&self) -> Result<Net<C, P, T, A, K>, BuildError> {
        let mut structure = self.structure()?;
        structure.round_robin = self.is_round_robin();
        Ok(Net::from_store(Declaration { structure }))
    }
}

impl<C, const P: usize, const T: usize, const A: usize, const K: usize> Net<C, P, T, A, K> {
    /// The net of a declaration validated at compile time (what
    /// [`net!`](crate::net!) generates), with every place empty. It cannot fail: the
    /// declaration was checked when it was compiled.
    #[must_use]
    pub fn declared(declaration: Declaration<C, P, T, A, K>) -> Self {
        Net::from_store(declaration)
    }
}

impl<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    S: StructureStore<C, P, T, A, K>,
> Net<C, P, T, A, K, R, S>
{
    /// [`Net::declared`] with the ready set `R` and the structure in `store`: what
    /// [`net!`](crate::net!) calls with a [`RankSet`](crate::net::RankSet) for a net
    /// without round-robin (whose order the rank keeps), a
    /// [`ReadyHeap`](crate::net::ReadyHeap) otherwise, and a
    /// [`Declared`](crate::net::Declared) store, so the structure stays in its constant.
    #[doc(hidden)]
    #[must_use]
    pub fn __declared_with(store: S) -> Self {
        Net::from_store(store)
    }
}

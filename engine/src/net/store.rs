//! Where a running net keeps its structure: in itself, for a net built at run time, or
//! in a constant, for a net declared with [`net!`](crate::net!).
//!
//! A declared net's structure is known at compile time, so it can stay in flash: the
//! running net then holds a zero-sized [`Declared`] that names the constant, and every
//! read of the structure goes to a fixed address, exactly as it would to a field. A
//! net built by a [`NetBuilder`](super::NetBuilder) owns its [`Declaration`]. Both are
//! chosen by type, so no read of the structure branches on where it lives.

use core::marker::PhantomData;

use super::structure::Structure;
use super::{Declaration, ReadySet};

/// Where a [`Net`](super::Net) finds its validated structure: a [`Declaration`] it owns
/// (what [`NetBuilder::build`](super::NetBuilder::build) and
/// [`Net::declared`](super::Net::declared) give) or a [`Declared`] constant (what
/// [`net!`](crate::net!) gives). Reading it cannot fail.
pub trait StructureStore<C, const P: usize, const T: usize, const A: usize, const K: usize> {
    /// The declaration the net runs on.
    fn declaration(&self) -> &Declaration<C, P, T, A, K>;
}

impl<C, const P: usize, const T: usize, const A: usize, const K: usize>
    StructureStore<C, P, T, A, K> for Declaration<C, P, T, A, K>
{
    #[inline(always)]
    fn declaration(&self) -> &Declaration<C, P, T, A, K> {
        self
    }
}

/// A net whose declaration is a constant: what [`net!`](crate::net!) implements for
/// the net it declares, so the running net can refer to the declaration through a
/// zero-sized [`Declared`] instead of copying it.
pub trait Declares<C: 'static, const P: usize, const T: usize, const A: usize, const K: usize> {
    /// The net's declaration, validated at compile time.
    const DECLARED: &'static Declaration<C, P, T, A, K>;
    /// Where its running net keeps its ready transitions (see [`Net`](super::Net)).
    type Ready: ReadySet;
}

/// The structure of the net `N`, kept in `N`'s constant declaration (in flash on a
/// microcontroller) rather than in the running net: zero bytes in the net.
pub struct Declared<N>(PhantomData<fn() -> N>);

impl<N> Declared<N> {
    /// Refers to `N`'s declaration.
    #[must_use]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<N> Clone for Declared<N> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<N> Copy for Declared<N> {}

impl<N> Default for Declared<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<N> core::fmt::Debug for Declared<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Declared")
    }
}

impl<N, C: 'static, const P: usize, const T: usize, const A: usize, const K: usize>
    StructureStore<C, P, T, A, K> for Declared<N>
where
    N: Declares<C, P, T, A, K>,
{
    #[inline(always)]
    fn declaration(&self) -> &Declaration<C, P, T, A, K> {
        N::DECLARED
    }
}

/// The structure behind any store, for the running net's own reads.
pub(crate) trait HoldsStructure<C, const P: usize, const T: usize, const A: usize, const K: usize> {
    /// The validated structure.
    fn structure(&self) -> &Structure<C, P, T, A>;
}

impl<S, C, const P: usize, const T: usize, const A: usize, const K: usize>
    HoldsStructure<C, P, T, A, K> for S
where
    S: StructureStore<C, P, T, A, K>,
{
    #[inline(always)]
    fn structure(&self) -> &Structure<C, P, T, A> {
        &self.declaration().structure
    }
}

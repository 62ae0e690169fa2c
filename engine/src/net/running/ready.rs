//! The set of ready transitions, in the order they fire.
//!
//! A runtime-built net keeps them in an indexed heap ordered by priority, then by a
//! sequence number (the declaration index, or the last firing with round-robin). A net
//! declared with [`net!`](crate::net!) without round-robin has an order fixed at
//! compile time, its rank (by priority, then declaration), so its ready set is a bitmap
//! by rank where adding, removing and choosing are a few bit operations.

use crate::sched::heap::IndexedHeap;

/// Where a net keeps its ready transitions: [`ReadyHeap`] for runtime-built nets and
/// round-robin ones, [`RankSet`] for nets declared with [`net!`](crate::net!).
///
/// Implemented by the engine only; the net's rules are the same with either, which the
/// lockstep property tests of the generated code check.
pub trait ReadySet: core::fmt::Debug + Sized {
    /// An empty set for transitions of these priorities, in declaration order.
    #[doc(hidden)]
    fn with_priorities(priorities: impl Iterator<Item = u8>) -> Self;
    /// Whether no transition is ready.
    #[doc(hidden)]
    fn is_empty(&self) -> bool;
    /// The transition that fires next.
    #[doc(hidden)]
    fn first(&self) -> Option<u16>;
    /// Adds `t`, ordered by `fires_before` where the order is not fixed.
    #[doc(hidden)]
    fn insert(&mut self, t: u16, fires_before: impl Fn(u16, u16) -> bool);
    /// Removes `t`, ordered by `fires_before` where the order is not fixed.
    #[doc(hidden)]
    fn remove(&mut self, t: u16, fires_before: impl Fn(u16, u16) -> bool);
}

/// The ready set of a runtime-built or round-robin net: an indexed binary heap,
/// O(log n) to add or remove, O(1) to choose.
#[derive(Debug, Clone)]
pub struct ReadyHeap<const T: usize>(pub(super) IndexedHeap<T>);

impl<const T: usize> ReadySet for ReadyHeap<T> {
    fn with_priorities(_: impl Iterator<Item = u8>) -> Self {
        Self(IndexedHeap::new())
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.0.len() == 0
    }

    #[inline]
    fn first(&self) -> Option<u16> {
        self.0.peek()
    }

    #[inline]
    fn insert(&mut self, t: u16, fires_before: impl Fn(u16, u16) -> bool) {
        self.0.push(t, fires_before);
    }

    #[inline]
    fn remove(&mut self, t: u16, fires_before: impl Fn(u16, u16) -> bool) {
        self.0.remove(t, fires_before);
    }
}

/// The ready set of a declared net without round-robin: one bit per transition at its
/// rank (higher priority first, then declaration order) in `W` 64-bit words, and one
/// summary bit per word, so choosing is two `trailing_zeros` whatever the net's size.
/// `W` is `ceil(T / 64)`, at most 64 (4096 transitions); `net!` computes it and uses a
/// [`ReadyHeap`] beyond that.
#[derive(Debug, Clone)]
pub struct RankSet<const T: usize, const W: usize> {
    pub(super) words: [u64; W],
    /// Bit `w` is set while `words[w]` is not zero.
    pub(super) summary: u64,
    /// The rank of each transition.
    pub(super) rank: [u16; T],
    /// The transition at each rank.
    pub(super) at_rank: [u16; T],
}

impl<const T: usize, const W: usize> ReadySet for RankSet<T, W> {
    fn with_priorities(priorities: impl Iterator<Item = u8>) -> Self {
        let mut prio = [0u8; T];
        let mut count = 0usize;
        for (p, given) in prio.iter_mut().zip(priorities) {
            *p = given;
            count = count.saturating_add(1);
        }
        // A stable counting sort: by priority, highest first, then by declaration.
        let mut start = [0usize; 256];
        for &p in prio.iter().take(count) {
            for s in start.iter_mut().take(usize::from(p)) {
                *s = s.saturating_add(1);
            }
        }
        let mut at_rank = [0u16; T];
        for (t, &p) in prio.iter().enumerate().take(count) {
            if let Some(next) = start.get_mut(usize::from(p)) {
                if let Some(slot) = at_rank.get_mut(*next) {
                    *slot = t as u16;
                }
                *next = next.saturating_add(1);
            }
        }
        let mut rank = [0u16; T];
        for (r, &t) in at_rank.iter().enumerate().take(count) {
            if let Some(slot) = rank.get_mut(usize::from(t)) {
                *slot = r as u16;
            }
        }
        Self {
            words: [0; W],
            summary: 0,
            rank,
            at_rank,
        }
    }

    #[inline(always)]
    fn is_empty(&self) -> bool {
        self.summary == 0
    }

    #[inline(always)]
    fn first(&self) -> Option<u16> {
        if W == 1 {
            // One word: the summary would only repeat whether it is zero.
            let word = self.words.first().copied().unwrap_or(0);
            if word == 0 {
                return None;
            }
            return self.at_rank.get(word.trailing_zeros() as usize).copied();
        }
        if self.summary == 0 {
            return None;
        }
        let w = self.summary.trailing_zeros() as usize;
        let word = self.words.get(w).copied().unwrap_or(0);
        let r = w
            .saturating_mul(64)
            .saturating_add(word.trailing_zeros() as usize);
        self.at_rank.get(r).copied()
    }

    #[inline]
    fn insert(&mut self, t: u16, _: impl Fn(u16, u16) -> bool) {
        let Some(&r) = self.rank.get(usize::from(t)) else {
            return;
        };
        let w = usize::from(r >> 6);
        if let Some(word) = self.words.get_mut(w) {
            *word |= 1u64 << (r & 63);
            self.summary |= 1u64.wrapping_shl(w as u32);
        }
    }

    #[inline]
    fn remove(&mut self, t: u16, _: impl Fn(u16, u16) -> bool) {
        let Some(&r) = self.rank.get(usize::from(t)) else {
            return;
        };
        let w = usize::from(r >> 6);
        if let Some(word) = self.words.get_mut(w) {
            *word &= !(1u64 << (r & 63));
            if *word == 0 {
                self.summary &= !1u64.wrapping_shl(w as u32);
            }
        }
    }
}

impl<const T: usize, const W: usize> RankSet<T, W> {
    /// Adds the transition of rank `r` (its rank known where the caller was compiled).
    #[inline(always)]
    pub(crate) fn insert_rank(&mut self, r: u16) {
        let w = usize::from(r >> 6);
        if let Some(word) = self.words.get_mut(w) {
            *word |= 1u64 << (r & 63);
            self.summary |= 1u64.wrapping_shl(w as u32);
        }
    }

    /// Removes the transition of rank `r`.
    #[inline(always)]
    pub(crate) fn remove_rank(&mut self, r: u16) {
        let w = usize::from(r >> 6);
        if let Some(word) = self.words.get_mut(w) {
            *word &= !(1u64 << (r & 63));
            if *word == 0 {
                self.summary &= !1u64.wrapping_shl(w as u32);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_order_is_priority_first_then_declaration() {
        let mut set: RankSet<4, 1> = RankSet::with_priorities([0u8, 2, 0, 2].into_iter());
        let never = |_: u16, _: u16| false;
        for t in 0..4 {
            set.insert(t, never);
        }
        let mut order = heapless::Vec::<u16, 4>::new();
        while let Some(t) = set.first() {
            order.push(t).unwrap();
            set.remove(t, never);
        }
        assert_eq!(order.as_slice(), &[1, 3, 0, 2]);
        assert!(set.is_empty());
    }

    #[test]
    fn choosing_spans_words() {
        let mut set: RankSet<200, 4> = RankSet::with_priorities(core::iter::repeat_n(0u8, 200));
        let never = |_: u16, _: u16| false;
        set.insert(199, never);
        set.insert(130, never);
        assert_eq!(set.first(), Some(130));
        set.remove(130, never);
        assert_eq!(set.first(), Some(199));
        set.remove(199, never);
        assert_eq!(set.first(), None);
    }
}

//! The fixed token pool and the bounded FIFO queues of places over it.
//!
//! Tokens live in `K` slots. Each place is a singly linked FIFO of slot indices, and
//! free slots form one more list, so moving a token from one place to another relinks
//! an index and never copies or scans.

use super::{Arc, ArcKind};

/// "No slot": the end of a list.
pub(crate) const NIL: u16 = u16::MAX;

/// The largest pool the 16-bit slot indices can address (one index value is reserved).
pub const MAX_POOL: usize = NIL as usize;

/// A place's FIFO: its first and last slot and how many tokens it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Queue {
    pub(crate) head: u16,
    pub(crate) tail: u16,
    pub(crate) len: u16,
}

impl Queue {
    pub(crate) const EMPTY: Self = Self {
        head: NIL,
        tail: NIL,
        len: 0,
    };
}

/// The token slots and the links that chain them into queues.
#[derive(Debug, Clone)]
pub(crate) struct Pool<C, const K: usize> {
    values: [Option<C>; K],
    next: [u16; K],
    free: Queue,
}

impl<C, const K: usize> Pool<C, K> {
    /// A pool with every slot free. `K` must not exceed [`MAX_POOL`] (checked by the builder).
    /// A `const fn`, so a declared net's initial state can be a constant.
    pub(crate) const fn new() -> Self {
        let mut next = [NIL; K];
        let mut i = 0;
        while i < K {
            let following = i.saturating_add(1);
            if let Some((_, rest)) = next.split_at_mut_checked(i)
                && let Some(n) = rest.first_mut()
            {
                *n = if following < K { following as u16 } else { NIL };
            }
            i = following;
        }
        let empty = K == 0;
        Self {
            values: [const { None }; K],
            next,
            free: Queue {
                head: if empty { NIL } else { 0 },
                tail: if empty {
                    NIL
                } else {
                    K.saturating_sub(1) as u16
                },
                len: K as u16,
            },
        }
    }

    /// A borrowed view on which all slot operations work, so they are not duplicated per `K`.
    #[inline(always)]
    pub(crate) fn view(&mut self) -> PoolView<'_, C> {
        PoolView {
            values: &mut self.values,
            next: &mut self.next,
            free: &mut self.free,
        }
    }

    /// Read-only access to the slots.
    #[inline]
    pub(crate) fn slots(&self) -> Slots<'_, C> {
        Slots {
            values: &self.values,
            next: &self.next,
        }
    }

    /// Free slots.
    #[cfg(test)]
    pub(crate) fn free_len(&self) -> u16 {
        self.free.len
    }
}

/// Read-only slots: token values and their links.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slots<'a, C> {
    pub(crate) values: &'a [Option<C>],
    pub(crate) next: &'a [u16],
}

impl<'a, C> Slots<'a, C> {
    #[inline]
    pub(crate) fn value(&self, slot: u16) -> Option<&'a C> {
        self.values.get(usize::from(slot)).and_then(Option::as_ref)
    }

    #[inline(always)]
    pub(crate) fn next(&self, slot: u16) -> u16 {
        self.next.get(usize::from(slot)).copied().unwrap_or(NIL)
    }

    /// The `n`-th token (from 0) of `queue`.
    pub(crate) fn nth(&self, queue: &Queue, n: usize) -> Option<&'a C> {
        if n >= usize::from(queue.len) {
            return None;
        }
        let mut slot = queue.head;
        for _ in 0..n {
            slot = self.next(slot);
        }
        self.value(slot)
    }
}

/// Mutable slot operations over a pool.
#[derive(Debug)]
pub(crate) struct PoolView<'a, C> {
    values: &'a mut [Option<C>],
    next: &'a mut [u16],
    free: &'a mut Queue,
}

impl<C> PoolView<'_, C> {
    /// The same view for a shorter borrow.
    #[inline(always)]
    pub(crate) fn reborrow(&mut self) -> PoolView<'_, C> {
        PoolView {
            values: &mut *self.values,
            next: &mut *self.next,
            free: &mut *self.free,
        }
    }

    #[inline(always)]
    pub(crate) fn slots(&self) -> Slots<'_, C> {
        Slots {
            values: self.values,
            next: self.next,
        }
    }

    #[inline(always)]
    fn set_next(&mut self, slot: u16, to: u16) {
        if let Some(n) = self.next.get_mut(usize::from(slot)) {
            *n = to;
        }
    }

    /// Puts `value` in a free slot, or hands it back when none is free.
    #[inline]
    pub(crate) fn alloc(&mut self, value: C) -> Result<u16, C> {
        let Some(slot) = self.pop_front_raw_free() else {
            return Err(value);
        };
        match self.values.get_mut(usize::from(slot)) {
            Some(v) => {
                *v = Some(value);
                Ok(slot)
            }
            None => Err(value),
        }
    }

    /// Whether `count` slots are free for new tokens.
    #[inline]
    pub(crate) fn has_free(&self, count: u16) -> bool {
        self.free.len >= count
    }

    fn pop_front_raw_free(&mut self) -> Option<u16> {
        let mut free = *self.free;
        let slot = self.pop_front(&mut free);
        *self.free = free;
        slot
    }

    /// Takes the value out of `slot` and returns the slot to the free list.
    #[inline]
    pub(crate) fn release(&mut self, slot: u16) -> Option<C> {
        let value = self
            .values
            .get_mut(usize::from(slot))
            .and_then(Option::take);
        let mut free = *self.free;
        self.push_back(&mut free, slot);
        *self.free = free;
        value
    }

    /// Drops the value in `slot` where it lies (no move out) and returns the slot to
    /// the free list: [`PoolView::release`] for a value nobody wants back.
    #[inline]
    pub(crate) fn discard(&mut self, slot: u16) {
        if let Some(value) = self.values.get_mut(usize::from(slot)) {
            *value = None;
        }
        let mut free = *self.free;
        self.push_back(&mut free, slot);
        *self.free = free;
    }

    /// Appends `slot` to the tail of `queue`.
    #[inline(always)]
    pub(crate) fn push_back(&mut self, queue: &mut Queue, slot: u16) {
        self.set_next(slot, NIL);
        if queue.tail == NIL {
            queue.head = slot;
        } else {
            self.set_next(queue.tail, slot);
        }
        queue.tail = slot;
        queue.len = queue.len.saturating_add(1);
    }

    /// Puts `slot` before the head of `queue`.
    #[inline]
    pub(crate) fn push_front(&mut self, queue: &mut Queue, slot: u16) {
        self.set_next(slot, queue.head);
        if queue.head == NIL {
            queue.tail = slot;
        }
        queue.head = slot;
        queue.len = queue.len.saturating_add(1);
    }

    /// Unlinks the head slot of `queue`.
    #[inline(always)]
    pub(crate) fn pop_front(&mut self, queue: &mut Queue) -> Option<u16> {
        let slot = queue.head;
        if slot == NIL {
            return None;
        }
        let next = self.slots().next(slot);
        queue.head = next;
        if next == NIL {
            queue.tail = NIL;
        }
        queue.len = queue.len.saturating_sub(1);
        self.set_next(slot, NIL);
        Some(slot)
    }

    /// Cuts `queue` back to its first `keep` slots, whose last one is `new_tail`, and
    /// returns the first slot cut off (the rest stay chained behind it).
    pub(crate) fn truncate(&mut self, queue: &mut Queue, new_tail: u16, keep: u16) -> u16 {
        let cut = if new_tail == NIL {
            queue.head
        } else {
            self.slots().next(new_tail)
        };
        if new_tail == NIL {
            queue.head = NIL;
        } else {
            self.set_next(new_tail, NIL);
        }
        queue.tail = new_tail;
        queue.len = keep;
        cut
    }
}

/// The tokens a transition would consume, in arc order: what its guard sees.
///
/// Token `i` is counted across the transition's input arcs in declaration order, each
/// contributing its weight's worth of tokens from the head of its place.
pub struct Heads<'a, C> {
    pub(crate) slots: Slots<'a, C>,
    pub(crate) queues: &'a [Queue],
    pub(crate) arcs: &'a [Arc],
}

impl<'a, C> Heads<'a, C> {
    /// The `i`-th token the transition would consume, if there is one.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&'a C> {
        let mut rest = i;
        for arc in self.arcs.iter().filter(|a| a.kind == ArcKind::Input) {
            let w = usize::from(arc.weight);
            if rest < w {
                let queue = self.queues.get(arc.place.index())?;
                return self.slots.nth(queue, rest);
            }
            rest = rest.saturating_sub(w);
        }
        None
    }

    /// How many tokens the transition would consume.
    #[must_use]
    pub fn len(&self) -> usize {
        self.arcs
            .iter()
            .filter(|a| a.kind == ArcKind::Input)
            .fold(0usize, |n, a| n.saturating_add(usize::from(a.weight)))
    }

    /// Whether the transition consumes nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The tokens in arc order.
    pub fn iter(&self) -> impl Iterator<Item = &'a C> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect<C: Copy>(pool: &Pool<C, 8>, q: &Queue) -> heapless::Vec<C, 8> {
        let s = pool.slots();
        (0..usize::from(q.len))
            .map(|i| *s.nth(q, i).unwrap())
            .collect()
    }

    #[test]
    fn fifo_order_is_kept_and_slots_are_reused() {
        let mut pool: Pool<u32, 8> = Pool::new();
        let mut q = Queue::EMPTY;
        for v in 1..=3 {
            let mut view = pool.view();
            let s = view.alloc(v).unwrap();
            view.push_back(&mut q, s);
        }
        assert_eq!(collect(&pool, &q).as_slice(), &[1, 2, 3]);
        assert_eq!(pool.free_len(), 5);
        let mut view = pool.view();
        let head = view.pop_front(&mut q).unwrap();
        assert_eq!(view.release(head), Some(1));
        assert_eq!(pool.free_len(), 6);
        assert_eq!(collect(&pool, &q).as_slice(), &[2, 3]);
    }

    #[test]
    fn push_front_restores_the_head() {
        let mut pool: Pool<u32, 8> = Pool::new();
        let mut q = Queue::EMPTY;
        let mut view = pool.view();
        for v in [1, 2] {
            let s = view.alloc(v).unwrap();
            view.push_back(&mut q, s);
        }
        let a = view.pop_front(&mut q).unwrap();
        let b = view.pop_front(&mut q).unwrap();
        assert_eq!(q, Queue::EMPTY);
        view.push_front(&mut q, b);
        view.push_front(&mut q, a);
        assert_eq!(collect(&pool, &q).as_slice(), &[1, 2]);
    }

    #[test]
    fn full_pool_hands_the_value_back() {
        let mut pool: Pool<u32, 8> = Pool::new();
        let mut view = pool.view();
        for v in 0..8 {
            view.alloc(v).unwrap();
        }
        assert_eq!(view.alloc(99), Err(99));
    }

    #[test]
    fn truncate_cuts_the_tail_and_returns_it() {
        let mut pool: Pool<u32, 8> = Pool::new();
        let mut q = Queue::EMPTY;
        let mut view = pool.view();
        let mut slots = [0u16; 4];
        for (v, s) in slots.iter_mut().enumerate() {
            *s = view.alloc(v as u32).unwrap();
            view.push_back(&mut q, *s);
        }
        let cut = view.truncate(&mut q, slots[1], 2);
        assert_eq!(cut, slots[2]);
        assert_eq!(collect(&pool, &q).as_slice(), &[0, 1]);
        let mut view = pool.view();
        let cut_all = view.truncate(&mut q, NIL, 0);
        assert_eq!(cut_all, slots[0]);
        assert_eq!(q, Queue::EMPTY);
    }
}

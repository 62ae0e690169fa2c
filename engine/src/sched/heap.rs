//! An indexed binary heap of transition indices.
//!
//! Keeps the enabled transitions ordered so choosing the next one to fire is O(1) and
//! adding or removing one is O(log n), independent of how many transitions the net has.
//! The order is given by a caller-supplied `less`, so the same heap serves both the
//! priority order of ready transitions and the deadline order of waiting ones.

use crate::net::NIL;

#[derive(Debug, Clone)]
pub(crate) struct IndexedHeap<const N: usize> {
    heap: [u16; N],
    /// Position of each item in `heap`, or NIL when absent.
    pos: [u16; N],
    len: u16,
}

impl<const N: usize> IndexedHeap<N> {
    pub(crate) const fn new() -> Self {
        Self {
            heap: [NIL; N],
            pos: [NIL; N],
            len: 0,
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        usize::from(self.len)
    }

    #[inline]
    pub(crate) fn contains(&self, item: u16) -> bool {
        self.pos.get(usize::from(item)).is_some_and(|&p| p != NIL)
    }

    #[inline]
    pub(crate) fn peek(&self) -> Option<u16> {
        if self.len == 0 {
            None
        } else {
            self.heap.first().copied()
        }
    }

    #[inline]
    fn at(&self, i: usize) -> u16 {
        self.heap.get(i).copied().unwrap_or(NIL)
    }

    #[inline]
    fn put(&mut self, i: usize, item: u16) {
        if let Some(h) = self.heap.get_mut(i) {
            *h = item;
        }
        if let Some(p) = self.pos.get_mut(usize::from(item)) {
            *p = i as u16;
        }
    }

    /// Adds `item` (no effect if present or out of range).
    #[inline]
    pub(crate) fn push(&mut self, item: u16, less: impl Fn(u16, u16) -> bool) {
        if usize::from(item) >= N || self.contains(item) || self.len() >= N {
            return;
        }
        let i = self.len();
        self.len = self.len.saturating_add(1);
        self.place_up(i, item, &less);
    }

    /// Removes `item` if present.
    #[inline]
    pub(crate) fn remove(&mut self, item: u16, less: impl Fn(u16, u16) -> bool) {
        let Some(&p) = self.pos.get(usize::from(item)) else {
            return;
        };
        if p == NIL {
            return;
        }
        let i = usize::from(p);
        let last_index = self.len().saturating_sub(1);
        self.len = self.len.saturating_sub(1);
        if let Some(q) = self.pos.get_mut(usize::from(item)) {
            *q = NIL;
        }
        let last = self.at(last_index);
        if let Some(h) = self.heap.get_mut(last_index) {
            *h = NIL;
        }
        // Removing the last slot (always so in a heap of one) leaves no hole to fill.
        if i != last_index {
            self.fill_hole(i, last, &less);
        }
    }

    /// Moves `last` into the hole at `i` and restores the heap order around it.
    /// Out of line: only removals from the middle of a heap need it, and it is the
    /// bulk of the heap's code.
    #[inline(never)]
    fn fill_hole(&mut self, i: usize, last: u16, less: &impl Fn(u16, u16) -> bool) {
        let parent = i.saturating_sub(1) / 2;
        if i > 0 && less(last, self.at(parent)) {
            self.place_up(i, last, less);
        } else {
            self.place_down(i, last, less);
        }
    }

    /// Removes and returns the least item.
    #[cfg(test)]
    pub(crate) fn pop(&mut self, less: impl Fn(u16, u16) -> bool) -> Option<u16> {
        let top = self.peek()?;
        self.remove(top, less);
        Some(top)
    }

    /// Puts `item` into the hole at `i` or above it, where it belongs: each step moves
    /// one parent down into the hole instead of swapping two entries.
    fn place_up(&mut self, mut i: usize, item: u16, less: &impl Fn(u16, u16) -> bool) {
        while i > 0 {
            let parent = i.saturating_sub(1) / 2;
            let above = self.at(parent);
            if !less(item, above) {
                break;
            }
            self.put(i, above);
            i = parent;
        }
        self.put(i, item);
    }

    /// Puts `item` into the hole at `i` or below it, like [`Self::place_up`].
    fn place_down(&mut self, mut i: usize, item: u16, less: &impl Fn(u16, u16) -> bool) {
        let len = self.len();
        loop {
            let left = i.saturating_mul(2).saturating_add(1);
            if left >= len {
                break;
            }
            let right = left.saturating_add(1);
            let (mut child, mut below) = (left, self.at(left));
            if right < len {
                let other = self.at(right);
                if less(other, below) {
                    (child, below) = (right, other);
                }
            }
            if !less(below, item) {
                break;
            }
            self.put(i, below);
            i = child;
        }
        self.put(i, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_key_order_after_arbitrary_removals() {
        let keys = [50u32, 10, 40, 30, 20, 60, 0, 70];
        let less = |a: u16, b: u16| keys[a as usize] < keys[b as usize];
        let mut h: IndexedHeap<8> = IndexedHeap::new();
        for i in 0..8 {
            h.push(i, less);
        }
        h.push(3, less); // already present: no effect
        assert_eq!(h.len(), 8);
        h.remove(1, less);
        h.remove(5, less);
        assert!(!h.contains(1));
        let mut out = heapless::Vec::<u32, 8>::new();
        while let Some(i) = h.pop(less) {
            out.push(keys[i as usize]).unwrap();
        }
        assert_eq!(out.as_slice(), &[0, 20, 30, 40, 50, 70]);
    }

    /// Removing any one item, from the top, the middle or a leaf, keeps the rest in key
    /// order: the item moved into the hole goes up or down as far as it must.
    #[test]
    fn removing_any_item_keeps_the_others_in_key_order() {
        let orders: [[u32; 7]; 3] = [
            [0, 1, 2, 3, 4, 5, 6],
            [6, 5, 4, 3, 2, 1, 0],
            [3, 0, 6, 1, 5, 2, 4],
        ];
        for keys in orders {
            let less = |a: u16, b: u16| keys[a as usize] < keys[b as usize];
            for removed in 0..7u16 {
                let mut h: IndexedHeap<7> = IndexedHeap::new();
                for i in 0..7 {
                    h.push(i, less);
                }
                h.remove(removed, less);
                let mut out = heapless::Vec::<u32, 7>::new();
                while let Some(i) = h.pop(less) {
                    out.push(keys[i as usize]).unwrap();
                }
                let mut expected: heapless::Vec<u32, 7> = keys
                    .iter()
                    .copied()
                    .filter(|&k| k != keys[usize::from(removed)])
                    .collect();
                expected.sort_unstable();
                assert_eq!(out, expected, "keys {keys:?}, removed {removed}");
            }
        }
    }

    #[test]
    fn out_of_range_items_are_ignored() {
        let mut h: IndexedHeap<2> = IndexedHeap::new();
        h.push(5, |a, b| a < b);
        assert_eq!(h.len(), 0);
        h.remove(5, |a, b| a < b);
        assert_eq!(h.peek(), None);
    }
}

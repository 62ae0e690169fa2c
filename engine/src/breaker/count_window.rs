//! The count window: outcomes of the last N counted calls, two bits per call.

/// The last `size` counted calls (`size <= 32 * W`), as a ring of two bit arrays
/// (failed, slow) with running totals, so recording and reading the rates are O(1).
///
/// Clearing is O(1) too: it forgets the fill level, and slots are overwritten (not
/// OR-ed) as they are refilled, so bits left over from before never count.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct CountWindow<const W: usize> {
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
    failed_bits: [u32; W],
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
    slow_bits: [u32; W],
    /// N: how many calls the window holds once full; 0 means "not configured".
    size: u32,
    /// The slot the next call is written to.
    next: u32,
    /// How many calls the window holds now (`<= size`).
    len: u32,
    failures: u32,
    slow: u32,
}

impl<const W: usize> CountWindow<W> {
    /// An empty window of `size` calls; `size` must already be validated `<= 32 * W`.
    pub(crate) const fn new(size: u32) -> Self {
        Self {
            failed_bits: [0; W],
            slow_bits: [0; W],
            size,
            next: 0,
            len: 0,
            failures: 0,
            slow: 0,
        }
    }

    /// Records one counted call, evicting the oldest once the window is full.
    #[inline]
    pub(crate) fn push(&mut self, failed: bool, slow: bool) {
        // `W == 0`: no storage, so nothing to record (and no code for it).
        if W == 0 || self.size == 0 {
            return;
        }
        let slot = self.next;
        let word = (slot / 32) as usize;
        let mask = 1u32.wrapping_shl(slot % 32);
        let (Some(failed_word), Some(slow_word)) =
            (self.failed_bits.get_mut(word), self.slow_bits.get_mut(word))
        else {
            // Only reachable with a size above 32 * W (rejected by validation, or a
            // corrupted restore): record nothing rather than index out of bounds.
            return;
        };
        // Bits are cleared as they are evicted and set only for a failed or slow call,
        // so a run of fast successes (the common case) writes no bit at all.
        if self.len == self.size {
            if *failed_word & mask != 0 {
                *failed_word &= !mask;
                self.failures = self.failures.saturating_sub(1);
            }
            if *slow_word & mask != 0 {
                *slow_word &= !mask;
                self.slow = self.slow.saturating_sub(1);
            }
        } else {
            // Left over from before a clear: they never count.
            *failed_word &= !mask;
            *slow_word &= !mask;
            self.len = self.len.saturating_add(1);
        }
        if failed {
            *failed_word |= mask;
            self.failures = self.failures.saturating_add(1);
        }
        if slow {
            *slow_word |= mask;
            self.slow = self.slow.saturating_add(1);
        }
        let after = slot.saturating_add(1);
        self.next = if after >= self.size { 0 } else { after };
    }

    /// Forgets every call (O(1)).
    #[inline]
    pub(crate) fn clear(&mut self) {
        self.next = 0;
        self.len = 0;
        self.failures = 0;
        self.slow = 0;
    }

    /// Whether a restored window is one this code could have built for `size`: the
    /// fill level and position within the size, and the running totals equal to the
    /// bits of the calls held (slots `0..len` until the ring is full, all once it is).
    pub(crate) fn is_consistent(&self, size: u32) -> bool {
        let capacity = u32::try_from(W).unwrap_or(u32::MAX).saturating_mul(32);
        if self.size != size || size > capacity || self.len > size {
            return false;
        }
        if size == 0 {
            return self.next == 0 && self.len == 0 && self.failures == 0 && self.slow == 0;
        }
        if self.next >= size || (self.len < size && self.next != self.len) {
            return false;
        }
        let held = |bits: &[u32; W]| -> u32 {
            (0..self.len)
                .filter(|slot| {
                    bits.get((slot / 32) as usize)
                        .is_some_and(|word| word & 1u32.wrapping_shl(slot % 32) != 0)
                })
                .count()
                .try_into()
                .unwrap_or(u32::MAX)
        };
        held(&self.failed_bits) == self.failures && held(&self.slow_bits) == self.slow
    }

    /// Calls held.
    #[inline]
    pub(crate) const fn calls(&self) -> u32 {
        self.len
    }

    /// Failed calls held.
    #[inline]
    pub(crate) const fn failures(&self) -> u32 {
        self.failures
    }

    /// Slow calls held.
    #[inline]
    pub(crate) const fn slow(&self) -> u32 {
        self.slow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push_n(w: &mut CountWindow<2>, n: usize, failed: bool, slow: bool) {
        for _ in 0..n {
            w.push(failed, slow);
        }
    }

    #[test]
    fn window_keeps_only_the_last_n_calls() {
        let mut w = CountWindow::<2>::new(5);
        push_n(&mut w, 5, true, false);
        assert_eq!((w.calls(), w.failures()), (5, 5));
        push_n(&mut w, 3, false, false);
        assert_eq!((w.calls(), w.failures()), (5, 2));
        push_n(&mut w, 2, false, true);
        assert_eq!((w.calls(), w.failures(), w.slow()), (5, 0, 2));
    }

    #[test]
    fn window_spanning_several_words_evicts_across_word_boundaries() {
        let mut w = CountWindow::<2>::new(40);
        push_n(&mut w, 33, true, true);
        push_n(&mut w, 7, false, false);
        assert_eq!((w.calls(), w.failures(), w.slow()), (40, 33, 33));
        push_n(&mut w, 33, false, false);
        assert_eq!((w.calls(), w.failures(), w.slow()), (40, 0, 0));
    }

    #[test]
    fn full_capacity_of_thirty_two_calls_per_word_is_usable() {
        let mut w = CountWindow::<2>::new(64);
        push_n(&mut w, 64, true, false);
        assert_eq!((w.calls(), w.failures()), (64, 64));
        w.push(false, false);
        assert_eq!((w.calls(), w.failures()), (64, 63));
    }

    #[test]
    fn clear_forgets_everything_and_stale_bits_never_count_again() {
        let mut w = CountWindow::<2>::new(4);
        push_n(&mut w, 4, true, true);
        w.clear();
        assert_eq!((w.calls(), w.failures(), w.slow()), (0, 0, 0));
        // Refill with successes over the old failure bits, then evict them.
        push_n(&mut w, 4, false, false);
        assert_eq!((w.calls(), w.failures(), w.slow()), (4, 0, 0));
        push_n(&mut w, 4, false, false);
        assert_eq!((w.calls(), w.failures(), w.slow()), (4, 0, 0));
    }

    #[test]
    fn window_uses_two_bits_per_call() {
        // Two bit arrays of W words hold 32 * W calls: 2 bits per call, plus a few
        // fixed-size counters that do not grow with W.
        let per_word =
            core::mem::size_of::<CountWindow<8>>() - core::mem::size_of::<CountWindow<4>>();
        assert_eq!(per_word, 2 * 4 * 4);
    }

    #[test]
    fn an_unconfigured_or_oversized_window_records_nothing_and_does_not_panic() {
        let mut w = CountWindow::<1>::new(0);
        w.push(true, true);
        assert_eq!((w.calls(), w.failures(), w.slow()), (0, 0, 0));
        let mut big = CountWindow::<1>::new(100);
        push_n_big(&mut big);
        assert!(big.calls() <= 100);
    }

    fn push_n_big(w: &mut CountWindow<1>) {
        for _ in 0..200 {
            w.push(true, false);
        }
    }
    /// A window of `size` that saw `calls` (failed when `i % 3 == 0`, slow when
    /// `i % 2 == 0`).
    fn built(size: u32, calls: u32) -> CountWindow<2> {
        let mut w = CountWindow::<2>::new(size);
        for i in 0..calls {
            w.push(i % 3 == 0, i % 2 == 0);
        }
        w
    }

    #[test]
    fn every_window_the_code_builds_is_consistent_for_its_own_size_only() {
        for size in [1, 5, 32, 33, 64] {
            for calls in [0, 1, size - 1, size, size + 1, 2 * size + 3] {
                let w = built(size, calls);
                assert!(w.is_consistent(size), "size {size}, {calls} calls");
                assert!(
                    !w.is_consistent(size + 1),
                    "size {size} read as {}",
                    size + 1
                );
                assert!(
                    !w.is_consistent(size - 1),
                    "size {size} read as {}",
                    size - 1
                );
            }
        }
        assert!(CountWindow::<2>::new(0).is_consistent(0));
    }

    #[test]
    fn a_window_larger_than_its_bits_or_fuller_than_its_size_is_inconsistent() {
        let mut w = CountWindow::<2>::new(65);
        assert!(!w.is_consistent(65), "65 calls do not fit 64 bits");
        w = CountWindow::<2>::new(64);
        assert!(w.is_consistent(64), "64 calls fit exactly");
        let mut over = built(5, 5);
        over.len = 6;
        assert!(!over.is_consistent(5));
    }

    #[test]
    fn an_unconfigured_window_holding_anything_is_inconsistent() {
        for tamper in [
            |w: &mut CountWindow<2>| w.next = 1,
            |w: &mut CountWindow<2>| w.len = 1,
            |w: &mut CountWindow<2>| w.failures = 1,
            |w: &mut CountWindow<2>| w.slow = 1,
        ] {
            let mut w = CountWindow::<2>::new(0);
            tamper(&mut w);
            assert!(!w.is_consistent(0), "{w:?}");
        }
    }

    #[test]
    fn a_restored_position_must_match_the_fill_level_until_the_ring_is_full() {
        // Filling: the next slot is the fill level.
        let mut filling = built(8, 3);
        assert!(filling.is_consistent(8));
        filling.next = 4;
        assert!(!filling.is_consistent(8), "next past the fill level");
        filling.next = 2;
        assert!(!filling.is_consistent(8), "next before the fill level");
        // Full: any position within the size.
        for next in 0..8 {
            let mut full = built(8, 8);
            full.next = next;
            assert!(full.is_consistent(8), "a full ring at slot {next}");
        }
        let mut full = built(8, 11);
        assert!(full.is_consistent(8));
        full.next = 8;
        assert!(!full.is_consistent(8), "next at the size");
    }

    #[test]
    fn restored_totals_must_equal_the_bits_of_the_calls_held() {
        let w = built(10, 7);
        assert_eq!((w.failures, w.slow), (3, 4));
        for tamper in [
            |w: &mut CountWindow<2>| w.failures += 1,
            |w: &mut CountWindow<2>| w.failures -= 1,
            |w: &mut CountWindow<2>| w.slow += 1,
            |w: &mut CountWindow<2>| w.slow -= 1,
            // A bit set beyond the fill level is not a call held: the totals stay
            // right, and the window stays consistent.
            |w: &mut CountWindow<2>| w.failed_bits[0] |= 1 << 9,
        ] {
            let mut bad = w.clone();
            tamper(&mut bad);
            let extra_bit_only = bad.failures == w.failures && bad.slow == w.slow;
            assert_eq!(bad.is_consistent(10), extra_bit_only, "{bad:?}");
        }
        // A failed bit flipped inside the calls held breaks the failure total.
        let mut flipped = w.clone();
        flipped.failed_bits[0] ^= 1 << 1;
        assert!(!flipped.is_consistent(10));
        let mut slow_flipped = w.clone();
        slow_flipped.slow_bits[0] ^= 1 << 1;
        assert!(!slow_flipped.is_consistent(10));
        // Bits in the second word count once the ring reaches it.
        let wide = built(40, 40);
        assert!(wide.is_consistent(40));
        let mut wide_flipped = wide.clone();
        wide_flipped.failed_bits[1] ^= 1 << 3;
        assert!(!wide_flipped.is_consistent(40));
    }
}

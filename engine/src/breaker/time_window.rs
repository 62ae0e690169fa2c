//! The time window: outcomes of the last B buckets of a fixed width, with running totals.

use crate::time::{Duration, Instant};

/// Counted calls in the last `buckets` buckets of `width` ticks each (`buckets <= B`).
///
/// An outcome recorded at `now` goes into bucket `floor(now / width)`; the window at
/// `now` holds that bucket and the `buckets - 1` before it. Buckets live in a ring
/// indexed by `bucket % buckets`. Moving the window forward clears the buckets it
/// skips, at most `buckets` of them however long the gap, so catching up costs O(B).
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "Snapshot<B>", into = "Snapshot<B>"))]
pub(crate) struct TimeWindow<const B: usize> {
    calls: [u32; B],
    failures: [u32; B],
    slow: [u32; B],
    /// Bucket width in ticks; 0 means "not configured".
    width: u64,
    /// How many buckets the window spans.
    buckets: u32,
    /// `head % buckets`, the ring slot of the newest bucket (`NO_SLOT` with no
    /// buckets): kept so that counting an outcome needs no division. Derived from
    /// `head` and `buckets`, so it is not serialized.
    head_slot: u32,
    /// Absolute index of the newest bucket the window has moved to.
    head: u64,
    /// First tick of bucket `head + 1`: below it, moving is a no-op (saves a division
    /// on the hot path).
    next_boundary: u64,
    total_calls: u64,
    total_failures: u64,
    total_slow: u64,
}

/// The `head_slot` of a window without buckets: no slot of any ring.
const NO_SLOT: u32 = u32::MAX;

/// The ring slot of absolute bucket `index` in a window of `buckets` buckets, or
/// `NO_SLOT` for a window without buckets.
const fn ring_slot(index: u64, buckets: u32) -> u32 {
    match index.checked_rem(buckets as u64) {
        // Below `buckets`, so it fits.
        Some(slot) => slot as u32,
        None => NO_SLOT,
    }
}

/// A [`TimeWindow`] as it is serialized: every field but the derived `head_slot`.
#[cfg(feature = "serde")]
#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename = "TimeWindow")]
struct Snapshot<const B: usize> {
    #[serde(with = "serde_big_array::BigArray")]
    calls: [u32; B],
    #[serde(with = "serde_big_array::BigArray")]
    failures: [u32; B],
    #[serde(with = "serde_big_array::BigArray")]
    slow: [u32; B],
    width: u64,
    buckets: u32,
    head: u64,
    next_boundary: u64,
    total_calls: u64,
    total_failures: u64,
    total_slow: u64,
}

#[cfg(feature = "serde")]
impl<const B: usize> From<Snapshot<B>> for TimeWindow<B> {
    fn from(s: Snapshot<B>) -> Self {
        Self {
            calls: s.calls,
            failures: s.failures,
            slow: s.slow,
            width: s.width,
            buckets: s.buckets,
            head_slot: ring_slot(s.head, s.buckets),
            head: s.head,
            next_boundary: s.next_boundary,
            total_calls: s.total_calls,
            total_failures: s.total_failures,
            total_slow: s.total_slow,
        }
    }
}

#[cfg(feature = "serde")]
impl<const B: usize> From<TimeWindow<B>> for Snapshot<B> {
    fn from(w: TimeWindow<B>) -> Self {
        Self {
            calls: w.calls,
            failures: w.failures,
            slow: w.slow,
            width: w.width,
            buckets: w.buckets,
            head: w.head,
            next_boundary: w.next_boundary,
            total_calls: w.total_calls,
            total_failures: w.total_failures,
            total_slow: w.total_slow,
        }
    }
}

/// Every field but the derived `head_slot`, as the derived output was before it.
impl<const B: usize> core::fmt::Debug for TimeWindow<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TimeWindow")
            .field("calls", &self.calls)
            .field("failures", &self.failures)
            .field("slow", &self.slow)
            .field("width", &self.width)
            .field("buckets", &self.buckets)
            .field("head", &self.head)
            .field("next_boundary", &self.next_boundary)
            .field("total_calls", &self.total_calls)
            .field("total_failures", &self.total_failures)
            .field("total_slow", &self.total_slow)
            .finish()
    }
}

impl<const B: usize> TimeWindow<B> {
    /// An empty window of `buckets` buckets of `width` each; both already validated
    /// (`buckets <= B`, `width > 0`), or zero when the window is not configured.
    pub(crate) const fn new(width: Duration, buckets: u32) -> Self {
        Self {
            calls: [0; B],
            failures: [0; B],
            slow: [0; B],
            width: width.as_ticks(),
            buckets,
            head_slot: ring_slot(0, buckets),
            head: 0,
            // Unconfigured (width 0): no boundary is ever reached, so moving is always
            // the one comparison.
            next_boundary: if width.as_ticks() == 0 {
                u64::MAX
            } else {
                width.as_ticks()
            },
            total_calls: 0,
            total_failures: 0,
            total_slow: 0,
        }
    }

    /// Whether a restored window is one this code could have built for `width` and
    /// `buckets`, seen up to `last_seen`: the totals are the sums of the buckets,
    /// no bucket holds more failures or slow calls than calls, unused slots are
    /// empty, and its newest bucket and next boundary agree and are not in the future.
    pub(crate) fn is_consistent(&self, width: Duration, buckets: u32, last_seen: Instant) -> bool {
        let width = width.as_ticks();
        if self.width != width
            || self.buckets != buckets
            || usize::try_from(buckets).map_or(true, |b| b > B)
        {
            return false;
        }
        let used = usize::try_from(buckets).unwrap_or(0);
        let mut sums = (0u64, 0u64, 0u64);
        for (slot, ((calls, failures), slow)) in self
            .calls
            .iter()
            .zip(&self.failures)
            .zip(&self.slow)
            .enumerate()
        {
            if slot >= used {
                if *calls != 0 || *failures != 0 || *slow != 0 {
                    return false;
                }
                continue;
            }
            if failures > calls || slow > calls {
                return false;
            }
            sums.0 = sums.0.saturating_add(u64::from(*calls));
            sums.1 = sums.1.saturating_add(u64::from(*failures));
            sums.2 = sums.2.saturating_add(u64::from(*slow));
        }
        if sums != (self.total_calls, self.total_failures, self.total_slow) {
            return false;
        }
        let Some(newest_possible) = last_seen.as_ticks().checked_div(width) else {
            // Not configured: the window never moves.
            return self.head == 0 && self.next_boundary == u64::MAX;
        };
        self.head <= newest_possible
            && self.next_boundary == self.head.saturating_add(1).saturating_mul(width)
    }

    /// Moves the window to `now`, clearing the buckets that fell out of it.
    #[inline]
    pub(crate) fn advance(&mut self, now: Instant) {
        // `B == 0`: no bucket to move to (a valid window without storage never moves,
        // see `is_consistent`), and no code for it.
        if B == 0 || now.as_ticks() < self.next_boundary {
            return;
        }
        self.advance_slow(now.as_ticks());
    }

    fn advance_slow(&mut self, now: u64) {
        let Some(current) = now.checked_div(self.width) else {
            return;
        };
        if current <= self.head {
            return;
        }
        let gap = current.saturating_sub(self.head);
        if gap >= u64::from(self.buckets) {
            self.clear();
        } else {
            // gap < buckets <= B: bounded by the window, not by the idle time.
            let mut index = self.head;
            for _ in 0..gap {
                index = index.saturating_add(1);
                self.clear_bucket(index);
            }
        }
        self.head = current;
        self.head_slot = ring_slot(current, self.buckets);
        self.next_boundary = current.saturating_add(1).saturating_mul(self.width);
    }

    fn clear_bucket(&mut self, index: u64) {
        #[cfg(test)]
        steps::count(1);
        let Some(slot) = self.slot(index) else { return };
        if let Some(c) = self.calls.get_mut(slot) {
            self.total_calls = self.total_calls.saturating_sub(u64::from(*c));
            *c = 0;
        }
        if let Some(f) = self.failures.get_mut(slot) {
            self.total_failures = self.total_failures.saturating_sub(u64::from(*f));
            *f = 0;
        }
        if let Some(s) = self.slow.get_mut(slot) {
            self.total_slow = self.total_slow.saturating_sub(u64::from(*s));
            *s = 0;
        }
    }

    fn slot(&self, index: u64) -> Option<usize> {
        index
            .checked_rem(u64::from(self.buckets))
            .and_then(|s| usize::try_from(s).ok())
    }

    /// Records one counted call at `now` (moving the window there first).
    #[cfg(test)]
    pub(crate) fn push(&mut self, now: Instant, failed: bool, slow: bool) {
        self.advance(now);
        self.push_current(failed, slow);
    }

    /// Records one counted call in the newest bucket: at `now` for a window already
    /// moved to `now`, as the breaker's windows are before any outcome is counted.
    #[inline]
    pub(crate) fn push_current(&mut self, failed: bool, slow: bool) {
        // `NO_SLOT`, or a slot past `B` in a window restored with more buckets than
        // `B`, matches no bucket below: nothing is recorded.
        let Ok(slot) = usize::try_from(self.head_slot) else {
            return;
        };
        let (Some(c), Some(f), Some(s)) = (
            self.calls.get_mut(slot),
            self.failures.get_mut(slot),
            self.slow.get_mut(slot),
        ) else {
            return;
        };
        // A full bucket drops the call whole, so failures and slow never exceed calls.
        let Some(more) = c.checked_add(1) else { return };
        *c = more;
        self.total_calls = self.total_calls.saturating_add(1);
        if failed {
            *f = f.saturating_add(1);
            self.total_failures = self.total_failures.saturating_add(1);
        }
        if slow {
            *s = s.saturating_add(1);
            self.total_slow = self.total_slow.saturating_add(1);
        }
    }

    /// Forgets every call (O(B); only done on state changes).
    pub(crate) fn clear(&mut self) {
        #[cfg(test)]
        steps::count(u64::try_from(B).unwrap_or(u64::MAX));
        self.calls = [0; B];
        self.failures = [0; B];
        self.slow = [0; B];
        self.total_calls = 0;
        self.total_failures = 0;
        self.total_slow = 0;
    }

    /// Calls in the window as of the last move.
    #[inline]
    pub(crate) const fn calls(&self) -> u64 {
        self.total_calls
    }

    /// Failed calls in the window as of the last move.
    #[inline]
    pub(crate) const fn failures(&self) -> u64 {
        self.total_failures
    }

    /// Slow calls in the window as of the last move.
    #[inline]
    pub(crate) const fn slow(&self) -> u64 {
        self.total_slow
    }
}

/// Test builds only: how many buckets this thread's windows have cleared, so a test
/// can check that catching up costs O(B) by counting the work instead of timing it.
#[cfg(test)]
mod steps {
    extern crate std;

    std::thread_local! {
        static STEPS: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
    }

    /// Counts `n` buckets cleared.
    pub(super) fn count(n: u64) {
        STEPS.with(|s| s.set(s.get().saturating_add(n)));
    }

    /// The buckets cleared since the last call, starting the count over.
    pub(super) fn take() -> u64 {
        STEPS.with(|s| s.replace(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ticks: u64) -> Instant {
        Instant::from_ticks(ticks)
    }

    /// 4 buckets of 10 ticks: the window at `now` spans 40 ticks of buckets.
    fn window() -> TimeWindow<5> {
        TimeWindow::new(Duration::from_ticks(10), 4)
    }

    #[test]
    fn outcome_goes_into_the_bucket_of_its_record_time() {
        let mut w = window();
        w.push(t(9), true, false);
        w.push(t(10), false, false);
        // At 39 the window holds buckets 0..=3: both calls.
        w.advance(t(39));
        assert_eq!((w.calls(), w.failures()), (2, 1));
        // At 40 bucket 0 (ticks 0..10) falls out, taking the failure with it.
        w.advance(t(40));
        assert_eq!((w.calls(), w.failures()), (1, 0));
        // At 50 bucket 1 falls out too.
        w.advance(t(50));
        assert_eq!(w.calls(), 0);
    }

    #[test]
    fn window_holds_exactly_the_last_b_buckets() {
        let mut w = window();
        for bucket in 0..6u64 {
            w.push(t(bucket * 10), true, bucket % 2 == 0);
        }
        // At bucket 5 the window holds buckets 2, 3, 4, 5.
        assert_eq!((w.calls(), w.failures(), w.slow()), (4, 4, 2));
    }

    #[test]
    fn an_idle_gap_longer_than_the_window_empties_it() {
        let mut w = window();
        w.push(t(0), true, true);
        w.push(t(35), true, true);
        w.push(t(75), false, false);
        assert_eq!((w.calls(), w.failures(), w.slow()), (1, 0, 0));
    }

    #[test]
    fn catching_up_after_a_huge_idle_gap_costs_o_b_not_o_gap() {
        // One-tick buckets: walking a gap bucket by bucket costs one step per tick. The
        // moderate gaps come first, so a walk that is O(gap) fails on the step count
        // (in about a million steps) before the huge gaps, where it would never end.
        let mut w = TimeWindow::<5>::new(Duration::from_ticks(1), 5);
        let push = |w: &mut TimeWindow<5>, at: u64, failed: bool| {
            let _ = steps::take();
            w.push(t(at), failed, false);
            let cleared = steps::take();
            assert!(
                cleared <= 5,
                "catching up to {at} cleared {cleared} buckets"
            );
        };
        push(&mut w, 1, true);
        push(&mut w, 1_000_000, false);
        push(&mut w, 1_000_003, false);
        assert_eq!((w.calls(), w.failures()), (2, 0));
        push(&mut w, 2_000_003, true);
        assert_eq!((w.calls(), w.failures()), (1, 1));
        push(&mut w, u64::MAX / 2, false);
        push(&mut w, u64::MAX / 2 + 3, false);
        assert_eq!((w.calls(), w.failures()), (2, 0));
        push(&mut w, u64::MAX, true);
        assert_eq!((w.calls(), w.failures()), (1, 1));
    }

    #[test]
    fn a_bucket_width_near_the_end_of_time_never_overflows() {
        let mut w = TimeWindow::<2>::new(Duration::from_ticks(u64::MAX / 2 + 1), 2);
        w.push(t(u64::MAX), true, false);
        w.push(t(u64::MAX), true, false);
        assert_eq!((w.calls(), w.failures()), (2, 2));
    }

    #[test]
    fn clear_forgets_every_bucket() {
        let mut w = window();
        w.push(t(5), true, true);
        w.push(t(15), true, true);
        w.clear();
        assert_eq!((w.calls(), w.failures(), w.slow()), (0, 0, 0));
        w.push(t(16), false, false);
        assert_eq!((w.calls(), w.failures()), (1, 0));
    }

    #[test]
    fn a_window_with_more_buckets_than_its_storage_records_nothing_past_it() {
        // Only a corrupted restore has buckets > B: slots past B are skipped.
        let mut w = TimeWindow::<2>::new(Duration::from_ticks(10), 3);
        w.push(t(5), true, false);
        w.push(t(25), true, false);
        assert_eq!((w.calls(), w.failures()), (1, 1), "bucket 2 has no storage");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_restored_window_counts_into_the_same_bucket() {
        let mut w = window();
        w.push(t(25), true, false);
        let mut buf = [0u8; 256];
        let bytes = postcard::to_slice(&w, &mut buf).unwrap();
        let mut back: TimeWindow<5> = postcard::from_bytes(bytes).unwrap();
        assert_eq!(back, w);
        back.push(t(29), false, true);
        w.push(t(29), false, true);
        assert_eq!(back, w);
        assert_eq!((back.calls(), back.failures(), back.slow()), (2, 1, 1));
    }

    #[test]
    fn an_unconfigured_window_records_nothing_and_does_not_panic() {
        let mut w = TimeWindow::<3>::new(Duration::from_ticks(0), 0);
        w.push(t(5), true, true);
        w.advance(t(u64::MAX));
        assert_eq!(w.calls(), 0);
    }

    /// `window()` with a slow failure at 5 and a fast success at 25, seen up to 29.
    fn used() -> TimeWindow<5> {
        let mut w = window();
        w.push(t(5), true, true);
        w.push(t(25), false, false);
        w
    }

    fn consistent(w: &TimeWindow<5>) -> bool {
        w.is_consistent(Duration::from_ticks(10), 4, t(29))
    }

    #[test]
    fn a_restored_window_must_have_the_configured_width_and_bucket_count() {
        let w = used();
        assert!(consistent(&w));
        assert!(!w.is_consistent(Duration::from_ticks(20), 4, t(29)));
        assert!(!w.is_consistent(Duration::from_ticks(10), 3, t(29)));
    }

    #[test]
    fn a_restored_window_keeps_its_storage_past_the_bucket_count_empty() {
        for field in 0..3 {
            let mut w = used();
            match field {
                0 => w.calls[4] = 1,
                1 => w.failures[4] = 1,
                _ => w.slow[4] = 1,
            }
            assert!(!consistent(&w), "slot 4 is past the 4 buckets");
        }
    }

    #[test]
    fn a_restored_bucket_holds_no_more_failed_or_slow_calls_than_calls() {
        let mut w = used();
        // Bucket 2 holds one fast success: one slow call fewer than calls is fine...
        w.calls[2] = 2;
        w.total_calls += 1;
        assert!(consistent(&w));
        // ...more slow calls (or failures) than calls is not, even with matching totals.
        let mut slow = w.clone();
        slow.slow[2] = 3;
        slow.total_slow += 3;
        assert!(!consistent(&slow));
        let mut failed = w;
        failed.failures[2] = 3;
        failed.total_failures += 3;
        assert!(!consistent(&failed));
    }

    #[test]
    fn a_restored_unconfigured_window_is_consistent_only_if_it_never_moved() {
        let w = TimeWindow::<3>::new(Duration::from_ticks(0), 0);
        assert!(w.is_consistent(Duration::from_ticks(0), 0, t(100)));
        let mut moved = w.clone();
        moved.head = 1;
        assert!(!moved.is_consistent(Duration::from_ticks(0), 0, t(100)));
        let mut bounded = w;
        bounded.next_boundary = 10;
        assert!(!bounded.is_consistent(Duration::from_ticks(0), 0, t(100)));
    }
}

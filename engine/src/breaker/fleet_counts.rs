//! The fleet's window counts: per-instance grow-only counters per time bucket.

use core::cmp::Ordering;
use heapless::Vec;

/// One instance's counters for one time bucket of one epoch.
///
/// Only the instance named here increments it, so every field only grows, and two
/// copies merge by taking the maximum of each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FleetEntry {
    /// The instance that owns (and alone increments) these counters.
    pub instance: u32,
    /// The bucket: `floor(store_time / bucket_width)`, or 0 without a time window.
    pub bucket: u64,
    /// Counted calls (successes and failures).
    pub calls: u32,
    /// Failed calls.
    pub failures: u32,
    /// Slow calls (successes and failures alike).
    pub slow: u32,
    /// HALF_OPEN probe permits issued.
    pub probes_issued: u32,
    /// HALF_OPEN probes reported (ignored outcomes included).
    pub probes_reported: u32,
}

impl FleetEntry {
    /// An empty entry for `instance` and `bucket`.
    #[must_use]
    pub const fn new(instance: u32, bucket: u64) -> Self {
        Self {
            instance,
            bucket,
            calls: 0,
            failures: 0,
            slow: 0,
            probes_issued: 0,
            probes_reported: 0,
        }
    }

    /// The order entries are kept in and truncated by: newest bucket first, then the
    /// lower instance. It depends on the key alone, never on the counts.
    fn key_order(&self, other: &Self) -> Ordering {
        other
            .bucket
            .cmp(&self.bucket)
            .then(self.instance.cmp(&other.instance))
    }

    /// Whether the counts could have been made by an instance: failed and slow calls
    /// are calls.
    #[must_use]
    pub const fn is_possible(&self) -> bool {
        self.failures <= self.calls && self.slow <= self.calls
    }

    /// Each field the maximum of the two.
    fn join(&mut self, other: &Self) -> bool {
        let before = *self;
        self.calls = self.calls.max(other.calls);
        self.failures = self.failures.max(other.failures);
        self.slow = self.slow.max(other.slow);
        self.probes_issued = self.probes_issued.max(other.probes_issued);
        self.probes_reported = self.probes_reported.max(other.probes_reported);
        *self != before
    }
}

/// Up to `S` [`FleetEntry`]s, one per `(instance, bucket)`, kept newest bucket first.
///
/// Merging takes the maximum per entry and field. When more than `S` entries would be
/// kept, those of the oldest buckets go first (ties: the higher instance): which entries
/// stay depends on their keys alone, so the merge stays commutative, associative and
/// idempotent even when it truncates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FleetCounts<const S: usize> {
    entries: Vec<FleetEntry, S>,
}

impl<const S: usize> FleetCounts<S> {
    /// No entries.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// The entries, newest bucket first.
    #[must_use]
    pub fn entries(&self) -> &[FleetEntry] {
        &self.entries
    }

    /// Removes every entry (a new epoch starts with none).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Merges one entry: the maximum per field if its key is there, else inserted in
    /// order (dropping the oldest entry when full, or `entry` itself if it is the
    /// oldest). Whether anything changed.
    pub fn merge_entry(&mut self, entry: &FleetEntry) -> bool {
        match self
            .entries
            .binary_search_by(|probe| probe.key_order(entry))
        {
            Ok(at) => self.entries.get_mut(at).is_some_and(|e| e.join(entry)),
            Err(at) => {
                if at >= S {
                    return false;
                }
                if self.entries.is_full() {
                    self.entries.pop();
                }
                // Room was made above and `at <= len`, so this cannot fail.
                self.entries.insert(at, *entry).is_ok()
            }
        }
    }

    /// Merges every entry of `other`; whether anything changed.
    pub fn merge(&mut self, other: &Self) -> bool {
        let mut changed = false;
        for entry in &other.entries {
            changed |= self.merge_entry(entry);
        }
        changed
    }

    /// The entry of `(instance, bucket)`, created empty if missing; `None` when it
    /// cannot be kept (the counts are full of newer entries).
    pub fn entry_mut(&mut self, instance: u32, bucket: u64) -> Option<&mut FleetEntry> {
        let key = FleetEntry::new(instance, bucket);
        let at = match self.entries.binary_search_by(|probe| probe.key_order(&key)) {
            Ok(at) => at,
            Err(at) => {
                if !self.merge_entry(&key) {
                    return None;
                }
                at
            }
        };
        self.entries.get_mut(at)
    }

    /// The entries of one instance.
    pub fn of_instance(&self, instance: u32) -> impl Iterator<Item = &FleetEntry> {
        self.entries.iter().filter(move |e| e.instance == instance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(instance: u32, bucket: u64, calls: u32) -> FleetEntry {
        FleetEntry {
            calls,
            ..FleetEntry::new(instance, bucket)
        }
    }

    #[test]
    fn merging_keeps_the_maximum_of_each_field() {
        let mut c: FleetCounts<4> = FleetCounts::new();
        assert!(c.merge_entry(&entry(1, 7, 3)));
        assert!(!c.merge_entry(&entry(1, 7, 2)));
        assert!(c.merge_entry(&entry(1, 7, 5)));
        assert_eq!(c.entries(), &[entry(1, 7, 5)]);
    }

    #[test]
    fn when_full_the_oldest_bucket_goes_first() {
        let mut c: FleetCounts<2> = FleetCounts::new();
        c.merge_entry(&entry(0, 1, 1));
        c.merge_entry(&entry(0, 3, 1));
        assert!(c.merge_entry(&entry(0, 2, 1)));
        assert_eq!(c.entries(), &[entry(0, 3, 1), entry(0, 2, 1)]);
        assert!(!c.merge_entry(&entry(5, 0, 9)));
        assert!(c.entry_mut(4, 0).is_none());
        assert!(c.entry_mut(0, 4).is_some());
        assert_eq!(c.entries()[0], FleetEntry::new(0, 4));
    }

    #[test]
    fn an_entry_is_possible_only_if_its_failed_and_slow_calls_are_calls() {
        let full = FleetEntry {
            failures: 3,
            slow: 3,
            ..entry(1, 0, 3)
        };
        assert!(full.is_possible());
        assert!(FleetEntry::new(1, 0).is_possible());
        assert!(
            !FleetEntry {
                failures: 4,
                ..full
            }
            .is_possible()
        );
        assert!(!FleetEntry { slow: 4, ..full }.is_possible());
    }
}

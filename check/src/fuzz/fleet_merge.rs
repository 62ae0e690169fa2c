//! `fleet_merge`: fleet views as another instance or a store could send them, possibly
//! impossible, read and merged.
//!
//! A view that no fleet could hold (impossible counts or state, duplicate entries, more
//! entries than fit) is refused with a typed [`FleetError`]. The views that are read
//! form a join: merging is commutative, associative and idempotent, never lowers the
//! shared state's order, and a view merged a second time changes nothing. Stray entries
//! merged one by one never lower a count. Never a panic.

use arbitrary::Arbitrary;
use mycel::breaker::{FleetEntry, FleetError, FleetPhase, FleetState, FleetView};
use mycel::time::Duration;

/// Entries a view holds: small, so the fuzzer overflows it and truncation is exercised.
pub const ROOM: usize = 8;

/// The view type fuzzed.
pub type View = FleetView<ROOM>;

/// A shared state as raw numbers; small ranges make equal epochs (the interesting case)
/// common.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct RawState {
    /// The epoch, modulo 4.
    pub epoch: u8,
    /// The phase: CLOSED, OPEN or HALF_OPEN, modulo 3.
    pub phase: u8,
    /// The phase's first time (opened at, or since), in ticks.
    pub at: u16,
    /// The phase's period in ticks (zero is impossible).
    pub period: u8,
    /// Openings in a row.
    pub openings: u8,
}

impl RawState {
    /// The state these numbers describe.
    #[must_use]
    pub fn state(&self) -> FleetState {
        let at = Duration::from_ticks(u64::from(self.at));
        let period = Duration::from_ticks(u64::from(self.period));
        let phase = match self.phase % 3 {
            0 => FleetPhase::Closed,
            1 => FleetPhase::Open {
                opened_at: at,
                period,
            },
            _ => FleetPhase::HalfOpen {
                since: at,
                last_period: period,
            },
        };
        FleetState {
            epoch: u64::from(self.epoch % 4),
            phase,
            openings: u32::from(self.openings),
        }
    }
}

/// One per-instance counter entry as raw numbers (failures above calls are impossible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct RawEntry {
    /// The instance, modulo 4.
    pub instance: u8,
    /// The bucket, modulo 8.
    pub bucket: u8,
    /// Calls counted.
    pub calls: u8,
    /// Failed calls among them.
    pub failures: u8,
    /// Slow calls among them.
    pub slow: u8,
    /// Probes issued.
    pub probes_issued: u8,
    /// Probes reported.
    pub probes_reported: u8,
}

impl RawEntry {
    /// The entry these numbers describe.
    #[must_use]
    pub fn entry(&self) -> FleetEntry {
        FleetEntry {
            instance: u32::from(self.instance % 4),
            bucket: u64::from(self.bucket % 8),
            calls: u32::from(self.calls),
            failures: u32::from(self.failures),
            slow: u32::from(self.slow),
            probes_issued: u32::from(self.probes_issued),
            probes_reported: u32::from(self.probes_reported),
        }
    }
}

/// A view as a store would hold it: a state and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct RawView {
    /// The shared state.
    pub state: RawState,
    /// The entries, as many as the input gives (more than [`ROOM`] is oversized).
    pub entries: Vec<RawEntry>,
}

impl RawView {
    /// The view, or the typed reason no fleet could hold it.
    ///
    /// # Errors
    /// What [`FleetView::from_parts`] refuses.
    pub fn read(&self) -> Result<View, FleetError> {
        let entries: Vec<FleetEntry> = self.entries.iter().map(RawEntry::entry).collect();
        View::from_parts(self.state.state(), &entries)
    }
}

/// The input of `fleet_merge`: three views and stray entries (with the epoch each
/// claims) merged one by one.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct FleetMergeInput {
    /// Three views, merged in every way the properties compare.
    pub views: [RawView; 3],
    /// Entries merged into the first view one by one, each with its epoch (modulo 4).
    pub stray: Vec<(u8, RawEntry)>,
}

/// The target's input type under the name every target module exports.
pub type Input = FleetMergeInput;

/// What a `fleet_merge` run reached, for seed selection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Views refused as impossible, duplicate or oversized.
    pub refused: usize,
    /// Views read.
    pub read: usize,
    /// Merges of two read views at one epoch that changed the first.
    pub equal_epoch_changes: usize,
    /// Stray entries that changed the view.
    pub stray_changes: usize,
}

fn merged(a: &View, b: &View) -> View {
    let mut m = a.clone();
    m.merge(b);
    m
}

/// Reads the views, checks the join laws on those read, and merges the stray entries.
///
/// # Panics
/// When a law fails: the merge is documented as a join that never moves back.
#[must_use]
pub fn run(input: &FleetMergeInput) -> Summary {
    let mut summary = Summary::default();
    let mut views = Vec::new();
    for raw in &input.views {
        match raw.read() {
            Ok(view) => {
                summary.read += 1;
                views.push(view);
            }
            Err(error) => {
                assert!(!error.to_string().is_empty(), "an error without a message");
                summary.refused += 1;
            }
        }
    }
    for a in &views {
        assert_eq!(&merged(a, a), a, "merge is idempotent");
        for b in &views {
            let ab = merged(a, b);
            assert_eq!(ab, merged(b, a), "merge is commutative");
            assert!(ab.state().order_key() >= a.state().order_key());
            assert!(ab.state().epoch >= b.state().epoch);
            let mut again = ab.clone();
            assert!(!again.merge(b), "a view merged twice changes nothing");
            assert_eq!(again, ab);
            if a.state().epoch == b.state().epoch && ab != *a {
                summary.equal_epoch_changes += 1;
            }
            for c in &views {
                assert_eq!(
                    merged(&ab, c),
                    merged(a, &merged(b, c)),
                    "merge is associative"
                );
            }
        }
    }
    if let Some(first) = views.first() {
        let mut view = first.clone();
        for (epoch, raw) in &input.stray {
            let before = view.clone();
            let entry = raw.entry();
            if view.merge_entry(u64::from(epoch % 4), &entry) {
                summary.stray_changes += 1;
            }
            assert_eq!(
                view.state(),
                before.state(),
                "an entry never moves the state"
            );
            for old in before.entries() {
                if let Some(new) = view
                    .entries()
                    .iter()
                    .find(|e| e.instance == old.instance && e.bucket == old.bucket)
                {
                    assert!(
                        new.calls >= old.calls && new.failures >= old.failures,
                        "merging an entry never lowers a count"
                    );
                }
            }
        }
    }
    summary
}

/// Situations the seed corpus shows, one seed each.
pub const SEED_CATEGORIES: &[crate::fuzz::corpus::SeedCategory<Summary>] = &[
    ("three_views_read", |s| s.read == 3),
    ("a_view_refused", |s| s.refused >= 1),
    ("equal_epochs_merged", |s| s.equal_epoch_changes >= 1),
    ("stray_entries_merged", |s| s.stray_changes >= 2),
];

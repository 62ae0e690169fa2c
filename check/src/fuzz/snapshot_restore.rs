//! `snapshot_restore`: a breaker driven by arbitrary calls, saved as a snapshot
//! (postcard bytes, the engine's `serde` format), maybe damaged, restored, and driven on.
//!
//! An undamaged snapshot restores to a breaker that is the original: it serializes to
//! the same bytes and answers every later call exactly as the original does, with the
//! same state changes and observable state. A damaged snapshot is refused with a typed
//! error, or restores to a breaker whose own snapshot round-trips unchanged and that
//! takes every later call without a panic.

use arbitrary::{Arbitrary, Unstructured};
use proptest::prelude::*;

use crate::model_based::breaker::config::{Breaker, ConfigDraft};
use crate::model_based::breaker::driver::EngineBreaker;
use crate::model_based::breaker::ops::BreakerOp;
use crate::model_based::breaker::strategy;

/// The most calls made before the snapshot, and after it.
pub const MAX_CALLS: usize = 48;

/// Which byte of the snapshot to damage, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct Damage {
    /// The snapshot is damaged when `roll % 4 == 0` (one input in four).
    pub roll: u8,
    /// The byte, modulo the snapshot's length.
    pub at: u16,
    /// Flipped with this mask (made nonzero).
    pub mask: u8,
}

impl Damage {
    /// No damage.
    #[must_use]
    pub const fn none() -> Self {
        Self {
            roll: 1,
            at: 0,
            mask: 0,
        }
    }

    /// Whether the damage applies.
    #[must_use]
    pub const fn applies(&self) -> bool {
        self.roll.is_multiple_of(4)
    }

    /// Damages `bytes` (which it leaves alone when empty).
    pub fn apply(&self, bytes: &mut [u8]) {
        let len = bytes.len();
        if let Some(b) = bytes.get_mut(usize::from(self.at) % len.max(1)) {
            *b ^= self.mask | 1;
        }
    }
}

/// The input of `snapshot_restore`.
///
/// Decoding a fuzzer's bytes gives the configuration, the damage and the number of
/// calls before the snapshot, then spends all remaining bytes on calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRestoreInput {
    /// The configuration, repaired before use.
    pub config: ConfigDraft,
    /// The damage done to the snapshot, if it applies.
    pub damage: Damage,
    /// Calls before the snapshot (the first [`MAX_CALLS`] are made).
    pub before: Vec<BreakerOp>,
    /// Calls after the restore (the first [`MAX_CALLS`] are made).
    pub after: Vec<BreakerOp>,
}

impl<'a> Arbitrary<'a> for SnapshotRestoreInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let config = u.arbitrary()?;
        let damage = u.arbitrary()?;
        let split = usize::from(u.arbitrary::<u8>()?) % (MAX_CALLS + 1);
        let mut before = Vec::new();
        while before.len() < split && !u.is_empty() {
            before.push(u.arbitrary()?);
        }
        let len = u.arbitrary_len::<BreakerOp>()?.min(MAX_CALLS);
        let after = (0..len)
            .map(|_| u.arbitrary())
            .collect::<arbitrary::Result<_>>()?;
        Ok(Self {
            config,
            damage,
            before,
            after,
        })
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        let config = u.arbitrary()?;
        let damage = u.arbitrary()?;
        let split = usize::from(u.arbitrary::<u8>()?) % (MAX_CALLS + 1);
        let mut before = Vec::new();
        while before.len() < split && !u.is_empty() {
            before.push(u.arbitrary()?);
        }
        let mut after = Vec::new();
        while !u.is_empty() && after.len() < MAX_CALLS {
            after.push(u.arbitrary()?);
        }
        Ok(Self {
            config,
            damage,
            before,
            after,
        })
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        arbitrary::size_hint::and(
            <ConfigDraft as Arbitrary>::size_hint(depth),
            <Damage as Arbitrary>::size_hint(depth),
        )
    }
}

/// The target's input type under the name every target module exports.
pub type Input = SnapshotRestoreInput;

/// What a `snapshot_restore` run exercised, for seed selection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// The snapshot was damaged.
    pub damaged: bool,
    /// The (damaged) snapshot was refused.
    pub refused: bool,
    /// Calls made after the restore.
    pub calls_after: u64,
    /// State changes after the restore.
    pub changes_after: u64,
    /// The snapshot was taken away from CLOSED.
    pub saved_away_from_closed: bool,
}

/// The snapshot of `breaker`.
///
/// # Panics
/// When the breaker does not serialize (a bug).
fn save(breaker: &Breaker) -> Vec<u8> {
    postcard::to_allocvec(breaker).expect("a breaker serializes")
}

/// Runs the input; panics on any bug it finds.
///
/// # Panics
/// When an undamaged snapshot does not restore to the same breaker, or a restored
/// breaker's snapshot does not round-trip, or a call panics.
#[must_use]
pub fn run(input: &SnapshotRestoreInput) -> Summary {
    let mut summary = Summary::default();
    let Ok(mut original) = EngineBreaker::new(input.config.repair()) else {
        // A repaired configuration is valid; the breaker_ops target checks that.
        return summary;
    };
    for &op in input.before.iter().take(MAX_CALLS) {
        original.apply(op);
    }
    summary.saved_away_from_closed =
        original.breaker().state() != mycel::breaker::BreakerStateKind::Closed;
    let mut bytes = save(original.breaker());
    summary.damaged = input.damage.applies();
    if summary.damaged {
        input.damage.apply(&mut bytes);
    }
    let restored = match postcard::from_bytes::<Breaker>(&bytes) {
        Ok(restored) => restored,
        Err(error) => {
            assert!(
                summary.damaged,
                "an undamaged snapshot was refused: {error}"
            );
            summary.refused = true;
            return summary;
        }
    };
    let again = save(&restored);
    if summary.damaged {
        let round = postcard::from_bytes::<Breaker>(&again)
            .expect("a restored breaker's own snapshot restores");
        assert_eq!(
            save(&round),
            again,
            "a restored breaker's snapshot is stable"
        );
    } else {
        assert_eq!(
            again, bytes,
            "an undamaged snapshot restores to the same bytes"
        );
    }
    let mut copy = original.clone().with_breaker(restored);
    for &op in input.after.iter().take(MAX_CALLS) {
        let applied = copy.apply(op);
        summary.calls_after += 1;
        summary.changes_after += applied.changes.len() as u64;
        if !summary.damaged {
            let expected = original.apply(op);
            assert_eq!(applied, expected, "the restored breaker answers alike");
            assert_eq!(copy.snapshot(), original.snapshot());
        }
    }
    summary
}

/// Generated inputs for proptest suites: valid configurations, calls before and after,
/// and damage to one snapshot in four.
pub fn strategy() -> impl Strategy<Value = SnapshotRestoreInput> {
    let damage = (any::<u8>(), any::<u16>(), any::<u8>()).prop_map(|(roll, at, mask)| Damage {
        roll,
        at,
        mask,
    });
    (
        strategy::config_draft(),
        damage,
        strategy::breaker_ops(MAX_CALLS),
        strategy::breaker_ops(MAX_CALLS),
    )
        .prop_map(|(config, damage, before, after)| SnapshotRestoreInput {
            config,
            damage,
            before,
            after,
        })
}

/// Situations the seed corpus shows, one seed each.
pub const SEED_CATEGORIES: &[crate::fuzz::corpus::SeedCategory<Summary>] = &[
    ("faithful_restore", |s| !s.damaged && s.calls_after >= 4),
    ("restored_away_from_closed", |s| {
        !s.damaged && s.saved_away_from_closed && s.changes_after >= 1
    }),
    ("damage_refused", |s| s.refused),
    ("damage_restored", |s| {
        s.damaged && !s.refused && s.calls_after >= 2
    }),
];

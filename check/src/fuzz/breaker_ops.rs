//! `breaker_ops`: an arbitrary breaker configuration and call sequence, run on the
//! engine breaker and on the reference breaker in lockstep, compared and checked for
//! invariants after every call.

use arbitrary::{Arbitrary, Unstructured};
use mycel::breaker::{BreakerStateKind, Reason, Recorded};
use proptest::prelude::*;

use crate::model_based::breaker::config::ConfigDraft;
use crate::model_based::breaker::lockstep::BreakerLockstep;
use crate::model_based::breaker::observed::{Answer, Applied};
use crate::model_based::breaker::ops::{BreakerOp, MAX_BREAKER_OPS};
use crate::model_based::breaker::sabotage::ConfigSabotage;
use crate::model_based::breaker::strategy;

/// One in this many inputs (by `ConfigDamage::roll`) gets an invalid configuration.
const DAMAGE_ONE_IN: u8 = 10;

/// An optional broken field in the repaired configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct ConfigDamage {
    /// The sabotage is applied when `roll % DAMAGE_ONE_IN == 0` (one input in ten).
    pub roll: u8,
    /// Which rule to break.
    pub sabotage: ConfigSabotage,
    /// Chooses how to break it.
    pub pick: u8,
}

impl ConfigDamage {
    /// No damage.
    #[must_use]
    pub const fn none() -> Self {
        Self {
            roll: 1,
            sabotage: ConfigSabotage::NoTripPolicy,
            pick: 0,
        }
    }

    /// `sabotage`, broken the way `pick` chooses.
    #[must_use]
    pub const fn of(sabotage: ConfigSabotage, pick: u8) -> Self {
        Self {
            roll: 0,
            sabotage,
            pick,
        }
    }

    /// Whether the sabotage is applied.
    #[must_use]
    pub const fn applies(&self) -> bool {
        self.roll.is_multiple_of(DAMAGE_ONE_IN)
    }
}

/// The input of `breaker_ops`: a configuration, an optional broken field, and the
/// caller's operations.
///
/// Decoding a fuzzer's bytes spends all that remain on operations, one after the other
/// (a derived `Vec` would stop at the first even "continue?" byte: two operations on
/// average from random bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakerOpsInput {
    /// The configuration, repaired before use.
    pub config: ConfigDraft,
    /// An optional broken field.
    pub damage: ConfigDamage,
    /// The caller's operations (the first [`MAX_BREAKER_OPS`] are used).
    pub ops: Vec<BreakerOp>,
}

impl<'a> Arbitrary<'a> for BreakerOpsInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let config = u.arbitrary()?;
        let damage = u.arbitrary()?;
        let len = u.arbitrary_len::<BreakerOp>()?;
        let ops = (0..len)
            .map(|_| u.arbitrary())
            .collect::<arbitrary::Result<_>>()?;
        Ok(Self {
            config,
            damage,
            ops,
        })
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        let config = u.arbitrary()?;
        let damage = u.arbitrary()?;
        let mut ops = Vec::new();
        while !u.is_empty() && ops.len() < MAX_BREAKER_OPS {
            ops.push(u.arbitrary()?);
        }
        Ok(Self {
            config,
            damage,
            ops,
        })
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        arbitrary::size_hint::and(
            <ConfigDraft as Arbitrary>::size_hint(depth),
            <ConfigDamage as Arbitrary>::size_hint(depth),
        )
    }
}

/// The target's input type under the name every target module exports.
pub type Input = BreakerOpsInput;

/// What a `breaker_ops` run exercised, for seed selection and coverage checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Both sides built the breaker.
    pub built: bool,
    /// The engine rejected the (sabotaged) configuration with the expected error.
    pub rejected: bool,
    /// Calls made.
    pub calls: u64,
    /// Calls rejected.
    pub rejections: u64,
    /// Stale outcomes.
    pub stale: u64,
    /// CLOSED -> OPEN trips.
    pub trips: u64,
    /// OPEN -> HALF_OPEN at the end of a period.
    pub half_opened: u64,
    /// HALF_OPEN -> CLOSED by probes.
    pub closed_by_probes: u64,
    /// HALF_OPEN -> OPEN by probes.
    pub reopened_by_probes: u64,
    /// Changes caused by a half-open maximum wait.
    pub max_waits: u64,
    /// Changes caused by trip or probe rates (failure, slow or probe rate).
    pub rate_verdicts: u64,
    /// Changes caused by operator calls.
    pub operator_changes: u64,
    /// Calls made with an instant before the latest one.
    pub regressions: u64,
    /// The latest instant reached.
    pub latest: u64,
}

impl Summary {
    fn record(&mut self, applied: &Applied, last_used: u64) {
        if applied.answer == Answer::NothingToRecord {
            return;
        }
        self.calls += 1;
        if applied.call.now < last_used {
            self.regressions += 1;
        }
        self.latest = self.latest.max(applied.call.now);
        match applied.answer {
            Answer::Rejected { .. } if !applied.answer.is_clock_regression() => {
                self.rejections += 1;
            }
            Answer::Recorded(Recorded::Stale) => self.stale += 1,
            _ => {}
        }
        for c in &applied.changes {
            match (c.from, c.to, c.reason) {
                (_, _, Reason::MaxWait) => self.max_waits += 1,
                (
                    _,
                    _,
                    Reason::ForceOpen | Reason::Disable | Reason::MetricsOnly | Reason::Reset,
                ) => {
                    self.operator_changes += 1;
                }
                (BreakerStateKind::Closed, BreakerStateKind::Open, reason) => {
                    self.trips += 1;
                    if reason != Reason::ConsecutiveFailures {
                        self.rate_verdicts += 1;
                    }
                }
                (BreakerStateKind::Open, BreakerStateKind::HalfOpen, _) => self.half_opened += 1,
                (BreakerStateKind::HalfOpen, BreakerStateKind::Closed, reason) => {
                    self.closed_by_probes += 1;
                    if reason == Reason::ProbesHealthy {
                        self.rate_verdicts += 1;
                    }
                }
                (BreakerStateKind::HalfOpen, BreakerStateKind::Open, reason) => {
                    self.reopened_by_probes += 1;
                    if reason == Reason::ProbeRate {
                        self.rate_verdicts += 1;
                    }
                }
                _ => {}
            }
        }
    }
}

/// Builds the input's breaker on both sides and applies its operations in lockstep.
///
/// A repaired configuration must be accepted by the engine; a sabotaged one must be
/// rejected with exactly the [`ConfigError`](mycel::breaker::ConfigError) the
/// sabotage names (the reference validates nothing). After every call the two sides
/// must agree on everything observable ([`crate::model_based::breaker::lockstep::assert_agree`])
/// and the engine must keep every invariant ([`crate::model_based::breaker::invariants`]).
///
/// # Panics
/// On any disagreement or broken invariant: that is a bug in the engine, the reference
/// or the generators, and the input reproduces it.
#[must_use]
pub fn run(input: &BreakerOpsInput) -> Summary {
    let mut config = input.config.repair();
    let expected = input
        .damage
        .applies()
        .then(|| input.damage.sabotage.apply(&mut config, input.damage.pick));
    let mut summary = Summary::default();
    let mut lockstep = match (BreakerLockstep::new(config), expected) {
        (Ok(lockstep), None) => lockstep,
        (Err(error), Some(expected)) => {
            assert_eq!(
                error, expected,
                "the engine names another error for {config:#?}"
            );
            assert_eq!(error.field(), expected.field());
            summary.rejected = true;
            return summary;
        }
        (Ok(_), Some(expected)) => {
            panic!("the engine accepted a configuration with {expected:?}: {config:#?}")
        }
        (Err(error), None) => {
            panic!("the engine rejected a valid configuration with {error:?}: {config:#?}")
        }
    };
    summary.built = true;
    for &op in input.ops.iter().take(MAX_BREAKER_OPS) {
        let last_used = lockstep.engine().last_used();
        let applied = lockstep.apply(op);
        summary.record(&applied, last_used);
    }
    summary
}

/// Inputs for proptest: mostly valid configurations with 0..=64 operations against a
/// backend of random health, one in ten with a broken field.
pub fn strategy() -> impl Strategy<Value = BreakerOpsInput> {
    let damage = prop_oneof![
        9 => Just(ConfigDamage::none()),
        1 => (strategy::config_sabotage(), any::<u8>()).prop_map(|(s, p)| ConfigDamage::of(s, p)),
    ];
    (strategy::config_draft(), damage, strategy::breaker_ops(64)).prop_map(
        |(config, damage, ops)| BreakerOpsInput {
            config,
            damage,
            ops,
        },
    )
}

/// What a seed corpus for `breaker_ops` should show, one file per category: trips,
/// the end of an open period, closing and reopening by probes, a maximum wait, a rate
/// verdict, stale outcomes, rejections, operator changes, clock regressions, the end
/// of time and a rejected configuration.
pub const SEED_CATEGORIES: &[crate::fuzz::corpus::SeedCategory<Summary>] = &[
    ("trips", |s| s.trips >= 2),
    ("half_opens", |s| s.half_opened >= 1),
    ("closes_by_probes", |s| s.closed_by_probes >= 1),
    ("reopens_by_probes", |s| s.reopened_by_probes >= 1),
    ("max_wait", |s| s.max_waits >= 1),
    ("rate_verdict", |s| s.rate_verdicts >= 1),
    ("stale", |s| s.stale >= 2),
    ("rejections", |s| s.rejections >= 3),
    ("operator", |s| s.operator_changes >= 2),
    ("clock_regression", |s| s.regressions >= 1),
    ("end_of_time", |s| s.latest == u64::MAX),
    ("rejected_config", |s| s.rejected),
];

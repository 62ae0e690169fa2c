//! `net_ops`: an arbitrary net and call sequence, run on the engine and on the reference
//! interpreter in lockstep, compared and checked for invariants after every call.

use crate::model_based::net::draft::NetDraft;
use crate::model_based::net::driver::{Applied, EngineDriver, RefDriver};
use crate::model_based::net::engine::ToEngineError;
use crate::model_based::net::lockstep::Lockstep;
use crate::model_based::net::ops::{MAX_OPS, Op};
use crate::model_based::net::outcome::{Event, InjectRefusal, Outcome, StepOutcome};
use crate::model_based::net::sabotage::{DefectKind, Expectation, Sabotage};
use crate::model_based::net::script::Script;
use crate::model_based::net::strategy;
use proptest::prelude::*;

/// One in this many inputs (by `Damage::roll`) gets a sabotaged net.
const DAMAGE_ONE_IN: u8 = 10;

/// An optional single defect added to the repaired net.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct Damage {
    /// The sabotage is applied when `roll % DAMAGE_ONE_IN == 0` (one input in ten).
    pub roll: u8,
    /// Which defect.
    pub sabotage: Sabotage,
    /// Chooses the arc, place or transition it hits.
    pub target: u8,
}

impl Damage {
    /// No damage.
    #[must_use]
    pub const fn none() -> Self {
        Self {
            roll: 1,
            sabotage: Sabotage::ZeroWeight,
            target: 0,
        }
    }

    /// `sabotage` aimed by `target`.
    #[must_use]
    pub const fn of(sabotage: Sabotage, target: u8) -> Self {
        Self {
            roll: 0,
            sabotage,
            target,
        }
    }

    /// Whether the sabotage is applied.
    #[must_use]
    pub const fn applies(&self) -> bool {
        self.roll.is_multiple_of(DAMAGE_ONE_IN)
    }
}

/// The input of `net_ops`: a net, an optional defect, what its transitions do, and the
/// host's calls.
#[derive(Debug, Clone, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct NetOpsInput {
    /// The net, repaired before use.
    pub net: NetDraft,
    /// An optional defect.
    pub damage: Damage,
    /// What transitions do when they fire (clamped before use).
    pub script: Script,
    /// The host's calls (the first [`MAX_OPS`] are used).
    pub ops: Vec<Op>,
}

/// The target's input type under the name every target module exports.
pub type Input = NetOpsInput;

/// What a `net_ops` run exercised, for seed selection and coverage checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Both sides built the net.
    pub built: bool,
    /// Both sides rejected the net (with the same kind of error).
    pub rejected: bool,
    /// Calls applied.
    pub calls: u64,
    /// Successful firings.
    pub fired: u64,
    /// Failed firings rolled back.
    pub rolled_back: u64,
    /// Failed firings whose tokens went to an error place.
    pub to_error_place: u64,
    /// Firings of transitions with a delay.
    pub timed: u64,
    /// Injects handed back because the place was full.
    pub refused_full: u64,
    /// Calls refused for a clock regression.
    pub regressions: u64,
    /// Runs that ran out of budget.
    pub exhausted: u64,
    /// The latest instant reached.
    pub latest: u64,
}

impl Summary {
    fn record(&mut self, applied: &Applied, delays: &[u64]) {
        self.calls += 1;
        if let Some(now) = applied.call.now()
            && !matches!(
                applied.outcome,
                Outcome::Regressed
                    | Outcome::InjectRefused {
                        refusal: InjectRefusal::ClockRegression,
                        ..
                    }
            )
        {
            self.latest = self.latest.max(now);
        }
        match applied.outcome {
            Outcome::Regressed
            | Outcome::InjectRefused {
                refusal: InjectRefusal::ClockRegression,
                ..
            } => self.regressions += 1,
            Outcome::InjectRefused {
                refusal: InjectRefusal::Full,
                ..
            } => self.refused_full += 1,
            Outcome::Ran {
                exhausted: true, ..
            } => self.exhausted += 1,
            _ => {}
        }
        for event in &applied.events {
            let Event::Step { outcome, .. } = event else {
                continue;
            };
            match outcome {
                StepOutcome::Idle => {}
                StepOutcome::Fired { transition, .. } => {
                    self.fired += 1;
                    if delays.get(*transition).is_some_and(|&d| d > 0) {
                        self.timed += 1;
                    }
                }
                StepOutcome::Failed {
                    error_place: None, ..
                } => self.rolled_back += 1,
                StepOutcome::Failed {
                    error_place: Some(_),
                    ..
                } => self.to_error_place += 1,
            }
        }
    }
}

/// Builds the input's net on both sides and applies its calls in lockstep.
///
/// A repaired net must be valid on both sides; a sabotaged one must be rejected by both
/// with the kind of error the sabotage introduced (or accepted by both when the sabotage
/// keeps it valid). After every call the two sides must agree on everything observable
/// ([`crate::model_based::net::lockstep::assert_agree`]) and the engine must keep every invariant
/// ([`crate::model_based::net::invariants`]).
///
/// # Panics
/// On any disagreement or broken invariant: that is a bug in the engine, the reference
/// or the generators, and the input reproduces it.
#[must_use]
pub fn run(input: &NetOpsInput) -> Summary {
    let mut spec = input.net.repair();
    let expectation = if input.damage.applies() {
        input
            .damage
            .sabotage
            .apply(&mut spec, input.damage.target)
            .unwrap_or(Expectation::Valid)
    } else {
        Expectation::Valid
    };
    let script = input.script.clamped();
    let engine = EngineDriver::new(&spec, &script);
    let reference = RefDriver::new(&spec, &script);
    let mut summary = Summary::default();
    let (engine, reference) = match (engine, reference) {
        (Ok(engine), Ok(reference)) => {
            assert_eq!(
                expectation,
                Expectation::Valid,
                "both sides accepted a net with a defect: {spec:#?}"
            );
            (engine, reference)
        }
        (Err(ToEngineError::Build(e)), Err(r)) => {
            let Expectation::Defect(kind) = expectation else {
                panic!(
                    "both sides rejected a valid net (engine {e:?}, reference {r:?}): {spec:#?}"
                );
            };
            assert_eq!(
                DefectKind::of_engine(e),
                kind,
                "engine error {e:?} for {spec:#?}"
            );
            assert_eq!(
                DefectKind::of_reference(r),
                kind,
                "reference error {r:?} for {spec:#?}"
            );
            summary.rejected = true;
            return summary;
        }
        (engine, reference) => panic!(
            "the engine and the reference disagree on whether the net is valid: engine {:?}, \
             reference {:?}, expected {expectation:?}, net {spec:#?}",
            engine.err(),
            reference.err()
        ),
    };
    summary.built = true;
    let delays: Vec<u64> = spec.transitions.iter().map(|t| t.delay).collect();
    let mut lockstep = Lockstep::new(engine, reference);
    for &op in input.ops.iter().take(MAX_OPS) {
        let applied = lockstep.apply(op);
        summary.record(&applied, &delays);
    }
    summary
}

/// Inputs for proptest: mostly valid nets with forwarding-heavy scripts and 0..=48 calls,
/// one in ten with a sabotage.
pub fn strategy() -> impl Strategy<Value = NetOpsInput> {
    let damage = prop_oneof![
        9 => Just(Damage::none()),
        1 => (strategy::sabotage(), any::<u8>()).prop_map(|(s, t)| Damage::of(s, t)),
    ];
    (
        strategy::net_draft(),
        damage,
        strategy::script(),
        proptest::collection::vec(strategy::op(), 0..=48),
    )
        .prop_map(|(net, damage, script, ops)| NetOpsInput {
            net,
            damage,
            script,
            ops,
        })
}

/// What a seed corpus for `net_ops` should show, one file per category: firings,
/// rollbacks, error places, timed transitions, full places, clock regressions, the end
/// of time, exhausted budgets and a rejected net.
pub const SEED_CATEGORIES: &[crate::fuzz::corpus::SeedCategory<Summary>] = &[
    ("fires", |s| s.fired >= 3),
    ("rolls_back", |s| s.rolled_back >= 1),
    ("error_place", |s| s.to_error_place >= 1),
    ("timed", |s| s.timed >= 1),
    ("full_place", |s| s.refused_full >= 1),
    ("clock_regression", |s| s.regressions >= 1),
    ("end_of_time", |s| s.latest == u64::MAX),
    ("budget_exhausted", |s| s.exhausted >= 1),
    ("rejected_net", |s| s.rejected),
];

//! The engine breaker and the reference breaker driven by the same calls and compared
//! after each one.

use mycel::breaker::{BreakerConfig, ConfigError};

use super::driver::{EngineBreaker, ReferenceBreaker};
use super::invariants::{CallRecord, assert_call_invariants, assert_stale_outcomes_change_nothing};
use super::observed::Applied;
use super::ops::BreakerOp;
use super::snapshot::BreakerSnapshot;

/// Asserts that the engine and the reference did the same on one call and ended in the
/// same state: same resolved call (so the same latest instant and permits held before
/// it), same answer (permit fields, rejection reason and retry instant, record result),
/// same state changes (states, cause, instant), and the same snapshot (state,
/// generation, outstanding probes, every counter, both rates, next deadline, last
/// change).
///
/// # Panics
/// On the first difference, naming it.
pub fn assert_agree(
    step: usize,
    engine: (&Applied, &BreakerSnapshot),
    reference: (&Applied, &BreakerSnapshot),
) {
    let (ea, es) = engine;
    let (ra, rs) = reference;
    assert_eq!(
        ea.call, ra.call,
        "op {step}: the call resolved differently (latest instants or permits held differ)"
    );
    assert_eq!(
        ea.answer, ra.answer,
        "op {step}: {:?} answered differently",
        ea.call
    );
    assert_eq!(
        ea.changes, ra.changes,
        "op {step}: {:?} made different state changes",
        ea.call
    );
    assert_eq!(es, rs, "op {step}: {:?} left different states", ea.call);
}

/// An engine breaker and a reference breaker built from one configuration, stepped
/// together.
#[derive(Debug, Clone)]
pub struct BreakerLockstep {
    config: BreakerConfig,
    engine: EngineBreaker,
    reference: ReferenceBreaker,
    state: BreakerSnapshot,
    steps: usize,
}

impl BreakerLockstep {
    /// Pairs a fresh engine breaker and reference breaker for `config` and checks that
    /// they start out equal.
    ///
    /// # Errors
    /// The engine's [`ConfigError`] for an invalid `config`.
    ///
    /// # Panics
    /// When the two start out different.
    pub fn new(config: BreakerConfig) -> Result<Self, ConfigError> {
        let engine = EngineBreaker::new(config)?;
        let reference = ReferenceBreaker::new(&config);
        let state = engine.snapshot();
        assert_eq!(
            state,
            reference.snapshot(),
            "the breakers start out different"
        );
        Ok(Self {
            config,
            engine,
            reference,
            state,
            steps: 0,
        })
    }

    /// The configuration both breakers were built from.
    #[must_use]
    pub const fn config(&self) -> &BreakerConfig {
        &self.config
    }

    /// The engine side.
    #[must_use]
    pub const fn engine(&self) -> &EngineBreaker {
        &self.engine
    }

    /// The current (common) state.
    #[must_use]
    pub const fn state(&self) -> &BreakerSnapshot {
        &self.state
    }

    /// Applies `op` to both breakers, asserts that they agree ([`assert_agree`]) and
    /// that the engine keeps every invariant ([`super::invariants`]), and returns what
    /// the reference did.
    ///
    /// # Panics
    /// On any disagreement or broken invariant.
    pub fn apply(&mut self, op: BreakerOp) -> Applied {
        let before = self.engine.clone();
        let call = self.engine.resolve(op);
        let ea = self.engine.apply_call(call);
        let ra = self.reference.apply(op);
        let es = self.engine.snapshot();
        let rs = self.reference.snapshot();
        assert_agree(self.steps, (&ea, &es), (&ra, &rs));
        let record = CallRecord {
            config: &self.config,
            before: &self.state,
            last_used: before.last_used(),
            applied: &ea,
            after: &es,
            caller: self.engine.entry(),
        };
        assert_call_invariants(&record);
        assert_stale_outcomes_change_nothing(&before, &record);
        assert_eq!(
            self.engine.breaker().last_seen().as_ticks(),
            self.engine.last_used(),
            "op {}: the breaker's latest instant is not the latest one passed",
            self.steps
        );
        self.state = es;
        self.steps += 1;
        ra
    }
}

//! The engine and the reference driven by the same calls and compared after each one.

use crate::reference::net::NetSpec;

use super::driver::{Applied, EngineDriver, RefDriver};
use super::invariants::{assert_monotone, assert_state_invariants};
use super::ops::Op;
use super::snapshot::Snapshot;

/// Asserts that the engine and the reference did the same on one call and ended in the
/// same state: same resolved call (so the same last instant before it), same result
/// (error kinds and handed-back tokens included), same firing attempts with the same
/// consumed tokens, same events, and the same snapshot (marking token by token,
/// counters, high-water marks, enabled transitions, last instant, deadline).
///
/// # Panics
/// On the first difference, naming it.
pub fn assert_agree(step: usize, engine: (&Applied, &Snapshot), reference: (&Applied, &Snapshot)) {
    let (ea, es) = engine;
    let (ra, rs) = reference;
    assert_eq!(
        ea.call, ra.call,
        "op {step}: the call resolved differently (the last instants seen differ)"
    );
    assert_eq!(
        ea.outcome, ra.outcome,
        "op {step}: {:?} returned differently",
        ea.call
    );
    assert_eq!(
        ea.attempts, ra.attempts,
        "op {step}: {:?} made different firing attempts",
        ea.call
    );
    assert_eq!(
        ea.events, ra.events,
        "op {step}: {:?} reported different events",
        ea.call
    );
    assert_eq!(es, rs, "op {step}: {:?} left different states", ea.call);
}

/// An engine and a reference built from one spec and script, stepped together.
#[derive(Debug)]
pub struct Lockstep {
    engine: EngineDriver,
    reference: RefDriver,
    state: Snapshot,
    steps: usize,
}

impl Lockstep {
    /// Pairs two freshly built nets and checks that they start out equal.
    ///
    /// # Panics
    /// When their initial states differ or break an invariant.
    #[must_use]
    pub fn new(engine: EngineDriver, reference: RefDriver) -> Self {
        let state = engine.snapshot();
        assert_eq!(state, reference.snapshot(), "the nets start out different");
        assert_state_invariants(engine.spec(), &state);
        Self {
            engine,
            reference,
            state,
            steps: 0,
        }
    }

    /// The definition both nets were built from.
    #[must_use]
    pub fn spec(&self) -> &NetSpec<u32> {
        self.engine.spec()
    }

    /// The engine side.
    #[must_use]
    pub fn engine(&self) -> &EngineDriver {
        &self.engine
    }

    /// The current (common) state.
    #[must_use]
    pub fn state(&self) -> &Snapshot {
        &self.state
    }

    /// Applies `op` to both nets, asserts they agree ([`assert_agree`]) and that the
    /// invariants hold, and returns what the reference did.
    ///
    /// # Panics
    /// On any disagreement or broken invariant.
    pub fn apply(&mut self, op: Op) -> Applied {
        let ea = self.engine.apply(op);
        let ra = self.reference.apply(op);
        let es = self.engine.snapshot();
        let rs = self.reference.snapshot();
        assert_agree(self.steps, (&ea, &es), (&ra, &rs));
        assert_state_invariants(self.engine.spec(), &es);
        assert_monotone(&self.state, &es);
        self.state = es;
        self.steps += 1;
        ra
    }
}

//! Drivers that apply [`BreakerCall`]s to the engine breaker or to the reference
//! breaker, holding the caller's permits, and report the same [`Applied`] record, so
//! suites can run either, or both in lockstep. The engine's driver also keeps a
//! [`Ledger`], the caller's own account of generations, permits and probe slots, which
//! the invariants check the engine's answers against.
//!
//! Both start at instant 0. A permit granted is kept (the oldest is forgotten beyond
//! [`MAX_HELD_PERMITS`]); a record hands back the chosen one and, unless the call
//! keeps it, forgets it. Two drivers fed the same calls that agree on every answer
//! therefore hold matching permits at matching indices.

use crate::reference::breaker::{RefBreaker, RefOutcome, RefPermit, RefRecorded, RefSpeed};
use mycel::breaker::{
    BreakerChanges, BreakerConfig, ConfigError, Outcome, Permit, Recorded, Response, Speed,
};
use mycel::time::Instant;

use super::config::Breaker;
use super::ledger::{Entry, Ledger};
use super::mapping::to_reference;
use super::observed::{Answer, Applied, Change, PermitView};
use super::ops::{BreakerCall, BreakerOp, CallKind, MAX_HELD_PERMITS, Operator};
use super::snapshot::BreakerSnapshot;

/// Adds `permit` to `held`, forgetting the oldest when full.
fn keep<P>(held: &mut Vec<P>, permit: P) {
    if held.len() >= MAX_HELD_PERMITS {
        held.remove(0);
    }
    held.push(permit);
}

/// The permit at `slot`, forgotten unless `kept`.
fn hand_back<P: Copy>(held: &mut Vec<P>, slot: Option<usize>, kept: bool) -> Option<P> {
    let slot = slot.filter(|&s| s < held.len())?;
    Some(if kept { held[slot] } else { held.remove(slot) })
}

/// Puts `permit` back at `slot` after a report the breaker refused as a clock regression:
/// the permit is still outstanding, as if it had never been handed back.
fn still_held<P>(held: &mut Vec<P>, slot: Option<usize>, kept: bool, permit: P) {
    if let (Some(slot), false) = (slot, kept) {
        held.insert(slot.min(held.len()), permit);
    }
}

fn engine_changes(changes: &BreakerChanges) -> Vec<Change> {
    changes.iter().map(Change::of_engine).collect()
}

/// The engine breaker, the permits its caller holds, and the caller's [`Ledger`].
#[derive(Debug, Clone)]
pub struct EngineBreaker {
    breaker: Breaker,
    held: Vec<Permit>,
    last_used: u64,
    ledger: Ledger,
    entry: Entry,
    /// Acquires made so far: every other one goes through `try_acquire_routine` (what
    /// the std wrappers call), so both ways of asking meet the reference.
    acquires: u64,
}

impl EngineBreaker {
    /// A breaker for `config` started at instant 0.
    ///
    /// # Errors
    /// The engine's [`ConfigError`] for an invalid `config`.
    pub fn new(config: BreakerConfig) -> Result<Self, ConfigError> {
        let ledger = Ledger::new();
        let entry = Entry {
            met: ledger.state(),
            stale: None,
            probes_before: 0,
            probes_after: 0,
        };
        Ok(Self {
            breaker: Breaker::new(config, Instant::from_ticks(0))?,
            held: Vec::new(),
            last_used: 0,
            ledger,
            entry,
            acquires: 0,
        })
    }

    /// The breaker.
    #[must_use]
    pub const fn breaker(&self) -> &Breaker {
        &self.breaker
    }

    /// This driver (its held permits, clock and ledger) with `breaker` in place of its
    /// own, e.g. one restored from a snapshot of it.
    #[must_use]
    pub fn with_breaker(mut self, breaker: Breaker) -> Self {
        self.breaker = breaker;
        self
    }

    /// The permits held, oldest first.
    #[must_use]
    pub fn held(&self) -> &[Permit] {
        &self.held
    }

    /// The latest instant passed to the breaker, in ticks.
    #[must_use]
    pub const fn last_used(&self) -> u64 {
        self.last_used
    }

    /// The caller's own account of the breaker, from its answers alone.
    #[must_use]
    pub const fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What the ledger made of the latest call (of nothing, before the first).
    #[must_use]
    pub const fn entry(&self) -> &Entry {
        &self.entry
    }

    /// The observable state now.
    #[must_use]
    pub fn snapshot(&self) -> BreakerSnapshot {
        BreakerSnapshot::of_engine(&self.breaker)
    }

    /// The call `op` stands for now.
    #[must_use]
    pub fn resolve(&self, op: BreakerOp) -> BreakerCall {
        op.resolve(self.last_used, self.held.len())
    }

    /// Resolves and applies `op`.
    pub fn apply(&mut self, op: BreakerOp) -> Applied {
        self.apply_call(self.resolve(op))
    }

    /// Applies `call`.
    pub fn apply_call(&mut self, call: BreakerCall) -> Applied {
        let now = Instant::from_ticks(call.now);
        let (answer, changes) = match call.kind {
            CallKind::Acquire => {
                self.acquires += 1;
                let response = if self.acquires.is_multiple_of(2) {
                    self.breaker
                        .try_acquire_routine(now)
                        .map_or_else(|response| response, |permit| Response::quiet(Ok(permit)))
                } else {
                    self.breaker.try_acquire(now)
                };
                let answer = match response.value {
                    Ok(permit) => {
                        keep(&mut self.held, permit);
                        Answer::Permitted(PermitView::of_engine(&permit))
                    }
                    Err(rejected) => Answer::Rejected {
                        reason: rejected.reason,
                        retry_at: rejected.retry_at.map(|at| at.as_ticks()),
                    },
                };
                (answer, engine_changes(&response.changes))
            }
            CallKind::Record {
                slot,
                outcome,
                speed,
                keep: kept,
            } => match hand_back(&mut self.held, slot, kept) {
                Some(permit) => {
                    let response = self.breaker.record_judged(permit, outcome, speed, now);
                    if matches!(response.value, Recorded::ClockRegression) {
                        still_held(&mut self.held, slot, kept, permit);
                    }
                    (
                        Answer::Recorded(response.value),
                        engine_changes(&response.changes),
                    )
                }
                None => (Answer::NothingToRecord, Vec::new()),
            },
            CallKind::Poll => {
                let result = self.breaker.poll(now);
                let changes = result.as_ref().map(engine_changes).unwrap_or_default();
                (Answer::of_engine_done(&result), changes)
            }
            CallKind::Operator(op) => {
                let result = match op {
                    Operator::ForceOpen => self.breaker.force_open(now),
                    Operator::Disable => self.breaker.disable(now),
                    Operator::MetricsOnly => self.breaker.metrics_only(now),
                    Operator::Reset => self.breaker.reset(now),
                };
                let changes = result.as_ref().map(engine_changes).unwrap_or_default();
                (Answer::of_engine_done(&result), changes)
            }
        };
        if answer != Answer::NothingToRecord {
            self.last_used = self.last_used.max(call.now);
        }
        let applied = Applied {
            call,
            answer,
            changes,
        };
        self.entry = self.ledger.observe(&applied);
        applied
    }
}

fn reference_outcome(outcome: Outcome) -> RefOutcome {
    match outcome {
        Outcome::Success => RefOutcome::Success,
        Outcome::Failure => RefOutcome::Failure,
        Outcome::Ignored => RefOutcome::Ignored,
    }
}

const fn reference_speed(speed: Speed) -> RefSpeed {
    match speed {
        Speed::Timed => RefSpeed::Timed,
        Speed::Slow => RefSpeed::Slow,
        Speed::NotSlow => RefSpeed::NotSlow,
    }
}

/// The reference breaker and the permits its caller holds.
#[derive(Debug, Clone)]
pub struct ReferenceBreaker {
    breaker: RefBreaker,
    held: Vec<RefPermit>,
    last_used: u64,
}

impl ReferenceBreaker {
    /// A reference breaker for the engine configuration `config`, started at instant 0.
    #[must_use]
    pub fn new(config: &BreakerConfig) -> Self {
        Self {
            breaker: RefBreaker::new(to_reference(config), 0),
            held: Vec::new(),
            last_used: 0,
        }
    }

    /// The breaker.
    #[must_use]
    pub const fn breaker(&self) -> &RefBreaker {
        &self.breaker
    }

    /// The observable state now.
    #[must_use]
    pub fn snapshot(&self) -> BreakerSnapshot {
        BreakerSnapshot::of_reference(&self.breaker)
    }

    /// The call `op` stands for now.
    #[must_use]
    pub fn resolve(&self, op: BreakerOp) -> BreakerCall {
        op.resolve(self.last_used, self.held.len())
    }

    /// Resolves and applies `op`.
    pub fn apply(&mut self, op: BreakerOp) -> Applied {
        self.apply_call(self.resolve(op))
    }

    /// Applies `call`.
    pub fn apply_call(&mut self, call: BreakerCall) -> Applied {
        let now = call.now;
        let before = self.breaker.changes().len();
        let answer = match call.kind {
            CallKind::Acquire => match self.breaker.try_acquire(now) {
                Ok(permit) => {
                    keep(&mut self.held, permit);
                    Answer::Permitted(PermitView::of_reference(&permit))
                }
                Err(rejected) => Answer::of_reference_rejection(&rejected),
            },
            CallKind::Record {
                slot,
                outcome,
                speed,
                keep: kept,
            } => match hand_back(&mut self.held, slot, kept) {
                Some(permit) => {
                    let recorded = self.breaker.record_judged(
                        permit,
                        reference_outcome(outcome),
                        reference_speed(speed),
                        now,
                    );
                    if matches!(recorded, RefRecorded::ClockRegression(_)) {
                        still_held(&mut self.held, slot, kept, permit);
                    }
                    Answer::of_reference_record(recorded)
                }
                None => Answer::NothingToRecord,
            },
            CallKind::Poll => Answer::of_reference_done(self.breaker.poll(now)),
            CallKind::Operator(op) => Answer::of_reference_done(match op {
                Operator::ForceOpen => self.breaker.force_open(now),
                Operator::Disable => self.breaker.disable(now),
                Operator::MetricsOnly => self.breaker.metrics_only(now),
                Operator::Reset => self.breaker.reset(now),
            }),
        };
        if answer != Answer::NothingToRecord {
            self.last_used = self.last_used.max(call.now);
        }
        let changes = self.breaker.changes()[before..]
            .iter()
            .map(Change::of_reference)
            .collect();
        Applied {
            call,
            answer,
            changes,
        }
    }
}

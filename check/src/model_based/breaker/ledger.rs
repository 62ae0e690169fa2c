//! What a caller knows about the breaker from the breaker's answers alone, with no
//! reading of its state: the [`Ledger`].
//!
//! The ledger follows the state and counts generations from the state changes each call
//! reports (+1 per change, +1 for a reset that changed no state: the rule every permit's
//! staleness rests on), files each permit it is handed under the generation in force when
//! it was granted, and counts the half-open probe slots it has taken in the current
//! HALF_OPEN episode. The invariants hold the engine's answers against it, so an engine
//! whose own counters or generation checks are wrong cannot vouch for itself.

use mycel::breaker::{BreakerStateKind, Reason};

use super::observed::{Answer, Applied, Change};
use super::ops::{CallKind, MAX_HELD_PERMITS, Operator};

/// What the ledger made of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The state the call's own part met, once whatever was due had happened.
    pub met: BreakerStateKind,
    /// For a record that reached the breaker: whether its permit was granted in an
    /// earlier generation than the one in force when the outcome arrived (after the due
    /// changes of the same call).
    pub stale: Option<bool>,
    /// Probe slots taken in the current HALF_OPEN episode when the call's own part began.
    pub probes_before: u32,
    /// Probe slots taken after the call (0 outside HALF_OPEN).
    pub probes_after: u32,
}

/// The caller's own account of one breaker (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    state: BreakerStateKind,
    generation: u64,
    /// The generation each held permit was granted in, in the drivers' order (so the
    /// same slot names the same permit).
    held: Vec<u64>,
    /// Probe permits granted in the current HALF_OPEN episode, less the outcomes of this
    /// episode's permits reported since: every report frees one slot, a permit reported
    /// twice frees two, as the breaker's rules say.
    probes: u32,
}

impl Default for Ledger {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `change` is one a call applies before its own part (a due deadline).
const fn due(change: &Change) -> bool {
    matches!(change.reason, Reason::Timeout | Reason::MaxWait)
}

impl Ledger {
    /// The account of a breaker just built: CLOSED, generation 0, nothing held.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            state: BreakerStateKind::Closed,
            generation: 0,
            held: Vec::new(),
            probes: 0,
        }
    }

    /// The state, as followed from the reported changes.
    #[must_use]
    pub const fn state(&self) -> BreakerStateKind {
        self.state
    }

    /// The generation, as counted from the reported changes and resets.
    #[must_use]
    pub const fn generation(&self) -> u64 {
        self.generation
    }

    /// Probe slots taken in the current HALF_OPEN episode (0 outside HALF_OPEN).
    #[must_use]
    pub const fn probes(&self) -> u32 {
        self.probes
    }

    /// Leaving a state: every permit held becomes stale, every probe slot is free.
    fn moves_on(&mut self) {
        self.generation += 1;
        self.probes = 0;
    }

    fn follow(&mut self, change: &Change) {
        self.moves_on();
        self.state = change.to;
    }

    /// Takes in one call the driver made (`applied`, with the permits held as the
    /// driver's `keep` and `hand_back` hold them) and says what it made of it.
    pub fn observe(&mut self, applied: &Applied) -> Entry {
        // A call refused as a clock regression changed nothing, its permit included.
        if applied.answer == Answer::NothingToRecord || applied.answer.is_clock_regression() {
            return Entry {
                met: self.state,
                stale: None,
                probes_before: self.probes,
                probes_after: self.probes,
            };
        }
        let own = applied
            .changes
            .iter()
            .position(|c| !due(c))
            .unwrap_or(applied.changes.len());
        let (due_first, own_changes) = applied.changes.split_at(own);
        due_first.iter().for_each(|c| self.follow(c));
        let met = self.state;
        let probes_before = self.probes;
        let mut stale = None;
        match applied.call.kind {
            CallKind::Acquire => {
                if matches!(applied.answer, Answer::Permitted(_)) {
                    if self.held.len() >= MAX_HELD_PERMITS {
                        self.held.remove(0);
                    }
                    self.held.push(self.generation);
                    if met == BreakerStateKind::HalfOpen {
                        self.probes += 1;
                    }
                }
            }
            CallKind::Record {
                slot: Some(slot),
                keep,
                ..
            } => {
                let granted_in = if keep {
                    self.held[slot]
                } else {
                    self.held.remove(slot)
                };
                let is_stale = granted_in != self.generation;
                if !is_stale && met == BreakerStateKind::HalfOpen {
                    self.probes = self.probes.saturating_sub(1);
                }
                stale = Some(is_stale);
            }
            CallKind::Operator(Operator::Reset)
                if own_changes.last().is_none_or(|c| c.reason != Reason::Reset) =>
            {
                // A reset while CLOSED changes no state but starts a new generation.
                self.moves_on();
            }
            CallKind::Record { slot: None, .. } | CallKind::Poll | CallKind::Operator(_) => {}
        }
        own_changes.iter().for_each(|c| self.follow(c));
        Entry {
            met,
            stale,
            probes_before,
            probes_after: self.probes,
        }
    }
}

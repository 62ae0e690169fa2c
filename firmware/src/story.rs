//! The five beats of the demo, recorded as the engine task sees them and checked at
//! the end: normal, degradation, open, half-open, recovery.
//!
//! The story is split into eras by the breaker's state changes: era 0 is before the
//! first change, era `n` after the `n`-th. Each step's requests count in the era the
//! step started in.

use crate::backend::Answer;
use crate::breaker::TRIP_AFTER;
use crate::request::Request;
use crate::scenario::{self, LATENESS_BOUND};
use mycel::breaker::{BreakerChange, BreakerState, BreakerStateKind, Reason};
use mycel::fsm::StateChange;
use mycel::time::{self, Instant};

/// The state changes the story has: trip, half-open, reopen, half-open, close.
const CHANGES: usize = 5;

/// The story's state changes, in order: from, to and why.
const EXPECTED: [(BreakerStateKind, BreakerStateKind, Reason); CHANGES] = {
    use BreakerStateKind::{Closed, HalfOpen, Open};
    [
        (Closed, Open, Reason::ConsecutiveFailures),
        (Open, HalfOpen, Reason::Timeout),
        (HalfOpen, Open, Reason::ProbeFailure),
        (Open, HalfOpen, Reason::Timeout),
        (HalfOpen, Closed, Reason::ProbesSucceeded),
    ]
};

/// The beats' names, in order.
const BEATS: [&str; 5] = ["normal", "degradation", "open", "half-open", "recovery"];

/// What happened to the requests in one era.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Answered by the backend with a success.
    pub succeeded: u32,
    /// Answered by the backend with a failure.
    pub failed: u32,
    /// Turned away by the breaker.
    pub rejected: u32,
    /// Refused by validation.
    pub invalid: u32,
}

/// Where a request ended: which count of its era's [`Tally`] it adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// Answered with a success.
    Succeeded,
    /// Answered with a failure.
    Failed,
    /// Turned away by the breaker.
    Rejected,
    /// Refused by validation.
    Invalid,
}

/// One state change of the breaker, with the deadline that goes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    /// The change, typed: kinds and reason are a byte each where the net's
    /// [`StateChange`] carries their names (24 B instead of 56 B, five times over in
    /// the engine task's future).
    change: BreakerChange,
    /// For a change to OPEN, when its open period ends (`opened_at + period`, noted
    /// after the step that made the change); for any other, the deadline its step
    /// slept until, or `None` for a step woken by input.
    deadline: Option<Instant>,
}

/// What the engine task saw, for the five beats.
#[derive(Debug, Default)]
pub struct Story {
    changes: [Option<Change>; CHANGES],
    seen: usize,
    /// One more era than changes: the last is after the breaker closed again.
    eras: [Tally; CHANGES + 1],
    /// The era the current step started in.
    era: usize,
    /// Calls that reached the backend while the breaker was OPEN.
    calls_while_open: u32,
    /// Calls that reached the backend.
    calls: u32,
    /// State changes beyond the five the story has.
    unexpected_changes: u32,
    /// Requests that came out of the pipeline, wherever they ended.
    finished: u32,
}

impl Story {
    /// Starts a step: its requests count in the era of the changes seen so far.
    pub fn start_step(&mut self) {
        self.era = self.seen.min(CHANGES);
    }

    /// Records a state change the net reported during a step that slept until
    /// `slept_until` (or was woken by input, `None`). A change that is not the
    /// breaker's counts as unexpected.
    pub fn changed(&mut self, change: &StateChange, slept_until: Option<Instant>) {
        let change = BreakerChange::from_state_change(change);
        match (change, self.changes.get_mut(self.seen)) {
            (Some(change), Some(slot)) => {
                let deadline = if change.to == BreakerStateKind::Open {
                    None
                } else {
                    slept_until
                };
                *slot = Some(Change { change, deadline });
                self.seen = self.seen.saturating_add(1);
            }
            _ => self.unexpected_changes = self.unexpected_changes.saturating_add(1),
        }
    }

    /// After a step: logs the state changes the step made.
    pub fn log_changes_of_step(&self) {
        let made = self.changes.get(self.era..self.seen).unwrap_or_default();
        for change in made.iter().flatten().map(|c| c.change.to_state_change()) {
            defmt::info!(
                "{=str}#{=u32}: {=str} -> {=str} on {=str} at {=u32} ms",
                change.machine,
                change.instance,
                change.from.name,
                change.to.name,
                change.cause.name,
                scenario::millis(change.at)
            );
        }
    }

    /// After a step: when the latest change opened the breaker, notes when the open
    /// period the breaker chose ends.
    pub fn note_open_period(&mut self, state: BreakerState) {
        let BreakerState::Open { opened_at, period } = state else {
            return;
        };
        let latest = self
            .seen
            .checked_sub(1)
            .and_then(|i| self.changes.get_mut(i));
        if let Some(Some(Change {
            change,
            deadline: deadline @ None,
        })) = latest
            && change.to == BreakerStateKind::Open
        {
            *deadline = Some(time::add(opened_at, period));
        }
    }

    /// Counts a request that `ended` into the tally of the current step's era. One
    /// copy for the four ends (a closure per field compiled it four times), out of line
    /// for the four callers.
    #[inline(never)]
    fn count(&mut self, ended: Ended) {
        if let Some(t) = self.eras.get_mut(self.era) {
            let n = match ended {
                Ended::Succeeded => &mut t.succeeded,
                Ended::Failed => &mut t.failed,
                Ended::Rejected => &mut t.rejected,
                Ended::Invalid => &mut t.invalid,
            };
            *n = n.saturating_add(1);
        }
        self.finished = self.finished.saturating_add(1);
    }

    /// A request the engine sends to the backend, while the breaker is in `state`.
    pub fn called(&mut self, state: BreakerStateKind) {
        self.calls = self.calls.saturating_add(1);
        if state == BreakerStateKind::Open {
            self.calls_while_open = self.calls_while_open.saturating_add(1);
        }
    }

    /// A request that came out of `done` with its answer.
    pub fn served(&mut self, request: &Request) {
        if request.answer == Some(Answer::Success) {
            self.count(Ended::Succeeded);
        } else {
            self.count(Ended::Failed);
        }
    }

    /// A request that came out of `rejected`.
    pub fn rejected(&mut self) {
        self.count(Ended::Rejected);
    }

    /// A request that came out of `invalid`.
    pub fn invalid(&mut self) {
        self.count(Ended::Invalid);
    }

    /// Requests that came out of the pipeline, wherever they ended.
    pub const fn finished(&self) -> u32 {
        self.finished
    }

    /// Calls that reached the backend.
    pub const fn calls(&self) -> u32 {
        self.calls
    }

    /// The `index`-th change, when it is the one the story expects there.
    fn expected(&self, index: usize) -> Option<Change> {
        let (from, to, reason) = *EXPECTED.get(index)?;
        self.changes
            .get(index)
            .copied()
            .flatten()
            .filter(|c| c.change.from == from && c.change.to == to && c.change.reason == reason)
    }

    /// Whether change `ended` (to HALF_OPEN) came in a step woken by the deadline
    /// change `opened` (to OPEN) announced, within the lateness bound; and how long
    /// that open period was.
    fn open_period(&self, opened: usize, ended: usize) -> Option<u64> {
        let (opened, ended) = (self.expected(opened)?, self.expected(ended)?);
        let until = opened.deadline?;
        let on_time = ended.deadline == Some(until)
            && ended.change.at >= until
            && time::since(ended.change.at, until) <= LATENESS_BOUND;
        on_time.then(|| time::since(until, opened.change.at).as_ticks())
    }

    fn era(&self, index: usize) -> Tally {
        self.eras.get(index).copied().unwrap_or_default()
    }

    /// Logs each era's tally, the deadlines of the changes, and each beat, and returns
    /// whether all five happened, given the breaker's `final_state`.
    pub fn check_beats(&self, final_state: BreakerStateKind) -> bool {
        for (i, t) in self.eras.iter().enumerate() {
            defmt::info!(
                "  era {=usize}: {=u32} succeeded, {=u32} failed, {=u32} rejected, {=u32} invalid",
                i,
                t.succeeded,
                t.failed,
                t.rejected,
                t.invalid
            );
        }
        for (i, c) in self.changes.iter().enumerate() {
            if let Some(Change {
                change,
                deadline: Some(deadline),
            }) = c
            {
                defmt::info!(
                    "  change {=usize} at {=u32} ms, deadline {=u32} ms",
                    i,
                    scenario::millis(change.at),
                    scenario::millis(*deadline)
                );
            }
        }
        let (normal, first_open, second_open, after) =
            (self.era(0), self.era(1), self.era(3), self.era(5));
        let first_period = self.open_period(0, 1);
        let second_period = self.open_period(2, 3);
        let beats = [
            normal.succeeded > 0 && normal.rejected == 0,
            self.expected(0).is_some() && normal.failed == TRIP_AFTER,
            first_open.rejected > 0
                && second_open.rejected > 0
                && self.calls_while_open == 0
                && first_open.succeeded == 0
                && first_open.failed == 0,
            first_period.is_some(),
            matches!((first_period, second_period), (Some(a), Some(b)) if b > a)
                && self.expected(4).is_some()
                && self.unexpected_changes == 0
                && final_state == BreakerStateKind::Closed
                && after.succeeded > 0
                && after.failed == 0
                && after.rejected == 0,
        ];
        let mut all = true;
        for (number, (name, &happened)) in (1u8..).zip(BEATS.iter().zip(beats.iter())) {
            if happened {
                defmt::info!("beat {=u8} {=str}: ok", number, name);
            } else {
                defmt::error!("beat {=u8} {=str}: did not happen", number, name);
            }
            all &= happened;
        }
        all
    }
}

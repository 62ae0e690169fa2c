//! The five beats of the demo, recorded as the engine task sees them and checked at
//! the end: normal, degradation, open, half-open, recovery.
//!
//! The story is split into eras by the breaker's state changes: era 0 is before the
//! first change, era `n` after the `n`-th. Each step's requests count in the era the
//! step started in.

use crate::backend::Answer;
use crate::breaker::TRIP_AFTER;
use crate::request::Request;
use crate::scenario::LATENESS_BOUND;
use mycel::breaker::{BreakerChange, BreakerState, BreakerStateKind, Reason};
use mycel::fsm::StateChange;
use mycel::time::{self, Duration, Instant};

/// The state changes the story has: trip, half-open, reopen, half-open, close.
const CHANGES: usize = 5;

/// What happened to the requests in one era.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, defmt::Format)]
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

/// One state change of the breaker, with what the engine knew about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    /// The change, typed: kinds and reason are a byte each where the net's
    /// [`StateChange`] carries their names (24 B instead of 56 B, five times over in
    /// the engine task's future).
    change: BreakerChange,
    /// What the engine knew besides: one of two things, depending on the change.
    context: Context,
}

/// What the beats need to know about a change besides the change itself: for a change
/// to OPEN its open period, for any other the deadline its step slept until. One or
/// the other, so a change keeps 24 B of it rather than 48 B for all three instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A change to OPEN, with the open period the breaker chose (noted after the
    /// step that made the change).
    Opened(Option<OpenPeriod>),
    /// Any other change, with the deadline its step slept until when that step was a
    /// deadline wake-up.
    Other {
        /// The deadline, or `None` for a step woken by input.
        slept_until: Option<Instant>,
    },
}

/// An open period as the breaker chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OpenPeriod {
    /// When it ends: `opened_at + period`.
    until: Instant,
    /// How long it is.
    period: Duration,
}

impl Change {
    /// For a change to OPEN: when the open period ends.
    fn open_until(&self) -> Option<Instant> {
        match self.context {
            Context::Opened(period) => period.map(|p| p.until),
            Context::Other { .. } => None,
        }
    }

    /// For a change to OPEN: how long the open period is.
    fn open_for(&self) -> Option<Duration> {
        match self.context {
            Context::Opened(period) => period.map(|p| p.period),
            Context::Other { .. } => None,
        }
    }

    /// For a change other than to OPEN: the deadline the engine slept until, when the
    /// step that made the change was a deadline wake-up.
    fn slept_until(&self) -> Option<Instant> {
        match self.context {
            Context::Opened(_) => None,
            Context::Other { slept_until } => slept_until,
        }
    }
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
}

impl Story {
    /// Starts a step: its requests count in the era of the changes seen so far.
    pub fn start_step(&mut self) {
        self.era = self.seen.min(CHANGES);
    }

    /// Records a state change the net reported during a step that slept until
    /// `slept_until` (or was woken by input, `None`). A change that is not the
    /// breaker's counts as unexpected.
    pub fn changed(&mut self, change: StateChange, slept_until: Option<Instant>) {
        let change = BreakerChange::from_state_change(&change);
        match (change, self.changes.get_mut(self.seen)) {
            (Some(change), Some(slot)) => {
                let context = if change.to == BreakerStateKind::Open {
                    Context::Opened(None)
                } else {
                    Context::Other { slept_until }
                };
                *slot = Some(Change { change, context });
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
                "{=str}#{=u32}: {=str} -> {=str} on {=str} at {=u64} ms",
                change.machine,
                change.instance,
                change.from.name,
                change.to.name,
                change.cause.name,
                change.at.as_millis()
            );
        }
    }

    /// After a step: when the latest change opened the breaker, notes the open period
    /// the breaker chose.
    pub fn note_open_period(&mut self, state: BreakerState) {
        let BreakerState::Open { opened_at, period } = state else {
            return;
        };
        let latest = self
            .seen
            .checked_sub(1)
            .and_then(|i| self.changes.get_mut(i));
        if let Some(Some(Change {
            context: context @ Context::Opened(None),
            ..
        })) = latest
        {
            *context = Context::Opened(Some(OpenPeriod {
                until: time::add(opened_at, period),
                period,
            }));
        }
    }

    /// Counts into the tally of the current step's era.
    fn count(&mut self, counter: impl FnOnce(&mut Tally) -> &mut u32) {
        if let Some(tally) = self.eras.get_mut(self.era) {
            let n = counter(tally);
            *n = n.saturating_add(1);
        }
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
            self.count(|t| &mut t.succeeded);
        } else {
            self.count(|t| &mut t.failed);
        }
    }

    /// A request that came out of `rejected`.
    pub fn rejected(&mut self) {
        self.count(|t| &mut t.rejected);
    }

    /// A request that came out of `invalid`.
    pub fn invalid(&mut self) {
        self.count(|t| &mut t.invalid);
    }

    /// Requests that came out of the pipeline, wherever they ended.
    pub fn finished(&self) -> u32 {
        self.eras.iter().fold(0, |sum, t| {
            sum.saturating_add(t.succeeded)
                .saturating_add(t.failed)
                .saturating_add(t.rejected)
                .saturating_add(t.invalid)
        })
    }

    /// Calls that reached the backend.
    pub const fn calls(&self) -> u32 {
        self.calls
    }

    fn change(
        &self,
        index: usize,
        from: BreakerStateKind,
        to: BreakerStateKind,
        reason: Reason,
    ) -> Option<Change> {
        self.changes
            .get(index)
            .copied()
            .flatten()
            .filter(|c| c.change.from == from && c.change.to == to && c.change.reason == reason)
    }

    fn era(&self, index: usize) -> Tally {
        self.eras.get(index).copied().unwrap_or_default()
    }

    /// Logs each beat with what shows it, and returns whether all five happened,
    /// given the breaker's `final_state`.
    pub fn check_beats(&self, final_state: BreakerStateKind) -> bool {
        use BreakerStateKind::{Closed, HalfOpen, Open};
        let normal = self.era(0);
        let tripped = self.change(0, Closed, Open, Reason::ConsecutiveFailures);
        let first_open = self.era(1);
        let half_open = self.change(1, Open, HalfOpen, Reason::Timeout);
        let reopened = self.change(2, HalfOpen, Open, Reason::ProbeFailure);
        let half_open_again = self.change(3, Open, HalfOpen, Reason::Timeout);
        let closed = self.change(4, HalfOpen, Closed, Reason::ProbesSucceeded);
        let second_open = self.era(3);
        let after = self.era(5);

        let beat1 = normal.succeeded > 0 && normal.rejected == 0;
        beat(1, "normal", beat1);
        defmt::info!(
            "  CLOSED until the trip: {=u32} succeeded, {=u32} failed, {=u32} invalid, {=u32} rejected",
            normal.succeeded,
            normal.failed,
            normal.invalid,
            normal.rejected
        );

        let beat2 = tripped.is_some() && normal.failed == TRIP_AFTER;
        beat(2, "degradation", beat2);
        if let Some(c) = tripped {
            defmt::info!(
                "  {=u32} failures in a row, CLOSED -> OPEN at {=u64} ms for {=u64} ms",
                normal.failed,
                c.change.at.as_millis(),
                c.open_for().map_or(0, |d| d.as_millis())
            );
        }

        let beat3 = first_open.rejected > 0
            && second_open.rejected > 0
            && self.calls_while_open == 0
            && first_open.succeeded == 0
            && first_open.failed == 0;
        beat(3, "open", beat3);
        defmt::info!(
            "  {=u32} rejected in the first opening, {=u32} in the second, backend calls while OPEN {=u32}",
            first_open.rejected,
            second_open.rejected,
            self.calls_while_open
        );

        let on_time = |opened: Option<Change>, ended: Option<Change>| match (opened, ended) {
            (Some(opened), Some(ended)) => {
                opened.open_until().is_some()
                    && ended.slept_until() == opened.open_until()
                    && opened.open_until().is_some_and(|until| {
                        ended.change.at >= until
                            && time::since(ended.change.at, until) <= LATENESS_BOUND
                    })
            }
            _ => false,
        };
        let beat4 = on_time(tripped, half_open);
        beat(4, "half-open", beat4);
        if let (Some(opened), Some(ended)) = (tripped, half_open) {
            defmt::info!(
                "  the engine slept until next_deadline() = {=u64} ms; OPEN -> HALF_OPEN at {=u64} ms",
                opened.open_until().map_or(0, |at| at.as_millis()),
                ended.change.at.as_millis()
            );
        }

        let longer = match (
            tripped.and_then(|c| c.open_for()),
            reopened.and_then(|c| c.open_for()),
        ) {
            (Some(first), Some(second)) => second > first,
            _ => false,
        };
        let beat5 = longer
            && on_time(reopened, half_open_again)
            && closed.is_some()
            && self.unexpected_changes == 0
            && final_state == Closed
            && after.succeeded > 0
            && after.failed == 0
            && after.rejected == 0;
        beat(5, "recovery", beat5);
        if let (Some(reopen), Some(close)) = (reopened, closed) {
            defmt::info!(
                "  probe failed: HALF_OPEN -> OPEN at {=u64} ms for {=u64} ms; HALF_OPEN at {=u64} ms; CLOSED at {=u64} ms; then {=u32} succeeded",
                reopen.change.at.as_millis(),
                reopen.open_for().map_or(0, |d| d.as_millis()),
                half_open_again.map_or(0, |c| c.change.at.as_millis()),
                close.change.at.as_millis(),
                after.succeeded
            );
        }
        beat1 && beat2 && beat3 && beat4 && beat5
    }
}

fn beat(number: u8, name: &str, happened: bool) {
    if happened {
        defmt::info!("beat {=u8} {=str}: ok", number, name);
    } else {
        defmt::error!("beat {=u8} {=str}: did not happen", number, name);
    }
}

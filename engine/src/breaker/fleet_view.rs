//! [`FleetView`]: one instance's copy of a fleet's shared breaker, which exports its own
//! counters and merges remote views deterministically.

use super::fleet_counts::{FleetCounts, FleetEntry};
use super::fleet_error::FleetError;
use super::fleet_state::{FleetPhase, FleetState};
use super::rate::reaches;
use super::{BreakerConfig, BreakerStateKind, CloseRule, Outcome, Reason, WindowCounts};
use crate::time::Duration;

/// A state change an instance proposes to the fleet: applied by compare-and-set, only
/// if the fleet is still at `expected_epoch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FleetProposal {
    /// The epoch the proposal was decided from.
    pub expected_epoch: u64,
    /// The state to move to (at `expected_epoch + 1`).
    pub next: FleetState,
    /// Why.
    pub reason: Reason,
}

/// The fleet's answer to "may this instance make a call now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FleetAdmission {
    /// CLOSED: the call may go.
    Call,
    /// HALF_OPEN with room for a probe: the call goes as one of the fleet's probes
    /// (already counted as issued by this instance).
    Probe,
    /// OPEN, or HALF_OPEN with every probe of the fleet outstanding.
    Rejected {
        /// When the fleet will admit probes again (store time), while OPEN.
        retry_at: Option<Duration>,
    },
}

/// Totals over every entry of the epoch (all buckets): the probes' counts in HALF_OPEN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct EpochTotals {
    calls: u64,
    failures: u64,
    slow: u64,
    issued: u64,
    reported: u64,
}

/// One instance's copy of the fleet's shared breaker for one backend: the shared
/// [`FleetState`] and, for its epoch, up to `S` per-instance counter entries.
///
/// The views form a join semilattice: [`merge`](Self::merge) keeps the view of the
/// higher epoch, and at an equal epoch merges the states (maximum under their order)
/// and the counters (maximum per entry and field). Merging is commutative, associative
/// and idempotent, and a stale view (one this view has already merged, or an older
/// one) changes nothing. Time is store time, a [`Duration`] since the store's clock
/// origin. See `docs/distributed.md` for the semantics.
///
/// Only the window counts and the state are shared: trip on the time window
/// ([`BreakerConfig::time_window`]) and the slow-call rate over it; the count window
/// and consecutive failures depend on an order of calls the fleet does not have, so
/// they stay with each instance's local breaker.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FleetView<const S: usize> {
    state: FleetState,
    counts: FleetCounts<S>,
}

impl<const S: usize> FleetView<S> {
    /// A fresh fleet: CLOSED at epoch 0, no counts.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            state: FleetState::INITIAL,
            counts: FleetCounts::new(),
        }
    }

    /// A view read from elsewhere (a store), checked entry by entry.
    ///
    /// # Errors
    /// [`FleetError::Oversized`] for more than `S` entries,
    /// [`FleetError::DuplicateEntry`] for two entries with one instance and bucket,
    /// [`FleetError::ImpossibleCounts`] for an entry with more failed or slow calls
    /// than calls, [`FleetError::ImpossibleState`] for a zero open period.
    pub fn from_parts(state: FleetState, entries: &[FleetEntry]) -> Result<Self, FleetError> {
        if entries.len() > S {
            return Err(FleetError::Oversized);
        }
        if !state.is_possible() {
            return Err(FleetError::ImpossibleState);
        }
        let mut counts = FleetCounts::new();
        for entry in entries {
            if !entry.is_possible() {
                return Err(FleetError::ImpossibleCounts);
            }
            let duplicate = counts
                .entries()
                .iter()
                .any(|e| e.instance == entry.instance && e.bucket == entry.bucket);
            if duplicate {
                return Err(FleetError::DuplicateEntry);
            }
            counts.merge_entry(entry);
        }
        Ok(Self { state, counts })
    }

    /// The shared state.
    #[must_use]
    pub const fn state(&self) -> &FleetState {
        &self.state
    }

    /// The shared state's kind.
    #[must_use]
    pub const fn kind(&self) -> BreakerStateKind {
        self.state.phase.kind()
    }

    /// Every entry of the epoch, newest bucket first.
    #[must_use]
    pub fn entries(&self) -> &[FleetEntry] {
        self.counts.entries()
    }

    /// The export: the entries `instance` owns (what it pushes to the store).
    pub fn own_entries(&self, instance: u32) -> impl Iterator<Item = &FleetEntry> {
        self.counts.of_instance(instance)
    }

    /// Merges a remote view; whether this view changed. A view of a lower epoch, or
    /// one whose counts this view already holds, changes nothing.
    pub fn merge(&mut self, other: &Self) -> bool {
        if other.state.epoch > self.state.epoch {
            self.state = other.state;
            self.counts = other.counts.clone();
            return true;
        }
        if other.state.epoch < self.state.epoch {
            return false;
        }
        let state = self.state.merge(&other.state);
        let counts = self.counts.merge(&other.counts);
        state || counts
    }

    /// Merges one remote entry of `epoch`; whether this view changed. An entry of an
    /// older epoch is stale and ignored; one of a newer epoch is ignored too, since its
    /// state must be merged first.
    pub fn merge_entry(&mut self, epoch: u64, entry: &FleetEntry) -> bool {
        epoch == self.state.epoch && entry.is_possible() && self.counts.merge_entry(entry)
    }

    /// The bucket of store time `now`: `floor(now / bucket_width)`, 0 without a time
    /// window.
    #[must_use]
    pub fn bucket_of(config: &BreakerConfig, now: Duration) -> u64 {
        config.time_window.map_or(0, |tw| {
            now.as_ticks()
                .checked_div(tw.bucket_width.as_ticks())
                .unwrap_or(0)
        })
    }

    /// Whether `instance` may make a call at store time `now`, by the shared state
    /// alone (call [`evaluate`](Self::evaluate) first, so an ended open period has
    /// become HALF_OPEN). A probe is counted as issued by `instance`.
    pub fn admit(
        &mut self,
        instance: u32,
        config: &BreakerConfig,
        now: Duration,
    ) -> FleetAdmission {
        match self.state.phase {
            FleetPhase::Closed => FleetAdmission::Call,
            FleetPhase::Open { opened_at, period } => FleetAdmission::Rejected {
                retry_at: Some(Duration::from_ticks(
                    opened_at.as_ticks().saturating_add(period.as_ticks()),
                )),
            },
            FleetPhase::HalfOpen { .. } => {
                let totals = self.totals();
                let outstanding = totals.issued.saturating_sub(totals.reported);
                if outstanding >= u64::from(config.half_open.max_permits) {
                    return FleetAdmission::Rejected { retry_at: None };
                }
                let bucket = Self::bucket_of(config, now);
                match self.counts.entry_mut(instance, bucket) {
                    Some(entry) => {
                        entry.probes_issued = entry.probes_issued.saturating_add(1);
                        FleetAdmission::Probe
                    }
                    // No room to count it: refuse rather than let an uncounted probe go.
                    None => FleetAdmission::Rejected { retry_at: None },
                }
            }
        }
    }

    /// Counts, for `instance`, the outcome of a call admitted by [`admit`](Self::admit)
    /// and reported at store time `now` (`probe` if it was admitted as one, `slow` if
    /// it was slow). Ignored outcomes count only as a reported probe. Whether it was
    /// kept: `false` only when the view is full of newer entries (size `S` for at least
    /// `instances * buckets`).
    pub fn record(
        &mut self,
        instance: u32,
        config: &BreakerConfig,
        now: Duration,
        probe: bool,
        outcome: Outcome,
        slow: bool,
    ) -> bool {
        let bucket = Self::bucket_of(config, now);
        let Some(entry) = self.counts.entry_mut(instance, bucket) else {
            return false;
        };
        if probe {
            entry.probes_reported = entry.probes_reported.saturating_add(1);
        }
        let failed = match outcome {
            Outcome::Success => false,
            Outcome::Failure => true,
            Outcome::Ignored => return true,
        };
        entry.calls = entry.calls.saturating_add(1);
        if failed {
            entry.failures = entry.failures.saturating_add(1);
        }
        if slow && config.slow_calls.is_some() {
            entry.slow = entry.slow.saturating_add(1);
        }
        true
    }

    /// The fleet window at store time `now`: the entries whose bucket is among the
    /// time window's last `buckets` (every entry of the epoch without a time window).
    #[must_use]
    pub fn window(&self, config: &BreakerConfig, now: Duration) -> WindowCounts {
        let head = Self::bucket_of(config, now);
        let span = config
            .time_window
            .map_or(u64::MAX, |tw| u64::from(tw.buckets));
        let oldest = head.saturating_sub(span.saturating_sub(1));
        let mut w = WindowCounts::default();
        for e in self.counts.entries() {
            if config.time_window.is_some() && (e.bucket < oldest || e.bucket > head) {
                continue;
            }
            w.buffered = w.buffered.saturating_add(u64::from(e.calls));
            w.failed = w.failed.saturating_add(u64::from(e.failures));
            w.slow = w.slow.saturating_add(u64::from(e.slow));
        }
        w.successful = w.buffered.saturating_sub(w.failed);
        w
    }

    fn totals(&self) -> EpochTotals {
        let mut t = EpochTotals::default();
        for e in self.counts.entries() {
            t.calls = t.calls.saturating_add(u64::from(e.calls));
            t.failures = t.failures.saturating_add(u64::from(e.failures));
            t.slow = t.slow.saturating_add(u64::from(e.slow));
            t.issued = t.issued.saturating_add(u64::from(e.probes_issued));
            t.reported = t.reported.saturating_add(u64::from(e.probes_reported));
        }
        t
    }

    /// Probe permits of the fleet issued and not yet reported, in this epoch.
    #[must_use]
    pub fn outstanding_probes(&self) -> u64 {
        let t = self.totals();
        t.issued.saturating_sub(t.reported)
    }

    /// The state change time alone calls for at store time `now`, if any: OPEN becomes
    /// HALF_OPEN when its period has ended; HALF_OPEN reopens when a probe is still
    /// outstanding `max_wait` after it began. Call it before [`admit`](Self::admit).
    #[must_use]
    pub fn due(&self, config: &BreakerConfig, now: Duration) -> Option<FleetProposal> {
        self.decide(config, now, false)
    }

    /// The state change the fleet's view calls for at store time `now` after new
    /// outcomes (recorded here or merged from the store), if any: what
    /// [`due`](Self::due) finds, and also CLOSED tripping on the fleet window's failure
    /// or slow-call rate, and HALF_OPEN closing or reopening by its close rule on the
    /// epoch's probes. As in the engine's breaker, the trip checks run on counted
    /// outcomes (successes and failures): call this after one, and [`due`](Self::due)
    /// otherwise; time passing alone (old successes leaving the window) never trips.
    #[must_use]
    pub fn evaluate(&self, config: &BreakerConfig, now: Duration) -> Option<FleetProposal> {
        self.decide(config, now, true)
    }

    /// A proposal to open the fleet at store time `now` because this instance's local
    /// breaker opened for `reason` (a policy the fleet does not share: consecutive
    /// failures, the count window); `None` unless the fleet is CLOSED.
    #[must_use]
    pub fn propose_open(
        &self,
        config: &BreakerConfig,
        now: Duration,
        reason: Reason,
    ) -> Option<FleetProposal> {
        if self.state.phase != FleetPhase::Closed {
            return None;
        }
        Some(FleetProposal {
            expected_epoch: self.state.epoch,
            next: FleetState {
                epoch: self.state.epoch.checked_add(1)?,
                phase: FleetPhase::Open {
                    opened_at: now,
                    period: next_period(config, 0, Duration::from_ticks(0)),
                },
                openings: 1,
            },
            reason,
        })
    }

    fn decide(
        &self,
        config: &BreakerConfig,
        now: Duration,
        outcomes: bool,
    ) -> Option<FleetProposal> {
        let epoch = self.state.epoch;
        let (phase, openings, reason) = match self.state.phase {
            FleetPhase::Closed => {
                if !outcomes {
                    return None;
                }
                let reason = self.trip_reason(config, now)?;
                let period = next_period(config, 0, Duration::from_ticks(0));
                (
                    FleetPhase::Open {
                        opened_at: now,
                        period,
                    },
                    1,
                    reason,
                )
            }
            FleetPhase::Open { opened_at, period } => {
                let end = opened_at.as_ticks().saturating_add(period.as_ticks());
                if now.as_ticks() < end {
                    return None;
                }
                let phase = FleetPhase::HalfOpen {
                    since: now,
                    last_period: period,
                };
                (phase, self.state.openings, Reason::Timeout)
            }
            FleetPhase::HalfOpen { since, last_period } => {
                let (closes, reason) = self.probe_verdict(config, now, since, outcomes)?;
                if closes {
                    (FleetPhase::Closed, 0, reason)
                } else {
                    let openings = self.state.openings.saturating_add(1);
                    let period = next_period(config, self.state.openings, last_period);
                    (
                        FleetPhase::Open {
                            opened_at: now,
                            period,
                        },
                        openings,
                        reason,
                    )
                }
            }
        };
        Some(FleetProposal {
            expected_epoch: epoch,
            next: FleetState {
                epoch: epoch.checked_add(1)?,
                phase,
                openings,
            },
            reason,
        })
    }

    fn trip_reason(&self, config: &BreakerConfig, now: Duration) -> Option<Reason> {
        let tw = config.time_window?;
        let w = self.window(config, now);
        let minimum = u64::from(tw.minimum_calls);
        if reaches(w.failed, w.buffered, minimum, tw.failure_rate_percent) {
            return Some(Reason::FailureRate);
        }
        match config.slow_calls {
            Some(s) if reaches(w.slow, w.buffered, minimum, s.rate_percent) => {
                Some(Reason::SlowCallRate)
            }
            _ => None,
        }
    }

    /// `(closes, reason)` for HALF_OPEN, or `None` while the probes have not decided.
    fn probe_verdict(
        &self,
        config: &BreakerConfig,
        now: Duration,
        since: Duration,
        outcomes: bool,
    ) -> Option<(bool, Reason)> {
        let t = self.totals();
        let verdict = match config.half_open.close {
            _ if !outcomes => None,
            CloseRule::AfterSuccesses(needed) => {
                if t.failures > 0 {
                    Some((false, Reason::ProbeFailure))
                } else if t.calls >= u64::from(needed) {
                    Some((true, Reason::ProbesSucceeded))
                } else {
                    None
                }
            }
            CloseRule::ByRate if t.calls >= u64::from(config.half_open.max_permits) => {
                let failure_threshold = config
                    .count_window
                    .map(|cw| cw.failure_rate_percent)
                    .or(config.time_window.map(|tw| tw.failure_rate_percent));
                let failing = failure_threshold.is_some_and(|p| reaches(t.failures, t.calls, 0, p));
                let slow = config
                    .slow_calls
                    .is_some_and(|s| reaches(t.slow, t.calls, 0, s.rate_percent));
                Some(if failing || slow {
                    (false, Reason::ProbeRate)
                } else {
                    (true, Reason::ProbesHealthy)
                })
            }
            CloseRule::ByRate => None,
        };
        if verdict.is_some() {
            return verdict;
        }
        // Lost probes: reopen, whatever `on_max_wait` says (a fleet has no HALF_OPEN
        // self-transition: the lost probes' counters would stay in the epoch).
        let waited = now.as_ticks().saturating_sub(since.as_ticks());
        match config.half_open.max_wait {
            Some(max) if t.issued > t.reported && waited >= max.as_ticks() => {
                Some((false, Reason::MaxWait))
            }
            _ => None,
        }
    }

    /// Applies `proposal` by compare-and-set on the epoch: a new epoch starts, with the
    /// proposed state and no counts.
    ///
    /// # Errors
    /// [`FleetError::Conflict`] if the view is no longer at the proposal's expected
    /// epoch, [`FleetError::NotNextEpoch`] if the proposed state is not one epoch
    /// ahead of it; nothing changes then.
    pub fn apply(&mut self, proposal: &FleetProposal) -> Result<(), FleetError> {
        if proposal.expected_epoch != self.state.epoch {
            return Err(FleetError::Conflict {
                expected: proposal.expected_epoch,
                found: self.state.epoch,
            });
        }
        if proposal.expected_epoch.checked_add(1) != Some(proposal.next.epoch) {
            return Err(FleetError::NotNextEpoch);
        }
        if !proposal.next.is_possible() {
            return Err(FleetError::ImpossibleState);
        }
        self.state = proposal.next;
        self.counts.clear();
        Ok(())
    }
}

/// The open period of the opening after `openings` in a row, the latest having lasted
/// `last`: the engine's backoff (base, grown by the multiplier, capped), without
/// jitter, so every instance computes the same one. Never zero (the base is not).
fn next_period(config: &BreakerConfig, openings: u32, last: Duration) -> Duration {
    let open = config.open;
    let cap = open.cap.as_ticks();
    let ticks = if openings == 0 {
        open.base.as_ticks().min(cap)
    } else {
        let grown = u128::from(last.as_ticks())
            .saturating_mul(u128::from(open.multiplier_percent))
            .checked_div(100)
            .unwrap_or(u128::MAX);
        u64::try_from(grown).unwrap_or(u64::MAX).min(cap)
    };
    Duration::from_ticks(ticks.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> BreakerConfig {
        BreakerConfig::consecutive(3, Duration::from_ticks(10), 1)
    }

    #[test]
    fn a_local_trip_opens_a_closed_fleet_by_compare_and_set() {
        let mut view: FleetView<4> = FleetView::new();
        let now = Duration::from_ticks(7);
        let p = view
            .propose_open(&config(), now, Reason::ConsecutiveFailures)
            .expect("a closed fleet can be opened");
        let mut other = view.clone();
        view.apply(&p).expect("from the view's own epoch");
        assert_eq!(view.kind(), BreakerStateKind::Open);
        assert_eq!(view.state().epoch, 1);
        assert!(
            view.propose_open(&config(), now, Reason::ConsecutiveFailures)
                .is_none()
        );
        // A second instance that already moved on loses the compare-and-set.
        other.apply(&p).expect("same epoch");
        assert_eq!(
            other.apply(&p),
            Err(FleetError::Conflict {
                expected: 0,
                found: 1
            })
        );
    }

    #[test]
    fn an_ended_open_period_is_due_and_a_stale_view_is_ignored() {
        let mut view: FleetView<4> = FleetView::new();
        let stale = view.clone();
        let p = view
            .propose_open(&config(), Duration::from_ticks(0), Reason::FailureRate)
            .expect("closed");
        view.apply(&p).expect("own epoch");
        assert!(view.due(&config(), Duration::from_ticks(9)).is_none());
        let half = view
            .due(&config(), Duration::from_ticks(10))
            .expect("period over");
        assert_eq!(half.next.phase.kind(), BreakerStateKind::HalfOpen);
        assert!(!view.merge(&stale));
        assert_eq!(view.kind(), BreakerStateKind::Open);
    }

    fn ticks(t: u64) -> Duration {
        Duration::from_ticks(t)
    }

    /// A time window of 3 buckets of 10 ticks, tripping at 50% over at least 2 calls.
    fn windowed() -> BreakerConfig {
        config().with_consecutive_failures(None).with_time_window(
            crate::breaker::TimeWindowPolicy {
                bucket_width: ticks(10),
                buckets: 3,
                failure_rate_percent: 50,
                minimum_calls: 2,
            },
        )
    }

    fn entry(instance: u32, bucket: u64, calls: u32, failures: u32) -> FleetEntry {
        FleetEntry {
            calls,
            failures,
            ..FleetEntry::new(instance, bucket)
        }
    }

    /// A fleet in HALF_OPEN since store time 100, at epoch 2.
    fn half_open() -> FleetView<4> {
        let state = FleetState {
            epoch: 2,
            phase: FleetPhase::HalfOpen {
                since: ticks(100),
                last_period: ticks(10),
            },
            openings: 1,
        };
        FleetView::from_parts(state, &[]).expect("a possible state")
    }

    #[test]
    fn from_parts_accepts_up_to_s_entries_and_refuses_more() {
        let entries: [FleetEntry; 5] = core::array::from_fn(|i| entry(i as u32, 0, 1, 0));
        let one: FleetView<4> = FleetView::from_parts(FleetState::INITIAL, &entries[..1]).unwrap();
        assert_eq!(one.entries(), &entries[..1]);
        let full: FleetView<4> = FleetView::from_parts(FleetState::INITIAL, &entries[..4]).unwrap();
        assert_eq!(full.entries(), &entries[..4]);
        assert_eq!(
            FleetView::<4>::from_parts(FleetState::INITIAL, &entries),
            Err(FleetError::Oversized)
        );
    }

    #[test]
    fn from_parts_refuses_two_entries_only_for_one_instance_and_one_bucket() {
        let distinct = [entry(1, 2, 1, 0), entry(1, 1, 1, 0), entry(2, 1, 1, 0)];
        let view: FleetView<4> = FleetView::from_parts(FleetState::INITIAL, &distinct).unwrap();
        assert_eq!(view.entries(), &distinct);
        assert_eq!(
            FleetView::<4>::from_parts(
                FleetState::INITIAL,
                &[entry(1, 1, 1, 0), entry(1, 1, 2, 0)]
            ),
            Err(FleetError::DuplicateEntry)
        );
        assert_eq!(
            FleetView::<4>::from_parts(FleetState::INITIAL, &[entry(1, 1, 1, 2)]),
            Err(FleetError::ImpossibleCounts)
        );
    }

    #[test]
    fn merging_at_an_equal_epoch_keeps_the_counts_of_both_views() {
        let mut a: FleetView<4> =
            FleetView::from_parts(FleetState::INITIAL, &[entry(1, 0, 2, 1)]).unwrap();
        let b: FleetView<4> =
            FleetView::from_parts(FleetState::INITIAL, &[entry(2, 0, 3, 0)]).unwrap();
        assert!(a.merge(&b));
        assert_eq!(a.entries(), &[entry(1, 0, 2, 1), entry(2, 0, 3, 0)]);
        assert!(!a.merge(&b), "merging the same view again changes nothing");
    }

    #[test]
    fn merging_a_newer_epoch_replaces_the_state_and_the_counts() {
        let mut old: FleetView<4> =
            FleetView::from_parts(FleetState::INITIAL, &[entry(1, 0, 2, 1)]).unwrap();
        let stale = old.clone();
        let newer = half_open();
        assert!(old.merge(&newer));
        assert_eq!(old, newer);
        assert!(
            old.entries().is_empty(),
            "counts of an older epoch are gone"
        );
        assert!(!old.merge(&stale));
        assert_eq!(old, newer);
    }

    #[test]
    fn an_entry_merges_only_into_the_epoch_it_was_counted_in() {
        let mut view: FleetView<4> = FleetView::new();
        let counted = entry(1, 0, 2, 1);
        assert!(
            !view.merge_entry(1, &counted),
            "a newer epoch's entry waits"
        );
        assert!(view.entries().is_empty());
        assert!(view.merge_entry(0, &counted));
        assert_eq!(view.entries(), &[counted]);
        assert!(
            !view.merge_entry(0, &entry(2, 0, 1, 3)),
            "impossible counts"
        );
        assert_eq!(view.entries(), &[counted]);
    }

    #[test]
    fn the_fleet_window_holds_the_last_buckets_up_to_now_and_nothing_later() {
        let entries = [
            entry(1, 6, 100, 0),  // after now: not in the window
            entry(1, 5, 1, 1),    // now's bucket
            entry(1, 3, 2, 0),    // the oldest bucket of the window
            entry(1, 2, 1000, 0), // too old
        ];
        let view: FleetView<4> = FleetView::from_parts(FleetState::INITIAL, &entries).unwrap();
        let w = view.window(&windowed(), ticks(55));
        assert_eq!((w.buffered, w.failed, w.successful), (3, 1, 2));
        // Without a time window every entry of the epoch counts.
        assert_eq!(view.window(&config(), ticks(55)).buffered, 1103);
    }

    #[test]
    fn a_closed_fleet_trips_on_outcomes_and_never_on_time_alone() {
        let view: FleetView<4> =
            FleetView::from_parts(FleetState::INITIAL, &[entry(1, 0, 4, 2)]).unwrap();
        assert_eq!(view.due(&windowed(), ticks(5)), None);
        let trip = view
            .evaluate(&windowed(), ticks(5))
            .expect("50% of 4 calls");
        assert_eq!(trip.reason, Reason::FailureRate);
        assert_eq!(trip.next.phase.kind(), BreakerStateKind::Open);
        assert_eq!(trip.expected_epoch, 0);
    }

    #[test]
    fn half_open_admits_at_most_max_permits_probes_across_the_fleet() {
        let config =
            windowed().with_half_open(crate::breaker::HalfOpenPolicy::after_successes(2, 2));
        let mut view = half_open();
        let now = ticks(101);
        assert_eq!(view.outstanding_probes(), 0);
        assert_eq!(view.admit(1, &config, now), FleetAdmission::Probe);
        assert_eq!(view.admit(2, &config, now), FleetAdmission::Probe);
        assert_eq!(view.outstanding_probes(), 2);
        assert_eq!(
            view.admit(3, &config, now),
            FleetAdmission::Rejected { retry_at: None }
        );
        assert!(view.record(1, &config, now, true, Outcome::Success, false));
        assert_eq!(view.outstanding_probes(), 1);
        assert_eq!(view.admit(3, &config, now), FleetAdmission::Probe);
    }

    #[test]
    fn half_open_after_successes_closes_on_enough_successes_and_reopens_on_a_failure() {
        let config =
            windowed().with_half_open(crate::breaker::HalfOpenPolicy::after_successes(3, 2));
        let now = ticks(101);
        let mut view = half_open();
        for instance in 1..=3 {
            assert_eq!(view.admit(instance, &config, now), FleetAdmission::Probe);
        }
        let mut failing = view.clone();
        view.record(1, &config, now, true, Outcome::Success, false);
        assert_eq!(view.evaluate(&config, now), None, "one success of two");
        view.record(2, &config, now, true, Outcome::Success, false);
        let close = view.evaluate(&config, now).expect("two successes");
        assert_eq!(close.next.phase, FleetPhase::Closed);
        assert_eq!(close.reason, Reason::ProbesSucceeded);

        failing.record(1, &config, now, true, Outcome::Failure, false);
        let reopen = failing.evaluate(&config, now).expect("a failed probe");
        assert_eq!(reopen.next.phase.kind(), BreakerStateKind::Open);
        assert_eq!(reopen.reason, Reason::ProbeFailure);
    }

    #[test]
    fn half_open_by_rate_decides_only_once_max_permits_probes_reported() {
        let config = windowed().with_half_open(crate::breaker::HalfOpenPolicy::by_rate(3));
        let now = ticks(101);
        let mut view = half_open();
        for instance in 1..=3 {
            assert_eq!(view.admit(instance, &config, now), FleetAdmission::Probe);
        }
        view.record(1, &config, now, true, Outcome::Success, false);
        view.record(2, &config, now, true, Outcome::Success, false);
        assert_eq!(view.evaluate(&config, now), None, "two probes of three");
        view.record(3, &config, now, true, Outcome::Success, false);
        let close = view.evaluate(&config, now).expect("three probes");
        assert_eq!(close.next.phase, FleetPhase::Closed);
        assert_eq!(close.reason, Reason::ProbesHealthy);
    }

    #[test]
    fn half_open_reopens_when_a_probe_is_still_out_max_wait_after_it_began() {
        let config = windowed().with_half_open(
            crate::breaker::HalfOpenPolicy::after_successes(1, 1)
                .with_max_wait(ticks(10), crate::breaker::MaxWaitAction::Repermit),
        );
        let mut view = half_open();
        assert_eq!(view.due(&config, ticks(500)), None, "no probe out");
        assert_eq!(view.admit(1, &config, ticks(101)), FleetAdmission::Probe);
        assert_eq!(view.due(&config, ticks(109)), None);
        let reopen = view.due(&config, ticks(110)).expect("max_wait after 100");
        assert_eq!(reopen.reason, Reason::MaxWait);
        assert_eq!(reopen.next.phase.kind(), BreakerStateKind::Open);
        assert_eq!(reopen.next.openings, 2);
    }
}

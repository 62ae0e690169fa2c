//! The circuit breaker as a [`Machine`]: its events, answers, actions and deadlines.

use super::backoff::Backoff;
use super::configured::{COUNT, Configured, SLOW, TIME, ZERO_RUN};
use super::count_window::CountWindow;
use super::jitter::{SplitMix64, jittered};
use super::metrics::{Counters, ViewReading, WindowCounts, bump};
use super::time_window::TimeWindow;
use super::{
    BreakerConfig, BreakerState, CloseRule, ConfigError, MaxWaitAction, Metrics, Outcome, Permit,
    Rate, Reason, Recorded, RejectReason, Rejected, SnapshotError, Speed, rate,
};
use crate::fsm::{Handled, Machine, Rollback, Transition};
use crate::time::{Duration, Instant, add};

/// Marks the path it is called on as rarely taken: a hint for code layout and for
/// the order in which a `match` tests its cases (stable Rust has no `likely`).
#[cold]
#[inline(always)]
fn cold() {}

/// What a breaker reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum BreakerEvent {
    /// Ask to make a call.
    Acquire,
    /// Report how a permitted call ended.
    Record {
        /// The permit the call was made under.
        permit: Permit,
        /// How it ended.
        outcome: Outcome,
        /// Whether it was slow ([`Speed::Timed`]: the breaker times it). Absent from
        /// an older serialized event, it reads as timed.
        #[cfg_attr(feature = "serde", serde(default))]
        speed: Speed,
    },
    /// Operator: reject every call until reset or another operator call.
    ForceOpen,
    /// Operator: permit every call and record nothing.
    Disable,
    /// Operator: record outcomes but never trip.
    MetricsOnly,
    /// Operator: back to a fresh CLOSED (new generation, empty windows, first backoff).
    /// From another state this is one change, `X -> CLOSED` with reason `"reset"`
    /// (generation +1); from CLOSED no change, but still a new generation.
    Reset,
}

/// A breaker's answer to one [`BreakerEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum BreakerOutput {
    /// The answer to [`BreakerEvent::Acquire`].
    Acquired(Result<Permit, Rejected>),
    /// The answer to [`BreakerEvent::Record`].
    Recorded(Recorded),
    /// An operator event was handled (any state change is in the call's changes).
    Operator,
}

/// The circuit breaker machine, run by [`crate::fsm::StateMachine`].
///
/// The state (with its per-state data) is a [`BreakerState`] held by the runtime; this
/// struct holds what outlives a state: the configuration, the generation, the windows,
/// the consecutive-failure run, the backoff position, the jitter PRNG and the counters.
/// [`CircuitBreaker`](super::CircuitBreaker) wraps it with a friendlier API; use the
/// machine directly to embed a breaker in a net.
///
/// Actions: leaving any state bumps the generation (so permits issued in it become
/// stale), ends the failure run and counts the change. Entering OPEN picks the period
/// (backoff, then jitter) and keeps the window view frozen; entering any other state
/// or mode starts an empty view; entering CLOSED also restarts the backoff.
///
/// Counted outcomes go into the windows in CLOSED, METRICS_ONLY and HALF_OPEN (where
/// the view then shows the probes); only CLOSED runs the trip policies, HALF_OPEN
/// applies its [`CloseRule`] instead, METRICS_ONLY never trips.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BreakerMachine<const W: usize, const B: usize> {
    /// Valid for `W` and `B` however the machine was obtained: built by [`Self::new`]
    /// or deserialized (see `serde_config`).
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "super::serde_config::configured::<W, B, _>")
    )]
    config: Configured,
    generation: u32,
    /// Permits of the current generation not yet reported, outside HALF_OPEN (whose
    /// probes are counted in its state data).
    in_flight: u32,
    /// Failures since the last success, state change or reset.
    failure_run: u32,
    count: CountWindow<W>,
    time: TimeWindow<B>,
    backoff: Backoff,
    jitter: SplitMix64,
    counters: Counters,
    #[cfg_attr(feature = "serde", serde(with = "super::serde_opt::instant"))]
    last_change: Option<Instant>,
}

impl<const W: usize, const B: usize> BreakerMachine<W, B> {
    /// A machine for `config`, validated for this `W` and `B`; generation 0.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field.
    pub const fn new(config: BreakerConfig) -> Result<Self, ConfigError> {
        if let Err(e) = config.validate::<W, B>() {
            return Err(e);
        }
        let count_size = match &config.count_window {
            Some(cw) => cw.size,
            None => 0,
        };
        let time = match &config.time_window {
            Some(tw) => TimeWindow::new(tw.bucket_width, tw.buckets),
            None => TimeWindow::new(Duration::from_ticks(0), 0),
        };
        Ok(Self {
            config: Configured::new(config),
            generation: 0,
            in_flight: 0,
            failure_run: 0,
            count: CountWindow::new(count_size),
            time,
            backoff: Backoff::new(),
            jitter: SplitMix64::new(config.open.seed),
            counters: Counters::new(),
            last_change: None,
        })
    }

    /// The same machine starting at `generation` instead of 0 (a bank starts each new
    /// breaker above every breaker it evicted, so their permits stay stale).
    pub(crate) const fn starting_at_generation(mut self, generation: u32) -> Self {
        self.generation = generation;
        self
    }

    /// The checks a configuration valid for `W` and `B` can ask for: no count window
    /// without `W`, no time window without `B`, and no slow-call policy without a
    /// window.
    const POSSIBLE_CHECKS: u8 = (if W > 0 { COUNT } else { 0 })
        | (if B > 0 { TIME } else { 0 })
        | (if W > 0 || B > 0 { SLOW } else { 0 })
        | ZERO_RUN;

    /// The checks the configuration asks for, within [`Self::POSSIBLE_CHECKS`]. The
    /// configuration is valid for `W` and `B` however the machine was obtained (built
    /// or deserialized), so the mask never drops a check it asks for; it lets the
    /// compiler drop the code of the windows a breaker without capacity cannot have.
    #[inline(always)]
    const fn checks(&self) -> u8 {
        self.config.checks() & Self::POSSIBLE_CHECKS
    }

    /// The configuration.
    #[must_use]
    pub const fn config(&self) -> &BreakerConfig {
        self.config.get()
    }

    /// Test builds only: replaces the configuration without validating it, as a
    /// snapshot edited by hand would hold it, so a test can check who refuses it.
    #[cfg(all(test, feature = "serde"))]
    pub(crate) fn set_config_unchecked(&mut self, config: BreakerConfig) {
        self.config = Configured::new(config);
    }

    /// Test builds only: the same machine with its stale counter at 0, so a test can
    /// compare two machines on everything else (windows, failure run, counters, ...).
    #[cfg(test)]
    pub(crate) fn without_stale_count(&self) -> Self {
        let mut m = self.clone();
        m.counters.stale = 0;
        m
    }

    /// The generation: 0 when built, +1 on every state change (HALF_OPEN
    /// self-transitions included) and on every reset (also while CLOSED). Wraps after
    /// `u32::MAX`.
    #[must_use]
    pub const fn generation(&self) -> u32 {
        self.generation
    }

    /// Permits issued in the current generation outside HALF_OPEN and not yet reported.
    /// (HALF_OPEN's probes are in its state data.) A permit that is never reported
    /// stays counted here until the next generation.
    #[must_use]
    pub const fn in_flight(&self) -> u32 {
        self.in_flight
    }

    /// How many openings in a row so far (the k of the current or latest backoff
    /// period; 0 after entering CLOSED or a reset).
    #[must_use]
    pub const fn openings_in_row(&self) -> u32 {
        self.backoff.openings()
    }

    /// The metrics snapshot, reading rates as in a live view (below a window's
    /// minimum calls a rate is `None`); [`Self::metrics_in`] reads them for a state.
    #[must_use]
    pub fn metrics(&self) -> Metrics {
        Metrics::from_counters(&self.counters, self.current_rates(false), self.last_change)
    }

    /// The metrics snapshot in `state`. While OPEN the view is frozen at the trip
    /// (also a reopen from HALF_OPEN, whose view holds the probes): its rates are
    /// readable whenever it holds at least one counted call, since the minimum number
    /// of calls guards a trip decision, not a reading of what made the breaker trip.
    #[must_use]
    pub fn metrics_in(&self, state: &BreakerState) -> Metrics {
        let frozen = matches!(state, BreakerState::Open { .. });
        Metrics::from_counters(&self.counters, self.current_rates(frozen), self.last_change)
    }

    /// Exact rates and counts of the current view: the count window's if one is
    /// configured, else the time window's. A `frozen` view reports from one call on.
    fn current_rates(&self, frozen: bool) -> ViewReading {
        let slow_on = self.config.slow_calls.is_some();
        let (calls, failures, slow, minimum) = if let Some(cw) = &self.config.count_window {
            (
                u64::from(self.count.calls()),
                u64::from(self.count.failures()),
                u64::from(self.count.slow()),
                cw.effective_minimum(),
            )
        } else if let Some(tw) = &self.config.time_window {
            (
                self.time.calls(),
                self.time.failures(),
                self.time.slow(),
                tw.minimum_calls,
            )
        } else {
            return ViewReading::default();
        };
        let minimum = if frozen { 1 } else { u64::from(minimum) };
        ViewReading {
            failure: Rate::of(failures, calls, minimum),
            slow: slow_on.then(|| Rate::of(slow, calls, minimum)).flatten(),
            window: WindowCounts {
                buffered: calls,
                failed: failures,
                successful: calls.saturating_sub(failures),
                slow,
            },
        }
    }

    /// Checks the extended state of a machine restored from a snapshot whose latest
    /// instant seen is `last_seen` (see [`CircuitBreaker::validate_restored`](super::CircuitBreaker::validate_restored)).
    pub(crate) fn check_restored(&self, last_seen: Instant) -> Result<(), SnapshotError> {
        let config = self.config.get();
        config.validate::<W, B>().map_err(SnapshotError::Config)?;
        if self.last_change.is_some_and(|at| at > last_seen) {
            return Err(SnapshotError::LastChange);
        }
        let size = config.count_window.map_or(0, |cw| cw.size);
        if !self.count.is_consistent(size) {
            return Err(SnapshotError::CountWindow);
        }
        let (width, buckets) = config
            .time_window
            .map_or((Duration::from_ticks(0), 0), |tw| {
                (tw.bucket_width, tw.buckets)
            });
        if !self.time.is_consistent(width, buckets, last_seen) {
            return Err(SnapshotError::TimeWindow);
        }
        Ok(())
    }

    /// Moves the time window to `now` in the states whose view is live.
    #[inline]
    pub(crate) fn advance_windows(&mut self, state: &BreakerState, now: Instant) {
        if matches!(
            state,
            BreakerState::Closed | BreakerState::HalfOpen { .. } | BreakerState::MetricsOnly
        ) {
            self.time.advance(now);
        }
    }

    fn clear_view(&mut self) {
        self.count.clear();
        self.time.clear();
    }

    /// [`Self::on_acquire`] for the two states whose acquire is hot: CLOSED, and OPEN
    /// before its period ends. `None` (nothing changed) elsewhere, for the caller to
    /// take the general path, which the operator modes and HALF_OPEN take: a test for
    /// two states is cheaper than a jump table over six. Mirrors [`Machine::deadline`]:
    /// a state given a deadline there must decline here until it.
    #[inline(always)]
    pub(crate) fn acquire_if_nothing_due(
        &mut self,
        state: &mut BreakerState,
        now: Instant,
    ) -> Option<Result<Permit, Rejected>> {
        match state {
            BreakerState::Closed => {
                self.time.advance(now);
                bump(&mut self.counters.permitted);
                self.in_flight = self.in_flight.saturating_add(1);
                Some(Ok(Permit::new(self.generation, now, false)))
            }
            // Marked cold, with the states of the general path, so CLOSED (where a
            // breaker spends nearly all its calls) is tested first; an OPEN
            // rejection pays a compare and a jump for it.
            BreakerState::Open { opened_at, period } => {
                cold();
                let until = add(*opened_at, *period);
                if now >= until {
                    return None;
                }
                bump(&mut self.counters.rejected);
                Some(Err(Rejected::open(until)))
            }
            _ => {
                cold();
                None
            }
        }
    }

    /// [`Self::on_record`] when the runtime has nothing to apply first (see
    /// [`Self::acquire_if_nothing_due`]); `None`, having changed nothing, elsewhere.
    #[inline(always)]
    pub(crate) fn record_if_nothing_due(
        &mut self,
        state: &mut BreakerState,
        permit: Permit,
        outcome: Outcome,
        speed: Speed,
        now: Instant,
    ) -> Option<Handled<BreakerState, Recorded>> {
        match state {
            // CLOSED spelled out: `on_record` for it, with its state known.
            BreakerState::Closed => {
                self.time.advance(now);
                if permit.generation() != self.generation {
                    bump(&mut self.counters.stale);
                    return Some(Handled::stay(Recorded::Stale));
                }
                self.in_flight = self.in_flight.saturating_sub(1);
                let trip = match (outcome, self.checks()) {
                    // A success in the configurations with at most one window and no
                    // slow-call policy, spelled out: it is not slow (no verdict counts
                    // without the policy), it cannot reach
                    // the (non-zero) consecutive-failure threshold, and only the one
                    // window's failure rate can trip. The rest is `count_outcome`
                    // and `trip_reason` below.
                    (Outcome::Success, 0) => {
                        self.count_success();
                        None
                    }
                    (Outcome::Success, COUNT) => {
                        self.count_success();
                        self.count.push(false, false);
                        self.count_window_trips(false)
                    }
                    (Outcome::Success, TIME) => {
                        self.count_success();
                        self.time.push_current(false, false);
                        self.time_window_trips(false)
                    }
                    _ => match self.count_outcome(permit, outcome, speed, now) {
                        Some((failed, _)) => self.trip_reason(failed),
                        None => None,
                    },
                };
                Some(match trip {
                    Some(reason) => {
                        Handled::go(Recorded::Counted, BreakerState::opening(now), reason)
                    }
                    None => Handled::stay(Recorded::Counted),
                })
            }
            BreakerState::Open { opened_at, period } if now >= add(*opened_at, *period) => None,
            BreakerState::HalfOpen { .. } => None,
            _ => Some(self.on_record(state, permit, outcome, speed, now)),
        }
    }

    /// Handles an acquire at `now`: what [`Machine::handle`] does for
    /// [`BreakerEvent::Acquire`], without the event and output enums around it, for
    /// [`CircuitBreaker`](super::CircuitBreaker)'s hot path.
    #[inline]
    pub(crate) fn on_acquire(
        &mut self,
        state: &mut BreakerState,
        now: Instant,
    ) -> Result<Permit, Rejected> {
        self.advance_windows(state, now);
        self.acquire(state, now)
    }

    /// Handles a report at `now`: what [`Machine::handle`] does for
    /// [`BreakerEvent::Record`], answering [`Recorded`] directly.
    #[inline]
    pub(crate) fn on_record(
        &mut self,
        state: &mut BreakerState,
        permit: Permit,
        outcome: Outcome,
        speed: Speed,
        now: Instant,
    ) -> Handled<BreakerState, Recorded> {
        self.advance_windows(state, now);
        self.record(state, permit, outcome, speed, now)
    }

    #[inline]
    fn acquire(&mut self, state: &mut BreakerState, now: Instant) -> Result<Permit, Rejected> {
        let rejection = match state {
            BreakerState::Closed | BreakerState::MetricsOnly | BreakerState::Disabled => {
                bump(&mut self.counters.permitted);
                self.in_flight = self.in_flight.saturating_add(1);
                return Ok(Permit::new(self.generation, now, false));
            }
            BreakerState::HalfOpen {
                outstanding,
                last_activity,
                ..
            } => {
                if *outstanding < self.config.half_open.max_permits {
                    *outstanding = outstanding.saturating_add(1);
                    *last_activity = now;
                    bump(&mut self.counters.permitted);
                    return Ok(Permit::new(self.generation, now, true));
                }
                Rejected::because(RejectReason::HalfOpenFull)
            }
            BreakerState::Open { opened_at, period } => Rejected::open(add(*opened_at, *period)),
            BreakerState::ForcedOpen => Rejected::because(RejectReason::ForcedOpen),
        };
        bump(&mut self.counters.rejected);
        Err(rejection)
    }

    #[inline]
    fn record(
        &mut self,
        state: &mut BreakerState,
        permit: Permit,
        outcome: Outcome,
        speed: Speed,
        now: Instant,
    ) -> Handled<BreakerState, Recorded> {
        let counted = Recorded::Counted;
        if permit.generation() != self.generation {
            bump(&mut self.counters.stale);
            return Handled::stay(Recorded::Stale);
        }
        match state {
            BreakerState::Closed | BreakerState::MetricsOnly => {
                self.in_flight = self.in_flight.saturating_sub(1);
                let outcome = self.count_outcome(permit, outcome, speed, now);
                // METRICS_ONLY records like CLOSED but never trips.
                if let Some((failed, _)) = outcome
                    && matches!(state, BreakerState::Closed)
                    && let Some(reason) = self.trip_reason(failed)
                {
                    return Handled::go(counted, BreakerState::opening(now), reason);
                }
                Handled::stay(counted)
            }
            BreakerState::HalfOpen {
                outstanding,
                successes,
                failures,
                slow,
                recorded,
                last_activity,
            } => {
                // Any report, ignored ones included, releases the probe's slot.
                *outstanding = outstanding.saturating_sub(1);
                *last_activity = now;
                let Some((failed, is_slow)) = self.count_outcome(permit, outcome, speed, now)
                else {
                    return Handled::stay(counted);
                };
                *recorded = recorded.saturating_add(1);
                if failed {
                    *failures = failures.saturating_add(1);
                } else {
                    *successes = successes.saturating_add(1);
                }
                if is_slow {
                    *slow = slow.saturating_add(1);
                }
                match self.probe_verdict(failed, *successes, *failures, *slow, *recorded) {
                    None => Handled::stay(counted),
                    Some(reason @ (Reason::ProbesSucceeded | Reason::ProbesHealthy)) => {
                        Handled::go(counted, BreakerState::Closed, reason)
                    }
                    Some(reason) => Handled::go(counted, BreakerState::opening(now), reason),
                }
            }
            BreakerState::Disabled => {
                self.in_flight = self.in_flight.saturating_sub(1);
                Handled::stay(Recorded::NotRecorded)
            }
            // No permit is ever issued in these states, so a permit of the current
            // generation cannot exist; one forged or restored from elsewhere is stale.
            BreakerState::Open { .. } | BreakerState::ForcedOpen => {
                bump(&mut self.counters.stale);
                Handled::stay(Recorded::Stale)
            }
        }
    }

    /// Whether the call under `permit`, reported at `now`, counts as slow: as `speed`
    /// says, or for [`Speed::Timed`] when it took strictly longer than the threshold.
    #[inline]
    fn is_slow(&self, permit: Permit, speed: Speed, now: Instant) -> bool {
        speed.is_slow(self.config.slow_calls.as_ref(), permit.acquired_at(), now)
    }

    /// [`Self::count_outcome`] for a success that is not slow and goes into no
    /// window: the counter and the failure run.
    #[inline(always)]
    fn count_success(&mut self) {
        bump(&mut self.counters.successes);
        self.failure_run = 0;
    }

    /// Counts a current-generation outcome in the counters, windows and failure run,
    /// the windows already moved to `now`. Returns whether it failed and whether it
    /// was slow (as `speed` judges it), or `None` for an ignored outcome (which is
    /// only counted).
    #[inline(always)]
    fn count_outcome(
        &mut self,
        permit: Permit,
        outcome: Outcome,
        speed: Speed,
        now: Instant,
    ) -> Option<(bool, bool)> {
        let failed = match outcome {
            Outcome::Success => {
                bump(&mut self.counters.successes);
                false
            }
            Outcome::Failure => {
                bump(&mut self.counters.failures);
                true
            }
            Outcome::Ignored => {
                bump(&mut self.counters.ignored);
                return None;
            }
        };
        self.failure_run = if failed {
            self.failure_run.saturating_add(1)
        } else {
            0
        };
        let checks = self.checks();
        if checks == 0 {
            return Some((failed, false));
        }
        let slow = checks & SLOW != 0 && self.is_slow(permit, speed, now);
        if slow {
            bump(&mut self.counters.slow);
        }
        if checks & COUNT != 0 {
            self.count.push(failed, slow);
        }
        if checks & TIME != 0 {
            // Every caller has moved the window to `now` already.
            self.time.push_current(failed, slow);
        }
        Some((failed, slow))
    }

    /// The first trip policy that fires, in the documented order, after an outcome
    /// that `failed` or not.
    #[inline]
    fn trip_reason(&self, failed: bool) -> Option<Reason> {
        let checks = self.checks();
        // A success ends the failure run, so it reaches the threshold only if that is 0.
        if (failed || checks & ZERO_RUN != 0)
            && let Some(n) = self.config.consecutive_failures
            && self.failure_run >= n
        {
            return Some(Reason::ConsecutiveFailures);
        }
        let slow_on = checks & SLOW != 0;
        if checks & COUNT != 0
            && let Some(reason) = self.count_window_trips(slow_on)
        {
            return Some(reason);
        }
        if checks & TIME != 0
            && let Some(reason) = self.time_window_trips(slow_on)
        {
            return Some(reason);
        }
        None
    }

    /// The count window's trip policy that fires, if any: failure rate, then
    /// slow-call rate if `slow_on`.
    #[inline(always)]
    fn count_window_trips(&self, slow_on: bool) -> Option<Reason> {
        let calls = u64::from(self.count.calls());
        // The minimum is at least 1, which also rules out a rate over no calls, as
        // `rate::reaches` does.
        if calls < u64::from(self.config.count_minimum()) {
            return None;
        }
        let failures = u64::from(self.count.failures());
        if rate::at_threshold(failures, calls, self.config.count_percent()) {
            // A trip comes once per opening: marked cold, its answer is no longer
            // prepared on every call that does not trip.
            cold();
            return Some(Reason::FailureRate);
        }
        let slow_calls = u64::from(self.count.slow());
        if slow_on && rate::at_threshold(slow_calls, calls, self.config.slow_percent()) {
            return Some(Reason::SlowCallRate);
        }
        None
    }

    /// The time window's trip policy that fires, if any, as for the count window.
    #[inline(always)]
    fn time_window_trips(&self, slow_on: bool) -> Option<Reason> {
        let calls = self.time.calls();
        if calls < u64::from(self.config.time_minimum()) {
            return None;
        }
        if rate::at_threshold(self.time.failures(), calls, self.config.time_percent()) {
            // As for the count window.
            cold();
            return Some(Reason::FailureRate);
        }
        if slow_on && rate::at_threshold(self.time.slow(), calls, self.config.slow_percent()) {
            return Some(Reason::SlowCallRate);
        }
        None
    }

    /// Whether HALF_OPEN closes (`ProbesSucceeded`/`ProbesHealthy`), reopens
    /// (`ProbeFailure`/`ProbeRate`) or waits (`None`) after a probe outcome.
    fn probe_verdict(
        &self,
        failed: bool,
        successes: u16,
        failures: u16,
        slow: u16,
        recorded: u16,
    ) -> Option<Reason> {
        match self.config.half_open.close {
            CloseRule::AfterSuccesses(needed) => {
                if failed {
                    Some(Reason::ProbeFailure)
                } else if successes >= needed {
                    Some(Reason::ProbesSucceeded)
                } else {
                    None
                }
            }
            CloseRule::ByRate => {
                // Validation refuses `ByRate` without a window, so a breaker without
                // window capacity never gets here: it has no code for it.
                if W == 0 && B == 0 {
                    return None;
                }
                if recorded < self.config.half_open.max_permits {
                    return None;
                }
                let calls = u64::from(recorded);
                let failure_threshold = match (&self.config.count_window, &self.config.time_window)
                {
                    (Some(cw), _) => Some(cw.failure_rate_percent),
                    (None, Some(tw)) => Some(tw.failure_rate_percent),
                    (None, None) => None,
                };
                let failing = failure_threshold
                    .is_some_and(|t| rate::reaches(u64::from(failures), calls, 0, t));
                let slow_calls = self
                    .config
                    .slow_calls
                    .is_some_and(|s| rate::reaches(u64::from(slow), calls, 0, s.rate_percent));
                Some(if failing || slow_calls {
                    Reason::ProbeRate
                } else {
                    Reason::ProbesHealthy
                })
            }
        }
    }

    /// The next open period: backoff, then jitter (one PRNG draw per opening, only
    /// when jitter is on). Never zero: the backoff starts at a validated non-zero base
    /// and only grows, and jitter is floored at one tick.
    fn next_open_period(&mut self) -> Duration {
        let open = self.config.open;
        let period = self.backoff.next_period(&open);
        let ticks = if open.jitter_percent > 0 {
            jittered(
                period,
                open.jitter_percent,
                open.cap.as_ticks(),
                self.jitter.next_u64(),
            )
        } else {
            period
        };
        Duration::from_ticks(ticks)
    }

    /// A reset while CLOSED: no state change, but a new generation, an empty view, no
    /// failure run and the backoff back at the start.
    fn restart_closed(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.in_flight = 0;
        self.failure_run = 0;
        self.backoff.reset();
        self.clear_view();
    }
}

/// An operator call into `target`: nothing at all if it is already in force.
fn operator_call(
    state: &BreakerState,
    target: BreakerState,
    reason: Reason,
) -> Handled<BreakerState, BreakerOutput> {
    if state.kind() == target.kind() {
        Handled::stay(BreakerOutput::Operator)
    } else {
        Handled::go(BreakerOutput::Operator, target, reason)
    }
}

impl<const W: usize, const B: usize> Machine for BreakerMachine<W, B> {
    type State = BreakerState;
    type Event = BreakerEvent;
    type Output = BreakerOutput;

    fn initial(&self) -> BreakerState {
        BreakerState::Closed
    }

    #[inline]
    fn handle(
        &mut self,
        state: &mut BreakerState,
        event: BreakerEvent,
        now: Instant,
    ) -> Handled<BreakerState, BreakerOutput> {
        self.advance_windows(state, now);
        match event {
            BreakerEvent::Acquire => {
                Handled::stay(BreakerOutput::Acquired(self.acquire(state, now)))
            }
            BreakerEvent::Record {
                permit,
                outcome,
                speed,
            } => {
                let handled = self.record(state, permit, outcome, speed, now);
                Handled {
                    output: BreakerOutput::Recorded(handled.output),
                    next: handled.next,
                }
            }
            BreakerEvent::ForceOpen => {
                operator_call(state, BreakerState::ForcedOpen, Reason::ForceOpen)
            }
            BreakerEvent::Disable => operator_call(state, BreakerState::Disabled, Reason::Disable),
            BreakerEvent::MetricsOnly => {
                operator_call(state, BreakerState::MetricsOnly, Reason::MetricsOnly)
            }
            BreakerEvent::Reset => {
                if matches!(state, BreakerState::Closed) {
                    self.restart_closed();
                    Handled::stay(BreakerOutput::Operator)
                } else {
                    Handled::go(BreakerOutput::Operator, BreakerState::Closed, Reason::Reset)
                }
            }
        }
    }

    fn deadline(&self, state: &BreakerState, _entered_at: Instant) -> Option<Instant> {
        match state {
            BreakerState::Open { opened_at, period } => Some(add(*opened_at, *period)),
            BreakerState::HalfOpen {
                outstanding,
                last_activity,
                ..
            } if *outstanding > 0 => self
                .config
                .half_open
                .max_wait
                .map(|wait| add(*last_activity, wait)),
            _ => None,
        }
    }

    fn on_timeout(
        &mut self,
        state: &mut BreakerState,
        at: Instant,
    ) -> Option<Transition<BreakerState>> {
        // Evict up to the deadline first, so a reopen freezes the view as of `at`.
        self.advance_windows(state, at);
        match state {
            BreakerState::Open { .. } => Some(Transition::new(
                BreakerState::half_open(at),
                Reason::Timeout,
            )),
            BreakerState::HalfOpen { .. } => Some(match self.config.half_open.on_max_wait {
                MaxWaitAction::Reopen => {
                    Transition::new(BreakerState::opening(at), Reason::MaxWait)
                }
                MaxWaitAction::Repermit => {
                    Transition::new(BreakerState::half_open(at), Reason::MaxWait)
                }
            }),
            _ => None,
        }
    }

    fn on_entry(&mut self, state: &mut BreakerState, at: Instant) {
        match state {
            BreakerState::Open { opened_at, period } => {
                // The view stays frozen at the trip so its rates remain readable.
                *opened_at = at;
                *period = self.next_open_period();
            }
            BreakerState::HalfOpen { .. } => {
                *state = BreakerState::half_open(at);
                self.clear_view();
            }
            BreakerState::Closed => {
                self.backoff.reset();
                self.clear_view();
            }
            BreakerState::ForcedOpen | BreakerState::Disabled | BreakerState::MetricsOnly => {
                self.clear_view();
            }
        }
    }

    fn on_exit(&mut self, _state: &BreakerState, at: Instant) {
        // Leaving a state invalidates every permit issued in it.
        self.generation = self.generation.wrapping_add(1);
        self.in_flight = 0;
        self.failure_run = 0;
        bump(&mut self.counters.state_changes);
        self.last_change = Some(at);
    }
}

/// What a firing through the breaker can change: everything but its configuration,
/// which no hook writes. Saving it instead of the whole machine keeps the
/// configuration (about 150 B) off the stack of every atomic firing.
#[derive(Debug, Clone)]
pub struct BreakerSaved<const W: usize, const B: usize> {
    generation: u32,
    in_flight: u32,
    failure_run: u32,
    count: CountWindow<W>,
    time: TimeWindow<B>,
    backoff: Backoff,
    jitter: SplitMix64,
    counters: Counters,
    last_change: Option<Instant>,
}

impl<const W: usize, const B: usize> Rollback for BreakerMachine<W, B> {
    type Saved = BreakerSaved<W, B>;

    #[inline]
    fn save(&self) -> Self::Saved {
        // Every field named, none skipped with `..`: a field added to the machine does
        // not compile here until it is saved or said to be configuration.
        let Self {
            config: _,
            generation,
            in_flight,
            failure_run,
            count,
            time,
            backoff,
            jitter,
            counters,
            last_change,
        } = self;
        BreakerSaved {
            generation: *generation,
            in_flight: *in_flight,
            failure_run: *failure_run,
            count: count.clone(),
            time: time.clone(),
            backoff: *backoff,
            jitter: *jitter,
            counters: *counters,
            last_change: *last_change,
        }
    }

    #[inline]
    fn restore(&mut self, saved: Self::Saved) {
        let BreakerSaved {
            generation,
            in_flight,
            failure_run,
            count,
            time,
            backoff,
            jitter,
            counters,
            last_change,
        } = saved;
        self.generation = generation;
        self.in_flight = in_flight;
        self.failure_run = failure_run;
        self.count = count;
        self.time = time;
        self.backoff = backoff;
        self.jitter = jitter;
        self.counters = counters;
        self.last_change = last_change;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::breaker::{BreakerStateKind, CircuitBreaker, HalfOpenPolicy, TimeWindowPolicy};

    type M = BreakerMachine<4, 10>;
    const CLOSED: &str = BreakerStateKind::Closed.as_str();
    const OPEN: &str = BreakerStateKind::Open.as_str();
    const HALF_OPEN: &str = BreakerStateKind::HalfOpen.as_str();
    const FORCED_OPEN: &str = BreakerStateKind::ForcedOpen.as_str();
    const DISABLED: &str = BreakerStateKind::Disabled.as_str();
    const METRICS_ONLY: &str = BreakerStateKind::MetricsOnly.as_str();

    #[test]
    fn transition_table_is_valid() {
        assert_eq!(M::TABLE.validate(), Ok(()));
    }

    #[test]
    fn table_names_exactly_the_six_states_and_the_machine_name() {
        let names: heapless::Vec<&str, 8> = M::TABLE.states.iter().map(|s| s.name).collect();
        assert_eq!(
            names.as_slice(),
            &[
                "CLOSED",
                "OPEN",
                "HALF_OPEN",
                "FORCED_OPEN",
                "DISABLED",
                "METRICS_ONLY"
            ]
        );
        assert_eq!(M::NAME, "circuit_breaker");
        for kind in BreakerStateKind::ALL {
            assert!(M::TABLE.index_of(kind.as_str()).is_some());
        }
    }

    #[test]
    fn every_operator_call_has_an_edge_from_every_other_state_and_none_into_itself() {
        for (target, _) in [
            (FORCED_OPEN, "force_open"),
            (DISABLED, "disable"),
            (METRICS_ONLY, "metrics_only"),
        ] {
            for from in BreakerStateKind::ALL.map(|k| k.as_str()) {
                assert_eq!(
                    M::TABLE.allows(from, target),
                    from != target,
                    "{from} -> {target}"
                );
            }
        }
        for from in BreakerStateKind::ALL.map(|k| k.as_str()) {
            assert_eq!(
                M::TABLE.allows(from, CLOSED),
                from != CLOSED,
                "{from} -> CLOSED"
            );
        }
    }

    #[test]
    fn the_policy_edges_are_exactly_the_documented_ones() {
        assert!(M::TABLE.allows(CLOSED, OPEN));
        assert!(M::TABLE.allows(OPEN, HALF_OPEN));
        assert!(M::TABLE.allows(HALF_OPEN, OPEN));
        assert!(M::TABLE.allows(HALF_OPEN, CLOSED));
        assert!(M::TABLE.allows(HALF_OPEN, HALF_OPEN));
        assert!(!M::TABLE.allows(CLOSED, HALF_OPEN));
        assert!(!M::TABLE.allows(OPEN, OPEN));
        assert!(!M::TABLE.allows(FORCED_OPEN, OPEN));
        assert!(!M::TABLE.allows(METRICS_ONLY, OPEN));
    }

    #[test]
    fn an_invalid_config_is_refused_by_the_machine() {
        let bad = BreakerConfig::consecutive(0, Duration::from_secs(1), 1);
        assert_eq!(M::new(bad).err(), Some(ConfigError::ConsecutiveFailures));
    }

    fn secs(s: u64) -> Instant {
        Instant::from_secs(s)
    }

    /// Acquires and records `outcome` at `at`.
    fn call(b: &mut CircuitBreaker<4, 10>, outcome: Outcome, at: Instant) -> Recorded {
        let permit = b.try_acquire(at).value.unwrap();
        b.record(permit, outcome, at).value
    }

    #[test]
    fn openings_in_row_counts_each_reopen_and_restarts_at_zero_on_closing() {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(1), 1);
        let mut b: CircuitBreaker<4, 10> = CircuitBreaker::new(config, secs(0)).unwrap();
        let openings = |b: &CircuitBreaker<4, 10>| b.state_machine().machine().openings_in_row();
        assert_eq!(openings(&b), 0);
        call(&mut b, Outcome::Failure, secs(1));
        assert_eq!((b.state(), openings(&b)), (BreakerStateKind::Open, 1));
        call(&mut b, Outcome::Failure, secs(2));
        assert_eq!((b.state(), openings(&b)), (BreakerStateKind::Open, 2));
        call(&mut b, Outcome::Success, secs(3));
        assert_eq!((b.state(), openings(&b)), (BreakerStateKind::Closed, 0));
    }

    #[test]
    fn a_restored_last_change_may_be_the_latest_instant_seen_but_not_after_it() {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 1);
        let mut b: CircuitBreaker<4, 10> = CircuitBreaker::new(config, secs(0)).unwrap();
        call(&mut b, Outcome::Failure, secs(1));
        assert_eq!(b.state(), BreakerStateKind::Open);
        assert_eq!(b.validate_restored(secs(1)), Ok(()));
        let machine = b.state_machine().machine();
        assert_eq!(machine.check_restored(secs(1)), Ok(()));
        assert_eq!(
            machine.check_restored(Instant::from_millis(999)),
            Err(SnapshotError::LastChange)
        );
    }

    #[test]
    fn metrics_only_moves_the_time_window_along_with_its_calls() {
        let config = BreakerConfig::consecutive(3, Duration::from_secs(5), 1).with_time_window(
            TimeWindowPolicy {
                bucket_width: Duration::from_secs(1),
                buckets: 2,
                failure_rate_percent: 50,
                minimum_calls: 1,
            },
        );
        let mut b: CircuitBreaker<4, 10> = CircuitBreaker::new(config, secs(0)).unwrap();
        b.metrics_only(secs(0)).unwrap();
        call(&mut b, Outcome::Failure, secs(0));
        assert_eq!(
            (b.metrics().window.buffered, b.metrics().window.failed),
            (1, 1)
        );
        call(&mut b, Outcome::Success, secs(10));
        let window = b.metrics().window;
        assert_eq!(
            (window.buffered, window.failed),
            (1, 0),
            "the failure of 0 s has left the 2 s window"
        );
    }

    #[test]
    fn a_probe_reported_after_max_wait_is_stale_because_the_wait_reopened_first() {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 1).with_half_open(
            HalfOpenPolicy::after_successes(1, 1)
                .with_max_wait(Duration::from_secs(1), MaxWaitAction::Reopen),
        );
        let mut b: CircuitBreaker<4, 10> = CircuitBreaker::new(config, secs(0)).unwrap();
        call(&mut b, Outcome::Failure, secs(1));
        b.poll(secs(6)).unwrap();
        assert_eq!(b.state(), BreakerStateKind::HalfOpen);
        let probe = b.try_acquire(secs(6)).value.unwrap();
        let late = b.record(probe, Outcome::Success, secs(8));
        assert_eq!(late.value, Recorded::Stale);
        let change = late.changes.as_slice()[0];
        assert_eq!(
            (change.from, change.to, change.reason, change.at),
            (
                BreakerStateKind::HalfOpen,
                BreakerStateKind::Open,
                Reason::MaxWait,
                secs(7)
            )
        );
        assert_eq!(late.changes.len(), 1);
        assert_eq!(b.state(), BreakerStateKind::Open);
    }

    #[test]
    fn a_zero_failure_threshold_restored_without_validation_trips_on_a_success_too() {
        let mut m = M::new(BreakerConfig::consecutive(1, Duration::from_secs(1), 1)).unwrap();
        m.config = Configured::new(BreakerConfig::consecutive(0, Duration::from_secs(1), 1));
        let mut state = BreakerState::Closed;
        let acquired = m.handle(&mut state, BreakerEvent::Acquire, secs(1));
        let BreakerOutput::Acquired(Ok(permit)) = acquired.output else {
            panic!("CLOSED permits: {acquired:?}");
        };
        let record = BreakerEvent::Record {
            permit,
            outcome: Outcome::Success,
            speed: Speed::Timed,
        };
        let handled = m.handle(&mut state, record, secs(1));
        assert!(
            matches!(
                handled.next,
                Some(Transition {
                    to: BreakerState::Open { .. },
                    ..
                })
            ),
            "{handled:?}"
        );
    }
}

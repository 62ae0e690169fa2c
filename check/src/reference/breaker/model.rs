//! The reference breaker itself: the pinned rules, one plain step at a time.

use super::backoff::{SplitMix64, open_period};
use super::change::RefChange;
use super::config::{RefBreakerConfig, RefClose, RefMaxWait};
use super::counters::RefCounters;
use super::outcome::{RefOutcome, RefRecorded, RefSpeed};
use super::permit::{RefPermit, RefRejected};
use super::regression::RefClockRegression;
use super::state::RefState;
use super::view::WindowView;

/// One probe outcome remembered for the `ByRate` close rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ProbeOutcome {
    failure: bool,
    slow: bool,
}

/// A plainly written circuit breaker that follows the pinned rules literally.
///
/// Every `&mut self` call takes `now` in ticks; a `now` earlier than the last one seen is
/// a clock regression, answered as such, and changes nothing. Read-only accessors never apply lazy time: call
/// [`RefBreaker::poll`] first to see what is due.
#[derive(Clone, Debug)]
pub struct RefBreaker {
    config: RefBreakerConfig,
    state: RefState,
    generation: u64,
    last_seen: u64,
    /// k: the opening number a trip from CLOSED uses; a reopen increments it first.
    openings_in_row: u32,
    rng: SplitMix64,
    opened_at: u64,
    open_period: u64,
    view: WindowView,
    /// While OPEN: the instant the view froze at (time-window rates are read there).
    view_frozen_at: Option<u64>,
    outstanding_probes: u32,
    probe_successes: u32,
    probe_outcomes: Vec<ProbeOutcome>,
    last_probe_activity: u64,
    counters: RefCounters,
    changes: Vec<RefChange>,
}

impl RefBreaker {
    /// A CLOSED breaker at generation 0 whose clock starts at `now`.
    pub fn new(config: RefBreakerConfig, now: u64) -> Self {
        let rng = SplitMix64::new(config.open.seed);
        Self {
            config,
            state: RefState::Closed,
            generation: 0,
            last_seen: now,
            openings_in_row: 1,
            rng,
            opened_at: now,
            open_period: 0,
            view: WindowView::default(),
            view_frozen_at: None,
            outstanding_probes: 0,
            probe_successes: 0,
            probe_outcomes: Vec::new(),
            last_probe_activity: now,
            counters: RefCounters::default(),
            changes: Vec::new(),
        }
    }

    /// Asks leave to make one call.
    ///
    /// # Errors
    /// [`RefRejected::Open`] while OPEN (with the instant the period ends),
    /// [`RefRejected::HalfOpenFull`] while HALF_OPEN with every probe slot taken,
    /// [`RefRejected::ForcedOpen`] while FORCED_OPEN. Each of these counts in `rejected`.
    /// [`RefRejected::ClockRegression`] when `now` is before the last instant seen; it
    /// changes nothing.
    pub fn try_acquire(&mut self, now: u64) -> Result<RefPermit, RefRejected> {
        let now = self
            .begin_call(now)
            .map_err(|e| RefRejected::ClockRegression { last: e.last })?;
        let probe = match self.state {
            RefState::Closed | RefState::Disabled | RefState::MetricsOnly => false,
            RefState::HalfOpen => {
                if self.outstanding_probes >= self.config.half_open.max_permits {
                    return Err(self.reject(RefRejected::HalfOpenFull));
                }
                self.outstanding_probes = self.outstanding_probes.saturating_add(1);
                self.last_probe_activity = now;
                true
            }
            RefState::Open => {
                let retry_at = self.open_deadline();
                return Err(self.reject(RefRejected::Open { retry_at }));
            }
            RefState::ForcedOpen => return Err(self.reject(RefRejected::ForcedOpen)),
        };
        self.counters.permitted = self.counters.permitted.saturating_add(1);
        Ok(RefPermit {
            generation: self.generation,
            acquired_at: now,
            probe,
        })
    }

    /// Reports how the call admitted by `permit` ended.
    ///
    /// Returns [`RefRecorded::Stale`] when the permit's generation is not the current one
    /// (only `stale` moves), [`RefRecorded::NotRecorded`] in DISABLED (nothing moves), and
    /// [`RefRecorded::Counted`] otherwise; [`RefRecorded::ClockRegression`] when `now` is
    /// before the last instant seen (nothing moves, the permit stays outstanding).
    pub fn record(&mut self, permit: RefPermit, outcome: RefOutcome, now: u64) -> RefRecorded {
        self.record_judged(permit, outcome, RefSpeed::Timed, now)
    }

    /// [`record`](Self::record) with the caller's verdict on slowness: `Slow` and
    /// `NotSlow` replace the clock's measurement (a success or failure is slow, or
    /// not, whatever it took); no call is slow without a slow-call configuration.
    pub fn record_judged(
        &mut self,
        permit: RefPermit,
        outcome: RefOutcome,
        speed: RefSpeed,
        now: u64,
    ) -> RefRecorded {
        let now = match self.begin_call(now) {
            Ok(now) => now,
            Err(e) => return RefRecorded::ClockRegression(e),
        };
        if permit.generation != self.generation {
            self.counters.stale = self.counters.stale.saturating_add(1);
            return RefRecorded::Stale;
        }
        let slow = self.config.slow_calls.is_some_and(|slow| match speed {
            RefSpeed::Timed => now.saturating_sub(permit.acquired_at) > slow.threshold,
            RefSpeed::Slow => true,
            RefSpeed::NotSlow => false,
        });
        match self.state {
            RefState::Disabled | RefState::Open | RefState::ForcedOpen => RefRecorded::NotRecorded,
            RefState::MetricsOnly => {
                self.count(outcome, slow, now);
                RefRecorded::Counted
            }
            RefState::Closed => {
                self.count(outcome, slow, now);
                if outcome != RefOutcome::Ignored {
                    self.check_trip(now);
                }
                RefRecorded::Counted
            }
            RefState::HalfOpen => {
                self.record_probe(outcome, slow, now);
                RefRecorded::Counted
            }
        }
    }

    /// Applies whatever is due at `now` (OPEN ending, half-open maximum wait) and nothing
    /// else.
    ///
    /// # Errors
    /// [`RefClockRegression`] when `now` is before the last instant seen; nothing moves.
    pub fn poll(&mut self, now: u64) -> Result<(), RefClockRegression> {
        self.begin_call(now).map(|_| ())
    }

    /// The earliest instant at which something changes without a call: the end of the open
    /// period while OPEN, the half-open maximum wait while probes are outstanding, else
    /// `None`.
    pub fn next_deadline(&self) -> Option<u64> {
        match self.state {
            RefState::Open => Some(self.open_deadline()),
            RefState::HalfOpen => self.max_wait_deadline(),
            RefState::Closed
            | RefState::ForcedOpen
            | RefState::Disabled
            | RefState::MetricsOnly => None,
        }
    }

    /// Operator: reject everything until another operator call ("force_open"). Does nothing
    /// when already FORCED_OPEN.
    ///
    /// # Errors
    /// [`RefClockRegression`] when `now` is before the last instant seen; nothing moves.
    pub fn force_open(&mut self, now: u64) -> Result<(), RefClockRegression> {
        self.enter_mode(RefState::ForcedOpen, "force_open", now)
    }

    /// Operator: permit everything and record nothing ("disable"). Does nothing when already
    /// DISABLED.
    ///
    /// # Errors
    /// [`RefClockRegression`] when `now` is before the last instant seen; nothing moves.
    pub fn disable(&mut self, now: u64) -> Result<(), RefClockRegression> {
        self.enter_mode(RefState::Disabled, "disable", now)
    }

    /// Operator: permit everything, record outcomes, never trip ("metrics_only"). Does
    /// nothing when already METRICS_ONLY.
    ///
    /// # Errors
    /// [`RefClockRegression`] when `now` is before the last instant seen; nothing moves.
    pub fn metrics_only(&mut self, now: u64) -> Result<(), RefClockRegression> {
        self.enter_mode(RefState::MetricsOnly, "metrics_only", now)
    }

    /// Operator: back to CLOSED with empty windows and the first backoff period.
    ///
    /// From another state this is the change `X -> CLOSED` ("reset"); from CLOSED no change
    /// is recorded. Either way the generation grows by exactly one.
    ///
    /// # Errors
    /// [`RefClockRegression`] when `now` is before the last instant seen; nothing moves.
    pub fn reset(&mut self, now: u64) -> Result<(), RefClockRegression> {
        let now = self.begin_call(now)?;
        if self.state == RefState::Closed {
            self.generation = self.generation.saturating_add(1);
            self.clear_state_data(RefState::Closed, now);
        } else {
            self.change_state(RefState::Closed, "reset", now);
        }
        Ok(())
    }

    /// The current state's name ("CLOSED", "OPEN", "HALF_OPEN", "FORCED_OPEN", "DISABLED",
    /// "METRICS_ONLY").
    pub fn state(&self) -> &'static str {
        self.state.as_str()
    }

    /// Starts at 0; +1 on every state change (half-open self-transition included), every
    /// operator mode change and every reset.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Probe permits granted in the current HALF_OPEN whose outcome is not yet recorded
    /// (0 in every other state).
    pub fn outstanding_probes(&self) -> u32 {
        self.outstanding_probes
    }

    /// The lifetime counters.
    pub fn counters(&self) -> RefCounters {
        self.counters
    }

    /// Failure rate in percent (floor) of the window view: the count window's when one is
    /// configured, else the time window's at the last instant seen (while OPEN: at the
    /// instant the view froze). `None` below the window's (effective) minimum calls
    /// (while OPEN: below one call), with no calls, or with no window configured.
    pub fn failure_rate(&self) -> Option<u8> {
        self.rate(false)
    }

    /// Slow-call rate in percent (floor), read like [`RefBreaker::failure_rate`]; also
    /// `None` when slow calls are not configured.
    pub fn slow_rate(&self) -> Option<u8> {
        self.config.slow_calls?;
        self.rate(true)
    }

    /// Every state change so far, oldest first.
    pub fn changes(&self) -> &[RefChange] {
        &self.changes
    }

    /// Refuses a `now` before the last instant seen; otherwise remembers it and applies
    /// what is due.
    fn begin_call(&mut self, now: u64) -> Result<u64, RefClockRegression> {
        if now < self.last_seen {
            return Err(RefClockRegression {
                last: self.last_seen,
                now,
            });
        }
        self.last_seen = now;
        self.apply_due(now);
        Ok(now)
    }

    /// Rule 1: every change due at or before `now` happens at its own deadline, in order.
    fn apply_due(&mut self, now: u64) {
        loop {
            match self.state {
                RefState::Open => {
                    let deadline = self.open_deadline();
                    if now < deadline {
                        return;
                    }
                    self.change_state(RefState::HalfOpen, "timeout", deadline);
                }
                RefState::HalfOpen => {
                    let Some(deadline) = self.max_wait_deadline() else {
                        return;
                    };
                    if now < deadline {
                        return;
                    }
                    match self.config.half_open.on_max_wait {
                        RefMaxWait::Reopen => self.reopen("max_wait", deadline),
                        RefMaxWait::Repermit => {
                            self.change_state(RefState::HalfOpen, "max_wait", deadline);
                        }
                    }
                }
                RefState::Closed
                | RefState::ForcedOpen
                | RefState::Disabled
                | RefState::MetricsOnly => return,
            }
        }
    }

    fn open_deadline(&self) -> u64 {
        self.opened_at.saturating_add(self.open_period)
    }

    /// Rule 8: only while a probe is outstanding and a maximum wait is configured.
    fn max_wait_deadline(&self) -> Option<u64> {
        if self.outstanding_probes == 0 {
            return None;
        }
        let max_wait = self.config.half_open.max_wait?;
        Some(self.last_probe_activity.saturating_add(max_wait))
    }

    fn reject(&mut self, rejection: RefRejected) -> RefRejected {
        self.counters.rejected = self.counters.rejected.saturating_add(1);
        rejection
    }

    fn enter_mode(
        &mut self,
        mode: RefState,
        cause: &'static str,
        now: u64,
    ) -> Result<(), RefClockRegression> {
        let now = self.begin_call(now)?;
        if self.state != mode {
            self.change_state(mode, cause, now);
        }
        Ok(())
    }

    /// Updates counters and the window view for a current-generation outcome.
    fn count(&mut self, outcome: RefOutcome, slow: bool, now: u64) {
        let failure = match outcome {
            RefOutcome::Success => {
                self.counters.successes = self.counters.successes.saturating_add(1);
                false
            }
            RefOutcome::Failure => {
                self.counters.failures = self.counters.failures.saturating_add(1);
                true
            }
            RefOutcome::Ignored => {
                self.counters.ignored = self.counters.ignored.saturating_add(1);
                return;
            }
        };
        if slow {
            self.counters.slow = self.counters.slow.saturating_add(1);
        }
        self.view.push(now, failure, slow);
        self.view.forget_unreachable(
            self.config.count_window.as_ref(),
            self.config.time_window.as_ref(),
            now,
        );
    }

    /// Rule 3: the first policy that trips, in the pinned order, opens the breaker.
    fn check_trip(&mut self, now: u64) {
        if let Some(cause) = self.trip_cause(now) {
            self.open(cause, now);
        }
    }

    fn trip_cause(&self, now: u64) -> Option<&'static str> {
        let slow_percent = self.config.slow_calls.map(|slow| slow.rate_percent);
        if let Some(limit) = self.config.consecutive_failures
            && self.view.consecutive_failures() >= u64::from(limit)
        {
            return Some("consecutive_failures");
        }
        if let Some(window) = &self.config.count_window {
            let stats = self.view.count_stats(window);
            let minimum = u64::from(window.minimum_calls.min(window.size));
            if stats.trips(stats.failures, window.failure_rate_percent, minimum) {
                return Some("failure_rate");
            }
            if slow_percent.is_some_and(|percent| stats.trips(stats.slow, percent, minimum)) {
                return Some("slow_call_rate");
            }
        }
        if let Some(window) = &self.config.time_window {
            let stats = self.view.time_stats(window, now);
            let minimum = u64::from(window.minimum_calls);
            if stats.trips(stats.failures, window.failure_rate_percent, minimum) {
                return Some("failure_rate");
            }
            if slow_percent.is_some_and(|percent| stats.trips(stats.slow, percent, minimum)) {
                return Some("slow_call_rate");
            }
        }
        None
    }

    /// Rule 7: a current-generation outcome in HALF_OPEN.
    fn record_probe(&mut self, outcome: RefOutcome, slow: bool, now: u64) {
        self.outstanding_probes = self.outstanding_probes.saturating_sub(1);
        self.last_probe_activity = now;
        self.count(outcome, slow, now);
        let failure = match outcome {
            RefOutcome::Success => false,
            RefOutcome::Failure => true,
            RefOutcome::Ignored => return,
        };
        match self.config.half_open.close {
            RefClose::AfterSuccesses(needed) => {
                if failure {
                    self.reopen("probe_failure", now);
                } else {
                    self.probe_successes = self.probe_successes.saturating_add(1);
                    if self.probe_successes >= needed {
                        self.change_state(RefState::Closed, "probes_succeeded", now);
                    }
                }
            }
            RefClose::ByRate => {
                self.probe_outcomes.push(ProbeOutcome { failure, slow });
                let judged = u64::try_from(self.probe_outcomes.len()).unwrap_or(u64::MAX);
                if judged >= u64::from(self.config.half_open.max_permits) {
                    if self.probes_unhealthy() {
                        self.reopen("probe_rate", now);
                    } else {
                        self.change_state(RefState::Closed, "probes_healthy", now);
                    }
                }
            }
        }
    }

    /// `ByRate`: failure rate against the count window's threshold (else the time
    /// window's; with neither, failures alone never reopen), slow rate against the slow
    /// threshold when slow calls are configured. No minimum applies.
    fn probes_unhealthy(&self) -> bool {
        let calls = u128::try_from(self.probe_outcomes.len()).unwrap_or(u128::MAX);
        let failures = self
            .probe_outcomes
            .iter()
            .filter(|probe| probe.failure)
            .count();
        let slow = self
            .probe_outcomes
            .iter()
            .filter(|probe| probe.slow)
            .count();
        let at_or_above = |bad: usize, percent: u8| {
            u128::try_from(bad).unwrap_or(u128::MAX) * 100 >= u128::from(percent) * calls
        };
        let failure_percent = self
            .config
            .count_window
            .map(|window| window.failure_rate_percent)
            .or(self
                .config
                .time_window
                .map(|window| window.failure_rate_percent));
        failure_percent.is_some_and(|percent| at_or_above(failures, percent))
            || self
                .config
                .slow_calls
                .is_some_and(|config| at_or_above(slow, config.rate_percent))
    }

    /// Rule 2: a trip from CLOSED uses the current k.
    fn open(&mut self, cause: &'static str, at: u64) {
        self.open_period = open_period(&self.config.open, self.openings_in_row, &mut self.rng);
        self.opened_at = at;
        self.change_state(RefState::Open, cause, at);
    }

    /// Rule 2: a reopen from HALF_OPEN is the next opening in a row.
    fn reopen(&mut self, cause: &'static str, at: u64) {
        self.openings_in_row = self.openings_in_row.saturating_add(1);
        self.open(cause, at);
    }

    /// Records the change, bumps the generation and starts the new state's data at `at`.
    fn change_state(&mut self, to: RefState, cause: &'static str, at: u64) {
        self.changes.push(RefChange {
            from: self.state.as_str(),
            to: to.as_str(),
            cause,
            at,
        });
        self.counters.state_changes = self.counters.state_changes.saturating_add(1);
        self.generation = self.generation.saturating_add(1);
        self.state = to;
        self.clear_state_data(to, at);
    }

    /// Rule 10 and the per-state data: probes forgotten, the view emptied unless OPEN
    /// (which keeps it frozen), k back to 1 on entering CLOSED.
    fn clear_state_data(&mut self, entered: RefState, at: u64) {
        self.outstanding_probes = 0;
        self.probe_successes = 0;
        self.probe_outcomes.clear();
        self.last_probe_activity = at;
        if entered == RefState::Open {
            self.view_frozen_at = Some(at);
        } else {
            self.view.clear();
            self.view_frozen_at = None;
        }
        if entered == RefState::Closed {
            self.openings_in_row = 1;
        }
    }

    fn rate(&self, slow: bool) -> Option<u8> {
        let pick = |stats: super::view::WindowStats| if slow { stats.slow } else { stats.failures };
        // While OPEN the view is frozen at the trip and its rates are readable from one
        // call on: the minimum guards trip decisions, not readings.
        let frozen = self.state == RefState::Open;
        let minimum = |configured: u64| if frozen { 1 } else { configured };
        if let Some(window) = &self.config.count_window {
            let stats = self.view.count_stats(window);
            return stats.percent(
                pick(stats),
                minimum(u64::from(window.minimum_calls.min(window.size))),
            );
        }
        let window = self.config.time_window.as_ref()?;
        let at = self.view_frozen_at.unwrap_or(self.last_seen);
        let stats = self.view.time_stats(window, at);
        stats.percent(pick(stats), minimum(u64::from(window.minimum_calls)))
    }
}

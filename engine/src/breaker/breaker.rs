//! [`CircuitBreaker`]: the breaker machine behind a small two-phase API.

use super::{
    BreakerChanges, BreakerConfig, BreakerEvent, BreakerMachine, BreakerState, BreakerStateKind,
    ConfigError, Metrics, Outcome, Permit, Recorded, RejectReason, Rejected, Response, Speed,
};
use crate::fsm::{ChangeSink, StateMachine, Transition};
use crate::time::{ClockRegression, Instant};

/// A circuit breaker: ask before each call, report how it went.
///
/// `W` sizes the count window (up to `32 * W` calls, 2 bits each) and `B` the time
/// window (up to `B` buckets); both only bound what the configuration may ask for. The
/// storage is that of the full capacity whatever the configuration asks: the window
/// size `N` of [`CountWindowPolicy::size`](super::CountWindowPolicy::size) is chosen
/// at run time, up to `32 * W`, while the `2 * 32 * W` bits behind it are fixed by the
/// type (no heap), and likewise `B` buckets of 12 bytes each.
///
/// # Two phases
/// [`try_acquire`](Self::try_acquire) answers with a [`Permit`] or a [`Rejected`];
/// after the call, [`record`](Self::record) takes the permit back with the
/// [`Outcome`]. Every call that takes `now` first applies what time has made due
/// (OPEN -> HALF_OPEN at the end of the open period, the half-open maximum wait, the
/// time window moving on) and then does its own work.
///
/// # State changes are values
/// Calls with an answer of their own return a [`Response`] holding the answer and the
/// [`BreakerChanges`] the call made; [`poll`](Self::poll) and the operator calls
/// return the [`BreakerChanges`] alone. Each is a typed
/// [`BreakerChange`](super::BreakerChange) (states, [`Reason`](super::Reason),
/// instant, instance); [`BreakerChange::to_state_change`](super::BreakerChange::to_state_change)
/// gives the untyped [`crate::fsm::StateChange`] a net observer sees. Nothing is called back.
///
/// # Time
/// The breaker never reads a clock. A `now` earlier than the latest one seen
/// ([`last_seen`](Self::last_seen)) is a clock regression, answered with a typed value
/// and no change at all (see [`crate::time`]): [`try_acquire`](Self::try_acquire)
/// rejects with [`RejectReason::ClockRegression`], [`record`](Self::record) answers
/// [`Recorded::ClockRegression`] and keeps the permit outstanding, [`poll`](Self::poll)
/// and the operator calls return `Err`. Threads that share a breaker read the clock
/// before taking its lock, so they must order their instants under it (mycel-std's
/// shared breakers do). [`next_deadline`](Self::next_deadline) tells when the breaker
/// will change by itself, so a caller can sleep until then.
///
/// # Generation
/// 0 right after [`new`](Self::new), then +1 on every state change (HALF_OPEN
/// self-transitions included), which covers operator mode changes, and +1 on a reset
/// while CLOSED. An outcome whose permit is from another generation is stale: it is
/// counted and changes nothing else.
///
/// # Snapshots
/// With feature `serde` a breaker serializes whole, configuration included.
/// Deserializing refuses a configuration that is not valid for this `W` and `B` (the
/// deserializer's error, with the [`ConfigError`]'s message), as [`new`](Self::new)
/// does: the breaker's code relies on it, and a breaker with `W == 0` or `B == 0` has
/// no code for the window it cannot hold. The rest of a snapshot is checked by
/// [`validate_restored`](Self::validate_restored) before the breaker runs again.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CircuitBreaker<const W: usize = 4, const B: usize = 10> {
    runtime: StateMachine<BreakerMachine<W, B>>,
}

impl<const W: usize, const B: usize> CircuitBreaker<W, B> {
    /// A CLOSED breaker for `config`, started at `now`, generation 0, instance 0.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config` (for this `W` and `B`).
    pub fn new(config: BreakerConfig, now: Instant) -> Result<Self, ConfigError> {
        Ok(Self {
            runtime: StateMachine::new(BreakerMachine::new(config)?, now),
        })
    }

    /// A CLOSED breaker whose generation starts at `generation` (for a bank, which starts
    /// each new breaker above every breaker it evicted, so their permits never match).
    pub(crate) fn continuing(
        config: BreakerConfig,
        now: Instant,
        generation: u32,
    ) -> Result<Self, ConfigError> {
        let machine = BreakerMachine::new(config)?.starting_at_generation(generation);
        Ok(Self {
            runtime: StateMachine::new(machine, now),
        })
    }

    /// The same breaker reporting `instance` in its state changes (a bank numbers its
    /// breakers by slot).
    #[must_use]
    pub fn with_instance(self, instance: u32) -> Self {
        Self {
            runtime: self.runtime.with_instance(instance),
        }
    }

    /// Names the backend this breaker protects, so its log lines say `payments[0]:
    /// CLOSED -> OPEN` instead of `#0`. Names are not saved in snapshots: name a restored
    /// breaker again.
    #[must_use]
    pub fn with_name(self, name: &'static str) -> Self {
        Self {
            runtime: self.runtime.with_name(name),
        }
    }

    /// Sets the name [`with_name`](Self::with_name) sets, on a breaker in use (for
    /// example one a bank inserted).
    pub fn set_name(&mut self, name: &'static str) {
        self.runtime.set_name(name);
    }

    /// The backend's name given with [`with_name`](Self::with_name), or `""`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.runtime.name()
    }

    /// The clock regression `now` would be, if it is earlier than the latest instant seen.
    #[inline]
    fn regression(&self, now: Instant) -> Option<ClockRegression> {
        let last = self.runtime.last_seen();
        (now < last).then_some(ClockRegression { last, now })
    }

    /// Dispatches an operator `event` at `now`.
    fn operator(
        &mut self,
        event: BreakerEvent,
        now: Instant,
    ) -> Result<BreakerChanges, ClockRegression> {
        let mut changes = BreakerChanges::new();
        self.runtime.dispatch_into(event, now, &mut changes)?;
        Ok(changes)
    }

    /// [`Self::try_acquire`]'s answer to a clock regression: a rejection that changes
    /// nothing. Out of line, off the hot path.
    #[cold]
    #[inline(never)]
    fn refuse_acquire(regression: ClockRegression) -> Response<Result<Permit, Rejected>> {
        Response {
            value: Err(Rejected::clock_regression(regression.last)),
            changes: BreakerChanges::new(),
        }
    }

    /// [`Self::record`]'s answer to a clock regression: nothing counted, the permit
    /// still outstanding. Out of line, off the hot path.
    #[cold]
    #[inline(never)]
    fn refuse_record() -> Response<Recorded> {
        Response {
            value: Recorded::ClockRegression,
            changes: BreakerChanges::new(),
        }
    }

    /// Asks to make one call at `now`.
    ///
    /// Permitted in CLOSED, METRICS_ONLY and DISABLED, and in HALF_OPEN while fewer
    /// than `max_permits` probes are outstanding (the permit is then a probe).
    /// Rejected in OPEN (with the instant it will admit probes again), FORCED_OPEN, and
    /// HALF_OPEN when every probe permit is out, each counted in `rejected`.
    ///
    /// A `now` earlier than [`last_seen`](Self::last_seen) is rejected with
    /// [`RejectReason::ClockRegression`] (`retry_at` is the latest instant seen) and
    /// changes nothing: no counter, no state, no notice.
    #[inline(always)]
    #[must_use = "the call may only proceed with a permit"]
    pub fn try_acquire(&mut self, now: Instant) -> Response<Result<Permit, Rejected>> {
        match self.try_acquire_routine(now) {
            Ok(permit) => Response::quiet(Ok(permit)),
            Err(response) => response,
        }
    }

    /// [`try_acquire`](Self::try_acquire) for wrappers that act only on what is not
    /// routine: `Ok(permit)` when the call is permitted and nothing else happened (no
    /// state change to report), `Err(response)` with `try_acquire`'s whole answer
    /// otherwise (a rejection, a state change, a clock regression). Same effects as
    /// `try_acquire`; the difference is where the answer lives. The routine permit
    /// leaves in registers, apart from the answer a wrapper hands to its out-of-line
    /// reporting: merged into one `Response`, both stay in memory, and reading the
    /// permit back stalls on the stores that built it.
    ///
    /// # Errors
    /// `Err` is not a failure: it is the answer that needs reporting.
    #[inline(always)]
    pub fn try_acquire_routine(
        &mut self,
        now: Instant,
    ) -> Result<Permit, Response<Result<Permit, Rejected>>> {
        if let Some(regression) = self.regression(now) {
            return Err(Self::refuse_acquire(regression));
        }
        // Recorded first, whatever path follows (the general one records the same
        // instant again): left in each branch, the store becomes their shared tail and
        // the answer reaches the caller as a merged value it has to test again.
        self.runtime.advance_clock(now);
        // Nothing due (the common case): the machine answers directly, with no change
        // to report. The slow path returns only the answer and fills `changes` in
        // place: a whole `Response` written through a pointer would keep the fast
        // path's answer in memory too.
        let (machine, state) = self.runtime.parts_mut();
        match machine.acquire_if_nothing_due(state, now) {
            Some(Ok(permit)) => Ok(permit),
            Some(Err(rejected)) => Err(Response::quiet(Err(rejected))),
            None => {
                let mut changes = BreakerChanges::new();
                match self.acquire_after_timeouts(now, &mut changes) {
                    Ok(permit) if changes.is_empty() => Ok(permit),
                    value => Err(Response { value, changes }),
                }
            }
        }
    }

    /// [`Self::try_acquire`] off its fast path (HALF_OPEN, the operator modes, OPEN
    /// once its period ended): straight to the machine's acquire handler, the same
    /// lazy-time-first run as dispatching `BreakerEvent::Acquire`, without wrapping
    /// and unwrapping enums. Fills `changes` and returns only the answer.
    #[inline(never)]
    fn acquire_after_timeouts(
        &mut self,
        now: Instant,
        changes: &mut BreakerChanges,
    ) -> Result<Permit, Rejected> {
        self.runtime
            .with_machine(now, changes, |machine, state, now| {
                (machine.on_acquire(state, now), None)
            })
            // Unreachable (`try_acquire` refused a clock regression); fails closed.
            .unwrap_or(Err(Rejected::because(RejectReason::ForcedOpen)))
    }

    /// Reports at `now` how the call made under `permit` ended, timed by the breaker:
    /// [`record_judged`](Self::record_judged) with [`Speed::Timed`].
    ///
    /// A permit from an earlier generation is [`Recorded::Stale`]; in DISABLED the
    /// outcome is [`Recorded::NotRecorded`]; otherwise it is [`Recorded::Counted`] and,
    /// for a success or failure, goes into the windows and the trip checks (which run
    /// after every counted success or failure, slow successes included). The call's
    /// duration, for the slow-call policy, is `now - permit.acquired_at()`.
    ///
    /// A `now` earlier than [`last_seen`](Self::last_seen) is
    /// [`Recorded::ClockRegression`]: nothing is counted or changed and the permit stays
    /// outstanding, so it may be reported again with a correct instant.
    #[inline(always)]
    pub fn record(&mut self, permit: Permit, outcome: Outcome, now: Instant) -> Response<Recorded> {
        self.record_judged(permit, outcome, Speed::Timed, now)
    }

    /// [`record`](Self::record) with the caller's verdict on whether the call was slow.
    ///
    /// [`Speed::Timed`] is `record` itself. [`Speed::Slow`] and [`Speed::NotSlow`]
    /// replace the breaker's measurement: a success or failure is counted as slow, or
    /// not, whatever it took, in the slow counters, both windows' slow-call rates and
    /// the half-open probes' slow rate. Without a slow-call policy no call is slow,
    /// whatever the verdict; an ignored outcome never is. Everything else (stale
    /// permits, DISABLED, clock regressions) is as for `record`.
    #[inline(always)]
    pub fn record_judged(
        &mut self,
        permit: Permit,
        outcome: Outcome,
        speed: Speed,
        now: Instant,
    ) -> Response<Recorded> {
        if self.regression(now).is_some() {
            return Self::refuse_record();
        }
        // Recorded first, as in `try_acquire`.
        self.runtime.advance_clock(now);
        let (machine, state) = self.runtime.parts_mut();
        match machine.record_if_nothing_due(state, permit, outcome, speed, now) {
            Some(handled) => match handled.next {
                None => Response {
                    value: handled.output,
                    changes: BreakerChanges::new(),
                },
                Some(next) => self.record_changed_state(handled.output, next, now),
            },
            None => self.record_after_timeouts(permit, outcome, speed, now),
        }
    }

    /// [`Self::record`] when the outcome trips or closes the breaker: enters `next`.
    #[inline(never)]
    fn record_changed_state(
        &mut self,
        value: Recorded,
        next: Transition<BreakerState>,
        now: Instant,
    ) -> Response<Recorded> {
        let mut changes = BreakerChanges::new();
        changes.push(self.runtime.enter_at(next, now));
        Response { value, changes }
    }

    /// [`Self::record`] when a timeout may be due first.
    #[inline(never)]
    fn record_after_timeouts(
        &mut self,
        permit: Permit,
        outcome: Outcome,
        speed: Speed,
        now: Instant,
    ) -> Response<Recorded> {
        let mut changes = BreakerChanges::new();
        let value = self
            .runtime
            .with_machine(now, &mut changes, |machine, state, now| {
                let handled = machine.on_record(state, permit, outcome, speed, now);
                (handled.output, handled.next)
            })
            // `record` refused a clock regression before coming here.
            .unwrap_or(Recorded::ClockRegression);
        Response { value, changes }
    }

    /// Applies what is due at `now` (end of the open period, half-open maximum wait,
    /// time window moving on) and returns the resulting changes.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than [`last_seen`](Self::last_seen);
    /// nothing changes.
    pub fn poll(&mut self, now: Instant) -> Result<BreakerChanges, ClockRegression> {
        let mut changes = BreakerChanges::new();
        self.poll_into(now, &mut changes)?;
        Ok(changes)
    }

    /// [`poll`](Self::poll), handing each change, untyped, to `changes` (for a bank, a
    /// net's behaviour or a trace that collects changes of many machines).
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than [`last_seen`](Self::last_seen);
    /// nothing changes and nothing is handed to `changes`.
    pub fn poll_into(
        &mut self,
        now: Instant,
        changes: &mut (impl ChangeSink + ?Sized),
    ) -> Result<(), ClockRegression> {
        self.runtime.with_machine(
            now,
            changes,
            |machine: &mut BreakerMachine<W, B>, state, now| {
                machine.advance_windows(state, now);
                ((), None)
            },
        )
    }

    /// The instant the breaker will change by itself if nothing else happens: the end
    /// of the open period while OPEN, the half-open maximum wait while HALF_OPEN with a
    /// probe outstanding; `None` otherwise.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.runtime.deadline()
    }

    /// Operator: reject every call until [`reset`](Self::reset) or another operator
    /// call. Does nothing if already FORCED_OPEN.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than [`last_seen`](Self::last_seen);
    /// nothing changes.
    pub fn force_open(&mut self, now: Instant) -> Result<BreakerChanges, ClockRegression> {
        self.operator(BreakerEvent::ForceOpen, now)
    }

    /// Operator: permit every call and record nothing until [`reset`](Self::reset) or
    /// another operator call. Does nothing if already DISABLED.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than [`last_seen`](Self::last_seen);
    /// nothing changes.
    pub fn disable(&mut self, now: Instant) -> Result<BreakerChanges, ClockRegression> {
        self.operator(BreakerEvent::Disable, now)
    }

    /// Operator: record outcomes but never trip until [`reset`](Self::reset) or another
    /// operator call. Does nothing if already METRICS_ONLY.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than [`last_seen`](Self::last_seen);
    /// nothing changes.
    pub fn metrics_only(&mut self, now: Instant) -> Result<BreakerChanges, ClockRegression> {
        self.operator(BreakerEvent::MetricsOnly, now)
    }

    /// Operator: back to a fresh CLOSED. From any other state this is a change to
    /// CLOSED with cause `"reset"`; from CLOSED there is no state change, but the
    /// generation still moves on (outstanding permits become stale), the windows and
    /// the failure run clear, and the backoff starts over. Counters are kept.
    ///
    /// The answer always says it was a reset ([`BreakerChanges::is_reset`]): from a
    /// non-CLOSED state X it holds the change `X -> CLOSED` (reason
    /// [`Reason::Reset`](super::Reason::Reset)) and then the reset, from CLOSED the
    /// reset alone ([`notices_of_changes`](Self::notices_of_changes) lists them in
    /// that order). The generation moves once either way.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than [`last_seen`](Self::last_seen);
    /// nothing changes (no reset happens).
    pub fn reset(&mut self, now: Instant) -> Result<BreakerChanges, ClockRegression> {
        let mut changes = self.operator(BreakerEvent::Reset, now)?;
        changes.mark_reset();
        Ok(changes)
    }

    /// Which state the breaker is in.
    #[must_use]
    pub fn state(&self) -> BreakerStateKind {
        self.runtime.state().kind()
    }

    /// The state with its data (the open period, the half-open probe counts).
    #[must_use]
    pub fn state_detail(&self) -> BreakerState {
        *self.runtime.state()
    }

    /// The current generation (see the type's documentation).
    #[must_use]
    pub fn generation(&self) -> u32 {
        self.runtime.machine().generation()
    }

    /// The metrics snapshot.
    #[must_use]
    pub fn metrics(&self) -> Metrics {
        self.runtime.machine().metrics_in(self.runtime.state())
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &BreakerConfig {
        self.runtime.machine().config()
    }

    /// The latest instant the breaker has seen.
    #[must_use]
    pub fn last_seen(&self) -> Instant {
        self.runtime.last_seen()
    }

    /// The instance number reported in state changes.
    #[must_use]
    pub fn instance(&self) -> u32 {
        self.runtime.instance()
    }

    /// Permits of the current generation not yet reported: the outstanding probes in
    /// HALF_OPEN, the calls in flight otherwise. A permit that is never reported stays
    /// counted until the next generation.
    #[must_use]
    pub fn outstanding_permits(&self) -> u32 {
        match self.runtime.state() {
            BreakerState::HalfOpen { outstanding, .. } => u32::from(*outstanding),
            _ => self.runtime.machine().in_flight(),
        }
    }

    /// Whether the breaker is CLOSED with no permit outstanding: the only kind a
    /// [`BreakerBank`](super::BreakerBank) may evict.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.state() == BreakerStateKind::Closed && self.runtime.machine().in_flight() == 0
    }

    /// The runtime underneath, e.g. to draw its transition table or read when the
    /// current state was entered.
    #[must_use]
    pub fn state_machine(&self) -> &StateMachine<BreakerMachine<W, B>> {
        &self.runtime
    }

    /// The runtime, mutably: what [`crate::embed`] drives when the breaker sits inside
    /// a net's transition (see [`crate::breaker::in_net`]).
    pub fn state_machine_mut(&mut self) -> &mut StateMachine<BreakerMachine<W, B>> {
        &mut self.runtime
    }
}

/// Two breakers are equal when their state, its entry instant, the latest instant
/// seen, the instance number and every piece of extended state are equal, so a breaker
/// restored from a snapshot compares equal to the one saved.
impl<const W: usize, const B: usize> PartialEq for CircuitBreaker<W, B> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.runtime, &other.runtime);
        a.state() == b.state()
            && a.entered_at() == b.entered_at()
            && a.last_seen() == b.last_seen()
            && a.instance() == b.instance()
            && a.machine() == b.machine()
    }
}

impl<const W: usize, const B: usize> Eq for CircuitBreaker<W, B> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{
        CountWindowPolicy, HalfOpenPolicy, MaxWaitAction, OpenPolicy, SlowCallPolicy,
        TimeWindowPolicy,
    };
    use crate::time::Duration;

    fn ms(v: u64) -> Instant {
        Instant::from_millis(v)
    }

    /// Every policy switched on, so a snapshot has something in every field.
    fn everything() -> BreakerConfig {
        BreakerConfig::consecutive(4, Duration::from_secs(1), 2)
            .with_count_window(CountWindowPolicy {
                size: 20,
                failure_rate_percent: 50,
                minimum_calls: 5,
            })
            .with_time_window(TimeWindowPolicy {
                bucket_width: Duration::from_millis(250),
                buckets: 8,
                failure_rate_percent: 60,
                minimum_calls: 5,
            })
            .with_slow_calls(SlowCallPolicy {
                threshold: Duration::from_millis(50),
                rate_percent: 80,
            })
            .with_open(
                OpenPolicy::exponential(Duration::from_secs(1), 150, Duration::from_secs(30))
                    .with_jitter(20, 0xDEAD_BEEF),
            )
            .with_half_open(
                HalfOpenPolicy::after_successes(2, 2)
                    .with_max_wait(Duration::from_secs(2), MaxWaitAction::Repermit),
            )
    }

    #[test]
    fn breaker_memory_grows_by_two_bits_per_window_call_and_twelve_bytes_per_bucket() {
        use core::mem::size_of;
        assert_eq!(
            size_of::<CircuitBreaker<5, 10>>() - size_of::<CircuitBreaker<4, 10>>(),
            8,
            "32 more calls cost 2 x 4 bytes"
        );
        assert_eq!(
            size_of::<CircuitBreaker<4, 12>>() - size_of::<CircuitBreaker<4, 10>>(),
            24,
            "2 more buckets cost 2 x 12 bytes"
        );
    }

    #[test]
    fn print_sizes() {
        extern crate std;
        use core::mem::size_of;
        std::println!(
            "size_of CircuitBreaker<4, 10> = {}, CircuitBreaker<1, 1> = {}, Permit = {}, \
             Changes = {}, Response<Result<Permit, Rejected>> = {}",
            size_of::<CircuitBreaker>(),
            size_of::<CircuitBreaker<1, 1>>(),
            size_of::<Permit>(),
            size_of::<BreakerChanges>(),
            size_of::<Response<Result<Permit, Rejected>>>(),
        );
    }

    #[test]
    fn instance_number_is_reported_in_changes() {
        let mut b: CircuitBreaker = CircuitBreaker::new(everything(), ms(0))
            .unwrap()
            .with_instance(7);
        let changes = b.force_open(ms(1)).unwrap();
        assert_eq!(changes.as_slice()[0].instance, 7);
        assert_eq!(b.instance(), 7);
    }

    #[test]
    fn an_idle_breaker_is_closed_with_no_permit_outstanding() {
        let mut b: CircuitBreaker = CircuitBreaker::new(everything(), ms(0)).unwrap();
        assert!(b.is_idle());
        let p = b.try_acquire(ms(1)).value.unwrap();
        assert!(!b.is_idle());
        assert_eq!(b.outstanding_permits(), 1);
        let _ = b.record(p, Outcome::Success, ms(2));
        assert!(b.is_idle());
        b.metrics_only(ms(3)).unwrap();
        assert!(!b.is_idle(), "an operator mode is never idle");
    }

    /// A breaker in HALF_OPEN with two probes out, the later one acquired at 3 s.
    fn half_open_with_two_probes() -> (CircuitBreaker, Permit) {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(1), 2).with_half_open(
            HalfOpenPolicy::after_successes(2, 2)
                .with_max_wait(Duration::from_secs(10), MaxWaitAction::Reopen),
        );
        let mut b: CircuitBreaker = CircuitBreaker::new(config, ms(0)).unwrap();
        let p = b.try_acquire(ms(0)).value.unwrap();
        let _ = b.record(p, Outcome::Failure, ms(0));
        let early = b.try_acquire(ms(1000)).value.unwrap();
        let _late = b.try_acquire(ms(3000)).value.unwrap();
        assert_eq!(b.state(), BreakerStateKind::HalfOpen);
        assert_eq!(b.outstanding_permits(), 2);
        (b, early)
    }

    #[test]
    fn a_probe_reported_with_an_earlier_now_is_refused_and_may_be_reported_again() {
        let (mut b, early) = half_open_with_two_probes();
        let before = b.clone();
        // Reported at 2 s, after 3 s was seen: refused, the probe still out.
        let r = b.record(early, Outcome::Success, ms(2000));
        assert_eq!(r.value, Recorded::ClockRegression);
        assert_eq!(b.last_seen(), ms(3000));
        assert!(r.changes.is_empty());
        assert_eq!(b, before);
        assert_eq!(b.outstanding_permits(), 2);
        assert!(
            b.notices_of_record(early, Outcome::Success, &r).is_empty(),
            "no notice for a call that changed nothing"
        );
        // Reported again with a correct instant, it counts.
        let r = b.record(early, Outcome::Success, ms(3000));
        assert_eq!(r.value, Recorded::Counted);
        assert_eq!(b.outstanding_permits(), 1);
        assert_eq!(b.metrics().successes, 1);
    }

    #[test]
    fn every_time_taking_call_refuses_a_clock_regression_and_changes_nothing() {
        let (mut b, early) = half_open_with_two_probes();
        let at = ms(2999);
        let expected = ClockRegression {
            last: ms(3000),
            now: at,
        };
        let before = b.clone();

        let r = b.try_acquire(at);
        assert_eq!(r.value, Err(Rejected::clock_regression(ms(3000))));
        assert!(r.changes.is_empty());
        assert!(b.notices_of_acquire(&r).is_empty());
        assert_eq!(b, before, "try_acquire");

        let r = b.record(early, Outcome::Failure, at);
        assert_eq!(r.value, Recorded::ClockRegression);
        assert_eq!(b, before, "record");

        assert_eq!(b.poll(at), Err(expected));
        let mut sink = BreakerChanges::new();
        assert_eq!(b.poll_into(at, &mut sink), Err(expected));
        assert!(sink.is_empty());
        assert_eq!(b, before, "poll");

        assert_eq!(b.force_open(at), Err(expected));
        assert_eq!(b.disable(at), Err(expected));
        assert_eq!(b.metrics_only(at), Err(expected));
        assert_eq!(b.reset(at), Err(expected));
        assert_eq!(b, before, "operator calls");
        assert_eq!(b.metrics(), before.metrics());
        assert_eq!(b.generation(), before.generation());
        assert_eq!(b.next_deadline(), before.next_deadline());

        // The latest instant seen itself is no regression.
        assert!(
            b.try_acquire(ms(3000))
                .value
                .is_err_and(|r| !r.is_clock_regression())
        );
        assert!(b.poll(ms(3000)).is_ok());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_postcard_snapshot_restores_the_breaker_exactly() {
        use super::super::Recorded;
        let mut b: CircuitBreaker = CircuitBreaker::new(everything(), ms(0)).unwrap();
        // Trip it (4 consecutive failures), let it half-open, leave a probe outstanding.
        for i in 0..4 {
            let p = b.try_acquire(ms(i * 10)).value.unwrap();
            let _ = b.record(p, Outcome::Failure, ms(i * 10 + 5));
        }
        assert_eq!(b.state(), BreakerStateKind::Open);
        let probe = b.try_acquire(ms(2000)).value.unwrap();
        assert_eq!(b.state(), BreakerStateKind::HalfOpen);

        let mut buf = [0u8; 1024];
        let bytes = postcard::to_slice(&b, &mut buf).unwrap();
        let mut restored: CircuitBreaker = postcard::from_bytes(bytes).unwrap();
        assert_eq!(restored, b);
        assert_eq!(restored.metrics(), b.metrics());
        assert_eq!(restored.next_deadline(), b.next_deadline());

        // Same inputs, same decisions: the lost probe's maximum wait runs out in both
        // (a re-permit), and later trips draw the same jittered periods.
        let now = ms(2000 + 2000 + 1);
        let (ra, rb) = (b.try_acquire(now), restored.try_acquire(now));
        assert_eq!(ra, rb);
        let (ra, rb) = (
            b.record(probe, Outcome::Success, now),
            restored.record(probe, Outcome::Success, now),
        );
        assert_eq!((ra.value, rb.value), (Recorded::Stale, Recorded::Stale));
        for step in 0..40u64 {
            let at = ms(5000 + step * 300);
            let (pa, pb) = (b.try_acquire(at), restored.try_acquire(at));
            assert_eq!(pa, pb);
            if let Ok(p) = pa.value {
                let outcome = if step % 3 == 0 {
                    Outcome::Success
                } else {
                    Outcome::Failure
                };
                assert_eq!(b.record(p, outcome, at), restored.record(p, outcome, at));
            }
        }
        assert_eq!(restored, b);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn a_configuration_survives_a_postcard_round_trip() {
        let config = everything();
        let mut buf = [0u8; 256];
        let bytes = postcard::to_slice(&config, &mut buf).unwrap();
        let back: BreakerConfig = postcard::from_bytes(bytes).unwrap();
        assert_eq!(back, config);
    }
}

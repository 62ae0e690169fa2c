//! [`ExclusiveBreaker`]: one engine breaker held by value and called through `&mut self`,
//! for code that owns its breaker outright (a connection, an actor, a worker's state).

use crate::listeners::{Event, ListenerId, Listeners};
use crate::permit_guard::outcome_of_drop;
use crate::publish::{is_quiet, operator_calls, publish, rejection, routine_permit_or_return};
use crate::{CallError, Classify, Clock, ErrorsAreFailures, RecentClock, Rejection, ViewCounts};
use mycel::breaker::{
    BreakerChanges, BreakerConfig, BreakerStateKind, CircuitBreaker, ConfigError, Metrics, Notices,
    Permit, Recorded, Rejected, Response, Verdict,
};
use mycel::time::{ClockRegression, Instant};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::sync::Arc;

/// A permit for a call now, or a return from the calling method with
/// `$rejected(rejection)` ([`routine_permit_or_return!`] says why a macro).
macro_rules! permit_or_return {
    ($breaker:expr, $rejected:expr) => {{
        let breaker = &mut *$breaker;
        let now = breaker.clock.now();
        routine_permit_or_return!(
            breaker.engine.try_acquire_routine(now),
            breaker.listeners.active(),
            |response| breaker.acquire_reported(response, now),
            $rejected
        )
    }};
}

/// A circuit breaker for one backend that its owner calls through `&mut self`: no lock,
/// no borrow flag, the engine's breaker held by value.
///
/// The fastest of the std wrappers, for code that owns its breaker outright (one per
/// connection, an actor's or a worker's own state, a loop that owns its client): the
/// compiler sees the whole breaker at each call, as it does the engine's
/// `try_acquire` + `record` written by hand, and a [`call`](Self::call) in CLOSED
/// costs about what those two steps and two clock reads cost (`std/README.md` has the
/// numbers). A breaker that several places must reach is a
/// [`LocalBreaker`](crate::LocalBreaker) (one thread, `&self`) or a
/// [`SharedBreaker`](crate::SharedBreaker) (every thread).
///
/// Calls behave as the other wrappers': `Ok` counts as a success and `Err` as a failure
/// (or as a [`Classify`] says), a panic in the protected code records a failure and
/// unwinds on, and an async call dropped before its future finishes records
/// [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored), freeing its half-open probe
/// slot. The protected code cannot reach the breaker (it is borrowed for the call), so
/// nothing re-enters it; listeners and the log are called when the engine has answered.
pub struct ExclusiveBreaker<C: Clock = RecentClock, const W: usize = 4, const B: usize = 10> {
    engine: CircuitBreaker<W, B>,
    /// Calls rejected since the latest state change or reset.
    not_permitted: u64,
    clock: C,
    name: Arc<str>,
    listeners: Listeners,
}

impl<C: Clock, const W: usize, const B: usize> std::fmt::Debug for ExclusiveBreaker<C, W, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExclusiveBreaker")
            .field("name", &self.name)
            .field("state", &self.engine.state())
            .finish_non_exhaustive()
    }
}

impl ExclusiveBreaker {
    /// A CLOSED breaker named `name` (its backend: the name its log lines, errors and
    /// events carry), timed by a [`RecentClock`].
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config`.
    pub fn new(name: impl Into<Arc<str>>, config: BreakerConfig) -> Result<Self, ConfigError> {
        Self::sized(name, config, RecentClock::new())
    }
}

impl<C: Clock> ExclusiveBreaker<C> {
    /// A CLOSED breaker named `name`, timed by `clock` (a [`StdClock`](crate::StdClock)
    /// for std's precision, a [`ManualClock`](crate::ManualClock) in tests).
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config`.
    pub fn with_clock(
        name: impl Into<Arc<str>>,
        config: BreakerConfig,
        clock: C,
    ) -> Result<Self, ConfigError> {
        Self::sized(name, config, clock)
    }
}

impl<C: Clock, const W: usize, const B: usize> ExclusiveBreaker<C, W, B> {
    /// A CLOSED breaker named `name`, timed by `clock`, with room for `32 * W` calls in
    /// its count window and `B` time buckets.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config` (for this `W` and `B`).
    pub fn sized(
        name: impl Into<Arc<str>>,
        config: BreakerConfig,
        clock: C,
    ) -> Result<Self, ConfigError> {
        let engine = CircuitBreaker::new(config, clock.now())?;
        Ok(Self::from_engine(name, engine, clock))
    }

    /// Wraps an engine breaker as it is (a restored snapshot, or one configured by
    /// hand), named `name` and timed by `clock` from now on. `clock` should not read
    /// earlier than the latest instant `engine` has seen: until it catches up, the
    /// calls are counted at that latest instant (time stops, it never goes back).
    #[must_use]
    pub fn from_engine(name: impl Into<Arc<str>>, engine: CircuitBreaker<W, B>, clock: C) -> Self {
        Self {
            engine,
            not_permitted: 0,
            clock,
            name: name.into(),
            listeners: Listeners::default(),
        }
    }

    /// The breaker's name (its backend).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The clock that times the breaker.
    #[must_use]
    pub const fn clock(&self) -> &C {
        &self.clock
    }

    /// The engine breaker as it is now (its metrics, state detail, deadline, or a
    /// snapshot to save).
    #[must_use]
    pub const fn engine(&self) -> &CircuitBreaker<W, B> {
        &self.engine
    }

    /// The engine breaker, for its owner to keep (a snapshot to restore later).
    #[must_use]
    pub fn into_engine(self) -> CircuitBreaker<W, B> {
        self.engine
    }

    /// [`permit_or_return!`] when the answer is a rejection, changed the state, or
    /// has listeners. A clock that stumbled back (refused by the engine, which changed
    /// nothing) is asked again at the latest instant the engine has seen: time stops,
    /// it never goes back.
    #[inline(never)]
    fn acquire_reported(
        &mut self,
        mut answer: Response<Result<Permit, Rejected>>,
        mut now: Instant,
    ) -> Result<Permit, Rejection> {
        if answer.value.is_err_and(|r| r.is_clock_regression()) {
            now = self.engine.last_seen();
            answer = self.engine.try_acquire(now);
        }
        self.settle(&answer.changes);
        let notices = self
            .listeners
            .active()
            .then(|| self.engine.notices_of_acquire(&answer));
        if answer.value.is_err() {
            self.not_permitted = self.not_permitted.saturating_add(1);
        }
        self.publish(&answer.changes, notices);
        answer
            .value
            .map_err(|rejected| rejection(&self.name, rejected, self.engine.state(), now))
    }

    /// Records `verdict` for `permit` now (`record` never resets, as `try_acquire`).
    #[inline(always)]
    fn finish(&mut self, permit: Permit, verdict: Verdict) {
        let now = self.clock.now();
        let response = self
            .engine
            .record_judged(permit, verdict.outcome, verdict.speed, now);
        if response.changes.is_empty()
            && !self.listeners.active()
            && response.value != Recorded::ClockRegression
        {
            return;
        }
        self.finish_reported(permit, verdict, response);
    }

    /// [`Self::finish`] when the outcome changed the state, has listeners, or met a
    /// clock that stumbled back (recorded again at the latest instant the engine has
    /// seen, as in [`Self::acquire_reported`]).
    #[inline(never)]
    fn finish_reported(
        &mut self,
        permit: Permit,
        verdict: Verdict,
        mut response: Response<Recorded>,
    ) {
        if response.value == Recorded::ClockRegression {
            let now = self.engine.last_seen();
            response = self
                .engine
                .record_judged(permit, verdict.outcome, verdict.speed, now);
        }
        self.settle(&response.changes);
        let notices = self.listeners.active().then(|| {
            self.engine
                .notices_of_record_judged(permit, verdict.outcome, verdict.speed, &response)
        });
        self.publish(&response.changes, notices);
    }

    /// Restarts the not-permitted count when a call changed state or reset.
    fn settle(&mut self, changes: &BreakerChanges) {
        if !is_quiet(changes) {
            self.not_permitted = 0;
        }
    }

    fn publish(&self, changes: &BreakerChanges, notices: Option<Notices>) {
        publish(&self.name, &self.listeners, changes, notices);
    }

    /// A permit for one call, which holds the breaker until it is reported on. Dropped
    /// unreported it records [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored) (or
    /// a failure while panicking), so it never leaks.
    ///
    /// # Errors
    /// [`Rejection`] when the breaker does not permit the call.
    #[inline]
    pub fn acquire(&mut self) -> Result<ExclusivePermit<'_, C, W, B>, Rejection> {
        let permit = permit_or_return!(self, Err);
        Ok(ExclusivePermit {
            breaker: self,
            permit,
        })
    }

    /// Runs `f` if the breaker permits it; `Ok` counts as a success, `Err` as a failure.
    /// A panic in `f` records a failure and goes on unwinding.
    ///
    /// # Errors
    /// [`CallError::Rejected`] if the breaker rejected the call (`f` did not run),
    /// [`CallError::Inner`] with `f`'s own error.
    #[inline]
    pub fn call<T, E>(&mut self, f: impl FnOnce() -> Result<T, E>) -> Result<T, CallError<E>> {
        self.call_classified(&ErrorsAreFailures, f)
    }

    /// [`call`](Self::call) with `classify` deciding the outcome and, if it says so,
    /// whether the call was slow.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    #[inline]
    pub fn call_classified<T, E>(
        &mut self,
        classify: &impl Classify<T, E>,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, CallError<E>> {
        let permit = permit_or_return!(self, |rejection| Err(CallError::Rejected(rejection)));
        let permit = ExclusivePermit {
            breaker: self,
            permit,
        };
        let result = f();
        permit.record(classify.classify(&result));
        result.map_err(CallError::Inner)
    }

    /// Awaits `fut` if the breaker permits it; `Ok` counts as a success, `Err` as a
    /// failure. The permit is asked for at the first poll. Dropped before `fut`
    /// finishes, the call is recorded as ignored and its half-open probe slot freed; a
    /// panic in `fut` records a failure.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    pub async fn call_async<T, E>(
        &mut self,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, CallError<E>> {
        self.call_async_classified(&ErrorsAreFailures, fut).await
    }

    /// [`call_async`](Self::call_async) with `classify` deciding the outcome and, if
    /// it says so, whether the call was slow.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    pub async fn call_async_classified<T, E>(
        &mut self,
        classify: &impl Classify<T, E>,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, CallError<E>> {
        let permit = permit_or_return!(self, |rejection| Err(CallError::Rejected(rejection)));
        let permit = ExclusivePermit {
            breaker: self,
            permit,
        };
        let result = fut.await;
        permit.record(classify.classify(&result));
        result.map_err(CallError::Inner)
    }

    /// The breaker's state, after applying what is due now (e.g. the open period's end).
    pub fn state(&mut self) -> BreakerStateKind {
        self.apply_now(CircuitBreaker::poll);
        self.engine.state()
    }

    /// The engine's metrics (counters and the current view's exact rates).
    #[must_use]
    pub fn metrics(&self) -> Metrics {
        self.engine.metrics()
    }

    /// The current view's counts and the calls not permitted since the latest state
    /// change or reset.
    #[must_use]
    pub fn view_counts(&self) -> ViewCounts {
        ViewCounts {
            window: self.engine.metrics().window,
            not_permitted: self.not_permitted,
        }
    }

    /// Calls `listener` with every [`Event`] of this breaker from now on, once the
    /// engine has answered.
    pub fn subscribe(&self, listener: impl Fn(&Event) + Send + Sync + 'static) -> ListenerId {
        self.listeners.subscribe(Arc::new(listener))
    }

    /// Stops the subscription `id`; `false` if it was not subscribed.
    pub fn unsubscribe(&self, id: ListenerId) -> bool {
        self.listeners.unsubscribe(id)
    }

    /// Runs `op` (an operator call, or `poll`) at the clock's instant, ordered after
    /// the latest the engine has seen, then reports its changes.
    fn apply_now(
        &mut self,
        op: impl FnOnce(&mut CircuitBreaker<W, B>, Instant) -> Result<BreakerChanges, ClockRegression>,
    ) {
        let now = self.clock.now().max(self.engine.last_seen());
        // Ordered, so never a regression; nothing happened if it were.
        let changes = op(&mut self.engine, now).unwrap_or_default();
        self.settle(&changes);
        let notices = self
            .listeners
            .active()
            .then(|| self.engine.notices_of_changes(&changes));
        self.publish(&changes, notices);
    }

    operator_calls!(exclusive);
}

/// A permit from an [`ExclusiveBreaker`], holding the breaker for one call. Report how
/// the call went with [`record`](Self::record); dropped unreported it records
/// [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored), or a failure if the thread
/// is panicking.
#[derive(Debug)]
#[must_use = "dropping the permit at once records the call as ignored"]
pub struct ExclusivePermit<'a, C: Clock, const W: usize, const B: usize> {
    breaker: &'a mut ExclusiveBreaker<C, W, B>,
    permit: Permit,
}

impl<C: Clock, const W: usize, const B: usize> ExclusivePermit<'_, C, W, B> {
    /// The engine permit this guard holds.
    #[must_use]
    pub const fn permit(&self) -> Permit {
        self.permit
    }

    /// Records `verdict` (an [`Outcome`](mycel::breaker::Outcome), timed by the
    /// breaker, or a [`Verdict`]) now and releases the permit.
    #[inline(always)]
    pub fn record(self, verdict: impl Into<Verdict>) {
        // Reported here, so the drop (which would report again) is not run.
        let mut this = ManuallyDrop::new(self);
        let permit = this.permit;
        this.breaker.finish(permit, verdict.into());
    }
}

impl<C: Clock, const W: usize, const B: usize> Drop for ExclusivePermit<'_, C, W, B> {
    fn drop(&mut self) {
        self.breaker.finish(self.permit, outcome_of_drop().into());
    }
}

//! [`LocalBreaker`]: one engine breaker owned by one thread, for thread-per-core
//! services and per-connection breakers, with no lock to pay.

use crate::listeners::{Event, ListenerId, Listeners};
use crate::permit_guard::outcome_of_drop;
use crate::publish::{is_quiet, operator_calls, publish, rejection, routine_permit_or_return};
use crate::{CallError, Classify, Clock, ErrorsAreFailures, RecentClock, Rejection, ViewCounts};
use mycel::breaker::{
    BreakerChanges, BreakerConfig, BreakerStateKind, CircuitBreaker, ConfigError, Metrics, Notices,
    Permit, Recorded, Rejected, Response, Verdict,
};
use mycel::time::{ClockRegression, Instant};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::sync::Arc;

/// A permit for a call now, or a return from the calling method with
/// `$rejected(rejection)` ([`routine_permit_or_return!`] says why a macro). The engine
/// is borrowed for its answer only.
macro_rules! permit_or_return {
    ($breaker:expr, $rejected:expr) => {{
        let breaker = $breaker;
        let now = breaker.clock.now();
        let answer = breaker.engine.borrow_mut().try_acquire_routine(now);
        routine_permit_or_return!(
            answer,
            breaker.listeners.active(),
            |response| breaker.acquire_reported(response, now),
            $rejected
        )
    }};
}

/// A circuit breaker for one backend, used by one thread: every method takes `&self`,
/// and it is `Send` but not `Sync`, so no lock guards it.
///
/// The product for services whose work never leaves its thread (a thread-per-core
/// runtime, a `LocalSet`, one breaker per connection or per core): each breaker sees
/// the calls of its own thread, and trips on them alone. A breaker that all threads
/// must share is a [`SharedBreaker`](crate::SharedBreaker); a fleet's,
/// `redis::FleetBreaker`.
///
/// Its default clock is the [`RecentClock`] (one atomic load a read, a millisecond's
/// precision): a [`call`](Self::call) in CLOSED is the engine's `try_acquire` and
/// `record`, two reads of that clock and a borrow flag (`std/README.md` has the
/// numbers). Calls, the async one's cancellation and panics behave as
/// [`SharedBreaker`](crate::SharedBreaker)'s: a dropped call records
/// [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored) and frees its half-open
/// probe slot, a panic records a failure and unwinds on. The protected code runs with
/// no borrow held, so it may use the same breaker; listeners and the logger are called
/// after the engine is left.
pub struct LocalBreaker<C: Clock = RecentClock, const W: usize = 4, const B: usize = 10> {
    engine: RefCell<CircuitBreaker<W, B>>,
    /// Calls rejected since the latest state change or reset.
    not_permitted: Cell<u64>,
    clock: C,
    name: Arc<str>,
    listeners: Listeners,
}

impl<C: Clock, const W: usize, const B: usize> std::fmt::Debug for LocalBreaker<C, W, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalBreaker")
            .field("name", &self.name)
            .field("state", &self.engine.borrow().state())
            .finish_non_exhaustive()
    }
}

impl LocalBreaker {
    /// A CLOSED breaker named `name` (its backend: the name its log lines, errors and
    /// events carry), timed by a [`RecentClock`].
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config`.
    pub fn new(name: impl Into<Arc<str>>, config: BreakerConfig) -> Result<Self, ConfigError> {
        Self::sized(name, config, RecentClock::new())
    }
}

impl<C: Clock> LocalBreaker<C> {
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

impl<C: Clock, const W: usize, const B: usize> LocalBreaker<C, W, B> {
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
        Ok(Self {
            engine: RefCell::new(engine),
            not_permitted: Cell::new(0),
            clock,
            name: name.into(),
            listeners: Listeners::default(),
        })
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

    /// A copy of the engine breaker as it is now (its metrics, state detail,
    /// deadline, or a snapshot to save).
    #[must_use]
    pub fn engine(&self) -> CircuitBreaker<W, B> {
        self.engine.borrow().clone()
    }

    /// [`permit_or_return!`] when the answer is a rejection, changed the state, or
    /// has listeners. A clock that stumbled back (refused by the engine, which changed
    /// nothing) is asked again at the latest instant the engine has seen: time stops,
    /// it never goes back, and one thread never races itself.
    #[inline(never)]
    fn acquire_reported(
        &self,
        mut answer: Response<Result<Permit, Rejected>>,
        mut now: Instant,
    ) -> Result<Permit, Rejection> {
        if answer.value.is_err_and(|r| r.is_clock_regression()) {
            let mut engine = self.engine.borrow_mut();
            now = engine.last_seen();
            answer = engine.try_acquire(now);
        }
        self.settle(&answer.changes);
        let (state, notices) = {
            let engine = self.engine.borrow();
            let notices = self
                .listeners
                .active()
                .then(|| engine.notices_of_acquire(&answer));
            (engine.state(), notices)
        };
        if answer.value.is_err() {
            self.not_permitted
                .set(self.not_permitted.get().saturating_add(1));
        }
        self.publish(&answer.changes, notices);
        answer
            .value
            .map_err(|rejected| rejection(&self.name, rejected, state, now))
    }

    /// Records `verdict` for `permit` now (`record` never resets, as `try_acquire`).
    #[inline(always)]
    fn finish(&self, permit: Permit, verdict: Verdict) {
        let mut engine = self.engine.borrow_mut();
        let now = self.clock.now();
        let response = engine.record_judged(permit, verdict.outcome, verdict.speed, now);
        if response.changes.is_empty()
            && !self.listeners.active()
            && response.value != Recorded::ClockRegression
        {
            return;
        }
        drop(engine);
        self.finish_reported(permit, verdict, response);
    }

    /// [`Self::finish`] when the outcome changed the state, has listeners, or met a
    /// clock that stumbled back (recorded again at the latest instant the engine has
    /// seen, as in [`Self::acquire_reported`]).
    #[inline(never)]
    fn finish_reported(&self, permit: Permit, verdict: Verdict, mut response: Response<Recorded>) {
        if response.value == Recorded::ClockRegression {
            let mut engine = self.engine.borrow_mut();
            let now = engine.last_seen();
            response = engine.record_judged(permit, verdict.outcome, verdict.speed, now);
        }
        self.settle(&response.changes);
        let notices = self.listeners.active().then(|| {
            self.engine.borrow().notices_of_record_judged(
                permit,
                verdict.outcome,
                verdict.speed,
                &response,
            )
        });
        self.publish(&response.changes, notices);
    }

    /// Restarts the not-permitted count when a call changed state or reset.
    fn settle(&self, changes: &BreakerChanges) {
        if !is_quiet(changes) {
            self.not_permitted.set(0);
        }
    }

    fn publish(&self, changes: &BreakerChanges, notices: Option<Notices>) {
        publish(&self.name, &self.listeners, changes, notices);
    }

    /// A permit for one call; report the call's outcome on it. Dropped unreported it
    /// records [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored) (or a failure
    /// while panicking), so it never leaks.
    ///
    /// # Errors
    /// [`Rejection`] when the breaker does not permit the call.
    pub fn acquire(&self) -> Result<LocalPermit<'_, C, W, B>, Rejection> {
        let permit = permit_or_return!(self, Err);
        Ok(LocalPermit {
            breaker: self,
            permit: Some(permit),
        })
    }

    /// Runs `f` if the breaker permits it; `Ok` counts as a success, `Err` as a failure.
    /// A panic in `f` records a failure and goes on unwinding.
    ///
    /// # Errors
    /// [`CallError::Rejected`] if the breaker rejected the call (`f` did not run),
    /// [`CallError::Inner`] with `f`'s own error.
    #[inline]
    pub fn call<T, E>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, CallError<E>> {
        self.call_classified(&ErrorsAreFailures, f)
    }

    /// [`call`](Self::call) with `classify` deciding the outcome and, if it says so,
    /// whether the call was slow.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    #[inline]
    pub fn call_classified<T, E>(
        &self,
        classify: &impl Classify<T, E>,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, CallError<E>> {
        let permit = permit_or_return!(self, |rejection| Err(CallError::Rejected(rejection)));
        let permit = LocalPermit {
            breaker: self,
            permit: Some(permit),
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
        &self,
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
        &self,
        classify: &impl Classify<T, E>,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, CallError<E>> {
        let permit = permit_or_return!(self, |rejection| Err(CallError::Rejected(rejection)));
        let permit = LocalPermit {
            breaker: self,
            permit: Some(permit),
        };
        let result = fut.await;
        permit.record(classify.classify(&result));
        result.map_err(CallError::Inner)
    }

    /// The breaker's state, after applying what is due now (e.g. the open period's end).
    #[must_use]
    pub fn state(&self) -> BreakerStateKind {
        self.apply_now(CircuitBreaker::poll);
        self.engine.borrow().state()
    }

    /// The engine's metrics (counters and the current view's exact rates).
    #[must_use]
    pub fn metrics(&self) -> Metrics {
        self.engine.borrow().metrics()
    }

    /// The current view's counts and the calls not permitted since the latest state
    /// change or reset.
    #[must_use]
    pub fn view_counts(&self) -> ViewCounts {
        ViewCounts {
            window: self.engine.borrow().metrics().window,
            not_permitted: self.not_permitted.get(),
        }
    }

    /// Calls `listener` with every [`Event`] of this breaker from now on, after the
    /// engine is left.
    pub fn subscribe(&self, listener: impl Fn(&Event) + Send + Sync + 'static) -> ListenerId {
        self.listeners.subscribe(Arc::new(listener))
    }

    /// Stops the subscription `id`; `false` if it was not subscribed.
    pub fn unsubscribe(&self, id: ListenerId) -> bool {
        self.listeners.unsubscribe(id)
    }

    /// Runs `op` (an operator call, or `poll`) at the clock's instant, ordered after
    /// the latest the engine has seen, then reports its changes with the engine left.
    fn apply_now(
        &self,
        op: impl FnOnce(&mut CircuitBreaker<W, B>, Instant) -> Result<BreakerChanges, ClockRegression>,
    ) {
        let changes = {
            let mut engine = self.engine.borrow_mut();
            let now = self.clock.now().max(engine.last_seen());
            // Ordered, so never a regression; nothing happened if it were.
            op(&mut engine, now).unwrap_or_default()
        };
        self.settle(&changes);
        let notices = self
            .listeners
            .active()
            .then(|| self.engine.borrow().notices_of_changes(&changes));
        self.publish(&changes, notices);
    }

    operator_calls!(shared);
}

/// A permit from a [`LocalBreaker`], borrowed from it for one call. Report how the
/// call went with [`record`](Self::record); dropped unreported it records
/// [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored), or a failure if the thread
/// is panicking.
#[derive(Debug)]
#[must_use = "dropping the permit at once records the call as ignored"]
pub struct LocalPermit<'a, C: Clock, const W: usize, const B: usize> {
    breaker: &'a LocalBreaker<C, W, B>,
    permit: Option<Permit>,
}

impl<C: Clock, const W: usize, const B: usize> LocalPermit<'_, C, W, B> {
    /// The engine permit this guard holds.
    #[must_use]
    pub const fn permit(&self) -> Option<Permit> {
        self.permit
    }

    /// Records `verdict` (an [`Outcome`](mycel::breaker::Outcome), timed by the
    /// breaker, or a [`Verdict`]) now and releases the permit.
    #[inline(always)]
    pub fn record(self, verdict: impl Into<Verdict>) {
        // Reported here, so the drop (which would find nothing left to report) is not
        // run: its out-of-line call was a tenth of a call's instructions.
        let this = ManuallyDrop::new(self);
        if let Some(permit) = this.permit {
            this.breaker.finish(permit, verdict.into());
        }
    }
}

impl<C: Clock, const W: usize, const B: usize> Drop for LocalPermit<'_, C, W, B> {
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take() {
            self.breaker.finish(permit, outcome_of_drop().into());
        }
    }
}

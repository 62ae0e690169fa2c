//! [`SharedBreaker`]: one engine breaker shared by every thread and task of a service.

use crate::listeners::{Event, ListenerId, Listeners};
use crate::permit_guard::{OwnedPermit, PermitGuard};
use crate::publish::{is_quiet, operator_calls, publish, rejection};
use crate::{CallError, Classify, Clock, ErrorsAreFailures, Rejection, StdClock};
use mycel::breaker::{
    BreakerChanges, BreakerConfig, BreakerStateKind, CircuitBreaker, ConfigError, Metrics, Notices,
    Permit, Recorded, Rejected, Response, Verdict, WindowCounts,
};
use mycel::time::{ClockRegression, Instant};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A circuit breaker for one backend, shared by threads and tasks: `Send + Sync`, and
/// cloning it is one reference-count increment (every clone is the same breaker).
///
/// The engine's [`CircuitBreaker`] sits behind a [`Mutex`] held only for the
/// engine's own work (a few nanoseconds), never while the protected call runs. A whole
/// [`call`](Self::call) in CLOSED costs about what hand-written glue costs (two clock
/// reads, two short locks): about 85 ns on a [`StdClock`] on a loaded 2-vCPU VM, 24 ns
/// on a [`TscClock`](crate::TscClock), against 2.3 ns for the engine alone. The clock
/// reads and the locks' four atomic operations are nearly all of it; a lock-free breaker
/// would have to rebuild the engine's state machine in atomics (and lose its tested
/// semantics) to save part of the latter, and shards would break the breaker's
/// fleet-wide counts (`std/README.md` has the numbers). A poisoned lock is taken over:
/// the engine never panics, so its state is consistent even then.
///
/// # Ordering instants
/// The engine refuses a `now` earlier than the latest instant it has seen (a clock
/// regression changes nothing). Threads read the clock before taking the lock, so one
/// that was descheduled in between can arrive with an instant a little older than
/// another's. Ordering them is this wrapper's job: under the lock, each call uses the
/// later of its own reading and the latest instant the engine has seen,
/// so no regression reaches the engine and every outcome is counted.
///
/// See the [crate documentation](crate) for protected calls.
pub struct SharedBreaker<C: Clock = StdClock, const W: usize = 4, const B: usize = 10> {
    inner: Arc<Inner<C, W, B>>,
}

struct Inner<C, const W: usize, const B: usize> {
    name: Arc<str>,
    clock: C,
    breaker: Mutex<Guarded<W, B>>,
    listeners: Listeners,
}

/// What the mutex guards: the engine breaker and the calls it did not permit since
/// its latest state change (a count the engine keeps no room for).
struct Guarded<const W: usize, const B: usize> {
    engine: CircuitBreaker<W, B>,
    not_permitted: u64,
}

impl<const W: usize, const B: usize> Guarded<W, B> {
    /// Restarts the not-permitted count when a call changed state or reset.
    fn settle(&mut self, changes: &BreakerChanges) {
        if !is_quiet(changes) {
            self.not_permitted = 0;
        }
    }
}

/// `now`, or the latest instant `engine` has seen if that is later: a clock reading taken
/// before the lock, ordered after every call that took the lock first. Cheaper than
/// reading the clock under the lock (which would lengthen every critical section by a
/// clock read) and equivalent for the engine: the few nanoseconds a late reader lost
/// are attributed to the call that already moved the clock on.
#[inline]
pub(crate) fn ordered<const W: usize, const B: usize>(
    engine: &CircuitBreaker<W, B>,
    now: Instant,
) -> Instant {
    now.max(engine.last_seen())
}

/// The counts of a breaker's current view: the engine's window counts, and the calls
/// not permitted since the latest state change or reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ViewCounts {
    /// Buffered, failed, successful and slow calls in the current window.
    pub window: WindowCounts,
    /// Calls rejected since the breaker entered its current state (or was reset).
    pub not_permitted: u64,
}

impl<C: Clock, const W: usize, const B: usize> Clone for SharedBreaker<C, W, B> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<C: Clock, const W: usize, const B: usize> std::fmt::Debug for SharedBreaker<C, W, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBreaker")
            .field("name", &self.inner.name)
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl SharedBreaker {
    /// A CLOSED breaker named `name` (its backend: the name every log line, error,
    /// event and metric carries), timed by a [`StdClock`] started now.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config`.
    pub fn new(name: impl Into<Arc<str>>, config: BreakerConfig) -> Result<Self, ConfigError> {
        Self::with_clock(name, config, StdClock::new())
    }
}

impl<C: Clock> SharedBreaker<C> {
    /// A CLOSED breaker named `name`, timed by `clock` (e.g. a [`ManualClock`](crate::ManualClock)
    /// in tests), with the default window capacities.
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

impl<C: Clock, const W: usize, const B: usize> SharedBreaker<C, W, B> {
    /// A CLOSED breaker named `name`, timed by `clock`, whose engine breaker has room
    /// for `32 * W` calls in its count window and `B` time buckets
    /// (`SharedBreaker::<_, 8, 16>::sized(..)`).
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config` (for this `W` and `B`).
    pub fn sized(
        name: impl Into<Arc<str>>,
        config: BreakerConfig,
        clock: C,
    ) -> Result<Self, ConfigError> {
        let now = clock.now();
        Ok(Self {
            inner: Arc::new(Inner {
                name: name.into(),
                breaker: Mutex::new(Guarded {
                    engine: CircuitBreaker::new(config, now)?,
                    not_permitted: 0,
                }),
                clock,
                listeners: Listeners::default(),
            }),
        })
    }

    /// The breaker's name (its backend).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The clock that times the breaker.
    #[must_use]
    pub fn clock(&self) -> &C {
        &self.inner.clock
    }

    fn lock(&self) -> MutexGuard<'_, Guarded<W, B>> {
        // The engine never panics, so a poisoned breaker is still consistent.
        self.inner
            .breaker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the engine breaker under the lock (its metrics, state detail, deadline).
    pub fn with_engine<R>(&self, read: impl FnOnce(&CircuitBreaker<W, B>) -> R) -> R {
        read(&self.lock().engine)
    }

    /// Asks for a permit at the clock's current instant: the engine's `try_acquire`.
    ///
    /// The common case (a permit, no state change, nobody listening) leaves at once;
    /// everything else goes through [`Self::acquire_reported`], so the fast path moves
    /// no event buffers around.
    #[inline]
    fn acquire_permit(&self) -> Result<Permit, Rejection> {
        let now = self.inner.clock.now();
        let mut guarded = self.lock();
        let now = ordered(&guarded.engine, now);
        match guarded.engine.try_acquire_routine(now) {
            Ok(permit) if !self.listening() => Ok(permit),
            Ok(permit) => self.acquire_reported(guarded, Response::quiet(Ok(permit)), now),
            Err(response) => self.acquire_reported(guarded, response, now),
        }
    }

    /// [`Self::acquire_permit`] when the answer is a rejection, changed the state, or
    /// has listeners: counts, builds the notices, unlocks, then publishes.
    #[inline(never)]
    fn acquire_reported(
        &self,
        mut guarded: MutexGuard<'_, Guarded<W, B>>,
        answer: Response<Result<Permit, Rejected>>,
        now: Instant,
    ) -> Result<Permit, Rejection> {
        guarded.settle(&answer.changes);
        if answer.value.is_err() {
            guarded.not_permitted = guarded.not_permitted.saturating_add(1);
        }
        let breaker = &guarded.engine;
        let state = breaker.state();
        let notices = self
            .listening()
            .then(|| breaker.notices_of_acquire(&answer));
        drop(guarded);
        self.publish(&answer.changes, notices);
        answer
            .value
            .map_err(|rejected| rejection(&self.inner.name, rejected, state, now))
    }

    /// Records `verdict` for `permit` at the clock's current instant. As for permits,
    /// the common case (no state change, nobody listening) leaves at once.
    #[inline]
    pub(crate) fn finish(&self, permit: Permit, verdict: Verdict) {
        let now = self.inner.clock.now();
        let mut guarded = self.lock();
        let now = ordered(&guarded.engine, now);
        let Verdict { outcome, speed } = verdict;
        let response = guarded.engine.record_judged(permit, outcome, speed, now);
        if is_quiet(&response.changes) && !self.listening() {
            return;
        }
        self.finish_reported(guarded, permit, verdict, response);
    }

    /// [`Self::finish`] when the outcome changed the state or has listeners.
    #[inline(never)]
    fn finish_reported(
        &self,
        mut guarded: MutexGuard<'_, Guarded<W, B>>,
        permit: Permit,
        verdict: Verdict,
        response: Response<Recorded>,
    ) {
        guarded.settle(&response.changes);
        let notices = self.listening().then(|| {
            guarded.engine.notices_of_record_judged(
                permit,
                verdict.outcome,
                verdict.speed,
                &response,
            )
        });
        drop(guarded);
        self.publish(&response.changes, notices);
    }

    #[inline]
    fn listening(&self) -> bool {
        self.inner.listeners.active()
    }

    /// Reports the state changes a call made, naming the backend, and hands the
    /// call's notices (built under the lock if anyone listens) to the listeners.
    fn publish(&self, changes: &BreakerChanges, notices: Option<Notices>) {
        publish(&self.inner.name, &self.inner.listeners, changes, notices);
    }

    /// A permit for one call, borrowed from the breaker; report the call's outcome on
    /// it. Dropped unreported it records [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored) (or a failure while
    /// panicking), so it never leaks.
    ///
    /// # Errors
    /// [`Rejection`] when the breaker does not permit the call.
    pub fn acquire(&self) -> Result<PermitGuard<'_, C, W, B>, Rejection> {
        self.acquire_permit()
            .map(|permit| PermitGuard::new(self, permit))
    }

    /// A permit for one call that holds its own handle on the breaker (for a call that
    /// outlives this borrow). Dropped unreported it records [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored).
    ///
    /// # Errors
    /// [`Rejection`] when the breaker does not permit the call.
    pub fn acquire_owned(&self) -> Result<OwnedPermit<C, W, B>, Rejection> {
        self.acquire_permit()
            .map(|permit| OwnedPermit::new(self.clone(), permit))
    }

    /// Runs `f` if the breaker permits it; `Ok` counts as a success, `Err` as a failure.
    ///
    /// A panic in `f` records a failure and then goes on unwinding.
    ///
    /// # Errors
    /// [`CallError::Rejected`] if the breaker rejected the call (`f` did not run),
    /// [`CallError::Inner`] with `f`'s own error.
    #[inline]
    pub fn call<T, E>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, CallError<E>> {
        self.call_classified(&ErrorsAreFailures, f)
    }

    /// [`call`](Self::call) with `classify` deciding which results are failures,
    /// successes or ignored, and, if it says so, whether the call was slow (see
    /// [`Classify`]).
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    #[inline]
    pub fn call_classified<T, E>(
        &self,
        classify: &impl Classify<T, E>,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, CallError<E>> {
        let guard = self.acquire()?;
        guard.record_result(classify, f()).map_err(CallError::Inner)
    }

    /// Awaits `fut` if the breaker permits it; `Ok` counts as a success, `Err` as a
    /// failure. The permit is asked for at the first poll.
    ///
    /// Cancellation-safe: if the returned future is dropped before `fut` finishes,
    /// the call is recorded as [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored) and its half-open probe slot is
    /// freed; if `fut` panics, a failure is recorded and the panic goes on.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    pub async fn call_async<T, E>(
        &self,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, CallError<E>> {
        self.call_async_classified(&ErrorsAreFailures, fut).await
    }

    /// [`call_async`](Self::call_async) with `classify` deciding the outcome and, if it
    /// says so, whether the call was slow.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    pub async fn call_async_classified<T, E>(
        &self,
        classify: &impl Classify<T, E>,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, CallError<E>> {
        let guard = self.acquire()?;
        let result = fut.await;
        guard
            .record_result(classify, result)
            .map_err(CallError::Inner)
    }

    /// The breaker's state, after applying what is due now (e.g. the open period's end).
    #[must_use]
    pub fn state(&self) -> BreakerStateKind {
        let now = self.inner.clock.now();
        let (state, changes, notices) = {
            let mut guarded = self.lock();
            let now = ordered(&guarded.engine, now);
            // Ordered, so never a regression; an empty answer if it were.
            let changes = guarded.engine.poll(now).unwrap_or_default();
            guarded.settle(&changes);
            let breaker = &guarded.engine;
            let notices = self
                .listening()
                .then(|| breaker.notices_of_changes(&changes));
            (breaker.state(), changes, notices)
        };
        self.publish(&changes, notices);
        state
    }

    /// The engine's metrics snapshot (counters and the current window's rates).
    #[must_use]
    pub fn metrics(&self) -> Metrics {
        self.lock().engine.metrics()
    }

    /// The counts of the current view: the engine's window counts and the calls not
    /// permitted since the latest state change or reset.
    #[must_use]
    pub fn view_counts(&self) -> ViewCounts {
        let guarded = self.lock();
        ViewCounts {
            window: guarded.engine.metrics().window,
            not_permitted: guarded.not_permitted,
        }
    }

    /// Runs the operator call `op` at the clock's instant, ordered after the latest the
    /// engine has seen, then reports its changes with the lock released.
    fn apply_now(
        &self,
        op: impl FnOnce(&mut CircuitBreaker<W, B>, Instant) -> Result<BreakerChanges, ClockRegression>,
    ) {
        let now = self.inner.clock.now();
        let (changes, notices) = {
            let mut guarded = self.lock();
            let now = ordered(&guarded.engine, now);
            // Ordered, so never a regression; nothing happened if it were.
            let changes = op(&mut guarded.engine, now).unwrap_or_default();
            guarded.settle(&changes);
            let breaker = &guarded.engine;
            let notices = self
                .listening()
                .then(|| breaker.notices_of_changes(&changes));
            (changes, notices)
        };
        self.publish(&changes, notices);
    }

    /// Calls `listener` with every [`Event`] of this breaker from now on: state
    /// transitions, resets, rates exceeded, rejections, successes, errors and ignored
    /// outcomes, in the order they happened. Listeners run on the calling thread after
    /// the breaker's lock is released, so they may use the breaker; keep them short.
    pub fn subscribe(&self, listener: impl Fn(&Event) + Send + Sync + 'static) -> ListenerId {
        self.inner.listeners.subscribe(Arc::new(listener))
    }

    /// Stops the subscription `id`; `false` if it was not subscribed.
    pub fn unsubscribe(&self, id: ListenerId) -> bool {
        self.inner.listeners.unsubscribe(id)
    }

    operator_calls!(shared);
}

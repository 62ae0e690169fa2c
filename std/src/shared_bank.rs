//! [`SharedBank`]: a fixed-capacity bank of breakers, one per backend, shared by every
//! thread and task of a service.

use crate::clock::std_duration;
use crate::listeners::{ListenerId, Listeners};
use crate::permit_guard::outcome_of_drop;
use crate::{CallError, Classify, Clock, ErrorsAreFailures, Rejection, StdClock};
use mycel::breaker::{
    BankError, BreakerBank, BreakerChanges, BreakerConfig, BreakerStateKind, ConfigError, Metrics,
    Notices, Permit, Recorded, Rejected, Response, Verdict,
};
use mycel::time::{self, Instant};
use std::fmt::Display;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Breakers for many backends keyed by `K` (whose `Display` is the backend's name in
/// logs and errors), in a bank of at most `N`: `Send + Sync`, cheap to clone.
///
/// As the engine's [`BreakerBank`], a new key gets a breaker with the shared
/// configuration; when the bank is full only an idle CLOSED breaker is evicted, never
/// an OPEN one ([`BankCallError::Bank`] says so instead).
pub struct SharedBank<
    K,
    const N: usize,
    C: Clock = StdClock,
    const W: usize = 4,
    const B: usize = 10,
> {
    inner: Arc<BankInner<K, N, C, W, B>>,
}

struct BankInner<K, const N: usize, C, const W: usize, const B: usize> {
    clock: C,
    bank: Mutex<Guarded<K, N, W, B>>,
    listeners: Listeners,
}

/// What the mutex guards: the engine bank and the latest instant handed to it.
struct Guarded<K, const N: usize, const W: usize, const B: usize> {
    engine: BreakerBank<K, N, W, B>,
    latest: Instant,
}

impl<K, const N: usize, const W: usize, const B: usize> Guarded<K, N, W, B> {
    /// `now`, or the latest instant handed to the bank if that is later, recorded as
    /// the latest: threads read the clock before taking the lock, so readings arrive
    /// out of order, and the engine refuses a clock regression. Ordering them is this
    /// wrapper's job (as in [`SharedBreaker`](crate::SharedBreaker)); one instant for the
    /// whole bank costs a comparison, where a per-key order would cost a lookup.
    #[inline]
    fn order(&mut self, now: Instant) -> Instant {
        self.latest = self.latest.max(now);
        self.latest
    }
}

impl<K, const N: usize, C: Clock, const W: usize, const B: usize> Clone
    for SharedBank<K, N, C, W, B>
{
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<K, const N: usize, C: Clock, const W: usize, const B: usize> std::fmt::Debug
    for SharedBank<K, N, C, W, B>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBank")
            .field("capacity", &N)
            .finish_non_exhaustive()
    }
}

/// The error of a call protected by a [`SharedBank`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankCallError<E> {
    /// The key's breaker rejected the call, or it ran and failed: as for a single breaker.
    Call(CallError<E>),
    /// The bank could not give the key a breaker (full, with no idle breaker to evict):
    /// the call did not run.
    Bank(BankError),
}

impl<E: Display> Display for BankCallError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Call(e) => e.fmt(f),
            Self::Bank(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for BankCallError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Call(e) => Some(e),
            Self::Bank(e) => Some(e),
        }
    }
}

impl<K, const N: usize> SharedBank<K, N>
where
    K: Eq + Copy + Display + Send + 'static,
{
    /// An empty bank whose breakers use `config`, timed by a [`StdClock`] started now.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config`.
    pub fn new(config: BreakerConfig) -> Result<Self, ConfigError> {
        Self::with_clock(config, StdClock::new())
    }
}

impl<K, const N: usize, C: Clock> SharedBank<K, N, C>
where
    K: Eq + Copy + Display + Send + 'static,
{
    /// An empty bank whose breakers use `config`, timed by `clock`, with the default
    /// window capacities.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config`.
    pub fn with_clock(config: BreakerConfig, clock: C) -> Result<Self, ConfigError> {
        Self::sized(config, clock)
    }
}

impl<K, const N: usize, C: Clock, const W: usize, const B: usize> SharedBank<K, N, C, W, B>
where
    K: Eq + Copy + Display + Send + 'static,
{
    /// An empty bank whose breakers use `config`, timed by `clock`, each with room for
    /// `32 * W` calls in its count window and `B` time buckets.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config` (for this `W` and `B`).
    pub fn sized(config: BreakerConfig, clock: C) -> Result<Self, ConfigError> {
        Ok(Self {
            inner: Arc::new(BankInner {
                clock,
                bank: Mutex::new(Guarded {
                    engine: BreakerBank::new(config)?,
                    latest: Instant::from_ticks(0),
                }),
                listeners: Listeners::default(),
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Guarded<K, N, W, B>> {
        // The engine never panics, so a poisoned bank is still consistent.
        self.inner
            .bank
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the engine bank under the lock.
    pub fn with_engine<R>(&self, read: impl FnOnce(&BreakerBank<K, N, W, B>) -> R) -> R {
        read(&self.lock().engine)
    }

    /// A permit from `key`'s breaker. The common case (a permit, no state change,
    /// nobody listening) leaves at once, without looking the breaker up again.
    fn acquire<E>(&self, key: K) -> Result<BankPermit<'_, K, N, C, W, B>, BankCallError<E>> {
        let now = self.inner.clock.now();
        let mut bank = self.lock();
        let now = bank.order(now);
        let answer = bank
            .engine
            .try_acquire(key, now)
            .map_err(BankCallError::Bank)?;
        if let Ok(permit) = answer.value
            && answer.changes.is_empty()
            && !self.inner.listeners.active()
        {
            return Ok(BankPermit {
                bank: self,
                key,
                permit: Some(permit),
            });
        }
        self.acquire_reported(bank, key, answer, now)
    }

    /// [`Self::acquire`] when the answer is a rejection, changed the state, or has
    /// listeners: reads the state and notices, unlocks, then publishes.
    #[inline(never)]
    fn acquire_reported<E>(
        &self,
        bank: MutexGuard<'_, Guarded<K, N, W, B>>,
        key: K,
        answer: Response<Result<Permit, Rejected>>,
        now: Instant,
    ) -> Result<BankPermit<'_, K, N, C, W, B>, BankCallError<E>> {
        let breaker = bank.engine.get(&key);
        let state = breaker.map(|b| b.state());
        let notices = breaker
            .filter(|_| self.inner.listeners.active())
            .map(|b| b.notices_of_acquire(&answer));
        drop(bank);
        self.publish(key, &answer.changes, notices);
        match answer.value {
            Ok(permit) => Ok(BankPermit {
                bank: self,
                key,
                permit: Some(permit),
            }),
            Err(rejected) => {
                log::debug!(
                    "breaker {key}: call rejected ({})",
                    rejected.reason.as_str()
                );
                Err(BankCallError::Call(CallError::Rejected(Rejection {
                    breaker: Arc::from(key.to_string()),
                    state: state.unwrap_or(BreakerStateKind::Open),
                    reason: rejected.reason,
                    retry_after: rejected
                        .retry_at
                        .map(|at| std_duration(time::since(at, now))),
                })))
            }
        }
    }

    /// Records `verdict` for `key`'s permit; as for permits, the common case (no
    /// state change, nobody listening) leaves at once.
    fn finish(&self, key: K, permit: Permit, verdict: Verdict) {
        let now = self.inner.clock.now();
        let mut bank = self.lock();
        let now = bank.order(now);
        let Verdict { outcome, speed } = verdict;
        let answer = bank.engine.record_judged(key, permit, outcome, speed, now);
        if let Ok(response) = &answer
            && response.changes.is_empty()
            && !self.inner.listeners.active()
        {
            return;
        }
        self.finish_reported(bank, key, permit, verdict, answer);
    }

    /// [`Self::finish`] when the outcome changed the state, has listeners, or found
    /// its breaker evicted.
    #[inline(never)]
    fn finish_reported(
        &self,
        bank: MutexGuard<'_, Guarded<K, N, W, B>>,
        key: K,
        permit: Permit,
        verdict: Verdict,
        answer: Result<Response<Recorded>, BankError>,
    ) {
        let notices = match (&answer, bank.engine.get(&key)) {
            (Ok(response), Some(b)) if self.inner.listeners.active() => {
                Some(b.notices_of_record_judged(permit, verdict.outcome, verdict.speed, response))
            }
            _ => None,
        };
        drop(bank);
        match answer {
            Ok(response) => self.publish(key, &response.changes, notices),
            Err(_) => log::debug!("breaker {key}: outcome for an evicted breaker dropped"),
        }
    }

    /// Logs the state changes of `key`'s breaker by name and hands the call's notices
    /// to the listeners, outside the lock.
    fn publish(&self, key: K, changes: &BreakerChanges, notices: Option<Notices>) {
        if let Some(notices) = notices {
            self.inner
                .listeners
                .deliver(&Arc::from(key.to_string()), &notices);
        }
        log_changes(key, changes);
    }

    /// Calls `listener` with every [`Event`](crate::Event) of every breaker in the
    /// bank from now on, named by its key, after the bank's lock is released.
    pub fn subscribe(
        &self,
        listener: impl Fn(&crate::Event) + Send + Sync + 'static,
    ) -> ListenerId {
        self.inner.listeners.subscribe(Arc::new(listener))
    }

    /// Stops the subscription `id`; `false` if it was not subscribed.
    pub fn unsubscribe(&self, id: ListenerId) -> bool {
        self.inner.listeners.unsubscribe(id)
    }

    /// Runs `f` if `key`'s breaker permits it; `Ok` is a success, `Err` a failure.
    /// A panic in `f` records a failure and goes on unwinding.
    ///
    /// # Errors
    /// [`BankCallError::Bank`] if the bank has no room for a new key,
    /// [`BankCallError::Call`] with a rejection or `f`'s own error.
    pub fn call<T, E>(
        &self,
        key: K,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, BankCallError<E>> {
        self.call_classified(key, &ErrorsAreFailures, f)
    }

    /// [`call`](Self::call) with `classify` deciding the outcome and, if it says so,
    /// whether the call was slow.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    pub fn call_classified<T, E>(
        &self,
        key: K,
        classify: &impl Classify<T, E>,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, BankCallError<E>> {
        let permit = self.acquire(key)?;
        let result = f();
        permit.record(classify.classify(&result));
        result.map_err(|e| BankCallError::Call(CallError::Inner(e)))
    }

    /// Awaits `fut` if `key`'s breaker permits it. Cancellation-safe as
    /// [`SharedBreaker::call_async`](crate::SharedBreaker::call_async): dropped
    /// mid-call it records [`Outcome::Ignored`](mycel::breaker::Outcome::Ignored).
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    pub async fn call_async<T, E>(
        &self,
        key: K,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, BankCallError<E>> {
        self.call_async_classified(key, &ErrorsAreFailures, fut)
            .await
    }

    /// [`call_async`](Self::call_async) with `classify` deciding the outcome and, if
    /// it says so, whether the call was slow.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    pub async fn call_async_classified<T, E>(
        &self,
        key: K,
        classify: &impl Classify<T, E>,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, BankCallError<E>> {
        let permit = self.acquire(key)?;
        let result = fut.await;
        permit.record(classify.classify(&result));
        result.map_err(|e| BankCallError::Call(CallError::Inner(e)))
    }

    /// The state of `key`'s breaker, if the bank holds one.
    #[must_use]
    pub fn state(&self, key: &K) -> Option<BreakerStateKind> {
        self.lock().engine.get(key).map(|b| b.state())
    }

    /// The metrics of `key`'s breaker, if the bank holds one.
    #[must_use]
    pub fn metrics(&self, key: &K) -> Option<Metrics> {
        self.lock().engine.get(key).map(|b| b.metrics())
    }
}

fn log_changes<K: Display>(key: K, changes: &BreakerChanges) {
    for change in changes {
        log::info!(
            "breaker {key}: {} -> {} ({})",
            change.from,
            change.to,
            change.reason
        );
    }
}

/// A permit from a bank's breaker, reported once however the call ends.
struct BankPermit<'a, K, const N: usize, C: Clock, const W: usize, const B: usize>
where
    K: Eq + Copy + Display + Send + 'static,
{
    bank: &'a SharedBank<K, N, C, W, B>,
    key: K,
    permit: Option<Permit>,
}

impl<K, const N: usize, C: Clock, const W: usize, const B: usize> BankPermit<'_, K, N, C, W, B>
where
    K: Eq + Copy + Display + Send + 'static,
{
    fn record(mut self, verdict: Verdict) {
        if let Some(permit) = self.permit.take() {
            self.bank.finish(self.key, permit, verdict);
        }
    }
}

impl<K, const N: usize, C: Clock, const W: usize, const B: usize> Drop
    for BankPermit<'_, K, N, C, W, B>
where
    K: Eq + Copy + Display + Send + 'static,
{
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take() {
            self.bank.finish(self.key, permit, outcome_of_drop().into());
        }
    }
}

//! [`FleetBreaker`]: a local breaker plus the fleet's shared view of the same backend,
//! kept in sync through Redis.

use super::codec::StoreView;
use super::config::{FleetStoreConfig, OutageMode};
use super::error::StoreError;
use super::link::{StoreLink, StoreStats};
use crate::clock::std_duration;
use crate::{CallError, Classify, ErrorsAreFailures, Rejection, SharedBreaker};
use mycel::breaker::{
    BreakerConfig, BreakerStateKind, ConfigError, FleetAdmission, FleetProposal, FleetState,
    Outcome, Reason, RejectReason, Verdict,
};
use mycel::time::Duration as Ticks;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// A circuit breaker for one backend shared by a fleet of instances through Redis.
///
/// Each instance keeps its own local [`SharedBreaker`], fed every outcome of its calls,
/// and a copy of the fleet's view (`docs/distributed.md`): a call runs only if both
/// permit it, so failures seen by one instance make the others reject, and a store
/// outage never removes the local protection. The instance syncs (one atomic script,
/// one round trip bounded by the command timeout) before every
/// [`sync_every_calls`](FleetStoreConfig::sync_every_calls)-th call or once
/// [`sync_interval`](FleetStoreConfig::sync_interval) has passed, whichever comes first,
/// and at once when it proposes a state change, asks the store for a probe (granted
/// atomically, so the half-open limit holds fleet-wide) or reports one. A call
/// makes at most two round trips before it runs (a sync, then the compare-and-set the
/// fresh view calls for) and one after it (a state change or a probe's report), each
/// bounded by the command timeout. A sync never waits for
/// another thread's sync: it is skipped instead.
///
/// While the store is unreachable the instance follows
/// [`on_outage`](FleetStoreConfig::on_outage) (local-only by default), counts and logs
/// the outage once, reconnects with backoff, and pushes its counters when the store is
/// back. Values in the store that no fleet breaker could have written are counted and
/// ignored ([`StoreStats::invalid_values`]).
#[derive(Clone)]
pub struct FleetBreaker {
    inner: Arc<Inner>,
}

struct Inner {
    local: SharedBreaker,
    config: BreakerConfig,
    instance: u32,
    on_outage: OutageMode,
    sync_every_calls: u32,
    sync_interval: Duration,
    link: StoreLink,
    side: Mutex<FleetSide>,
}

/// The fleet view and when it was last synced.
struct FleetSide {
    view: StoreView,
    /// The store's time at the latest sync, and this process's instant when it was
    /// read: the store's time now is the one plus the time elapsed since the other.
    anchor: Option<(Ticks, Instant)>,
    calls_since_sync: u32,
    last_sync: Option<Instant>,
}

/// The reason given when the local breaker's trip opens the fleet: the local policy
/// the fleet does not share.
fn local_reason(config: &BreakerConfig) -> Reason {
    if config.consecutive_failures.is_some() {
        Reason::ConsecutiveFailures
    } else {
        Reason::FailureRate
    }
}

/// What the fleet said before a call.
#[derive(Debug, Clone, Copy)]
struct Ticket {
    /// The call counts in the fleet view (the store was reachable).
    fleet: bool,
    /// The call is one of the fleet's probes.
    probe: bool,
    /// Fail-open during an outage: the local breaker is not asked either.
    bypass_local: bool,
}

impl std::fmt::Debug for FleetBreaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetBreaker")
            .field("name", &self.inner.local.name())
            .field("instance", &self.inner.instance)
            .field("fleet_state", &self.fleet_state())
            .field("local_state", &self.inner.local.state())
            .finish_non_exhaustive()
    }
}

impl FleetBreaker {
    /// A breaker named `name` (its backend, also the store key's middle part) for
    /// `config`, sharing its state through the store of `store`. It connects on the
    /// first call; until then, and whenever the store is unreachable, it follows
    /// `store.on_outage`.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config`.
    pub fn new(
        name: &str,
        config: BreakerConfig,
        store: FleetStoreConfig,
    ) -> Result<Self, ConfigError> {
        let local = SharedBreaker::new(name, config)?;
        Ok(Self {
            inner: Arc::new(Inner {
                local,
                config,
                instance: store.instance,
                on_outage: store.on_outage,
                sync_every_calls: store.sync_every_calls.max(1),
                sync_interval: store.sync_interval,
                link: StoreLink::new(name, store),
                side: Mutex::new(FleetSide {
                    view: StoreView::new(),
                    anchor: None,
                    calls_since_sync: 0,
                    last_sync: None,
                }),
            }),
        })
    }

    /// This instance's local breaker.
    #[must_use]
    pub fn local(&self) -> &SharedBreaker {
        &self.inner.local
    }

    /// The fleet's shared state as this instance last merged it.
    #[must_use]
    pub fn fleet_state(&self) -> FleetState {
        *self.side().view.state()
    }

    /// What this instance counted about its store.
    #[must_use]
    pub fn store_stats(&self) -> StoreStats {
        self.inner.link.stats()
    }

    /// The store keys of this breaker: the state hash and the counts hash.
    #[must_use]
    pub fn store_keys(&self) -> (String, String) {
        let (s, c) = self.inner.link.keys();
        (s.to_owned(), c.to_owned())
    }

    /// Syncs now: applies what time calls for, pushes this instance's counters and
    /// merges the store's view.
    ///
    /// # Errors
    /// [`StoreError`] if the store is unreachable or its value was ignored (counted in
    /// [`Self::store_stats`] either way).
    pub fn sync_now(&self) -> Result<(), StoreError> {
        let (snapshot, proposal) = {
            let side = self.side();
            let proposal = self
                .store_now(&side)
                .and_then(|now| side.view.due(&self.inner.config, now));
            (side.view.clone(), proposal)
        };
        self.sync(&snapshot, proposal.as_ref())
    }

    fn side(&self) -> MutexGuard<'_, FleetSide> {
        // Nothing here panics while holding the lock; if a caller did, the view is
        // still a valid view.
        self.inner
            .side
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn store_now(&self, side: &FleetSide) -> Option<Ticks> {
        side.anchor.map(|(store, at)| {
            let elapsed = u64::try_from(at.elapsed().as_micros()).unwrap_or(u64::MAX);
            Ticks::from_ticks(
                store
                    .as_ticks()
                    .saturating_add(Ticks::from_micros(elapsed).as_ticks()),
            )
        })
    }

    /// Whether this instance is part of the fleet right now: synced at least once, and
    /// the store answered the latest attempt.
    fn joined(&self, side: &FleetSide) -> bool {
        side.anchor.is_some() && self.inner.link.is_up()
    }

    fn sync_due(&self, side: &FleetSide) -> bool {
        side.calls_since_sync >= self.inner.sync_every_calls
            || side
                .last_sync
                .is_none_or(|at| at.elapsed() >= self.inner.sync_interval)
    }

    /// One sync of `snapshot` (with `proposal`'s compare-and-set), merged on success.
    fn sync(
        &self,
        snapshot: &StoreView,
        proposal: Option<&FleetProposal>,
    ) -> Result<(), StoreError> {
        self.sync_asking(snapshot, proposal, None).map(|_| ())
    }

    /// One sync of `snapshot` (with `proposal`'s compare-and-set, or asking for a probe
    /// with `probe`), merged on success: whether the probe was granted, or `None` when
    /// another thread was syncing and nothing happened.
    fn sync_asking(
        &self,
        snapshot: &StoreView,
        proposal: Option<&FleetProposal>,
        probe: Option<(u16, u64)>,
    ) -> Result<Option<bool>, StoreError> {
        let result = self.inner.link.sync(
            snapshot,
            self.inner.instance,
            proposal.map(|p| &p.next),
            probe,
        );
        let mut side = self.side();
        side.calls_since_sync = 0;
        side.last_sync = Some(Instant::now());
        match result {
            Ok(Some(reply)) => {
                if let (Some(p), true) = (proposal, reply.swapped) {
                    log::info!(
                        "breaker {}: fleet {} -> {} ({}), epoch {}",
                        self.inner.local.name(),
                        snapshot.kind(),
                        p.next.phase.kind(),
                        p.reason,
                        p.next.epoch
                    );
                }
                side.view.merge(&reply.view);
                side.anchor = Some((reply.store_time, Instant::now()));
                Ok(Some(reply.granted))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The answer while the store is unreachable (or its value unusable).
    fn outage_answer(&self) -> Result<Ticket, Rejection> {
        match self.inner.on_outage {
            OutageMode::LocalOnly => Ok(Ticket {
                fleet: false,
                probe: false,
                bypass_local: false,
            }),
            OutageMode::FailOpen => Ok(Ticket {
                fleet: false,
                probe: false,
                bypass_local: true,
            }),
            OutageMode::FailClosed => {
                Err(self.rejection(BreakerStateKind::ForcedOpen, RejectReason::ForcedOpen, None))
            }
        }
    }

    /// What the fleet says before a call.
    fn admit(&self) -> Result<Ticket, Rejection> {
        let (snapshot, proposal) = {
            let mut side = self.side();
            let proposal = self
                .store_now(&side)
                .and_then(|now| side.view.due(&self.inner.config, now));
            side.calls_since_sync = side.calls_since_sync.saturating_add(1);
            let needed = proposal.is_some() || !self.joined(&side) || self.sync_due(&side);
            (needed.then(|| side.view.clone()), proposal)
        };
        if let Some(snapshot) = snapshot {
            // An outage is counted and logged by the link; the answer below follows it.
            if self.sync(&snapshot, proposal.as_ref()).is_ok() && proposal.is_none() {
                // The fresh view may call for a change this instance could not see
                // before (an open period that ended while it held an older view):
                // one more round trip, the compare-and-set.
                let again = {
                    let side = self.side();
                    self.store_now(&side)
                        .and_then(|now| side.view.due(&self.inner.config, now))
                        .map(|p| (side.view.clone(), p))
                };
                if let Some((snapshot, p)) = again {
                    let _ = self.sync(&snapshot, Some(&p));
                }
            }
        }
        let mut side = self.side();
        let now = match self.store_now(&side) {
            Some(now) if self.joined(&side) => now,
            _ => return self.outage_answer(),
        };
        if side.view.kind() == BreakerStateKind::HalfOpen {
            // The store checks the fleet's outstanding probes and counts this one in
            // the same atomic step, so two instances cannot both take the last slot.
            let snapshot = side.view.clone();
            drop(side);
            let config = &self.inner.config;
            let ask = (
                config.half_open.max_permits,
                StoreView::bucket_of(config, now),
            );
            match self.sync_asking(&snapshot, None, Some(ask)) {
                Ok(Some(true)) => {
                    return Ok(Ticket {
                        fleet: true,
                        probe: true,
                        bypass_local: false,
                    });
                }
                Ok(Some(false)) => {
                    side = self.side();
                    if side.view.kind() == BreakerStateKind::HalfOpen {
                        return Err(self.rejection(
                            BreakerStateKind::HalfOpen,
                            RejectReason::HalfOpenFull,
                            None,
                        ));
                    }
                    // The fleet moved on meanwhile: its fresh view answers below.
                }
                // Another thread is syncing: the view this instance holds answers.
                Ok(None) => side = self.side(),
                Err(_) => return self.outage_answer(),
            }
        }
        match side
            .view
            .admit(self.inner.instance, &self.inner.config, now)
        {
            FleetAdmission::Call => Ok(Ticket {
                fleet: true,
                probe: false,
                bypass_local: false,
            }),
            FleetAdmission::Probe => {
                // Publish the probe at once, so the rest of the fleet counts it.
                let snapshot = side.view.clone();
                drop(side);
                let _ = self.sync(&snapshot, None);
                Ok(Ticket {
                    fleet: true,
                    probe: true,
                    bypass_local: false,
                })
            }
            FleetAdmission::Rejected { retry_at } => {
                let kind = side.view.kind();
                let reason = if kind == BreakerStateKind::Open {
                    RejectReason::Open
                } else {
                    RejectReason::HalfOpenFull
                };
                let after = retry_at.map(|at| {
                    std_duration(Ticks::from_ticks(
                        at.as_ticks().saturating_sub(now.as_ticks()),
                    ))
                });
                Err(self.rejection(kind, reason, after))
            }
        }
    }

    fn rejection(
        &self,
        state: BreakerStateKind,
        reason: RejectReason,
        retry_after: Option<Duration>,
    ) -> Rejection {
        Rejection {
            breaker: Arc::from(self.inner.local.name()),
            state,
            reason,
            retry_after,
        }
    }

    /// Counts a call's verdict in the fleet view and syncs when due; a timed call is
    /// slow if it `took` longer than the slow-call threshold.
    fn finish(&self, ticket: Ticket, verdict: Verdict, took: Duration) {
        if !ticket.fleet {
            return;
        }
        let (snapshot, proposal) = {
            let mut side = self.side();
            let Some(now) = self.store_now(&side) else {
                return;
            };
            let config = &self.inner.config;
            let Verdict { outcome, speed } = verdict;
            let slow = config.slow_calls.is_some_and(|s| {
                speed
                    .judged_slow()
                    .unwrap_or_else(|| took > std_duration(s.threshold))
            });
            let instance = self.inner.instance;
            side.view
                .record(instance, config, now, ticket.probe, outcome, slow);
            let proposal = if outcome == Outcome::Ignored {
                side.view.due(config, now)
            } else {
                side.view.evaluate(config, now)
            };
            // The local breaker opened on a policy the fleet does not share (the
            // failure run, the count window): this instance opens the fleet too.
            let proposal = proposal.or_else(|| {
                (self.inner.local.state() == BreakerStateKind::Open)
                    .then(|| side.view.propose_open(config, now, local_reason(config)))
                    .flatten()
            });
            // A new state and a probe's report go out at once; other counts with the
            // next due sync, before a later call.
            let needed = proposal.is_some() || ticket.probe;
            (needed.then(|| side.view.clone()), proposal)
        };
        if let Some(snapshot) = snapshot {
            let _ = self.sync(&snapshot, proposal.as_ref());
        }
    }

    /// Runs `f` if the fleet and the local breaker permit it; `Ok` counts as a success,
    /// `Err` as a failure, in both.
    ///
    /// # Errors
    /// [`CallError::Rejected`] if the fleet or the local breaker rejected the call (`f`
    /// did not run), [`CallError::Inner`] with `f`'s own error.
    pub fn call<T, E>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, CallError<E>> {
        self.call_classified(&ErrorsAreFailures, f)
    }

    /// [`call`](Self::call) with `classify` deciding the outcome and, if it says so,
    /// whether the call was slow, the same verdict reaching the local breaker and the
    /// fleet view.
    ///
    /// # Errors
    /// As for [`call`](Self::call).
    pub fn call_classified<T, E>(
        &self,
        classify: &impl Classify<T, E>,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, CallError<E>> {
        let ticket = self.admit().map_err(CallError::Rejected)?;
        let local = if ticket.bypass_local {
            None
        } else {
            match self.inner.local.acquire() {
                Ok(permit) => Some(permit),
                Err(rejection) => {
                    self.finish(ticket, Outcome::Ignored.into(), Duration::ZERO);
                    return Err(CallError::Rejected(rejection));
                }
            }
        };
        // Declared after the local permit, so it is dropped first: a panic in `f`
        // reaches the fleet view as a failure, as it reaches the local breaker.
        let pending = Pending {
            breaker: self,
            ticket: Some(ticket),
            started: Instant::now(),
        };
        let result = f();
        let verdict = classify.classify(&result);
        if let Some(permit) = local {
            permit.record(verdict);
        }
        pending.complete(verdict);
        result.map_err(CallError::Inner)
    }
}

/// A call admitted by the fleet and not yet counted in its view. Dropped uncounted (the
/// call panicked), it counts a failure; otherwise, ignored.
struct Pending<'a> {
    breaker: &'a FleetBreaker,
    ticket: Option<Ticket>,
    started: Instant,
}

impl Pending<'_> {
    fn complete(mut self, verdict: Verdict) {
        if let Some(ticket) = self.ticket.take() {
            self.breaker.finish(ticket, verdict, self.started.elapsed());
        }
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            let outcome = if std::thread::panicking() {
                Outcome::Failure
            } else {
                Outcome::Ignored
            };
            self.breaker
                .finish(ticket, outcome.into(), self.started.elapsed());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mycel::time::Duration as EngineDuration;

    fn unreachable(mode: OutageMode) -> FleetBreaker {
        // Port 1 on the loopback refuses at once.
        let mut store = FleetStoreConfig::new("redis://127.0.0.1:1", "svc", 1);
        store.on_outage = mode;
        let config = BreakerConfig::consecutive(2, EngineDuration::from_secs(60), 1);
        FleetBreaker::new("db", config, store).expect("valid config")
    }

    #[test]
    fn without_a_store_the_local_breaker_still_protects() {
        let b = unreachable(OutageMode::LocalOnly);
        for _ in 0..2 {
            assert!(matches!(
                b.call(|| Err::<(), _>("down")),
                Err(CallError::Inner(_))
            ));
        }
        assert!(b.call(|| Ok::<(), ()>(())).unwrap_err().is_rejected());
        assert_eq!(b.local().state(), BreakerStateKind::Open);
        assert_eq!(b.store_stats().outages, 1);
    }

    #[test]
    fn a_panicking_call_is_a_failure_and_the_panic_goes_on() {
        let b = unreachable(OutageMode::LocalOnly);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = b.call(|| -> Result<(), ()> { panic!("backend client bug") });
        }));
        assert!(caught.is_err());
        assert_eq!(b.local().metrics().failures, 1);
    }

    #[test]
    fn fail_closed_rejects_and_fail_open_permits_while_the_store_is_down() {
        let closed = unreachable(OutageMode::FailClosed);
        let r = closed.call(|| Ok::<(), ()>(())).unwrap_err();
        assert_eq!(
            r.rejection().map(|r| r.reason),
            Some(RejectReason::ForcedOpen)
        );
        let open = unreachable(OutageMode::FailOpen);
        open.local().force_open();
        assert!(open.call(|| Ok::<(), ()>(())).is_ok());
    }
}

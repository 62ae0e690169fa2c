//! The fleet simulation: N instances of one service calling one backend, each with its
//! own engine breaker, with or without a shared store that merges their fleet views.
//! A discrete-event run on a simulated clock: the same scenario gives the same numbers.

use super::scenario::FleetScenario;
use crate::rng::SimRng;
use crate::scenario::{COUNT_WINDOW_WORDS, TIME_WINDOW_BUCKETS};
use mycel::breaker::{
    BreakerStateKind, CircuitBreaker, FleetAdmission, FleetProposal, FleetView, Outcome, Reason,
};
use mycel::time::{Duration, Instant};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Entries a fleet view holds: every instance over every bucket of the largest window.
const ENTRIES: usize = 32 * TIME_WINDOW_BUCKETS * 2;

type View = FleetView<ENTRIES>;
type Breaker = CircuitBreaker<COUNT_WINDOW_WORDS, TIME_WINDOW_BUCKETS>;

/// Whether the instances share a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Each instance alone, with its own breaker.
    Independent,
    /// Breakers shared through the store.
    Shared,
}

/// What one run measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FleetRun {
    /// Calls that reached the backend.
    pub backend_calls: u64,
    /// Of which failed.
    pub backend_failures: u64,
    /// Failed calls sent from the start of the failure until every instance had
    /// rejected at least once (the fleet opened); `None` if it never did.
    pub failures_before_open: Option<u64>,
    /// Microseconds from the start of the failure until the fleet opened.
    pub open_after: Option<u64>,
    /// Calls rejected (by the fleet view or the local breaker).
    pub rejected: u64,
    /// Microseconds from the backend's recovery until every instance had a call
    /// succeed again; `None` if some never did.
    pub recovery_detected_after: Option<u64>,
    /// Syncs that reached the store.
    pub syncs: u64,
    /// Syncs that could not reach it (outages, partitions).
    pub failed_syncs: u64,
}

enum Event {
    /// Instance `i` makes a call.
    Call(u32),
    /// A sync request from instance `i` lands in the store.
    Land(u32, Box<View>, Option<FleetProposal>),
    /// The store's reply reaches instance `i`.
    Reply(u32, Box<View>),
}

struct Instance {
    local: Breaker,
    view: View,
    joined: bool,
    in_flight: bool,
    calls_since_sync: u32,
    last_sync: Option<u64>,
    rejected_since_failure: bool,
    recovered: bool,
}

struct Run<'a> {
    s: &'a FleetScenario,
    mode: Mode,
    queue: BinaryHeap<Reverse<(u64, u64)>>,
    events: BTreeMap<u64, Event>,
    seq: u64,
    store: View,
    instances: Vec<Instance>,
    rng: SimRng,
    out: FleetRun,
    failure_from: Option<u64>,
    recovery_from: Option<u64>,
}

fn store_time(t: u64) -> Duration {
    Duration::from_ticks(t)
}

impl Run<'_> {
    fn at(&mut self, t: u64, e: Event) {
        self.seq += 1;
        self.queue.push(Reverse((t, self.seq)));
        self.events.insert(self.seq, e);
    }

    /// Sends instance `i`'s view (and `proposal`) to the store, if none is in flight.
    fn sync(&mut self, i: u32, t: u64, proposal: Option<FleetProposal>) {
        let s = self.s;
        let inst = &mut self.instances[i as usize];
        if inst.in_flight {
            return;
        }
        inst.last_sync = Some(t);
        inst.calls_since_sync = 0;
        if !s.store.reachable(i, t) {
            // The request times out: this instance goes on with its local breaker.
            inst.joined = false;
            self.out.failed_syncs += 1;
            return;
        }
        inst.in_flight = true;
        let snapshot = Box::new(inst.view.clone());
        self.at(t + s.store.latency / 2, Event::Land(i, snapshot, proposal));
    }

    fn land(&mut self, i: u32, t: u64, view: &View, proposal: Option<FleetProposal>) {
        self.out.syncs += 1;
        // What the store's script does: the join, then the compare-and-set.
        self.store.merge(view);
        if let Some(p) = proposal {
            let _ = self.store.apply(&p);
        }
        let reply = Box::new(self.store.clone());
        let back = t + self.s.store.latency - self.s.store.latency / 2;
        self.at(back, Event::Reply(i, reply));
    }

    fn call(&mut self, i: u32, t: u64) {
        let s = self.s;
        let now = Instant::from_ticks(t);
        let shared = self.mode == Mode::Shared;
        {
            let inst = &mut self.instances[i as usize];
            inst.calls_since_sync += 1;
        }
        let due = {
            let inst = &self.instances[i as usize];
            !inst.joined
                || inst.calls_since_sync >= s.store.sync_every_calls
                || inst
                    .last_sync
                    .is_none_or(|at| t.saturating_sub(at) >= s.store.sync_interval)
        };
        let mut probe = false;
        let mut fleet = false;
        if shared {
            let proposal = self.instances[i as usize]
                .view
                .due(&s.breaker, store_time(t));
            if due || proposal.is_some() {
                self.sync(i, t, proposal);
            }
            let inst = &mut self.instances[i as usize];
            if inst.joined {
                match inst.view.admit(i, &s.breaker, store_time(t)) {
                    FleetAdmission::Rejected { .. } => {
                        self.reject(i);
                        return;
                    }
                    FleetAdmission::Probe => probe = true,
                    FleetAdmission::Call => {}
                }
                fleet = true;
            }
        }
        let inst = &mut self.instances[i as usize];
        let Ok(permit) = inst.local.try_acquire(now).value else {
            if fleet {
                inst.view
                    .record(i, &s.breaker, store_time(t), probe, Outcome::Ignored, false);
            }
            self.reject(i);
            return;
        };
        let failed = self.rng.chance(s.failure_probability(t));
        let outcome = if failed {
            Outcome::Failure
        } else {
            Outcome::Success
        };
        self.out.backend_calls += 1;
        if failed {
            self.out.backend_failures += 1;
        }
        let inst = &mut self.instances[i as usize];
        let _ = inst.local.record(permit, outcome, now);
        if !failed && self.recovery_from.is_some_and(|r| t >= r) {
            inst.recovered = true;
        }
        if fleet {
            let st = store_time(t);
            inst.view.record(i, &s.breaker, st, probe, outcome, false);
            let proposal = inst.view.evaluate(&s.breaker, st).or_else(|| {
                (inst.local.state() == BreakerStateKind::Open)
                    .then(|| inst.view.propose_open(&s.breaker, st, Reason::FailureRate))
                    .flatten()
            });
            if proposal.is_some() || probe {
                self.sync(i, t, proposal);
            }
        }
    }

    fn reject(&mut self, i: u32) {
        self.out.rejected += 1;
        self.instances[i as usize].rejected_since_failure = true;
    }
}

/// Runs `s` in `mode`.
#[must_use]
pub fn run(s: &FleetScenario, mode: Mode) -> FleetRun {
    let failure_from = s.backend.iter().find(|(_, p)| *p >= 0.5).map(|(f, _)| *f);
    let recovery_from = failure_from.and_then(|ff| {
        s.backend
            .iter()
            .find(|(from, p)| *from > ff && *p < 0.5)
            .map(|(f, _)| *f)
    });
    let instances = (0..s.instances)
        .map(|_| Instance {
            local: Breaker::new(s.breaker, Instant::from_ticks(0))
                .expect("the scenario's breaker was checked"),
            view: View::new(),
            joined: false,
            in_flight: false,
            calls_since_sync: 0,
            last_sync: None,
            rejected_since_failure: false,
            recovered: false,
        })
        .collect();
    let mut r = Run {
        s,
        mode,
        queue: BinaryHeap::new(),
        events: BTreeMap::new(),
        seq: 0,
        store: View::new(),
        instances,
        rng: SimRng::new(s.seed, 0),
        out: FleetRun::default(),
        failure_from,
        recovery_from,
    };
    for i in 0..s.instances {
        let offset = s.interval * u64::from(i) / u64::from(s.instances);
        r.at(offset, Event::Call(i));
    }
    let mut opened = false;
    let mut failures_at_failure_start = None;
    while let Some(Reverse((t, seq))) = r.queue.pop() {
        if t >= s.duration {
            break;
        }
        let Some(event) = r.events.remove(&seq) else {
            continue;
        };
        if r.failure_from.is_some_and(|f| t >= f) && failures_at_failure_start.is_none() {
            failures_at_failure_start = Some(r.out.backend_failures);
        }
        match event {
            Event::Call(i) => {
                if r.failure_from.is_some_and(|f| t < f) {
                    r.instances[i as usize].rejected_since_failure = false;
                }
                r.call(i, t);
                r.at(t + s.interval, Event::Call(i));
            }
            Event::Land(i, view, proposal) => r.land(i, t, &view, proposal),
            Event::Reply(i, view) => {
                let inst = &mut r.instances[i as usize];
                inst.in_flight = false;
                inst.view.merge(&view);
                inst.joined = true;
                // Merged outcomes are outcomes too: the fleet may call for a change
                // (also one this instance proposed while a sync was in flight).
                if let Some(p) = inst.view.evaluate(&s.breaker, store_time(t)) {
                    r.sync(i, t, Some(p));
                }
            }
        }
        if let (Some(f), Some(start)) = (r.failure_from, failures_at_failure_start)
            && !opened
            && r.instances.iter().all(|i| i.rejected_since_failure)
        {
            opened = true;
            r.out.open_after = Some(t - f);
            r.out.failures_before_open = Some(r.out.backend_failures - start);
        }
        if let Some(rec) = r.recovery_from
            && t >= rec
            && r.out.recovery_detected_after.is_none()
            && r.instances.iter().all(|i| i.recovered)
        {
            r.out.recovery_detected_after = Some(t - rec);
        }
    }
    r.out
}

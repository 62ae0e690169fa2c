//! The breaker inside a net: a small request pipeline whose route transition admits
//! requests through [`Admit`] and whose record transition reports their outcomes
//! through [`Report`], driven by generated host calls.
//!
//! ```text
//! requests --route--> forwarded --record--> done
//!               \--> rejected
//! ```
//!
//! The host injects requests (each carrying the outcome its backend call will have),
//! steps or runs the net, drains the end places, and makes operator calls on the
//! breaker at the net's latest instant. Every request that ever reached `forwarded` is counted from the marking
//! alone (`forwarded + done + drained from done`), independently of the breaker.

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{BreakerConfig, BreakerStateKind, ConfigError, Outcome, Permit};
use mycel::embed;
use mycel::fsm::ChangeSink;
use mycel::net::{NetBuilder, PlaceId, TransitionId};
use mycel::sched::{Behaviour, Fault, Firing, Net};
use mycel::time::Instant;

use super::config::Breaker;
use super::ops::Operator;
use crate::model_based::net::ops::When;

/// A request travelling through the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// Its number, in injection order.
    pub id: u32,
    /// How its backend call ends.
    pub outcome: Outcome,
    /// Its permit, once admitted.
    pub permit: Option<Permit>,
}

/// Requests waiting for admission.
pub const REQUESTS: PlaceId = PlaceId::new(0);
/// Admitted requests (with their permit), waiting for their outcome to be recorded.
pub const FORWARDED: PlaceId = PlaceId::new(1);
/// Rejected requests (never forwarded).
pub const REJECTED: PlaceId = PlaceId::new(2);
/// Requests whose outcome was recorded.
pub const DONE: PlaceId = PlaceId::new(3);
const ROUTE: TransitionId = TransitionId::new(0);
/// Capacity of every place.
pub const CAPACITY: u16 = 6;

/// The pipeline net type.
pub type PipelineNet = Net<Request, 4, 2, 6, 32>;

const ADMIT: Admit<Request> = Admit {
    forwarded: FORWARDED,
    rejected: REJECTED,
    attach: |r, p| Request {
        permit: Some(p),
        ..*r
    },
};

const REPORT: Report<Request> = Report {
    done: DONE,
    outcome: |r| r.permit.map(|p| (p, r.outcome)),
};

/// The behaviour: the breaker shared by both transitions.
#[derive(Debug)]
pub struct Breakered {
    /// The breaker.
    pub breaker: Breaker,
}

impl Behaviour<Request> for Breakered {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Request>,
        now: Instant,
    ) -> Result<(), Fault> {
        let machine = self.breaker.state_machine_mut();
        if transition == ROUTE {
            embed::fire(machine, &ADMIT, firing, now)
        } else {
            embed::fire(machine, &REPORT, firing, now)
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.breaker.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        // The net polls only forward; a breaker ahead of it refuses `now`, changing nothing.
        let _ = self.breaker.poll_into(now, changes);
    }
}

/// One host operation on the pipeline, as generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum PipelineOp {
    /// Inject a request whose call will end with `outcome`.
    Request {
        /// How its call ends.
        outcome: Outcome,
        /// When.
        at: When,
    },
    /// Fire at most one transition.
    Step {
        /// When.
        at: When,
    },
    /// Fire until idle or `budget % 9` firings.
    Run {
        /// When.
        at: When,
        /// Chooses the budget.
        budget: u8,
    },
    /// Take every token from `done` and `rejected`.
    Drain,
    /// An operator call on the breaker, at the net's latest instant (so the breaker
    /// never runs ahead of the net's clock).
    Operator(Operator),
}

/// What one pipeline operation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipelineStep {
    /// The instant the operation used, in ticks.
    pub now: u64,
    /// Whether the net fired (a step or a run that was not refused).
    pub fired: bool,
    /// The breaker's state before the operation.
    pub state_before: BreakerStateKind,
    /// The end of the open period before the operation, if OPEN.
    pub open_until: Option<u64>,
    /// Requests that had reached `forwarded` before the operation.
    pub forwarded_before: u64,
    /// Requests that had reached `forwarded` after it.
    pub forwarded_after: u64,
}

impl PipelineStep {
    /// Whether the breaker was OPEN (its period not yet over at `now`) or FORCED_OPEN
    /// for the whole of a firing operation: nothing can move it out of those before the
    /// operation's instant.
    #[must_use]
    pub fn fired_while_open(&self) -> bool {
        self.fired
            && match self.state_before {
                BreakerStateKind::Open => self.open_until.is_some_and(|end| self.now < end),
                BreakerStateKind::ForcedOpen => true,
                _ => false,
            }
    }
}

/// The pipeline and its breaker.
#[derive(Debug)]
pub struct Pipeline {
    net: PipelineNet,
    app: Breakered,
    next_id: u32,
    drained_done: u64,
}

impl Pipeline {
    /// A pipeline with a breaker for `config`, at instant 0.
    ///
    /// # Errors
    /// The engine's [`ConfigError`] for an invalid `config`.
    ///
    /// # Panics
    /// When the fixed pipeline net does not build (a bug in this module).
    pub fn new(config: BreakerConfig) -> Result<Self, ConfigError> {
        let mut b = NetBuilder::new();
        let places = [
            b.place("requests", CAPACITY),
            b.place("forwarded", CAPACITY),
            b.place("rejected", CAPACITY),
            b.place("done", CAPACITY),
        ];
        assert_eq!(places, [REQUESTS, FORWARDED, REJECTED, DONE]);
        let route = b.transition("route");
        let record = b.transition("record");
        assert_eq!(route, ROUTE);
        b.input(route, REQUESTS, 1)
            .output(route, FORWARDED, 1)
            .output(route, REJECTED, 1);
        b.input(record, FORWARDED, 1).output(record, DONE, 1);
        Ok(Self {
            net: b.build().expect("the pipeline net is valid"),
            app: Breakered {
                breaker: Breaker::new(config, Instant::from_ticks(0))?,
            },
            next_id: 0,
            drained_done: 0,
        })
    }

    /// The breaker.
    #[must_use]
    pub const fn breaker(&self) -> &Breaker {
        &self.app.breaker
    }

    /// The net.
    #[must_use]
    pub const fn net(&self) -> &PipelineNet {
        &self.net
    }

    /// Requests that ever reached `forwarded`, counted from the marking.
    #[must_use]
    pub fn forwarded_ever(&self) -> u64 {
        (self.net.len(FORWARDED) + self.net.len(DONE)) as u64 + self.drained_done
    }

    /// Applies `op`.
    pub fn apply(&mut self, op: PipelineOp) -> PipelineStep {
        let last = self.net.last_seen().as_ticks();
        let state_before = self.app.breaker.state();
        let open_until = (state_before == BreakerStateKind::Open)
            .then(|| self.app.breaker.next_deadline().map(|d| d.as_ticks()))
            .flatten();
        let forwarded_before = self.forwarded_ever();
        let (now, fired) = match op {
            PipelineOp::Request { outcome, at } => {
                let now = at.instant(last);
                let request = Request {
                    id: self.next_id,
                    outcome,
                    permit: None,
                };
                if self
                    .net
                    .inject(REQUESTS, request, Instant::from_ticks(now))
                    .is_ok()
                {
                    self.next_id += 1;
                }
                (now, false)
            }
            PipelineOp::Step { at } => {
                let now = at.instant(last);
                let stepped = self.net.step(Instant::from_ticks(now), &mut self.app);
                (now, stepped.is_ok())
            }
            PipelineOp::Run { at, budget } => {
                let now = at.instant(last);
                let ran = self.net.run(
                    Instant::from_ticks(now),
                    u32::from(budget % 9),
                    &mut self.app,
                );
                (now, ran.is_ok())
            }
            PipelineOp::Drain => {
                while self.net.take(DONE).is_ok() {
                    self.drained_done += 1;
                }
                while self.net.take(REJECTED).is_ok() {}
                (last, false)
            }
            PipelineOp::Operator(call) => {
                let at = Instant::from_ticks(last);
                let breaker = &mut self.app.breaker;
                let _ = match call {
                    Operator::ForceOpen => breaker.force_open(at),
                    Operator::Disable => breaker.disable(at),
                    Operator::MetricsOnly => breaker.metrics_only(at),
                    Operator::Reset => breaker.reset(at),
                };
                (last, false)
            }
        };
        PipelineStep {
            now,
            fired,
            state_before,
            open_until,
            forwarded_before,
            forwarded_after: self.forwarded_ever(),
        }
    }
}

//! The invariant checker: runs a sequence of host operations on a user's net and
//! behaviour and checks, after every operation, that capacities hold, that no token is
//! lost or invented, that every P-invariant and stated law is conserved, that the
//! behaviour keeps the flow contract, and that a replay from a fresh net goes the same
//! way.

use std::fmt;

use mycel::net::{Net, PlaceId, TransitionId};
use mycel::sched::{Behaviour, Disposition, FiringError, InjectError, NetEvent, TakeError};
use mycel::time::Instant;

use super::ops::Op;
use super::subject::Subject;
use super::sums::{Law, TrackedSum, p_invariant_sums, place_names, tracked_law};
use super::violation::{Violation, ViolationKind, named, shown};

/// Which checks [`Checker::run`] makes; all of them by default.
///
/// ```
/// use mycel::net::Net;
/// use mycel::sched::Passthrough;
/// use mycel_check::kit::{Checker, Op};
///
/// fn ping_pong() -> (Net<u32, 2, 2, 4, 3>, Passthrough) {
///     let mut b = Net::builder();
///     let (ping, pong) = (b.place("ping", 1), b.place("pong", 1));
///     let (serve, back) = (b.transition("serve"), b.transition("back"));
///     b.input(serve, ping, 1).output(serve, pong, 1);
///     b.input(back, pong, 1).output(back, ping, 1);
///     (b.build().expect("a valid net"), Passthrough)
/// }
///
/// let ops = [Op::Inject { place: 0, token: 7 }, Op::Step { gap: 0 }, Op::Take { place: 1 }];
/// let report = Checker::new().run(ping_pong, &ops)?;
/// assert_eq!(report.firings, 1);
/// assert_eq!(report.sums, vec!["P-invariant ping[0] + pong[1]".to_owned()]);
/// # Ok::<(), mycel_check::kit::Violation>(())
/// ```
#[derive(Clone, Debug)]
pub struct Checker {
    laws: Vec<Law>,
    p_invariants: bool,
    flow_contract: bool,
    replay: bool,
}

impl Default for Checker {
    fn default() -> Self {
        Self::new()
    }
}

/// What a passing [`Checker::run`] saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Operations run.
    pub operations: usize,
    /// Successful firings.
    pub firings: u64,
    /// Failed firings (faults the behaviour reported, and with
    /// [`Checker::allow_flow_faults`] broken flow rules too).
    pub failures: u64,
    /// Every conserved sum checked, as `P-invariant a[0] + b[1]` or `law "name" ...`.
    pub sums: Vec<String>,
    /// Why the P-invariants were not checked, if they were not (an inhibitor arc, or a
    /// limit of the invariant computation).
    pub p_invariants_skipped: Option<String>,
    /// Whether a replay from a fresh net was compared.
    pub replayed: bool,
}

impl Checker {
    /// Every check on, no laws.
    #[must_use]
    pub fn new() -> Self {
        Self {
            laws: Vec::new(),
            p_invariants: true,
            flow_contract: true,
            replay: true,
        }
    }

    /// Also checks `law` after every operation.
    #[must_use]
    pub fn law(mut self, law: Law) -> Self {
        self.laws.push(law);
        self
    }

    /// Does not check the P-invariants of the net's P/T form.
    #[must_use]
    pub fn without_p_invariants(mut self) -> Self {
        self.p_invariants = false;
        self
    }

    /// Accepts firings that fail for breaking the flow rules (refused emissions, lost or
    /// invented tokens), for a behaviour that relies on the engine to undo them.
    #[must_use]
    pub fn allow_flow_faults(mut self) -> Self {
        self.flow_contract = false;
        self
    }

    /// Does not run the operations a second time to compare.
    #[must_use]
    pub fn without_replay(mut self) -> Self {
        self.replay = false;
        self
    }

    /// Runs `ops` on a net and behaviour from `make`, checking after every operation;
    /// then, unless turned off, runs them again on a fresh pair from `make` and compares
    /// the two runs. Time starts at the net's last instant seen; an operation on a place
    /// index the net does not have is skipped.
    ///
    /// # Errors
    /// The first [`Violation`], naming the operation, the place or transition and the
    /// numbers.
    pub fn run<C, S, B, F, const P: usize, const T: usize, const A: usize, const K: usize>(
        &self,
        make: F,
        ops: &[Op<C>],
    ) -> Result<Report, Violation>
    where
        C: Clone + fmt::Debug + PartialEq,
        S: Subject<C, P, T, A, K>,
        B: Behaviour<C>,
        F: Fn() -> (S, B),
    {
        let (mut subject, mut behaviour) = make();
        let mut checks = Checks::new(self, subject.net());
        let first = execute(&mut subject, &mut behaviour, ops, Some(&mut checks))?;
        let mut report = Report {
            operations: ops.len(),
            firings: checks.fired,
            failures: checks.failed,
            sums: checks
                .sums
                .iter()
                .map(|s| format!("{} {}", s.origin, s.text))
                .collect(),
            p_invariants_skipped: checks.skipped.clone(),
            replayed: false,
        };
        if self.replay {
            let (mut subject, mut behaviour) = make();
            let again = execute(&mut subject, &mut behaviour, ops, None)?;
            compare_runs(ops, &first, &again)?;
            report.replayed = true;
        }
        Ok(report)
    }
}

/// What one operation did, for the replay comparison.
#[derive(Debug)]
struct Record<C> {
    outcome: String,
    events: Vec<NetEvent>,
    marking: Vec<Vec<C>>,
}

/// The running state of the checks during the first run.
struct Checks {
    names: Vec<String>,
    transition_names: Vec<String>,
    capacities: Vec<usize>,
    /// Per transition: the input places and weights, for moves to an error place.
    inputs: Vec<Vec<(usize, usize)>>,
    flow_contract: bool,
    sums: Vec<TrackedSum>,
    expected_sums: Vec<i128>,
    skipped: Option<String>,
    start_held: u64,
    start_counters: mycel::sched::NetCounters,
    injected: u64,
    taken: u64,
    created: u64,
    retired: u64,
    fired: u64,
    failed: u64,
}

impl Checks {
    fn new<C, const P: usize, const T: usize, const A: usize, const K: usize>(
        checker: &Checker,
        net: &Net<C, P, T, A, K>,
    ) -> Self {
        let names = place_names(net);
        let mut sums = Vec::new();
        let mut skipped = None;
        if checker.p_invariants {
            match p_invariant_sums(net, &names) {
                Ok(found) => sums.extend(found),
                Err(why) => skipped = Some(why),
            }
        } else {
            skipped = Some("turned off".to_owned());
        }
        sums.extend(checker.laws.iter().map(|law| tracked_law(law, &names)));
        let lens = lens(net);
        let expected_sums = sums.iter().map(|s| s.value(&lens)).collect();
        Self {
            transition_names: net
                .transitions()
                .map(|t| named(net.transition_name(t).unwrap_or(""), t.index()))
                .collect(),
            capacities: net
                .places()
                .map(|p| net.place(p).map_or(0, |s| usize::from(s.capacity)))
                .collect(),
            inputs: net
                .transitions()
                .map(|t| {
                    net.arcs(t)
                        .iter()
                        .filter(|a| a.kind == mycel::net::ArcKind::Input)
                        .map(|a| (a.place.index(), usize::from(a.weight)))
                        .collect()
                })
                .collect(),
            names,
            flow_contract: checker.flow_contract,
            sums,
            expected_sums,
            skipped,
            start_held: net.held(),
            start_counters: *net.counters(),
            injected: 0,
            taken: 0,
            created: 0,
            retired: 0,
            fired: 0,
            failed: 0,
        }
    }

    fn place(&self, place: usize) -> String {
        self.names
            .get(place)
            .cloned()
            .unwrap_or_else(|| format!("[{place}]"))
    }

    fn transition(&self, t: TransitionId) -> String {
        self.transition_names
            .get(t.index())
            .cloned()
            .unwrap_or_else(|| format!("[{}]", t.index()))
    }

    /// Counts a token the host moved into (`+1`) or out of (`-1`) `place`.
    fn host_move(&mut self, place: usize, direction: i128) {
        for (sum, expected) in self.sums.iter().zip(self.expected_sums.iter_mut()) {
            *expected += direction * sum.weight(place);
        }
    }

    /// Accounts for the events of one operation; the first broken flow contract.
    fn events(&mut self, events: &[NetEvent]) -> Result<Option<String>, ViolationKind> {
        let mut transition = None;
        for event in events {
            match *event {
                NetEvent::Fired {
                    transition: t,
                    consumed,
                    produced,
                    ..
                } => {
                    self.fired += 1;
                    self.created += u64::from(produced.saturating_sub(consumed));
                    self.retired += u64::from(consumed.saturating_sub(produced));
                    transition = Some(self.transition(t));
                }
                NetEvent::Failed {
                    transition: t,
                    error,
                    disposition,
                    ..
                } => {
                    self.failed += 1;
                    transition = Some(self.transition(t));
                    if self.flow_contract && !matches!(error, FiringError::Behaviour(_)) {
                        return Err(ViolationKind::BrokenFlowContract {
                            transition: self.transition(t),
                            error,
                        });
                    }
                    if let Disposition::ToErrorPlace { place, .. } = disposition {
                        let inputs = self.inputs.get(t.index()).cloned().unwrap_or_default();
                        for (from, weight) in inputs {
                            for _ in 0..weight {
                                self.host_move(from, -1);
                                self.host_move(place.index(), 1);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(transition)
    }

    /// Every check on the net after one operation.
    fn after<C, const P: usize, const T: usize, const A: usize, const K: usize>(
        &self,
        net: &Net<C, P, T, A, K>,
        transition: Option<String>,
    ) -> Result<(), ViolationKind> {
        let lens = lens(net);
        for (place, (&len, &capacity)) in lens.iter().zip(&self.capacities).enumerate() {
            if len > capacity {
                return Err(ViolationKind::OverCapacity {
                    place: self.place(place),
                    len,
                    capacity,
                });
            }
        }
        let held: u64 = lens.iter().map(|&l| l as u64).sum();
        let expected = i128::from(self.start_held) + i128::from(self.injected)
            - i128::from(self.taken)
            + i128::from(self.created)
            - i128::from(self.retired);
        if i128::from(held) != expected || net.held() != held {
            return Err(ViolationKind::TokensNotConserved {
                held,
                expected,
                start: self.start_held,
                injected: self.injected,
                taken: self.taken,
                created: self.created,
                retired: self.retired,
            });
        }
        let now = net.counters();
        let was = &self.start_counters;
        for (counter, net_moved, kit) in [
            (
                "injected",
                now.injected.saturating_sub(was.injected),
                self.injected,
            ),
            ("taken", now.taken.saturating_sub(was.taken), self.taken),
            (
                "created",
                now.created.saturating_sub(was.created),
                self.created,
            ),
            (
                "retired",
                now.retired.saturating_sub(was.retired),
                self.retired,
            ),
            (
                "firings",
                now.firings.saturating_sub(was.firings),
                self.fired,
            ),
            (
                "failures",
                now.failures.saturating_sub(was.failures),
                self.failed,
            ),
        ] {
            if net_moved != kit {
                return Err(ViolationKind::CountersDisagree {
                    counter,
                    net: net_moved,
                    kit,
                });
            }
        }
        for (sum, &expected) in self.sums.iter().zip(&self.expected_sums) {
            let actual = sum.value(&lens);
            if actual != expected {
                return Err(ViolationKind::SumNotConserved {
                    origin: sum.origin.clone(),
                    sum: sum.text.clone(),
                    actual,
                    expected,
                    transition,
                });
            }
        }
        Ok(())
    }
}

fn lens<C, const P: usize, const T: usize, const A: usize, const K: usize>(
    net: &Net<C, P, T, A, K>,
) -> Vec<usize> {
    net.marking().map(|(_, len)| len).collect()
}

fn marking<C: Clone, const P: usize, const T: usize, const A: usize, const K: usize>(
    net: &Net<C, P, T, A, K>,
) -> Vec<Vec<C>> {
    net.places()
        .map(|p| net.tokens(p).cloned().collect())
        .collect()
}

fn place_id(index: usize) -> PlaceId {
    PlaceId::new(u16::try_from(index).unwrap_or(u16::MAX))
}

/// Runs `ops`, checking after each one when `checks` is given.
fn execute<C, S, B, const P: usize, const T: usize, const A: usize, const K: usize>(
    subject: &mut S,
    behaviour: &mut B,
    ops: &[Op<C>],
    mut checks: Option<&mut Checks>,
) -> Result<Vec<Record<C>>, Violation>
where
    C: Clone + fmt::Debug + PartialEq,
    S: Subject<C, P, T, A, K>,
    B: Behaviour<C>,
{
    let mut now = subject.net().last_seen();
    let names: Option<Vec<String>> = checks.as_ref().map(|c| c.names.clone());
    let mut records = Vec::with_capacity(ops.len());
    for (index, op) in ops.iter().enumerate() {
        let violation = |kind| Violation {
            index,
            op: op_text(op, names.as_deref()),
            kind: Box::new(kind),
        };
        let place_count = subject.net().place_count();
        let mut events = Vec::new();
        let mut record = |e: &NetEvent| events.push(*e);
        let outcome = match op {
            Op::Inject { place, .. } | Op::Take { place } if *place >= place_count => {
                "skipped: no such place".to_owned()
            }
            Op::Inject { place, token } => {
                let result =
                    subject.inject_observed(place_id(*place), token.clone(), now, &mut record);
                if let Some(checks) = checks.as_deref_mut() {
                    match &result {
                        Ok(()) => {
                            checks.injected += 1;
                            checks.host_move(*place, 1);
                        }
                        Err(InjectError::Full(..)) => {
                            let len = subject.net().len(place_id(*place));
                            let capacity = checks.capacities.get(*place).copied().unwrap_or(0);
                            if len < capacity {
                                return Err(violation(ViolationKind::RefusedWithRoom {
                                    place: checks.place(*place),
                                    len,
                                    capacity,
                                }));
                            }
                        }
                        Err(_) => {}
                    }
                }
                shown(&result)
            }
            Op::Take { place } => {
                let head = subject.net().peek(place_id(*place)).cloned();
                let result = subject.take_observed(place_id(*place), &mut record);
                if let Some(checks) = checks.as_deref_mut() {
                    let fifo = match (&result, &head) {
                        (Ok(token), Some(first)) => token == first,
                        (Err(TakeError::Empty(..)), None) => true,
                        _ => false,
                    };
                    if !fifo {
                        return Err(violation(ViolationKind::WrongTake {
                            place: checks.place(*place),
                            head: head.as_ref().map_or("none".to_owned(), shown),
                            got: shown(&result),
                        }));
                    }
                    if result.is_ok() {
                        checks.taken += 1;
                        checks.host_move(*place, -1);
                    }
                }
                shown(&result)
            }
            Op::Step { gap } => {
                now = Instant::from_ticks(now.as_ticks().saturating_add(*gap));
                shown(&subject.step_observed(now, behaviour, &mut record))
            }
        };
        if let Some(checks) = checks.as_deref_mut() {
            let transition = checks.events(&events).map_err(violation)?;
            checks.after(subject.net(), transition).map_err(violation)?;
        }
        records.push(Record {
            outcome,
            events,
            marking: marking(subject.net()),
        });
    }
    Ok(records)
}

/// The operation as text, with the place's name when the checks know it.
fn op_text<C: fmt::Debug>(op: &Op<C>, names: Option<&[String]>) -> String {
    let name = |place: usize| {
        names
            .and_then(|n| n.get(place).cloned())
            .unwrap_or_else(|| format!("[{place}]"))
    };
    match op {
        Op::Inject { place, token } => format!("inject {token:?} into {}", name(*place)),
        Op::Take { place } => format!("take from {}", name(*place)),
        Op::Step { gap } => format!("step after {gap} ticks"),
    }
}

/// The first difference between two runs of `ops`.
fn compare_runs<C: fmt::Debug + PartialEq>(
    ops: &[Op<C>],
    first: &[Record<C>],
    again: &[Record<C>],
) -> Result<(), Violation> {
    for (index, (one, two)) in first.iter().zip(again).enumerate() {
        let differs = |what: String, a: String, b: String| Violation {
            index,
            op: ops
                .get(index)
                .map_or_else(String::new, |op| op_text(op, None)),
            kind: Box::new(ViolationKind::Replay {
                what,
                first: a,
                replay: b,
            }),
        };
        if one.outcome != two.outcome {
            return Err(differs(
                "result".to_owned(),
                one.outcome.clone(),
                two.outcome.clone(),
            ));
        }
        if one.events != two.events {
            return Err(differs(
                "events".to_owned(),
                shown(&one.events),
                shown(&two.events),
            ));
        }
        for (place, (a, b)) in one.marking.iter().zip(&two.marking).enumerate() {
            if a != b {
                return Err(differs(
                    format!("tokens of place [{place}]"),
                    shown(a),
                    shown(b),
                ));
            }
        }
    }
    Ok(())
}

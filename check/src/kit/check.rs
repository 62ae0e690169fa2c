//! The invariant checker: runs a sequence of host operations on a user's net and
//! behaviour and checks, after every operation, that capacities hold, that no token is
//! lost or invented, that every P-invariant and stated law is conserved, that the
//! behaviour keeps the flow contract, and that a replay from a fresh net goes the same
//! way.

use std::fmt;

use mycel::net::PlaceId;
use mycel::sched::{Behaviour, InjectError, NetEvent, TakeError};
use mycel::time::Instant;

use super::ledger::Ledger;
use super::ops::Op;
use super::replay::{Record, compare_runs, marking};
use super::subject::Subject;
use super::sums::Law;
use super::violation::{Violation, ViolationKind, shown};

/// Runs host operations on your net and checks every rule after each one (see
/// [`Checker::run`]); its methods choose which checks, all of them by default.
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
    pub(crate) laws: Vec<Law>,
    pub(crate) p_invariants: bool,
    pub(crate) flow_contract: bool,
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
    /// Why the P-invariants were not checked, if they were not (turned off, or a limit
    /// of the P/T export or of the invariant computation).
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
        let mut ledger = Ledger::new(self, subject.net());
        let first = execute(&mut subject, &mut behaviour, ops, Some(&mut ledger))?;
        let mut report = Report {
            operations: ops.len(),
            firings: ledger.fired,
            failures: ledger.failed,
            sums: ledger
                .sums
                .iter()
                .map(|s| format!("{} {}", s.origin, s.text))
                .collect(),
            p_invariants_skipped: ledger.skipped.clone(),
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

fn place_id(index: usize) -> PlaceId {
    PlaceId::new(u16::try_from(index).unwrap_or(u16::MAX))
}

/// Runs `ops`, checking after each one when a `ledger` is given.
fn execute<C, S, B, const P: usize, const T: usize, const A: usize, const K: usize>(
    subject: &mut S,
    behaviour: &mut B,
    ops: &[Op<C>],
    mut ledger: Option<&mut Ledger>,
) -> Result<Vec<Record<C>>, Violation>
where
    C: Clone + fmt::Debug + PartialEq,
    S: Subject<C, P, T, A, K>,
    B: Behaviour<C>,
{
    let mut now = subject.net().last_seen();
    let names: Option<Vec<String>> = ledger.as_ref().map(|c| c.names.clone());
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
                if let Some(ledger) = ledger.as_deref_mut() {
                    match &result {
                        Ok(()) => {
                            ledger.injected += 1;
                            ledger.host_move(*place, 1);
                        }
                        Err(InjectError::Full(..)) => {
                            let len = subject.net().len(place_id(*place));
                            let capacity = ledger.capacities.get(*place).copied().unwrap_or(0);
                            if len < capacity {
                                return Err(violation(ViolationKind::RefusedWithRoom {
                                    place: ledger.place(*place),
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
                if let Some(ledger) = ledger.as_deref_mut() {
                    let fifo = match (&result, &head) {
                        (Ok(token), Some(first)) => token == first,
                        (Err(TakeError::Empty(..)), None) => true,
                        _ => false,
                    };
                    if !fifo {
                        return Err(violation(ViolationKind::WrongTake {
                            place: ledger.place(*place),
                            head: head.as_ref().map_or("none".to_owned(), shown),
                            got: shown(&result),
                        }));
                    }
                    if result.is_ok() {
                        ledger.taken += 1;
                        ledger.host_move(*place, -1);
                    }
                }
                shown(&result)
            }
            Op::Step { gap } => {
                now = Instant::from_ticks(now.as_ticks().saturating_add(*gap));
                shown(&subject.step_observed(now, behaviour, &mut record))
            }
        };
        if let Some(ledger) = ledger.as_deref_mut() {
            let transition = ledger.events(&events).map_err(violation)?;
            ledger.after(subject.net(), transition).map_err(violation)?;
        }
        records.push(Record {
            outcome,
            events,
            marking: marking(subject.net()),
        });
    }
    Ok(records)
}

/// The operation as text, with the place's name when `names` are known.
pub(crate) fn op_text<C: fmt::Debug>(op: &Op<C>, names: Option<&[String]>) -> String {
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

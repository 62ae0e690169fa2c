//! The running account of the checks during a run: what came in and went out, what
//! each conserved sum should be, and the checks made after every operation.

use mycel::net::{ArcKind, Net, TransitionId};
use mycel::net::{ReadySet, StructureStore};
use mycel::sched::{Disposition, FiringError, NetCounters, NetEvent};

use super::check::Checker;
use super::sums::{TrackedSum, p_invariant_sums, place_names, tracked_law};
use super::violation::{ViolationKind, named};

/// The running account of the checks during the first run.
pub(crate) struct Ledger {
    pub(crate) names: Vec<String>,
    transition_names: Vec<String>,
    pub(crate) capacities: Vec<usize>,
    /// Per transition: the input places and weights, for moves to an error place.
    inputs: Vec<Vec<(usize, usize)>>,
    flow_contract: bool,
    pub(crate) sums: Vec<TrackedSum>,
    expected_sums: Vec<i128>,
    pub(crate) skipped: Option<String>,
    start_held: u64,
    start_counters: NetCounters,
    pub(crate) injected: u64,
    pub(crate) taken: u64,
    created: u64,
    retired: u64,
    pub(crate) fired: u64,
    pub(crate) failed: u64,
}

impl Ledger {
    pub(crate) fn new<
        C,
        const P: usize,
        const T: usize,
        const A: usize,
        const K: usize,
        R: ReadySet,
        Store: StructureStore<C, P, T, A, K>,
    >(
        checker: &Checker,
        net: &Net<C, P, T, A, K, R, Store>,
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
                        .filter(|a| a.kind == ArcKind::Input)
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

    pub(crate) fn place(&self, place: usize) -> String {
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
    pub(crate) fn host_move(&mut self, place: usize, direction: i128) {
        for (sum, expected) in self.sums.iter().zip(self.expected_sums.iter_mut()) {
            *expected += direction * sum.weight(place);
        }
    }

    /// Accounts for the events of one operation; the first broken flow contract.
    pub(crate) fn events(&mut self, events: &[NetEvent]) -> Result<Option<String>, ViolationKind> {
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
    pub(crate) fn after<
        C,
        const P: usize,
        const T: usize,
        const A: usize,
        const K: usize,
        R: ReadySet,
        Store: StructureStore<C, P, T, A, K>,
    >(
        &self,
        net: &Net<C, P, T, A, K, R, Store>,
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

fn lens<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
) -> Vec<usize> {
    net.marking().map(|(_, len)| len).collect()
}

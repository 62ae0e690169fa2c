//! The breaker invariants every suite checks after every call, written once.
//!
//! Each check panics with a message naming the broken rule, so it works the same in a
//! proptest (which shrinks the failing case) and under a fuzzer (which keeps the crash).
//! They look only at what one call answered, at the states before and after it, and at
//! the caller's own account of it (see [`CallRecord`]), so they hold for the engine
//! alone; agreement with the reference is [`super::lockstep`]. Where the engine's
//! snapshot would only repeat the engine's own bookkeeping (probes outstanding, whether
//! a permit is stale), the check rests on the caller's [`Ledger`](super::ledger::Ledger)
//! instead.

use mycel::breaker::{
    BreakerConfig, BreakerMachine, BreakerStateKind, Reason, Recorded, RejectReason,
};
use mycel::fsm::{Machine, Trigger};

use super::config::{BUCKETS, WORDS};
use super::driver::EngineBreaker;
use super::ledger::Entry;
use super::observed::{Answer, Applied, Change};
use super::ops::{CallKind, Operator};
use super::snapshot::BreakerSnapshot;

/// One call and the states around it.
#[derive(Debug, Clone, Copy)]
pub struct CallRecord<'a> {
    /// The breaker's configuration.
    pub config: &'a BreakerConfig,
    /// The state before the call.
    pub before: &'a BreakerSnapshot,
    /// The latest instant passed to the breaker before the call, in ticks.
    pub last_used: u64,
    /// What the call did.
    pub applied: &'a Applied,
    /// The state after the call.
    pub after: &'a BreakerSnapshot,
    /// What the caller's ledger made of the call ([`EngineBreaker::entry`] after it).
    pub caller: &'a Entry,
}

impl CallRecord<'_> {
    /// The instant the call acted at: its `now` (a call whose `now` is earlier than the
    /// latest instant seen is refused as a clock regression and acts at no instant; this
    /// then reads the latest instant seen).
    #[must_use]
    pub fn acted_at(&self) -> u64 {
        self.applied.call.now.max(self.last_used)
    }

    /// Whether the call reached the breaker and was not refused as a clock regression.
    #[must_use]
    pub fn made(&self) -> bool {
        self.applied.answer != Answer::NothingToRecord && !self.applied.answer.is_clock_regression()
    }
}

/// OPEN and FORCED_OPEN never permit: an acquire answered while the breaker is (still)
/// in either is rejected for that reason, and an OPEN rejection names the end of the
/// period, which lies after the call (else the call would have found it HALF_OPEN).
///
/// # Panics
/// When a permit is granted in OPEN or FORCED_OPEN, or a rejection is inconsistent.
pub fn assert_open_and_forced_open_never_permit(r: &CallRecord<'_>) {
    if r.applied.call.kind != CallKind::Acquire || r.applied.answer.is_clock_regression() {
        return;
    }
    // An acquire makes no change of its own: the state after it is the state it
    // decided in.
    match (r.after.state, r.applied.answer) {
        (BreakerStateKind::Open | BreakerStateKind::ForcedOpen, Answer::Permitted(p)) => {
            panic!("{:?} permitted a call: {p:?}", r.after.state)
        }
        (BreakerStateKind::Open, Answer::Rejected { reason, retry_at }) => {
            assert_eq!(reason, RejectReason::Open, "OPEN rejects as OPEN");
            assert_eq!(
                retry_at, r.after.next_deadline,
                "an OPEN rejection names the end of the open period"
            );
            assert!(
                retry_at.is_some_and(|at| at > r.acted_at()),
                "OPEN rejected at {} although its period ended at {retry_at:?}",
                r.acted_at()
            );
        }
        (BreakerStateKind::ForcedOpen, answer) => assert_eq!(
            answer,
            Answer::Rejected {
                reason: RejectReason::ForcedOpen,
                retry_at: None
            },
            "FORCED_OPEN rejects as FORCED_OPEN, with no retry instant"
        ),
        (state, Answer::Rejected { reason, .. }) => assert!(
            state == BreakerStateKind::HalfOpen && reason == RejectReason::HalfOpenFull,
            "{state:?} rejected a call as {reason:?}"
        ),
        _ => {}
    }
}

/// HALF_OPEN never has more than P permits outstanding, counted by the caller: probe
/// permits granted in the current HALF_OPEN episode less the outcomes of the episode's
/// permits reported since (each report frees a slot). It rejects as full exactly when
/// all P are out, a permit is a probe exactly when HALF_OPEN grants it, the engine's
/// own count of outstanding probes agrees with the caller's, and no state but HALF_OPEN
/// has probes.
///
/// # Panics
/// When more than P probes are out, a half-open rejection or permit contradicts the
/// caller's count, or the engine counts differently.
pub fn assert_half_open_never_has_more_than_p_permits_outstanding(r: &CallRecord<'_>) {
    let p = u32::from(r.config.half_open.max_permits);
    let caller = r.caller;
    assert!(
        caller.probes_after <= p,
        "HALF_OPEN has {} probe permits out, more than its {p} (granted in this episode \
         and not yet reported)",
        caller.probes_after
    );
    match r.applied.answer {
        Answer::Rejected {
            reason: RejectReason::HalfOpenFull,
            ..
        } => {
            assert_eq!(
                caller.met,
                BreakerStateKind::HalfOpen,
                "a {:?} breaker rejected as HALF_OPEN-full",
                caller.met
            );
            assert_eq!(
                caller.probes_before, p,
                "HALF_OPEN rejected as full with only {} of {p} probes out",
                caller.probes_before
            );
        }
        Answer::Permitted(permit) => assert_eq!(
            permit.probe,
            caller.met == BreakerStateKind::HalfOpen,
            "a permit is a probe exactly when HALF_OPEN grants it ({:?} granted {permit:?})",
            caller.met
        ),
        _ => {}
    }
    let after = r.after;
    if after.state == BreakerStateKind::HalfOpen {
        assert_eq!(
            after.outstanding_probes, caller.probes_after,
            "the engine counts {} probes outstanding where the caller holds {} slots",
            after.outstanding_probes, caller.probes_after
        );
    } else {
        assert_eq!(
            after.outstanding_probes, 0,
            "{:?} has probes outstanding",
            after.state
        );
    }
}

/// CLOSED never rejects (nor do DISABLED and METRICS_ONLY).
///
/// # Panics
/// When an acquire answered in one of these states is rejected.
pub fn assert_closed_never_rejects(r: &CallRecord<'_>) {
    if r.applied.call.kind != CallKind::Acquire || r.applied.answer.is_clock_regression() {
        return;
    }
    if matches!(
        r.after.state,
        BreakerStateKind::Closed | BreakerStateKind::Disabled | BreakerStateKind::MetricsOnly
    ) {
        assert!(
            matches!(r.applied.answer, Answer::Permitted(_)),
            "{:?} rejected a call: {:?}",
            r.after.state,
            r.applied.answer
        );
    }
}

/// Whether `reason` is the cause of a change `call` may make by itself (as opposed to
/// a due timeout): trip and probe verdicts by a record, an operator cause by that
/// operator call.
fn caused_by(reason: Reason, kind: CallKind) -> bool {
    match reason {
        Reason::ConsecutiveFailures
        | Reason::FailureRate
        | Reason::SlowCallRate
        | Reason::ProbeFailure
        | Reason::ProbesSucceeded
        | Reason::ProbeRate
        | Reason::ProbesHealthy => matches!(kind, CallKind::Record { .. }),
        Reason::ForceOpen => kind == CallKind::Operator(Operator::ForceOpen),
        Reason::Disable => kind == CallKind::Operator(Operator::Disable),
        Reason::MetricsOnly => kind == CallKind::Operator(Operator::MetricsOnly),
        Reason::Reset => kind == CallKind::Operator(Operator::Reset),
        Reason::Timeout | Reason::MaxWait => false,
    }
}

/// The trigger an edge for `reason` must have in the machine's table.
fn trigger_of(reason: Reason) -> Trigger {
    match reason {
        Reason::Timeout | Reason::MaxWait => Trigger::Timeout,
        Reason::ForceOpen => Trigger::Event("force_open"),
        Reason::Disable => Trigger::Event("disable"),
        Reason::MetricsOnly => Trigger::Event("metrics_only"),
        Reason::Reset => Trigger::Event("reset"),
        _ => Trigger::Event("record"),
    }
}

/// State changes follow only the allowed edges: each is an edge of
/// [`BreakerMachine::TABLE`] with the trigger its cause implies; they chain from the
/// state before the call to the state after it; due timeouts come first, at their
/// deadlines (not after the call's instant), and at most one change of the call's own
/// kind comes last, at the call's instant; the generation and the state-change counter
/// move by exactly one per change (and the generation by one more for a reset that
/// changed no state).
///
/// # Panics
/// On a change outside the table, a broken chain, or counts that do not match.
pub fn assert_state_changes_follow_only_allowed_edges(r: &CallRecord<'_>) {
    let table = BreakerMachine::<WORDS, BUCKETS>::TABLE;
    let changes = &r.applied.changes;
    let mut state = r.before.state;
    let mut previous_at = 0;
    for (i, c) in changes.iter().enumerate() {
        let edge = table.edges.iter().find(|e| {
            e.from == c.from.as_str() && e.to == c.to.as_str() && e.on == trigger_of(c.reason)
        });
        assert!(
            edge.is_some(),
            "{:?} -> {:?} ({}) is not an edge of the breaker's table",
            c.from,
            c.to,
            c.reason
        );
        assert_eq!(
            c.from, state,
            "change {i} does not start where the last ended"
        );
        assert!(c.at >= previous_at, "changes go back in time: {changes:?}");
        assert!(
            c.at <= r.acted_at(),
            "change {i} lies after the call's instant {}",
            r.acted_at()
        );
        let own = caused_by(c.reason, r.applied.call.kind);
        if own {
            assert_eq!(i + 1, changes.len(), "the call's own change comes last");
            assert_eq!(
                c.at,
                r.acted_at(),
                "the call's own change is at its instant"
            );
        } else {
            assert!(
                trigger_of(c.reason) == Trigger::Timeout,
                "{:?} cannot cause {:?}",
                r.applied.call.kind,
                c
            );
        }
        state = c.to;
        previous_at = c.at;
    }
    assert_eq!(
        state, r.after.state,
        "the changes do not end in the state after"
    );
    let count = changes.len() as u64;
    assert_eq!(
        r.after
            .counters
            .state_changes
            .wrapping_sub(r.before.counters.state_changes),
        count,
        "the state-change counter moves by one per change"
    );
    let reset_in_place = r.applied.call.kind == CallKind::Operator(Operator::Reset)
        && !r.applied.answer.is_clock_regression()
        && changes.last().is_none_or(|c| c.reason != Reason::Reset);
    assert_eq!(
        r.after.generation.wrapping_sub(r.before.generation),
        count + u64::from(reset_in_place),
        "the generation moves by one per change and per reset"
    );
    if let Some(c) = changes.last() {
        assert_eq!(
            r.after.last_change,
            Some(c.at),
            "last_change is the latest change"
        );
    } else {
        assert_eq!(r.after.last_change, r.before.last_change);
    }
}

/// OPEN never ends before its period and always ends at the first call or poll after
/// it: a call before the end of the period leaves OPEN only by an operator call (and
/// keeps the same end otherwise); a call at or after it first moves to HALF_OPEN, at
/// exactly that instant. A period entered lasts at most the cap, and at least the base
/// when there is no jitter.
///
/// # Panics
/// When OPEN ends early, late, at the wrong instant, or an open period is out of bounds.
pub fn assert_open_ends_exactly_at_the_end_of_its_period(r: &CallRecord<'_>) {
    if r.made() && r.before.state == BreakerStateKind::Open {
        let end = r
            .before
            .next_deadline
            .expect("OPEN always has the end of its period as deadline");
        if r.acted_at() < end {
            for c in r
                .applied
                .changes
                .iter()
                .filter(|c| c.from == BreakerStateKind::Open)
            {
                assert!(
                    caused_by(c.reason, r.applied.call.kind),
                    "OPEN ended at {} before its period ended at {end}: {c:?}",
                    r.acted_at()
                );
            }
            if !matches!(r.applied.call.kind, CallKind::Operator(_)) {
                assert_eq!(r.after.state, BreakerStateKind::Open, "OPEN ended early");
                assert_eq!(r.after.next_deadline, Some(end), "the period moved");
            }
        } else {
            assert_eq!(
                r.applied.changes.first(),
                Some(&Change {
                    from: BreakerStateKind::Open,
                    to: BreakerStateKind::HalfOpen,
                    reason: Reason::Timeout,
                    at: end,
                }),
                "a call at {} after the period ended at {end} must first end OPEN",
                r.acted_at()
            );
        }
    }
    let open = &r.config.open;
    let changes = &r.applied.changes;
    for (i, c) in changes.iter().enumerate() {
        if c.to != BreakerStateKind::Open {
            continue;
        }
        // The end of the period entered: the deadline after the call, or the instant a
        // later due timeout of the same call ended it.
        let end = match changes.get(i + 1) {
            None => r
                .after
                .next_deadline
                .expect("OPEN always has the end of its period as deadline"),
            Some(next) if next.reason == Reason::Timeout => next.at,
            Some(_) => continue,
        };
        assert!(
            end >= c.at,
            "OPEN entered at {} ends before it starts, at {end}",
            c.at
        );
        let period = end - c.at;
        assert!(
            period <= open.cap.as_ticks(),
            "an open period of {period} ticks exceeds the cap {}",
            open.cap.as_ticks()
        );
        if open.jitter_percent == 0 {
            assert!(
                end >= c.at.saturating_add(open.base.as_ticks()),
                "an open period of {period} ticks is shorter than the base {}",
                open.base.as_ticks()
            );
        }
    }
}

/// Lifetime counters never decrease, and each call moves the ones its answer says:
/// an acquire `permitted` or `rejected`, a counted record `successes`, `failures` or
/// `ignored` (and `slow` at most with them), a stale one `stale`.
///
/// # Panics
/// When a counter goes down or moves without cause.
pub fn assert_counters_never_decrease(r: &CallRecord<'_>) {
    let (before, after) = (r.before.counters, r.after.counters);
    for ((name, b), (_, a)) in before.named().into_iter().zip(after.named()) {
        assert!(a >= b, "counter {name} went down from {b} to {a}");
    }
    let moved = |a: u64, b: u64| a - b;
    let outcomes = moved(after.successes, before.successes)
        + moved(after.failures, before.failures)
        + moved(after.ignored, before.ignored);
    let (acquired, rejected, stale) = (
        moved(after.permitted, before.permitted),
        moved(after.rejected, before.rejected),
        moved(after.stale, before.stale),
    );
    let expected = match r.applied.answer {
        answer if answer.is_clock_regression() => (0, 0, 0, 0),
        Answer::Permitted(_) => (1, 0, 0, 0),
        Answer::Rejected { .. } => (0, 1, 0, 0),
        Answer::Recorded(Recorded::Counted) => (0, 0, 1, 0),
        Answer::Recorded(Recorded::Stale) => (0, 0, 0, 1),
        Answer::Recorded(Recorded::NotRecorded | Recorded::ClockRegression)
        | Answer::NothingToRecord
        | Answer::Done
        | Answer::ClockRegression { .. } => (0, 0, 0, 0),
    };
    assert_eq!(
        (acquired, rejected, outcomes, stale),
        expected,
        "(permitted, rejected, outcomes, stale) moved unexpectedly for {:?}",
        r.applied.answer
    );
    assert!(
        moved(after.slow, before.slow) <= outcomes,
        "slow moved without a counted outcome"
    );
}

/// Nothing is left due before the call's instant: the next deadline is not in the past.
///
/// # Panics
/// When the deadline lies before the instant the call acted at.
pub fn assert_nothing_left_due_in_the_past(r: &CallRecord<'_>) {
    if let Some(deadline) = r.after.next_deadline {
        assert!(
            deadline >= r.acted_at() || !r.made(),
            "the deadline {deadline} lies before the call's instant {}",
            r.acted_at()
        );
    }
}

/// A stale outcome changes nothing but the stale counter. The caller decides which
/// outcomes are stale, from its own count of generations: an outcome is stale when its
/// permit was granted before the latest generation change the breaker reported (a state
/// change, operator mode or reset, including a deadline that fell due in the same call
/// before the outcome). For such a permit the engine must answer `Stale`, and the
/// breaker after it must equal the breaker before it with only what was due at that
/// instant applied (a `poll` at the same instant on a copy), stale counter + 1, with the
/// same changes; an outcome of the generation in force is never answered `Stale`.
///
/// `before` is the engine as it was before the call.
///
/// # Panics
/// When the engine's answer disagrees with the caller's reckoning, or a stale outcome
/// changed anything else.
pub fn assert_stale_outcomes_change_nothing(before: &EngineBreaker, r: &CallRecord<'_>) {
    let Some(stale) = r.caller.stale else {
        return;
    };
    let answered_stale = r.applied.answer == Answer::Recorded(Recorded::Stale);
    if !stale {
        assert!(
            !answered_stale,
            "an outcome of a permit granted in the generation in force was answered Stale"
        );
        return;
    }
    assert!(
        answered_stale,
        "an outcome of a permit granted before the generation moved on was answered {:?}",
        r.applied.answer
    );
    let mut due = before.clone();
    let polled = due.apply_call(super::ops::BreakerCall {
        kind: CallKind::Poll,
        now: r.applied.call.now,
    });
    let mut expected = due.snapshot();
    expected.counters.stale += 1;
    assert_eq!(
        *r.after, expected,
        "a stale outcome changed more than the stale counter"
    );
    assert_eq!(
        r.applied.changes, polled.changes,
        "a stale outcome made a change of its own"
    );
}

/// A call refused as a clock regression changes nothing: it is refused exactly when its
/// `now` is earlier than the latest instant passed before, names that instant, makes no
/// change, and leaves the breaker as it was (state, counters, generation, deadlines,
/// windows).
///
/// # Panics
/// When a regression is let through or misreported, or a refused call changed anything.
pub fn assert_a_clock_regression_changes_nothing(r: &CallRecord<'_>) {
    if r.applied.answer == Answer::NothingToRecord {
        return;
    }
    let regressed = r.applied.call.now < r.last_used;
    assert_eq!(
        r.applied.answer.is_clock_regression(),
        regressed,
        "a call at {} after {} answered {:?}",
        r.applied.call.now,
        r.last_used,
        r.applied.answer
    );
    if !regressed {
        return;
    }
    let last = match r.applied.answer {
        Answer::Rejected { retry_at, .. } => retry_at,
        // The breaker's latest instant, unchanged (the snapshots are compared below).
        Answer::Recorded(Recorded::ClockRegression) => Some(r.last_used),
        Answer::ClockRegression { last } => Some(last),
        _ => None,
    };
    assert_eq!(
        last,
        Some(r.last_used),
        "a regression names the latest instant seen"
    );
    assert!(r.applied.changes.is_empty(), "a refused call made a change");
    assert_eq!(r.after, r.before, "a refused call changed the breaker");
}

/// Every invariant of one call that needs only the states around it.
///
/// # Panics
/// As the checks it runs.
pub fn assert_call_invariants(r: &CallRecord<'_>) {
    assert_a_clock_regression_changes_nothing(r);
    assert_open_and_forced_open_never_permit(r);
    assert_half_open_never_has_more_than_p_permits_outstanding(r);
    assert_closed_never_rejects(r);
    assert_state_changes_follow_only_allowed_edges(r);
    assert_open_ends_exactly_at_the_end_of_its_period(r);
    assert_counters_never_decrease(r);
    assert_nothing_left_due_in_the_past(r);
}

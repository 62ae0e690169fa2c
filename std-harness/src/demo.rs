//! The five-phase demo: the built-in scenario and the checks that its story happened.
//!
//! The scenario is `std-harness/scenarios/demo.toml`, compiled in. The checks read
//! what the run reported and confirm each beat of the story on the simulated clock:
//!
//! 1. normal: requests succeed in CLOSED;
//! 2. degradation: failures open the breaker;
//! 3. open: requests are rejected and the backend receives no call at all;
//! 4. half-open: the open period ends and the breaker moves to HALF_OPEN by itself,
//!    with cause `timeout`, exactly at the deadline;
//! 5. recovery: a failed probe reopens with a longer period, then successful probes
//!    close the breaker.

use crate::scenario::{self, Scenario, ScenarioError};
use crate::sim::Finished;
use crate::stats::{ChangeRecord, Stats, Tally};
use crate::units::{at, span};
use mycel::breaker::{BreakerStateKind, Reason};

/// The demo scenario's text (`std-harness/scenarios/demo.toml`).
pub const DEMO_TOML: &str = include_str!("../scenarios/demo.toml");

/// The demo scenario.
///
/// # Errors
/// Never in a released binary: the built-in file is parsed in the test suite.
pub fn scenario() -> Result<Scenario, ScenarioError> {
    scenario::parse("demo.toml (built in)", DEMO_TOML)
}

/// One beat of the story, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The beat's number, 1 to 5.
    pub beat: u8,
    /// Its name (the phase's).
    pub name: &'static str,
    /// Whether the run showed it.
    pub passed: bool,
    /// What was seen, with instants.
    pub detail: String,
}

fn check(beat: u8, name: &'static str, result: Result<String, String>) -> Check {
    let (passed, detail) = match result {
        Ok(d) => (true, d),
        Err(d) => (false, d),
    };
    Check {
        beat,
        name,
        passed,
        detail,
    }
}

/// The demo's one service is the first.
const SERVICE: usize = 0;

/// Checks the five beats in a run of the demo scenario.
#[must_use]
pub fn checks(scenario: &Scenario, stats: &Stats, finished: &Finished) -> Vec<Check> {
    let phase_of = |name: &str| {
        scenario
            .phases
            .iter()
            .position(|p| p.name == name)
            .and_then(|i| stats.phases.get(i))
    };
    let phase = |name: &str| -> Tally {
        phase_of(name)
            .and_then(|p| p.services.get(SERVICE))
            .copied()
            .unwrap_or_default()
    };
    let normal_changes = phase_of("normal").map_or(usize::MAX, |p| p.changes.len());
    let changes: Vec<&ChangeRecord> = stats
        .changes
        .iter()
        .filter(|c| c.service == SERVICE)
        .collect();
    let change = |i: usize| changes.get(i).copied();
    vec![
        check(1, "normal", normal(&phase("normal"), normal_changes)),
        check(
            2,
            "degradation",
            degradation(&phase("degradation"), change(0)),
        ),
        check(3, "open", open(stats, &phase("open"), change(0))),
        check(4, "half-open", half_open(change(0), change(1))),
        check(5, "recovery", recovery(finished, &changes)),
    ]
}

fn is(
    c: Option<&ChangeRecord>,
    from: BreakerStateKind,
    to: BreakerStateKind,
) -> Option<&ChangeRecord> {
    c.filter(|c| c.from == from && c.to == to)
}

fn normal(t: &Tally, changes: usize) -> Result<String, String> {
    let all_ok = t.requests > 0 && t.successes == t.requests && t.failures == 0 && t.rejected == 0;
    let closed = changes == 0;
    let detail = format!(
        "{} requests, {} succeeded, {} failed, {} rejected, breaker CLOSED",
        t.requests, t.successes, t.failures, t.rejected
    );
    if all_ok && closed {
        Ok(detail)
    } else {
        Err(detail)
    }
}

fn degradation(t: &Tally, first: Option<&ChangeRecord>) -> Result<String, String> {
    let Some(c) = is(first, BreakerStateKind::Closed, BreakerStateKind::Open) else {
        return Err("the breaker never went CLOSED -> OPEN".to_owned());
    };
    let detail = format!(
        "{} failed calls, then CLOSED -> OPEN at {} ({}), open for {}",
        t.failures,
        at(c.at),
        c.reason,
        c.open_for().map_or_else(|| "?".to_owned(), span)
    );
    if c.reason == Reason::ConsecutiveFailures && t.failures >= 1 {
        Ok(detail)
    } else {
        Err(detail)
    }
}

fn open(stats: &Stats, t: &Tally, first: Option<&ChangeRecord>) -> Result<String, String> {
    let calls = stats
        .calls_while_open
        .get(SERVICE)
        .copied()
        .unwrap_or(u64::MAX);
    let rejected = stats.rejected_while_open.get(SERVICE).copied().unwrap_or(0);
    let detail = format!(
        "{rejected} requests rejected while OPEN, {calls} backend calls while OPEN \
         ({} requests, {} calls in the phase)",
        t.requests, t.backend_calls
    );
    let opened = is(first, BreakerStateKind::Closed, BreakerStateKind::Open).is_some();
    if opened && calls == 0 && rejected > 0 && t.backend_calls == 0 && t.rejected == t.requests {
        Ok(detail)
    } else {
        Err(detail)
    }
}

fn half_open(
    first: Option<&ChangeRecord>,
    second: Option<&ChangeRecord>,
) -> Result<String, String> {
    let (Some(opened), Some(c)) = (
        is(first, BreakerStateKind::Closed, BreakerStateKind::Open),
        is(second, BreakerStateKind::Open, BreakerStateKind::HalfOpen),
    ) else {
        return Err("no OPEN -> HALF_OPEN after the first opening".to_owned());
    };
    let detail = format!(
        "OPEN -> HALF_OPEN at {} ({}), the deadline was {}",
        at(c.at),
        c.reason,
        opened.open_until.map_or_else(|| "?".to_owned(), at)
    );
    if c.reason == Reason::Timeout && opened.open_until == Some(c.at) {
        Ok(detail)
    } else {
        Err(detail)
    }
}

fn recovery(finished: &Finished, changes: &[&ChangeRecord]) -> Result<String, String> {
    use BreakerStateKind::{Closed, HalfOpen, Open};
    let get = |i: usize| changes.get(i).copied();
    let (Some(first), Some(reopen), Some(ended), Some(closed)) = (
        is(get(0), Closed, Open),
        is(get(2), HalfOpen, Open),
        is(get(3), Open, HalfOpen),
        is(get(4), HalfOpen, Closed),
    ) else {
        return Err(format!(
            "expected HALF_OPEN -> OPEN -> HALF_OPEN -> CLOSED after the first half-open, saw {} changes",
            changes.len()
        ));
    };
    let (first_period, second_period) = (first.open_for(), reopen.open_for());
    let final_state = finished.breakers.get(SERVICE).map_or(Open, |b| b.state);
    let detail = format!(
        "probe failed: HALF_OPEN -> OPEN at {} ({}) for {} (first period {}); \
         OPEN -> HALF_OPEN at {} ({}); HALF_OPEN -> CLOSED at {} ({}); final state {}",
        at(reopen.at),
        reopen.reason,
        second_period.map_or_else(|| "?".to_owned(), span),
        first_period.map_or_else(|| "?".to_owned(), span),
        at(ended.at),
        ended.reason,
        at(closed.at),
        closed.reason,
        final_state
    );
    let longer = matches!((first_period, second_period), (Some(a), Some(b)) if b > a);
    let ok = reopen.reason == Reason::ProbeFailure
        && longer
        && ended.reason == Reason::Timeout
        && reopen.open_until == Some(ended.at)
        && closed.reason == Reason::ProbesSucceeded
        && final_state == Closed;
    if ok { Ok(detail) } else { Err(detail) }
}

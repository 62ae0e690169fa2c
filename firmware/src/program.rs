//! The scripted program: runs each phase against the pipeline on the simulated clock,
//! logs every breaker state change and a summary per phase, and checks what the script
//! expects.
//!
//! A failed check is a `defmt::assert!`, which logs the reason and ends the run with
//! a non-zero exit code (see [`crate::fault`]).

use crate::backend::Answer;
use crate::breaker::OPEN_GROWTH_PERCENT;
use crate::clock::SimClock;
use crate::pipeline::{Fate, Pipeline};
use crate::pipeline_net::{INVALID, VALIDATE};
use crate::request::Request;
use crate::script::{Counts, Phase, REQUEST_SPACING, Step};
use crate::stages::MALFORMED;
use mycel::breaker::{BreakerState, BreakerStateKind};
use mycel::fsm::StateChange;
use mycel::sched::{Disposition, FiringError, NetEvent, Observer};
use mycel::time::{self, Duration};

/// The open periods slept through: the first opening's, then the reopening's.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct OpenPeriods {
    first: Option<Duration>,
    after_failed_probe: Option<Duration>,
}

/// Watches the net's events during one phase: logs each breaker state change and
/// checks it against the phase's expected changes, in order.
struct PhaseObserver<'a> {
    phase: &'a Phase,
    /// State changes seen so far in the phase.
    seen: u32,
    /// The latest state change seen.
    last: Option<StateChange>,
}

impl Observer for PhaseObserver<'_> {
    fn on_event(&mut self, event: &NetEvent) {
        match *event {
            NetEvent::StateChanged(change) => {
                log_change(&change);
                let index = usize::try_from(self.seen).unwrap_or(usize::MAX);
                defmt::assert!(
                    self.phase.expect.changes.get(index)
                        == Some(&(change.from, change.to, change.cause)),
                    "phase {=str}: unexpected state change",
                    self.phase.name
                );
                self.seen = self.seen.saturating_add(1);
                self.last = Some(change);
            }
            NetEvent::Failed {
                transition,
                at,
                error: FiringError::Behaviour(MALFORMED),
                disposition: Disposition::ToErrorPlace(place),
            } if transition == VALIDATE && place == INVALID => {
                defmt::info!(
                    "validate: malformed request sent to invalid at {=u64} ms",
                    at.as_millis()
                );
            }
            NetEvent::Failed { transition, .. } => {
                defmt::panic!(
                    "phase {=str}: transition {} failed",
                    self.phase.name,
                    transition
                );
            }
            _ => {}
        }
    }
}

/// Runs every phase in order against `pipeline`, starting at `clock`'s current instant.
///
/// Returns only when every check passed; a failed check ends the run.
pub fn run(pipeline: &mut Pipeline<'_>, clock: &mut SimClock, phases: &[Phase]) {
    pipeline.log_object_sizes();
    let mut total = Counts::default();
    let mut open_periods = OpenPeriods::default();
    for phase in phases {
        defmt::info!(
            "phase {=str}: starts at {=u64} ms in {=str}",
            phase.name,
            clock.now().as_millis(),
            pipeline.breaker().state().as_str()
        );
        let counts = run_phase(pipeline, phase, clock, total.requests, &mut open_periods);
        let state = pipeline.breaker().state().as_str();
        log_summary("phase", phase.name, &counts, clock, state);
        defmt::assert_eq!(counts, phase.expect.counts, "phase {=str}", phase.name);
        defmt::assert_eq!(state, phase.expect.state, "phase {=str}: state", phase.name);
        total = total.plus(counts);
    }
    let state = pipeline.breaker().state().as_str();
    log_summary("run", "total", &total, clock, state);
    check_open_periods(open_periods);
    check_run(&total, pipeline);
}

/// Logs what happened to requests in a phase (or the whole run) and where it ended.
fn log_summary(what: &str, name: &str, c: &Counts, clock: &SimClock, state: &str) {
    defmt::info!(
        "{=str} {=str}: requests {=u32}, admitted {=u32}, rejected {=u32}, invalid {=u32}, backend calls {=u32} (failed {=u32}), state changes {=u32}; ends at {=u64} ms in {=str}",
        what,
        name,
        c.requests,
        c.admitted,
        c.rejected,
        c.invalid,
        c.backend_calls,
        c.backend_failures,
        c.state_changes,
        clock.now().as_millis(),
        state
    );
}

fn run_phase(
    pipeline: &mut Pipeline<'_>,
    phase: &Phase,
    clock: &mut SimClock,
    requests_before: u32,
    open_periods: &mut OpenPeriods,
) -> Counts {
    let calls_before = pipeline.backend().calls();
    let failures_before = pipeline.backend().failures();
    let mut counts = Counts::default();
    let mut observer = PhaseObserver {
        phase,
        seen: 0,
        last: None,
    };
    for step in phase.steps {
        let id = requests_before.saturating_add(counts.requests);
        match *step {
            Step::Request(answer) => {
                let request = Request::new(id, true);
                offer(pipeline, clock, request, answer, &mut observer, &mut counts);
            }
            Step::Malformed => {
                let request = Request::new(id, false);
                offer(
                    pipeline,
                    clock,
                    request,
                    Answer::Success,
                    &mut observer,
                    &mut counts,
                );
            }
            Step::SleepUntilDeadline { open_period } => {
                sleep_until_deadline(pipeline, clock, open_period, &mut observer);
                let slot = if open_periods.first.is_none() {
                    &mut open_periods.first
                } else {
                    &mut open_periods.after_failed_probe
                };
                *slot = Some(open_period);
            }
        }
        check_tokens_conserved(phase.name, pipeline);
    }
    counts.state_changes = observer.seen;
    counts.backend_calls = pipeline.backend().calls().saturating_sub(calls_before);
    counts.backend_failures = pipeline
        .backend()
        .failures()
        .saturating_sub(failures_before);
    counts
}

/// Offers one request [`REQUEST_SPACING`] after the previous step and checks where it
/// ended against the backend's call count: a served request called the backend once
/// and carries its permit and answer; a rejected one (only while OPEN) or an invalid
/// one never called it.
fn offer(
    pipeline: &mut Pipeline<'_>,
    clock: &mut SimClock,
    request: Request,
    answer: Answer,
    observer: &mut PhaseObserver<'_>,
    counts: &mut Counts,
) {
    let now = clock.advance_by(REQUEST_SPACING);
    let calls_before = pipeline.backend().calls();
    let fate = defmt::unwrap!(pipeline.offer(request, answer, now, observer));
    let calls = pipeline.backend().calls().saturating_sub(calls_before);
    counts.requests = counts.requests.saturating_add(1);
    let (counter, expected_calls, consistent) = match fate {
        Fate::Served(served) => (
            &mut counts.admitted,
            1,
            served.permit.is_some() && served.answer == Some(answer),
        ),
        Fate::Rejected(_) => (
            &mut counts.rejected,
            0,
            pipeline.breaker().state() == BreakerStateKind::Open,
        ),
        Fate::Invalid(_) => (&mut counts.invalid, 0, true),
    };
    *counter = counter.saturating_add(1);
    defmt::assert!(
        calls == expected_calls && consistent,
        "request {=u32} ended in {=str} after {=u32} backend calls",
        request.id,
        fate.place_name(),
        calls
    );
}

/// Sleeps until the pipeline's next deadline, which must end the breaker's current
/// open period of `open_period`, and checks that the breaker moved to HALF_OPEN by
/// itself exactly then.
fn sleep_until_deadline(
    pipeline: &mut Pipeline<'_>,
    clock: &mut SimClock,
    open_period: Duration,
    observer: &mut PhaseObserver<'_>,
) {
    let name = observer.phase.name;
    let BreakerState::Open { opened_at, period } = pipeline.breaker().state_detail() else {
        defmt::panic!("phase {=str}: sleeping, but the breaker is not OPEN", name);
    };
    let deadline = defmt::unwrap!(pipeline.next_deadline(), "phase {=str}: no deadline", name);
    defmt::assert!(
        period == open_period && deadline == time::add(opened_at, period),
        "phase {=str}: the deadline {=u64} ms must end an open period of {=u64} ms, not {=u64} ms",
        name,
        deadline.as_millis(),
        open_period.as_millis(),
        period.as_millis()
    );
    let now = defmt::unwrap!(clock.advance_to(deadline));
    defmt::info!(
        "sleep until the next deadline: {=u64} ms (OPEN since {=u64} ms for {=u64} ms)",
        now.as_millis(),
        opened_at.as_millis(),
        period.as_millis()
    );
    let seen_before = observer.seen;
    defmt::unwrap!(pipeline.run(now, observer));
    defmt::assert!(
        observer.seen == seen_before.saturating_add(1)
            && observer.last.map(|change| change.at) == Some(deadline),
        "phase {=str}: HALF_OPEN must start by itself exactly at the deadline",
        name
    );
}

fn log_change(change: &StateChange) {
    defmt::info!(
        "{=str}#{=u32}: {=str} -> {=str} on {=str} at {=u64} ms",
        change.machine,
        change.instance,
        change.from,
        change.to,
        change.cause,
        change.at.as_millis()
    );
}

/// Every token the host put in was taken out again or is still inside, and between
/// steps nothing is left inside.
fn check_tokens_conserved(phase: &str, pipeline: &Pipeline<'_>) {
    let c = pipeline.counters();
    let held = pipeline.held();
    defmt::assert!(
        c.injected.saturating_add(c.created) == c.taken.saturating_add(c.retired) && held == 0,
        "phase {=str}: tokens not conserved ({=u64} held)",
        phase,
        held
    );
}

/// The reopening after a failed probe lasts longer than the first opening: the first
/// period grown by [`OPEN_GROWTH_PERCENT`].
fn check_open_periods(periods: OpenPeriods) {
    let first = defmt::unwrap!(periods.first, "no open period slept through");
    let second = defmt::unwrap!(periods.after_failed_probe, "no second open period");
    let grown = first
        .as_ticks()
        .saturating_mul(u64::from(OPEN_GROWTH_PERCENT))
        .checked_div(100)
        .unwrap_or(u64::MAX);
    defmt::info!(
        "open periods: {=u64} ms, then {=u64} ms after the failed probe",
        first.as_millis(),
        second.as_millis()
    );
    defmt::assert!(
        second > first && second.as_ticks() == grown,
        "the reopening must last the first period grown by the multiplier"
    );
}

/// The net's and the breaker's own counters agree with what the program saw.
fn check_run(total: &Counts, pipeline: &Pipeline<'_>) {
    let net = pipeline.counters();
    let metrics = pipeline.breaker().metrics();
    defmt::info!(
        "net: injected {=u64}, taken {=u64}, created {=u64}, retired {=u64}, held {=u64}; firings {=u64}, failed {=u64}",
        net.injected,
        net.taken,
        net.created,
        net.retired,
        pipeline.held(),
        net.firings,
        net.failures
    );
    defmt::info!(
        "breaker: permitted {=u64}, rejected {=u64}, successes {=u64}, failures {=u64}, stale {=u64}, state changes {=u64}",
        metrics.permitted,
        metrics.rejected,
        metrics.successes,
        metrics.failures,
        metrics.stale,
        metrics.state_changes
    );
    let backend = pipeline.backend();
    // Every request entered and left the net once; only malformed requests failed a
    // firing; the breaker permitted, rejected and recorded exactly what the program saw.
    let seen_by_net = (net.injected, net.taken, net.failures);
    let expected_by_net = (
        u64::from(total.requests),
        u64::from(total.requests),
        u64::from(total.invalid),
    );
    defmt::assert_eq!(seen_by_net, expected_by_net, "net counters");
    let seen_by_breaker = (
        metrics.permitted,
        metrics.rejected,
        metrics.successes.saturating_add(metrics.failures),
        metrics.failures,
        metrics.stale,
        metrics.state_changes,
    );
    let expected_by_breaker = (
        u64::from(total.admitted),
        u64::from(total.rejected),
        u64::from(backend.calls()),
        u64::from(backend.failures()),
        0,
        u64::from(total.state_changes),
    );
    defmt::assert_eq!(seen_by_breaker, expected_by_breaker, "breaker metrics");
    defmt::assert_eq!(total.backend_calls, backend.calls(), "backend calls lost");
}

//! The scripted program: runs each phase against the subject on the simulated clock,
//! logs every state change and a summary per phase, and checks what the script expects.
//!
//! A failed check is a `defmt::assert!`, which logs the reason and ends the run with
//! a non-zero exit code (see [`crate::fault`]).

use crate::backend::ScriptedBackend;
use crate::clock::SimClock;
use crate::script::{Expect, Phase, REQUEST_SPACING, Step};
use crate::subject::{Admission, Subject};
use mycel::fsm::{Changes, StateChange};

/// What happened during one phase (or the whole run).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    requests: u32,
    admitted: u32,
    rejected: u32,
    backend_calls: u32,
    backend_failures: u32,
    changes: u32,
}

impl Tally {
    fn plus(self, other: Tally) -> Tally {
        Tally {
            requests: self.requests.saturating_add(other.requests),
            admitted: self.admitted.saturating_add(other.admitted),
            rejected: self.rejected.saturating_add(other.rejected),
            backend_calls: self.backend_calls.saturating_add(other.backend_calls),
            backend_failures: self.backend_failures.saturating_add(other.backend_failures),
            changes: self.changes.saturating_add(other.changes),
        }
    }
}

/// Runs every phase in order against `subject`, starting at `clock`'s current instant.
///
/// Returns only when every check passed; a failed check ends the run.
pub fn run<S: Subject>(subject: &mut S, clock: &mut SimClock, phases: &[Phase]) {
    subject.log_object_sizes();
    let mut backend = ScriptedBackend::new();
    let mut total = Tally::default();
    for phase in phases {
        defmt::info!(
            "phase {=str}: starts at {=u64} ms in {=str}",
            phase.name,
            clock.now().as_millis(),
            subject.state_name()
        );
        let tally = run_phase(subject, phase, clock, &mut backend);
        defmt::info!(
            "phase {=str}: requests {=u32}, admitted {=u32}, rejected {=u32}, backend calls {=u32} (failed {=u32}), state changes {=u32}; ends at {=u64} ms in {=str}",
            phase.name,
            tally.requests,
            tally.admitted,
            tally.rejected,
            tally.backend_calls,
            tally.backend_failures,
            tally.changes,
            clock.now().as_millis(),
            subject.state_name()
        );
        check(phase.name, &phase.expect, &tally, subject.state_name());
        total = total.plus(tally);
    }
    defmt::info!(
        "run: requests {=u32}, admitted {=u32}, rejected {=u32}, backend calls {=u32} (failed {=u32}), state changes {=u32}; {=u64} ms simulated",
        total.requests,
        total.admitted,
        total.rejected,
        total.backend_calls,
        total.backend_failures,
        total.changes,
        clock.now().as_millis()
    );
    defmt::assert_eq!(total.backend_calls, backend.calls(), "backend calls lost");
}

fn run_phase<S: Subject>(
    subject: &mut S,
    phase: &Phase,
    clock: &mut SimClock,
    backend: &mut ScriptedBackend,
) -> Tally {
    let calls_before = backend.calls();
    let failures_before = backend.failures();
    let mut tally = Tally::default();
    let mut changes = Changes::new();
    for step in phase.steps {
        changes.clear();
        match *step {
            Step::Request(scripted) => {
                let now = clock.advance_by(REQUEST_SPACING);
                let admission =
                    defmt::unwrap!(subject.request(backend, scripted, now, &mut changes));
                tally.requests = tally.requests.saturating_add(1);
                match admission {
                    Admission::Admitted => tally.admitted = tally.admitted.saturating_add(1),
                    Admission::Rejected => tally.rejected = tally.rejected.saturating_add(1),
                }
            }
            Step::SleepUntilDeadline => {
                let deadline = defmt::unwrap!(
                    subject.next_deadline(),
                    "phase {=str}: no deadline to sleep until",
                    phase.name
                );
                let now = defmt::unwrap!(clock.advance_to(deadline));
                defmt::info!("sleep until the next deadline: {=u64} ms", now.as_millis());
                defmt::unwrap!(subject.poll(now, &mut changes));
                defmt::assert!(
                    !changes.is_empty(),
                    "phase {=str}: nothing changed at the deadline",
                    phase.name
                );
                for change in &changes {
                    defmt::assert_eq!(
                        change.at,
                        deadline,
                        "phase {=str}: a timeout must take effect at its deadline",
                        phase.name
                    );
                }
            }
        }
        defmt::assert_eq!(
            changes.dropped(),
            0,
            "phase {=str}: state changes dropped",
            phase.name
        );
        for change in &changes {
            log_change(change);
            let index = usize::try_from(tally.changes).unwrap_or(usize::MAX);
            defmt::assert!(
                phase.expect.changes.get(index) == Some(&(change.from, change.to)),
                "phase {=str}: unexpected state change {=str} -> {=str}",
                phase.name,
                change.from,
                change.to
            );
            tally.changes = tally.changes.saturating_add(1);
        }
    }
    tally.backend_calls = backend.calls().saturating_sub(calls_before);
    tally.backend_failures = backend.failures().saturating_sub(failures_before);
    tally
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

fn check(phase: &str, expect: &Expect, tally: &Tally, state: &str) {
    defmt::assert_eq!(
        tally.admitted,
        expect.admitted,
        "phase {=str}: admitted",
        phase
    );
    defmt::assert_eq!(
        tally.rejected,
        expect.rejected,
        "phase {=str}: rejected",
        phase
    );
    defmt::assert_eq!(
        tally.backend_calls,
        expect.backend_calls,
        "phase {=str}: backend calls",
        phase
    );
    defmt::assert_eq!(
        tally.backend_failures,
        expect.backend_failures,
        "phase {=str}: backend failures",
        phase
    );
    let expected_changes = u32::try_from(expect.changes.len()).unwrap_or(u32::MAX);
    defmt::assert_eq!(
        tally.changes,
        expected_changes,
        "phase {=str}: state changes",
        phase
    );
    defmt::assert_eq!(state, expect.state, "phase {=str}: final state", phase);
}

//! The prototype's worked example, traced step by step at exact instants.
//!
//! Failure threshold 3 consecutive failures, 2 successful probes to close, a 5 s open
//! period. The prototype admitted probes freely; here one probe at a time (P = 1), so
//! the second acquire while a probe is out is rejected as `half_open_full`.

use super::test_support::*;
use super::*;
use crate::time::Duration;

/// Checks the state and generation after a step.
fn expect(b: &Breaker, state: BreakerStateKind, generation: u32) {
    assert_eq!(b.state(), state);
    assert_eq!(b.generation(), generation);
}

fn acquire(b: &mut Breaker, at: u64) -> (Permit, Trace) {
    let r = b.try_acquire(ms(at));
    (r.value.unwrap(), trace(&r.changes))
}

fn rejected(b: &mut Breaker, at: u64) -> Rejected {
    let r = b.try_acquire(ms(at));
    assert!(r.changes.is_empty());
    r.value.unwrap_err()
}

fn record(b: &mut Breaker, permit: Permit, outcome: Outcome, at: u64) -> Trace {
    let r = b.record(permit, outcome, ms(at));
    assert_eq!(r.value, Recorded::Counted);
    trace(&r.changes)
}

fn open_until(retry_at: u64) -> Rejected {
    Rejected {
        reason: RejectReason::Open,
        retry_at: Some(ms(retry_at)),
    }
}

fn classic(multiplier_percent: u32) -> BreakerConfig {
    BreakerConfig::consecutive(3, Duration::from_secs(5), 2).with_open(OpenPolicy::exponential(
        Duration::from_secs(5),
        multiplier_percent,
        Duration::from_secs(60),
    ))
}

#[test]
fn worked_example_trips_after_three_failures_probes_at_eight_seconds_and_closes_after_two_successes()
 {
    use BreakerStateKind::*;
    let mut b = Breaker::new(classic(100), ms(0)).unwrap();
    expect(&b, Closed, 0);

    // t = 0 s: a success.
    let (p, changes) = acquire(&mut b, 0);
    assert!(changes.is_empty());
    assert!(record(&mut b, p, Outcome::Success, 0).is_empty());
    // t = 1 s, 2 s: failures, still CLOSED.
    for at in [1000, 2000] {
        let (p, _) = acquire(&mut b, at);
        assert!(record(&mut b, p, Outcome::Failure, at).is_empty());
        expect(&b, Closed, 0);
    }
    // t = 3 s: the third failure in a row opens it for 5 s.
    let (p, _) = acquire(&mut b, 3000);
    assert_eq!(
        record(&mut b, p, Outcome::Failure, 3000).as_slice(),
        &[("CLOSED", "OPEN", "consecutive_failures", 3000)]
    );
    expect(&b, Open, 1);
    assert_eq!(b.next_deadline(), Some(ms(8000)));

    // t = 4 s and 7.999 s: rejected, with the instant it will admit again.
    assert_eq!(rejected(&mut b, 4000), open_until(8000));
    assert_eq!(rejected(&mut b, 7999), open_until(8000));
    expect(&b, Open, 1);

    // t = 8 s: the period is over; this very call sees HALF_OPEN and gets the probe.
    let (probe, changes) = acquire(&mut b, 8000);
    assert_eq!(
        changes.as_slice(),
        &[("OPEN", "HALF_OPEN", "timeout", 8000)]
    );
    assert!(probe.is_probe());
    expect(&b, HalfOpen, 2);
    // One probe at a time.
    assert_eq!(rejected(&mut b, 8000).reason, RejectReason::HalfOpenFull);
    assert_eq!(
        b.next_deadline(),
        Some(secs(8 + 60)),
        "the default half-open maximum wait runs from the probe's admission"
    );

    // t = 8.1 s: first successful probe; one more is needed.
    assert!(record(&mut b, probe, Outcome::Success, 8100).is_empty());
    expect(&b, HalfOpen, 2);
    // t = 8.2 s: second probe, t = 8.3 s: its success closes the breaker.
    let (probe, changes) = acquire(&mut b, 8200);
    assert!(changes.is_empty());
    assert_eq!(
        record(&mut b, probe, Outcome::Success, 8300).as_slice(),
        &[("HALF_OPEN", "CLOSED", "probes_succeeded", 8300)]
    );
    expect(&b, Closed, 3);

    // CLOSED again with a fresh run: two failures do not trip it.
    for at in [9000, 10_000] {
        let (p, _) = acquire(&mut b, at);
        assert!(record(&mut b, p, Outcome::Failure, at).is_empty());
    }
    expect(&b, Closed, 3);
    let m = b.metrics();
    assert_eq!(
        (
            m.permitted,
            m.rejected,
            m.successes,
            m.failures,
            m.state_changes
        ),
        (8, 3, 3, 5, 3)
    );
    assert_eq!(m.last_change, Some(ms(8300)));
}

#[test]
fn worked_example_with_a_200_percent_multiplier_reopens_a_failed_probe_for_twice_as_long() {
    use BreakerStateKind::*;
    let mut b = Breaker::new(classic(200), ms(0)).unwrap();
    for at in [1000, 2000, 3000] {
        let (p, _) = acquire(&mut b, at);
        record(&mut b, p, Outcome::Failure, at);
    }
    expect(&b, Open, 1);
    assert_eq!(b.next_deadline(), Some(ms(8000)), "first opening: 5 s");

    // t = 8 s: probe; t = 8.5 s: it fails, reopening for 10 s.
    let (probe, changes) = acquire(&mut b, 8000);
    assert_eq!(
        changes.as_slice(),
        &[("OPEN", "HALF_OPEN", "timeout", 8000)]
    );
    assert_eq!(
        record(&mut b, probe, Outcome::Failure, 8500).as_slice(),
        &[("HALF_OPEN", "OPEN", "probe_failure", 8500)]
    );
    expect(&b, Open, 3);
    assert_eq!(b.next_deadline(), Some(ms(18_500)), "second opening: 10 s");
    assert_eq!(rejected(&mut b, 18_499), open_until(18_500));

    // t = 18.5 s: probe fails again, reopening for 20 s.
    let (probe, _) = acquire(&mut b, 18_500);
    record(&mut b, probe, Outcome::Failure, 18_500);
    expect(&b, Open, 5);
    assert_eq!(b.next_deadline(), Some(ms(38_500)), "third opening: 20 s");

    // Found by polling at the deadline, without a call: HALF_OPEN at 38.5 s.
    assert_eq!(
        trace(&b.poll(ms(38_500)).unwrap()).as_slice(),
        &[("OPEN", "HALF_OPEN", "timeout", 38_500)]
    );
    // Two successful probes close it and reset the backoff.
    for at in [38_600, 38_700] {
        let (probe, _) = acquire(&mut b, at);
        record(&mut b, probe, Outcome::Success, at);
    }
    expect(&b, Closed, 7);
    for at in [40_000, 41_000, 42_000] {
        let (p, _) = acquire(&mut b, at);
        record(&mut b, p, Outcome::Failure, at);
    }
    expect(&b, Open, 8);
    assert_eq!(
        b.next_deadline(),
        Some(ms(47_000)),
        "back to 5 s after closing"
    );
}

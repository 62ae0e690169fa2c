//! One test per pinned rule of the breaker, driven through [`CircuitBreaker`].

use super::test_support::*;
use super::*;
use crate::fsm::Machine;
use crate::time::{Duration, Instant};

const FIVE_S: Duration = Duration::from_secs(5);

fn classic() -> BreakerConfig {
    BreakerConfig::consecutive(3, FIVE_S, 2)
}

fn breaker(config: BreakerConfig) -> Breaker {
    CircuitBreaker::new(config, ms(0)).unwrap()
}

/// Acquires at `at` and records `outcome` at `at`.
fn call(b: &mut Breaker, outcome: Outcome, at: Instant) -> Response<Recorded> {
    let permit = b.try_acquire(at).value.unwrap();
    b.record(permit, outcome, at)
}

/// Acquires at `start` and records `outcome` at `end`.
fn timed_call(
    b: &mut Breaker,
    outcome: Outcome,
    start: Instant,
    end: Instant,
) -> Response<Recorded> {
    let permit = b.try_acquire(start).value.unwrap();
    b.record(permit, outcome, end)
}

fn count_window(size: u32, percent: u8, minimum: u32) -> CountWindowPolicy {
    CountWindowPolicy {
        size,
        failure_rate_percent: percent,
        minimum_calls: minimum,
    }
}

fn time_window(width: Duration, buckets: u32, percent: u8, minimum: u32) -> TimeWindowPolicy {
    TimeWindowPolicy {
        bucket_width: width,
        buckets,
        failure_rate_percent: percent,
        minimum_calls: minimum,
    }
}

/// Only a count window (no consecutive policy).
fn rate_only(size: u32, percent: u8, minimum: u32) -> BreakerConfig {
    classic()
        .with_consecutive_failures(None)
        .with_count_window(count_window(size, percent, minimum))
}

/// Trips the classic breaker with failures at 1, 2, 3 s: OPEN at 3 s until 8 s.
fn tripped_classic(config: BreakerConfig) -> Breaker {
    let mut b = breaker(config);
    for s in 1..=3 {
        call(&mut b, Outcome::Failure, secs(s));
    }
    assert_eq!(b.state(), BreakerStateKind::Open);
    b
}

fn open_period(b: &Breaker) -> Duration {
    match b.state_detail() {
        BreakerState::Open { period, .. } => period,
        other => panic!("not open: {other:?}"),
    }
}

// ---- CLOSED and the trip policies ----------------------------------------------------

#[test]
fn closed_never_rejects_and_permits_carry_generation_and_acquire_instant() {
    let mut b = breaker(classic());
    for i in 0..50 {
        let permit = b.try_acquire(ms(i)).value.unwrap();
        assert_eq!(permit.generation(), 0);
        assert_eq!(permit.acquired_at(), ms(i));
        assert!(!permit.is_probe());
        b.record(permit, Outcome::Success, ms(i));
    }
    assert_eq!(b.metrics().permitted, 50);
    assert_eq!(b.metrics().rejected, 0);
}

#[test]
fn consecutive_failures_trip_when_the_run_reaches_n() {
    let mut b = breaker(classic());
    assert!(call(&mut b, Outcome::Failure, secs(1)).changes.is_empty());
    assert!(call(&mut b, Outcome::Failure, secs(2)).changes.is_empty());
    let r = call(&mut b, Outcome::Failure, secs(3));
    assert_eq!(r.value, Recorded::Counted);
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("CLOSED", "OPEN", "consecutive_failures", 3000)]
    );
}

#[test]
fn a_success_ends_the_failure_run_but_an_ignored_outcome_does_not() {
    let mut b = breaker(classic());
    call(&mut b, Outcome::Failure, secs(1));
    call(&mut b, Outcome::Failure, secs(2));
    call(&mut b, Outcome::Success, secs(3));
    call(&mut b, Outcome::Failure, secs(4));
    call(&mut b, Outcome::Failure, secs(5));
    assert_eq!(
        b.state(),
        BreakerStateKind::Closed,
        "the success reset the run"
    );
    call(&mut b, Outcome::Ignored, secs(6));
    call(&mut b, Outcome::Ignored, secs(7));
    let r = call(&mut b, Outcome::Failure, secs(8));
    assert_eq!(
        trace(&r.changes)[0].2,
        "consecutive_failures",
        "ignored kept the run"
    );
}

#[test]
fn the_failure_run_is_not_bounded_by_any_window() {
    // A one-bucket time window holds one failure at a time; the run still reaches 3.
    let config = classic().with_time_window(time_window(Duration::from_secs(1), 1, 100, 5));
    let mut b = breaker(config);
    call(&mut b, Outcome::Failure, secs(1));
    call(&mut b, Outcome::Failure, secs(5));
    let r = call(&mut b, Outcome::Failure, secs(9));
    assert_eq!(trace(&r.changes)[0].2, "consecutive_failures");
}

#[test]
fn count_window_rate_trips_at_its_threshold_including_the_outcome_just_recorded() {
    let mut b = breaker(rate_only(4, 50, 4));
    call(&mut b, Outcome::Success, secs(1));
    call(&mut b, Outcome::Failure, secs(2));
    call(&mut b, Outcome::Failure, secs(3));
    assert_eq!(
        b.state(),
        BreakerStateKind::Closed,
        "3 calls are below the minimum of 4"
    );
    let r = call(&mut b, Outcome::Success, secs(4));
    // 2 of 4 = 50% >= 50%: a success can trip, and it counts in the rate.
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("CLOSED", "OPEN", "failure_rate", 4000)]
    );
}

#[test]
fn count_window_rate_below_its_threshold_does_not_trip() {
    let mut b = breaker(rate_only(4, 50, 4));
    for s in 1..=3 {
        call(&mut b, Outcome::Success, secs(s));
    }
    call(&mut b, Outcome::Failure, secs(4));
    assert_eq!(b.state(), BreakerStateKind::Closed, "25% < 50%");
    assert_eq!(b.metrics().failure_rate_percent, Some(25));
}

#[test]
fn count_window_only_holds_the_last_n_calls() {
    let mut b = breaker(rate_only(4, 50, 4));
    call(&mut b, Outcome::Failure, secs(1));
    for s in 2..=5 {
        call(&mut b, Outcome::Success, secs(s));
    }
    // The failure slid out: 0 of the last 4.
    assert_eq!(b.metrics().failure_rate_percent, Some(0));
    call(&mut b, Outcome::Failure, secs(6));
    assert_eq!(b.state(), BreakerStateKind::Closed, "1 of 4 = 25%");
}

#[test]
fn count_window_effective_minimum_is_min_of_minimum_calls_and_n() {
    let mut b = breaker(rate_only(4, 100, 10));
    for s in 1..=3 {
        call(&mut b, Outcome::Failure, secs(s));
    }
    assert_eq!(b.state(), BreakerStateKind::Closed);
    let r = call(&mut b, Outcome::Failure, secs(4));
    assert_eq!(
        trace(&r.changes)[0].2,
        "failure_rate",
        "4 calls suffice with N = 4"
    );
}

#[test]
fn ignored_outcomes_never_count_toward_minimum_calls_or_rates() {
    let mut b = breaker(rate_only(10, 50, 2));
    call(&mut b, Outcome::Failure, secs(1));
    for s in 2..=6 {
        assert_eq!(
            call(&mut b, Outcome::Ignored, secs(s)).value,
            Recorded::Counted
        );
    }
    assert_eq!(
        b.state(),
        BreakerStateKind::Closed,
        "1 counted call < minimum 2"
    );
    assert_eq!(b.metrics().failure_rate_percent, None);
    assert_eq!(b.metrics().ignored, 5);
    let r = call(&mut b, Outcome::Success, secs(7));
    assert_eq!(
        trace(&r.changes)[0].2,
        "failure_rate",
        "1 of 2 counted = 50%"
    );
}

#[test]
fn outstanding_calls_never_count_toward_minimum_calls() {
    let mut b = breaker(rate_only(10, 50, 2));
    let _in_flight: heapless::Vec<Permit, 8> = (0..5)
        .map(|i| b.try_acquire(ms(i)).value.unwrap())
        .collect();
    call(&mut b, Outcome::Failure, secs(1));
    assert_eq!(b.state(), BreakerStateKind::Closed);
    assert_eq!(b.metrics().failure_rate_percent, None);
}

#[test]
fn time_window_rate_counts_only_the_last_b_buckets() {
    let config = classic()
        .with_consecutive_failures(None)
        .with_time_window(time_window(Duration::from_secs(1), 3, 50, 3));
    let mut b = breaker(config);
    call(&mut b, Outcome::Failure, ms(500)); // bucket 0
    call(&mut b, Outcome::Failure, ms(1500)); // bucket 1
    // At 3.5 s the window holds buckets 1..=3: bucket 0's failure is gone, so only
    // 2 calls are in it, below the minimum of 3 (with it: 2 of 3 = 66%, a trip).
    call(&mut b, Outcome::Success, ms(3500));
    assert_eq!(b.state(), BreakerStateKind::Closed);
    let r = call(&mut b, Outcome::Failure, ms(3600));
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("CLOSED", "OPEN", "failure_rate", 3600)]
    );
}

#[test]
fn time_window_outcome_goes_into_the_bucket_of_its_record_time() {
    let config = classic()
        .with_consecutive_failures(None)
        .with_time_window(time_window(Duration::from_secs(1), 2, 100, 2));
    let mut b = breaker(config);
    // Acquired in bucket 0, recorded in bucket 5: it counts in bucket 5.
    timed_call(&mut b, Outcome::Failure, ms(100), ms(5100));
    let r = call(&mut b, Outcome::Failure, ms(6200));
    assert_eq!(
        trace(&r.changes)[0].2,
        "failure_rate",
        "buckets 5 and 6 both in the window"
    );
}

#[test]
fn a_call_is_slow_only_if_strictly_longer_than_the_threshold_and_a_slow_success_can_trip() {
    let config = rate_only(10, 100, 2).with_slow_calls(SlowCallPolicy {
        threshold: Duration::from_millis(100),
        rate_percent: 50,
    });
    let mut b = breaker(config);
    timed_call(&mut b, Outcome::Success, ms(0), ms(100));
    assert_eq!(b.metrics().slow, 0, "exactly the threshold is not slow");
    let r = timed_call(&mut b, Outcome::Success, ms(200), ms(301));
    assert_eq!(b.metrics().slow, 1);
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("CLOSED", "OPEN", "slow_call_rate", 301)]
    );
}

#[test]
fn several_policies_firing_at_once_are_named_in_the_documented_order() {
    let slow = SlowCallPolicy {
        threshold: Duration::from_millis(10),
        rate_percent: 50,
    };
    // Consecutive and count-window failure rate fire together: consecutive wins.
    let mut a = breaker(
        BreakerConfig::consecutive(2, FIVE_S, 1).with_count_window(count_window(2, 100, 2)),
    );
    call(&mut a, Outcome::Failure, secs(1));
    let r = call(&mut a, Outcome::Failure, secs(2));
    assert_eq!(trace(&r.changes)[0].2, "consecutive_failures");

    // Count-window failure rate and slow rate fire together: failure rate wins.
    let mut b = breaker(rate_only(2, 50, 2).with_slow_calls(slow));
    timed_call(&mut b, Outcome::Failure, ms(0), ms(20));
    let r = timed_call(&mut b, Outcome::Success, ms(20), ms(40));
    assert_eq!(trace(&r.changes)[0].2, "failure_rate");

    // Count-window slow rate and time-window failure rate fire together: slow wins.
    let config = rate_only(2, 100, 2)
        .with_slow_calls(slow)
        .with_time_window(time_window(Duration::from_secs(1), 2, 50, 2));
    let mut c = breaker(config);
    timed_call(&mut c, Outcome::Success, ms(0), ms(20));
    assert_eq!(c.state(), BreakerStateKind::Closed);
    let r = call(&mut c, Outcome::Failure, ms(20));
    assert_eq!(trace(&r.changes)[0].2, "slow_call_rate");
}

// ---- OPEN --------------------------------------------------------------------------

#[test]
fn open_rejects_and_says_when_it_will_admit_again() {
    let mut b = tripped_classic(classic());
    let r = b.try_acquire(secs(4));
    assert_eq!(
        r.value,
        Err(Rejected {
            reason: RejectReason::Open,
            retry_at: Some(secs(8))
        })
    );
    assert!(r.changes.is_empty());
    assert_eq!(b.next_deadline(), Some(secs(8)));
    assert_eq!(b.metrics().rejected, 1);
}

#[test]
fn open_becomes_half_open_exactly_at_the_end_of_its_period_never_before() {
    let mut b = tripped_classic(classic());
    assert!(b.try_acquire(ms(7999)).value.is_err());
    assert_eq!(b.state(), BreakerStateKind::Open);
    let r = b.try_acquire(ms(8000));
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("OPEN", "HALF_OPEN", "timeout", 8000)]
    );
    let permit = r.value.unwrap();
    assert!(permit.is_probe());
    assert_eq!(permit.generation(), b.generation());
}

#[test]
fn a_late_observation_reports_the_change_at_the_deadline_itself() {
    let mut b = tripped_classic(classic());
    let r = b.try_acquire(ms(9500));
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("OPEN", "HALF_OPEN", "timeout", 8000)]
    );
    assert_eq!(b.state_machine().entered_at(), secs(8));
    assert_eq!(r.value.unwrap().acquired_at(), ms(9500));
}

#[test]
fn poll_applies_the_end_of_the_open_period_without_a_call() {
    let mut b = tripped_classic(classic());
    assert!(b.poll(ms(7999)).unwrap().is_empty());
    assert_eq!(
        trace(&b.poll(secs(8)).unwrap()).as_slice(),
        &[("OPEN", "HALF_OPEN", "timeout", 8000)]
    );
    assert_eq!(b.state(), BreakerStateKind::HalfOpen);
    assert!(b.poll(secs(100)).unwrap().is_empty());
}

#[test]
fn each_reopen_multiplies_the_period_up_to_the_cap_and_closing_restarts_it() {
    let config = classic().with_open(OpenPolicy::exponential(
        FIVE_S,
        200,
        Duration::from_secs(15),
    ));
    let mut b = tripped_classic(config);
    let mut expected = [5u64, 10, 15, 15].into_iter();
    assert_eq!(open_period(&b).as_secs(), expected.next().unwrap());
    for want in expected {
        let now = b.next_deadline().unwrap();
        let r = call(&mut b, Outcome::Failure, now);
        assert_eq!(trace(&r.changes)[0].2, "probe_failure");
        assert_eq!(open_period(&b).as_secs(), want);
    }
    // Two successful probes close it; the next trip starts from base again.
    let now = b.next_deadline().unwrap();
    call(&mut b, Outcome::Success, now);
    let r = call(&mut b, Outcome::Success, now);
    assert_eq!(trace(&r.changes)[0].2, "probes_succeeded");
    for _ in 0..3 {
        call(&mut b, Outcome::Failure, now);
    }
    assert_eq!(open_period(&b), FIVE_S);
}

#[test]
fn jitter_is_deterministic_from_the_seed_and_stays_within_its_percentage() {
    let base = Duration::from_secs(10);
    let config = |seed| {
        classic().with_open(
            OpenPolicy::exponential(base, 100, Duration::from_secs(20)).with_jitter(50, seed),
        )
    };
    let a = tripped_classic(config(42));
    let b = tripped_classic(config(42));
    assert_eq!(open_period(&a), open_period(&b), "same seed, same period");
    // period = base + (r % (2 * span + 1)) - span with r the first splitmix64 draw.
    let span = base.as_ticks() / 2;
    let r = super::jitter::SplitMix64::new(42).next_u64();
    let expected = base.as_ticks() + r % (2 * span + 1) - span;
    assert_eq!(open_period(&a).as_ticks(), expected);
    let mut differs = false;
    for seed in 0..20 {
        let p = open_period(&tripped_classic(config(seed)));
        assert!(p >= Duration::from_secs(5) && p <= Duration::from_secs(15));
        differs |= p != open_period(&a);
    }
    assert!(differs, "other seeds give other periods");
}

#[test]
fn full_jitter_never_gives_an_open_period_of_zero_ticks() {
    // A one-tick period with 100% jitter: span 1, offset -1, 0 or +1 (capped at 1). The
    // offset -1 would leave nothing of the period; it is floored at one tick, so the
    // breaker still rejects at the instant it trips.
    let tick = Duration::from_ticks(1);
    let mut cancelled = 0;
    for seed in 0..16 {
        if super::jitter::SplitMix64::new(seed)
            .next_u64()
            .is_multiple_of(3)
        {
            cancelled += 1;
        }
        let config = BreakerConfig::consecutive(1, tick, 1)
            .with_open(OpenPolicy::exponential(tick, 100, tick).with_jitter(100, seed));
        let mut b = breaker(config);
        let trip = ms(5);
        call(&mut b, Outcome::Failure, trip);
        assert_eq!(open_period(&b), tick, "seed {seed}");
        assert_eq!(b.next_deadline(), Some(trip + tick));
        assert!(b.try_acquire(trip).value.is_err(), "seed {seed}");
    }
    assert!(
        cancelled > 0,
        "some seed draws the offset that cancels the period"
    );
}

#[test]
fn while_open_the_window_view_stays_frozen_at_the_trip() {
    let config = classic()
        .with_consecutive_failures(None)
        .with_time_window(time_window(Duration::from_secs(1), 2, 50, 2));
    let mut b = breaker(config);
    call(&mut b, Outcome::Failure, ms(100));
    call(&mut b, Outcome::Success, ms(200));
    assert_eq!(b.state(), BreakerStateKind::Open);
    assert_eq!(b.metrics().failure_rate_percent, Some(50));
    // Long after both buckets left the window, the OPEN view still shows the trip.
    b.poll(ms(5000)).unwrap();
    assert_eq!(b.metrics().failure_rate_percent, Some(50));
    // HALF_OPEN starts an empty view.
    b.poll(ms(5200)).unwrap();
    assert_eq!(b.state(), BreakerStateKind::HalfOpen);
    assert_eq!(b.metrics().failure_rate_percent, None);
}

#[test]
fn after_a_reopen_from_half_open_the_frozen_view_keeps_its_rates_readable() {
    // The minimum of 4 calls is never reached by the single probe, yet the OPEN view
    // reports what reopened it, exactly.
    let config = classic()
        .with_count_window(count_window(10, 50, 4))
        .with_slow_calls(SlowCallPolicy {
            threshold: Duration::from_millis(100),
            rate_percent: 100,
        });
    let mut b = half_open(config);
    timed_call(&mut b, Outcome::Failure, secs(8), ms(8500));
    assert_eq!(b.state(), BreakerStateKind::Open);
    let m = b.metrics();
    assert_eq!(m.failure_rate, Some(Rate { bad: 1, calls: 1 }));
    assert_eq!(m.slow_call_rate, Some(Rate { bad: 1, calls: 1 }));
    assert_eq!(m.failure_rate_percent, Some(100));
    assert_eq!(
        m.window,
        WindowCounts {
            buffered: 1,
            failed: 1,
            successful: 0,
            slow: 1
        }
    );
    // Still frozen later in the open period; the next HALF_OPEN starts empty.
    b.poll(ms(13_000)).unwrap();
    assert_eq!(b.metrics().failure_rate, Some(Rate { bad: 1, calls: 1 }));
    b.poll(ms(18_500)).unwrap();
    assert_eq!(b.state(), BreakerStateKind::HalfOpen);
    assert_eq!(b.metrics().failure_rate, None);
    assert_eq!(b.metrics().window, WindowCounts::default());
}

#[test]
fn a_trip_below_the_minimum_calls_still_shows_its_rate_while_open() {
    // Three consecutive failures trip before the count window's minimum of 5.
    let config = classic().with_count_window(count_window(10, 50, 5));
    let mut b = breaker(config);
    for s in 1..=2 {
        call(&mut b, Outcome::Failure, secs(s));
        assert_eq!(b.metrics().failure_rate, None, "CLOSED: below the minimum");
    }
    call(&mut b, Outcome::Failure, secs(3));
    assert_eq!(b.state(), BreakerStateKind::Open);
    assert_eq!(b.metrics().failure_rate, Some(Rate { bad: 3, calls: 3 }));
}

// ---- HALF_OPEN ---------------------------------------------------------------------

fn half_open_config(policy: HalfOpenPolicy) -> BreakerConfig {
    classic().with_half_open(policy)
}

/// A breaker tripped at 3 s and HALF_OPEN since 8 s.
fn half_open(config: BreakerConfig) -> Breaker {
    let mut b = tripped_classic(config);
    b.poll(secs(8)).unwrap();
    assert_eq!(b.state(), BreakerStateKind::HalfOpen);
    b
}

#[test]
fn by_default_a_leaked_probe_permit_reopens_half_open_after_the_maximum_wait() {
    let mut b = half_open(classic());
    let _leaked = b.try_acquire(secs(8)).value.unwrap();
    let wait = HalfOpenPolicy::DEFAULT_MAX_WAIT;
    assert_eq!(b.next_deadline(), Some(secs(8) + wait));
    assert_eq!(
        b.try_acquire(secs(8) + wait - Duration::from_ticks(1))
            .value
            .unwrap_err()
            .reason,
        RejectReason::HalfOpenFull,
        "still waiting for the probe just before the deadline"
    );
    let changes = b.poll(secs(8) + wait).unwrap();
    assert_eq!(
        trace(&changes).as_slice(),
        &[("HALF_OPEN", "OPEN", "max_wait", 68_000)]
    );
    // The next open period ends and a new probe gets through: nothing is stuck.
    let probe = b.try_acquire(secs(68 + 5)).value.unwrap();
    assert!(probe.is_probe());
}

#[test]
fn half_open_admits_at_most_p_permits_outstanding_at_once() {
    let mut b = half_open(half_open_config(HalfOpenPolicy::after_successes(2, 3)));
    let first = b.try_acquire(secs(8)).value.unwrap();
    let _second = b.try_acquire(secs(8)).value.unwrap();
    assert_eq!(
        b.try_acquire(secs(8)).value,
        Err(Rejected {
            reason: RejectReason::HalfOpenFull,
            retry_at: None
        })
    );
    assert_eq!(b.outstanding_permits(), 2);
    b.record(first, Outcome::Success, secs(9));
    assert!(
        b.try_acquire(secs(9)).value.is_ok(),
        "a report frees a slot"
    );
    assert!(b.try_acquire(secs(9)).value.is_err());
}

#[test]
fn half_open_closes_after_s_successes() {
    let mut b = half_open(classic());
    call(&mut b, Outcome::Success, ms(8100));
    assert_eq!(b.state(), BreakerStateKind::HalfOpen);
    let r = call(&mut b, Outcome::Success, ms(8200));
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("HALF_OPEN", "CLOSED", "probes_succeeded", 8200)]
    );
}

#[test]
fn a_failed_probe_reopens_with_the_next_backoff() {
    let config = classic().with_open(OpenPolicy::exponential(FIVE_S, 200, Duration::MAX));
    let mut b = half_open(config);
    call(&mut b, Outcome::Success, ms(8100));
    let r = call(&mut b, Outcome::Failure, ms(8200));
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("HALF_OPEN", "OPEN", "probe_failure", 8200)]
    );
    assert_eq!(open_period(&b), Duration::from_secs(10));
    assert_eq!(b.next_deadline(), Some(ms(18_200)));
}

#[test]
fn an_ignored_probe_releases_its_permit_and_does_not_count() {
    let mut b = half_open(half_open_config(HalfOpenPolicy::after_successes(1, 1)));
    let probe = b.try_acquire(secs(8)).value.unwrap();
    assert!(b.try_acquire(secs(8)).value.is_err());
    let r = b.record(probe, Outcome::Ignored, secs(9));
    assert_eq!(r.value, Recorded::Counted);
    assert!(r.changes.is_empty());
    assert_eq!(
        b.state(),
        BreakerStateKind::HalfOpen,
        "ignored is no success"
    );
    assert_eq!(b.outstanding_permits(), 0);
    let r = call(&mut b, Outcome::Success, secs(10));
    assert_eq!(trace(&r.changes)[0].2, "probes_succeeded");
    assert_eq!(b.metrics().ignored, 1);
}

fn by_rate_config() -> BreakerConfig {
    rate_only(10, 50, 5)
        .with_slow_calls(SlowCallPolicy {
            threshold: Duration::from_millis(10),
            rate_percent: 50,
        })
        .with_half_open(HalfOpenPolicy::by_rate(4))
}

/// HALF_OPEN at 8 s under `by_rate_config` (tripped by 5 failures at 1..=5 s).
fn by_rate_half_open() -> (Breaker, [Permit; 4]) {
    let mut b = breaker(by_rate_config());
    for s in 1..=5 {
        call(&mut b, Outcome::Failure, secs(s));
    }
    assert_eq!(b.state(), BreakerStateKind::Open);
    b.poll(secs(10)).unwrap();
    let probes = [(); 4].map(|()| b.try_acquire(secs(10)).value.unwrap());
    assert!(b.try_acquire(secs(10)).value.is_err());
    (b, probes)
}

#[test]
fn by_rate_closes_once_p_outcomes_are_recorded_with_rates_below_thresholds() {
    let (mut b, [p1, p2, p3, p4]) = by_rate_half_open();
    b.record(p1, Outcome::Failure, secs(10));
    b.record(p2, Outcome::Success, secs(10));
    let r = b.record(p3, Outcome::Success, secs(10));
    assert!(r.changes.is_empty(), "no verdict before P outcomes");
    let r = b.record(p4, Outcome::Success, secs(10));
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("HALF_OPEN", "CLOSED", "probes_healthy", 10_000)]
    );
}

#[test]
fn by_rate_reopens_when_the_probe_failure_rate_reaches_the_threshold() {
    let (mut b, [p1, p2, p3, p4]) = by_rate_half_open();
    b.record(p1, Outcome::Failure, secs(10));
    b.record(p2, Outcome::Success, secs(10));
    b.record(p3, Outcome::Failure, secs(10));
    let r = b.record(p4, Outcome::Success, secs(10));
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("HALF_OPEN", "OPEN", "probe_rate", 10_000)]
    );
}

#[test]
fn by_rate_reopens_when_the_probe_slow_rate_reaches_the_threshold() {
    let (mut b, [p1, p2, p3, p4]) = by_rate_half_open();
    b.record(p1, Outcome::Success, ms(10_020));
    b.record(p2, Outcome::Success, ms(10_020));
    b.record(p3, Outcome::Success, ms(10_020));
    let r = b.record(p4, Outcome::Success, ms(10_020));
    assert_eq!(trace(&r.changes)[0].2, "probe_rate", "4 of 4 slow >= 50%");
}

#[test]
fn by_rate_ignores_ignored_probes() {
    let (mut b, [p1, p2, p3, p4]) = by_rate_half_open();
    b.record(p1, Outcome::Success, secs(10));
    b.record(p2, Outcome::Ignored, secs(10));
    b.record(p3, Outcome::Success, secs(10));
    let r = b.record(p4, Outcome::Success, secs(10));
    assert!(r.changes.is_empty(), "3 recorded of 4");
    let r = call(&mut b, Outcome::Success, secs(11));
    assert_eq!(trace(&r.changes)[0].2, "probes_healthy");
}

fn max_wait_config(action: MaxWaitAction) -> BreakerConfig {
    classic()
        .with_open(OpenPolicy::exponential(FIVE_S, 200, Duration::MAX))
        .with_half_open(
            HalfOpenPolicy::after_successes(1, 1).with_max_wait(Duration::from_secs(1), action),
        )
}

#[test]
fn max_wait_reopens_with_the_next_backoff_when_probes_never_report() {
    let mut b = half_open(max_wait_config(MaxWaitAction::Reopen));
    let lost = b.try_acquire(ms(8500)).value.unwrap();
    assert_eq!(b.next_deadline(), Some(ms(9500)));
    assert!(b.poll(ms(9499)).unwrap().is_empty());
    assert_eq!(
        trace(&b.poll(ms(9500)).unwrap()).as_slice(),
        &[("HALF_OPEN", "OPEN", "max_wait", 9500)]
    );
    assert_eq!(open_period(&b), Duration::from_secs(10));
    assert_eq!(b.next_deadline(), Some(ms(19_500)));
    assert_eq!(
        b.record(lost, Outcome::Success, ms(9600)).value,
        Recorded::Stale
    );
}

#[test]
fn max_wait_repermit_starts_half_open_over_and_the_lost_probes_become_stale() {
    let mut b = half_open(max_wait_config(MaxWaitAction::Repermit));
    let lost = b.try_acquire(ms(8500)).value.unwrap();
    let generation = b.generation();
    let r = b.try_acquire(ms(10_000));
    assert_eq!(
        trace(&r.changes).as_slice(),
        &[("HALF_OPEN", "HALF_OPEN", "max_wait", 9500)]
    );
    assert_eq!(b.generation(), generation + 1);
    let fresh = r.value.unwrap();
    // The lost probe's report is stale: it neither frees the fresh probe's slot nor
    // closes the breaker.
    assert_eq!(
        b.record(lost, Outcome::Success, ms(10_100)).value,
        Recorded::Stale
    );
    assert_eq!(b.state(), BreakerStateKind::HalfOpen);
    assert!(b.try_acquire(ms(10_100)).value.is_err());
    let r = b.record(fresh, Outcome::Success, ms(10_200));
    assert_eq!(trace(&r.changes)[0].2, "probes_succeeded");
}

#[test]
fn max_wait_runs_only_while_a_probe_is_outstanding_and_from_the_latest_probe_activity() {
    let config = max_wait_config(MaxWaitAction::Reopen).with_half_open(
        HalfOpenPolicy::after_successes(2, 3)
            .with_max_wait(Duration::from_secs(1), MaxWaitAction::Reopen),
    );
    let mut b = half_open(config);
    assert_eq!(b.next_deadline(), None, "no probe outstanding");
    assert!(b.poll(secs(100)).unwrap().is_empty());
    let a = b.try_acquire(secs(100)).value.unwrap();
    assert_eq!(b.next_deadline(), Some(secs(101)));
    let _b2 = b.try_acquire(ms(100_600)).value.unwrap();
    assert_eq!(
        b.next_deadline(),
        Some(ms(101_600)),
        "a new probe is activity"
    );
    b.record(a, Outcome::Success, ms(101_000));
    assert_eq!(b.next_deadline(), Some(secs(102)), "a report is activity");
}

// ---- generations and stale outcomes ------------------------------------------------

/// Reports the stale `permit` with every outcome, through [`CircuitBreaker::record`]
/// and through the machine's runtime (as a net does), at the latest instant seen, and
/// checks each report changed nothing but the stale counter.
fn assert_only_the_stale_counter_moves(b: &mut Breaker, permit: Permit) {
    assert_ne!(
        permit.generation(),
        b.generation(),
        "the permit must be stale"
    );
    let at = b.last_seen();
    for outcome in [Outcome::Failure, Outcome::Success, Outcome::Ignored] {
        for through_runtime in [false, true] {
            let before = b.clone();
            let (value, changed) = if through_runtime {
                let event = BreakerEvent::Record {
                    permit,
                    outcome,
                    speed: crate::breaker::Speed::Timed,
                };
                let d = b.state_machine_mut().dispatch(event, at).unwrap();
                let value = match d.output {
                    BreakerOutput::Recorded(value) => value,
                    other => panic!("not a record answer: {other:?}"),
                };
                (value, !d.changes.is_empty())
            } else {
                let r = b.record(permit, outcome, at);
                (r.value, !r.changes.is_empty())
            };
            let how = if through_runtime { "runtime" } else { "record" };
            let case = (before.state(), outcome, how);
            assert_eq!(value, Recorded::Stale, "{case:?}");
            assert!(!changed, "{case:?}");
            assert_eq!(b.metrics().stale, before.metrics().stale + 1, "{case:?}");
            assert_eq!(
                b.state_detail(),
                before.state_detail(),
                "probe slots and counts, {case:?}"
            );
            assert_eq!(b.outstanding_permits(), before.outstanding_permits());
            assert_eq!(b.next_deadline(), before.next_deadline(), "{case:?}");
            assert_eq!(
                b.state_machine().machine().without_stale_count(),
                before.state_machine().machine().without_stale_count(),
                "windows, failure run, counters, generation, backoff: {case:?}"
            );
        }
    }
}

#[test]
fn a_stale_outcome_changes_nothing_but_the_stale_counter() {
    // Windows, a slow-call policy and two probes, so a counted outcome would show
    // everywhere; the thresholds are high enough that only the failure run can trip.
    let config = classic()
        .with_count_window(count_window(20, 100, 20))
        .with_time_window(time_window(Duration::from_secs(1), 4, 100, 20))
        .with_slow_calls(SlowCallPolicy {
            threshold: Duration::from_millis(100),
            rate_percent: 100,
        })
        .with_half_open(
            HalfOpenPolicy::after_successes(2, 2)
                .with_max_wait(Duration::from_secs(60), MaxWaitAction::Reopen),
        );
    let mut b = breaker(config);
    let old = b.try_acquire(ms(0)).value.unwrap();

    // CLOSED, after a reset made `old` stale (same state, new generation): a slow
    // success, two failures (one more trips), one call in flight.
    b.reset(ms(10)).unwrap();
    assert_eq!(b.state(), BreakerStateKind::Closed);
    timed_call(&mut b, Outcome::Success, ms(100), ms(300));
    call(&mut b, Outcome::Failure, ms(400));
    call(&mut b, Outcome::Failure, ms(500));
    let in_flight = b.try_acquire(ms(600)).value.unwrap();
    assert_only_the_stale_counter_moves(&mut b, old);
    assert_eq!(b.state(), BreakerStateKind::Closed);

    // HALF_OPEN with one success of the two needed and one probe of two outstanding:
    // the CLOSED call still in flight reports late.
    call(&mut b, Outcome::Failure, ms(700));
    assert_eq!(b.state(), BreakerStateKind::Open);
    call(&mut b, Outcome::Success, ms(5700));
    let _probe = b.try_acquire(ms(5800)).value.unwrap();
    assert_eq!(b.state(), BreakerStateKind::HalfOpen);
    assert_eq!(b.outstanding_permits(), 1);
    assert_only_the_stale_counter_moves(&mut b, in_flight);
    assert_only_the_stale_counter_moves(&mut b, old);

    // OPEN: every report is stale there.
    let probe = b.try_acquire(ms(5900)).value.unwrap();
    b.record(probe, Outcome::Failure, ms(5900));
    assert_eq!(b.state(), BreakerStateKind::Open);
    assert_only_the_stale_counter_moves(&mut b, in_flight);
    assert_eq!(b.metrics().stale, 4 * 6);
}

#[test]
fn a_stale_outcome_neither_uses_nor_frees_a_half_open_slot() {
    let mut b = breaker(classic());
    let closed_permit = b.try_acquire(ms(0)).value.unwrap();
    for s in 1..=3 {
        call(&mut b, Outcome::Failure, secs(s));
    }
    b.poll(secs(8)).unwrap();
    assert_eq!(b.state(), BreakerStateKind::HalfOpen);
    // No probe out: a stale report must not take the only slot.
    assert_eq!(
        b.record(closed_permit, Outcome::Failure, secs(8)).value,
        Recorded::Stale
    );
    let probe = b.try_acquire(secs(8)).value.unwrap();
    // The slot is taken: a stale report must not free it.
    assert_eq!(
        b.record(closed_permit, Outcome::Success, secs(8)).value,
        Recorded::Stale
    );
    assert!(b.try_acquire(secs(8)).value.is_err());
    assert_eq!(
        b.record(probe, Outcome::Success, secs(8)).value,
        Recorded::Counted
    );
}

#[test]
fn the_generation_starts_at_zero_and_moves_once_per_change_and_per_reset() {
    let mut b = breaker(classic());
    assert_eq!(b.generation(), 0);
    for s in 1..=3 {
        call(&mut b, Outcome::Failure, secs(s));
    }
    assert_eq!(b.generation(), 1, "CLOSED -> OPEN");
    call(&mut b, Outcome::Success, secs(8));
    assert_eq!(b.generation(), 2, "OPEN -> HALF_OPEN");
    call(&mut b, Outcome::Success, secs(8));
    assert_eq!(b.generation(), 3, "HALF_OPEN -> CLOSED");
    assert!(b.reset(secs(9)).unwrap().is_empty());
    assert_eq!(b.generation(), 4, "reset while CLOSED");
    b.force_open(secs(9)).unwrap();
    assert_eq!(b.generation(), 5);
    assert!(b.force_open(secs(9)).unwrap().is_empty());
    assert_eq!(b.generation(), 5, "the mode already in force: nothing");
    b.disable(secs(9)).unwrap();
    assert_eq!(b.generation(), 6);
    assert_eq!(
        trace(&b.reset(secs(9)).unwrap()).as_slice(),
        &[("DISABLED", "CLOSED", "reset", 9000)]
    );
    assert_eq!(
        b.generation(),
        7,
        "a reset that changes state moves it once"
    );
    assert_eq!(b.metrics().state_changes, 6);
}

#[test]
fn a_call_that_first_applies_a_due_timeout_reports_both_changes_in_order() {
    let mut b = tripped_classic(classic());
    let generation = b.generation();
    let changes = b.force_open(secs(8)).unwrap();
    assert_eq!(
        trace(&changes).as_slice(),
        &[
            ("OPEN", "HALF_OPEN", "timeout", 8000),
            ("HALF_OPEN", "FORCED_OPEN", "force_open", 8000)
        ]
    );
    assert_eq!(b.generation(), generation + 2);
}

// ---- operator modes ----------------------------------------------------------------

#[test]
fn forced_open_always_rejects_and_nothing_time_driven_happens() {
    let mut b = tripped_classic(classic());
    let changes = b.force_open(secs(4)).unwrap();
    assert_eq!(
        trace(&changes).as_slice(),
        &[("OPEN", "FORCED_OPEN", "force_open", 4000)]
    );
    assert_eq!(b.next_deadline(), None);
    assert!(b.poll(secs(1000)).unwrap().is_empty());
    assert_eq!(
        b.try_acquire(secs(1000)).value,
        Err(Rejected {
            reason: RejectReason::ForcedOpen,
            retry_at: None
        })
    );
    assert_eq!(b.state(), BreakerStateKind::ForcedOpen);
}

#[test]
fn disabled_permits_everything_and_records_nothing() {
    let mut b = breaker(classic());
    let before = b.try_acquire(ms(0)).value.unwrap();
    b.disable(ms(1)).unwrap();
    let metrics = b.metrics();
    for s in 1..=10 {
        let r = call(&mut b, Outcome::Failure, secs(s));
        assert_eq!(r.value, Recorded::NotRecorded);
    }
    assert_eq!(b.state(), BreakerStateKind::Disabled);
    assert_eq!(b.metrics().failures, metrics.failures);
    assert_eq!(b.metrics().permitted, metrics.permitted + 10);
    assert_eq!(b.next_deadline(), None);
    // A permit from before the mode change is stale, not "not recorded".
    assert_eq!(
        b.record(before, Outcome::Failure, secs(11)).value,
        Recorded::Stale
    );
}

#[test]
fn metrics_only_records_outcomes_but_never_trips() {
    let config = classic().with_count_window(count_window(10, 50, 1));
    let mut b = breaker(config);
    b.metrics_only(ms(0)).unwrap();
    for s in 1..=10 {
        let r = call(&mut b, Outcome::Failure, secs(s));
        assert_eq!(r.value, Recorded::Counted);
        assert!(r.changes.is_empty());
    }
    assert_eq!(b.state(), BreakerStateKind::MetricsOnly);
    assert_eq!(b.metrics().failures, 10);
    assert_eq!(b.metrics().failure_rate_percent, Some(100));
    assert!(b.poll(secs(1000)).unwrap().is_empty());
}

#[test]
fn an_operator_mode_is_left_by_reset_or_another_operator_call() {
    let mut b = breaker(classic());
    b.force_open(ms(0)).unwrap();
    assert_eq!(
        trace(&b.disable(ms(1)).unwrap()).as_slice(),
        &[("FORCED_OPEN", "DISABLED", "disable", 1)]
    );
    assert_eq!(
        trace(&b.metrics_only(ms(2)).unwrap()).as_slice(),
        &[("DISABLED", "METRICS_ONLY", "metrics_only", 2)]
    );
    assert_eq!(
        trace(&b.reset(ms(3)).unwrap()).as_slice(),
        &[("METRICS_ONLY", "CLOSED", "reset", 3)]
    );
}

#[test]
fn entering_an_operator_mode_starts_an_empty_view() {
    let config = classic().with_count_window(count_window(10, 100, 1));
    let mut b = breaker(config);
    call(&mut b, Outcome::Success, secs(1));
    assert_eq!(b.metrics().failure_rate_percent, Some(0));
    b.metrics_only(secs(2)).unwrap();
    assert_eq!(b.metrics().failure_rate_percent, None);
}

#[test]
fn reset_from_closed_changes_no_state_but_clears_windows_run_and_outstanding_permits() {
    let config = classic().with_count_window(count_window(10, 100, 2));
    let mut b = breaker(config);
    call(&mut b, Outcome::Success, secs(1));
    call(&mut b, Outcome::Failure, secs(2));
    call(&mut b, Outcome::Failure, secs(3));
    assert_eq!(b.metrics().failure_rate_percent, Some(66));
    let outstanding = b.try_acquire(secs(3)).value.unwrap();
    let generation = b.generation();
    let reset = b.reset(secs(4)).unwrap();
    assert!(reset.is_empty(), "no state change");
    assert!(reset.is_reset(), "the reset alone is reported");
    assert_eq!(b.state(), BreakerStateKind::Closed);
    assert_eq!(b.generation(), generation + 1);
    assert_eq!(b.metrics().failure_rate_percent, None, "windows cleared");
    assert_eq!(b.metrics().failures, 2, "counters are lifetime");
    assert_eq!(
        b.record(outstanding, Outcome::Failure, secs(5)).value,
        Recorded::Stale
    );
    call(&mut b, Outcome::Failure, secs(6));
    assert_eq!(
        b.state(),
        BreakerStateKind::Closed,
        "the run restarted at the reset"
    );
}

#[test]
fn reset_from_open_reports_the_change_and_restarts_the_backoff() {
    let config = classic().with_open(OpenPolicy::exponential(FIVE_S, 200, Duration::MAX));
    let mut b = half_open(config);
    call(&mut b, Outcome::Failure, secs(8));
    assert_eq!(open_period(&b), Duration::from_secs(10));
    let reset = b.reset(secs(9)).unwrap();
    assert_eq!(
        trace(&reset).as_slice(),
        &[("OPEN", "CLOSED", "reset", 9000)]
    );
    assert!(reset.is_reset(), "the change, then the reset");
    for s in 10..=12 {
        call(&mut b, Outcome::Failure, secs(s));
    }
    assert_eq!(open_period(&b), FIVE_S);
}

// ---- metrics -----------------------------------------------------------------------

#[test]
fn metrics_count_every_kind_of_event_and_report_floor_rates() {
    let config = rate_only(3, 100, 3);
    let mut b = breaker(config);
    assert_eq!(b.metrics().last_change, None);
    call(&mut b, Outcome::Success, secs(1));
    call(&mut b, Outcome::Failure, secs(2));
    assert_eq!(b.metrics().failure_rate_percent, None, "below the minimum");
    call(&mut b, Outcome::Success, secs(3));
    call(&mut b, Outcome::Ignored, secs(4));
    let m = b.metrics();
    assert_eq!(
        (m.permitted, m.successes, m.failures, m.ignored),
        (4, 2, 1, 1)
    );
    assert_eq!(m.failure_rate_percent, Some(33));
    assert_eq!(m.slow_call_rate_percent, None, "no slow-call policy");
    b.force_open(secs(5)).unwrap();
    assert!(b.try_acquire(secs(6)).value.is_err());
    let m = b.metrics();
    assert_eq!((m.rejected, m.state_changes), (1, 1));
    assert_eq!(m.last_change, Some(secs(5)));
}

#[test]
fn with_both_windows_metrics_report_the_count_windows_rates() {
    let config =
        rate_only(2, 100, 2).with_time_window(time_window(Duration::from_secs(10), 2, 90, 1));
    let mut b = breaker(config);
    for (s, outcome) in [
        Outcome::Success,
        Outcome::Failure,
        Outcome::Success,
        Outcome::Success,
    ]
    .into_iter()
    .enumerate()
    {
        call(&mut b, outcome, secs(s as u64 + 1));
    }
    assert_eq!(b.state(), BreakerStateKind::Closed);
    // Count window: the last 2 calls, 0%. Time window: 1 of 4, 25%.
    assert_eq!(b.metrics().failure_rate_percent, Some(0));
}

// ---- clock regression --------------------------------------------------------------

#[test]
fn a_clock_regression_is_refused_with_a_typed_answer_and_changes_nothing() {
    let mut b = tripped_classic(classic());
    let before = b.clone();
    // 1 s is before the 3 s already seen: refused, not counted as a rejection.
    let r = b.try_acquire(secs(1));
    let rejected = r.value.unwrap_err();
    assert_eq!(rejected.reason, RejectReason::ClockRegression);
    assert_eq!(rejected.retry_at, Some(secs(3)));
    assert_eq!(b.last_seen(), secs(3));
    assert_eq!(b, before);
    assert_eq!(b.metrics().rejected, before.metrics().rejected);
    assert!(b.poll(Instant::from_ticks(0)).is_err());
    assert_eq!(b.state(), BreakerStateKind::Open);
    // A report from before the latest instant is refused and counts nothing; the same
    // permit reported at a correct instant is measured from its acquire.
    let mut c = breaker(rate_only(4, 100, 1).with_slow_calls(SlowCallPolicy {
        threshold: Duration::from_ticks(0),
        rate_percent: 100,
    }));
    c.poll(secs(10)).unwrap();
    assert!(
        c.try_acquire(secs(5))
            .value
            .unwrap_err()
            .is_clock_regression()
    );
    let permit = c.try_acquire(secs(10)).value.unwrap();
    assert_eq!(permit.acquired_at(), secs(10));
    let r = c.record(permit, Outcome::Success, secs(2));
    assert!(matches!(r.value, Recorded::ClockRegression));
    assert_eq!(c.metrics().successes, 0);
    assert_eq!(c.outstanding_permits(), 1, "the permit is still out");
    let r = c.record(permit, Outcome::Success, secs(10));
    assert_eq!(r.value, Recorded::Counted);
    assert_eq!(c.metrics().slow, 0, "no time passed");
    assert_eq!(c.state(), BreakerStateKind::Closed);
}

#[test]
fn extreme_instants_and_durations_never_panic() {
    let config = classic()
        .with_open(OpenPolicy::exponential(Duration::MAX, 1000, Duration::MAX).with_jitter(100, 1))
        .with_count_window(count_window(128, 1, 1))
        .with_time_window(time_window(Duration::from_ticks(1), 10, 1, 1))
        .with_slow_calls(SlowCallPolicy {
            threshold: Duration::from_ticks(0),
            rate_percent: 1,
        })
        .with_half_open(
            HalfOpenPolicy::after_successes(u16::MAX, u16::MAX)
                .with_max_wait(Duration::MAX, MaxWaitAction::Repermit),
        );
    let mut b = breaker(config);
    let end = Instant::from_ticks(u64::MAX);
    let p = b.try_acquire(ms(0)).value.unwrap();
    b.record(p, Outcome::Failure, end);
    assert_eq!(b.state(), BreakerStateKind::Open);
    assert_eq!(b.next_deadline(), Some(end), "saturates at the end of time");
    b.poll(end).unwrap();
    assert!(b.try_acquire(end).value.is_ok());
    b.poll(end).unwrap();
}

#[test]
fn breaker_machine_table_names_match_the_reported_states() {
    let mut b = tripped_classic(classic());
    let r = b.try_acquire(secs(8));
    let change = r.changes.as_slice()[0].to_state_change();
    assert_eq!(change.machine, <BreakerMachine<4, 10> as Machine>::NAME);
    assert!(BreakerMachine::<4, 10>::TABLE.allows(change.from.name, change.to.name));
    let typed = BreakerChange::from_state_change(&change).unwrap();
    assert_eq!(typed, r.changes.as_slice()[0]);
    assert_eq!(typed.from, BreakerStateKind::Open);
    assert_eq!(typed.to, BreakerStateKind::HalfOpen);
    assert_eq!(typed.reason, Reason::Timeout);
}

//! One small hand-computed case per pinned rule; together they document the semantics.

use super::*;

/// No trip policy, OPEN for 100 then 200, 400, ... capped at 1000, one probe closes.
fn config() -> RefBreakerConfig {
    RefBreakerConfig {
        consecutive_failures: None,
        count_window: None,
        time_window: None,
        slow_calls: None,
        open: RefOpen {
            base: 100,
            multiplier_percent: 200,
            cap: 1000,
            jitter_percent: 0,
            seed: 0,
        },
        half_open: RefHalfOpen {
            max_permits: 1,
            close: RefClose::AfterSuccesses(1),
            max_wait: None,
            on_max_wait: RefMaxWait::Reopen,
        },
    }
}

/// `config()` tripping on the first failure.
fn trips_on_first_failure() -> RefBreakerConfig {
    RefBreakerConfig {
        consecutive_failures: Some(1),
        ..config()
    }
}

/// Acquires at `start` and records `outcome` at `end`.
fn call(breaker: &mut RefBreaker, outcome: RefOutcome, start: u64, end: u64) -> RefRecorded {
    let permit = breaker.try_acquire(start).expect("the call is permitted");
    breaker.record(permit, outcome, end)
}

fn last_change(breaker: &RefBreaker) -> RefChange {
    *breaker.changes().last().expect("a state change happened")
}

fn change(from: &'static str, to: &'static str, cause: &'static str, at: u64) -> RefChange {
    RefChange {
        from,
        to,
        cause,
        at,
    }
}

// Rule 1: lazy time first; due changes happen at their deadline.

#[test]
fn due_changes_happen_at_their_deadlines_in_order() {
    let mut config = trips_on_first_failure();
    config.half_open.max_wait = Some(20);
    let mut breaker = RefBreaker::new(config, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    breaker.poll(110).unwrap();
    breaker.try_acquire(110).expect("a probe is admitted");
    // Max wait expires at 130 and reopens with p_2 = 200, so OPEN lasts until 330.
    breaker.poll(1000).unwrap();
    assert_eq!(
        breaker.changes(),
        &[
            change("CLOSED", "OPEN", "consecutive_failures", 0),
            change("OPEN", "HALF_OPEN", "timeout", 100),
            change("HALF_OPEN", "OPEN", "max_wait", 130),
            change("OPEN", "HALF_OPEN", "timeout", 330),
        ]
    );
}

#[test]
fn a_call_first_applies_what_is_due_then_does_its_work() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    let permit = breaker
        .try_acquire(100)
        .expect("OPEN ended at 100, so this is a probe");
    assert!(permit.probe);
    assert_eq!(breaker.state(), "HALF_OPEN");
}

#[test]
fn accessors_do_not_apply_lazy_time() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    breaker.try_acquire(50).expect_err("still OPEN");
    assert_eq!(breaker.state(), "OPEN");
    breaker.poll(100).unwrap();
    assert_eq!(breaker.state(), "HALF_OPEN");
}

#[test]
fn an_earlier_now_is_refused_and_changes_nothing() {
    let mut breaker = RefBreaker::new(config(), 0);
    breaker.poll(50).unwrap();
    let permit = breaker.try_acquire(50).expect("CLOSED permits");
    let regression = RefClockRegression { last: 50, now: 10 };
    assert_eq!(
        breaker.try_acquire(10),
        Err(RefRejected::ClockRegression { last: 50 })
    );
    assert_eq!(
        breaker.record(permit, RefOutcome::Failure, 10),
        RefRecorded::ClockRegression(regression)
    );
    assert_eq!(breaker.poll(10), Err(regression));
    assert_eq!(breaker.force_open(10), Err(regression));
    assert_eq!(breaker.reset(10), Err(regression));
    assert_eq!(
        breaker.counters(),
        RefCounters {
            permitted: 1,
            ..RefCounters::default()
        }
    );
    assert_eq!(breaker.state(), "CLOSED");
    assert_eq!(breaker.generation(), 0);
    assert_eq!(
        breaker.record(permit, RefOutcome::Failure, 50),
        RefRecorded::Counted,
        "the permit is still good"
    );
}

// Rule 2: open periods.

#[test]
fn open_periods_grow_by_the_multiplier_until_the_cap() {
    let open = config().open;
    let periods: Vec<u64> = (1..=6).map(|k| unjittered_period(&open, k)).collect();
    assert_eq!(periods, [100, 200, 400, 800, 1000, 1000]);
}

#[test]
fn each_reopen_uses_the_next_period_and_closing_restarts_at_base() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.next_deadline(), Some(100));
    call(&mut breaker, RefOutcome::Failure, 100, 100);
    assert_eq!(
        breaker.next_deadline(),
        Some(300),
        "second opening lasts 200"
    );
    call(&mut breaker, RefOutcome::Failure, 300, 300);
    assert_eq!(
        breaker.next_deadline(),
        Some(700),
        "third opening lasts 400"
    );
    call(&mut breaker, RefOutcome::Success, 700, 700);
    assert_eq!(breaker.state(), "CLOSED");
    call(&mut breaker, RefOutcome::Failure, 800, 800);
    assert_eq!(
        breaker.next_deadline(),
        Some(900),
        "a trip after closing lasts base again"
    );
}

#[test]
fn growth_is_computed_exactly_then_capped_so_a_period_never_shrinks_on_overflow() {
    // 2^62 * 1000% overflows u64: computed exactly it is far above the cap, so the
    // second opening lasts the cap (u64::MAX), not u64::MAX / 100.
    let open = RefOpen {
        base: 1 << 62,
        multiplier_percent: 1000,
        cap: u64::MAX,
        jitter_percent: 0,
        seed: 0,
    };
    let periods: Vec<u64> = (1..=3).map(|k| unjittered_period(&open, k)).collect();
    assert_eq!(periods, [1 << 62, u64::MAX, u64::MAX]);
}

#[test]
fn the_jitter_span_is_computed_exactly_for_periods_near_the_end_of_time() {
    // span = floor(p * j / 100) without overflow: for p = u64::MAX and j = 100 the span
    // is p itself (saturating p * j first would give a span of only u64::MAX / 100).
    let open = RefOpen {
        base: u64::MAX,
        multiplier_percent: 100,
        cap: u64::MAX,
        jitter_percent: 100,
        seed: 0,
    };
    // The first draw of seed 0, put through the exact formula.
    let draw = SplitMix64::new(0).next_u64();
    let span = u128::from(u64::MAX);
    let offset = (u128::from(draw) % (2 * span + 1)) as i128 - span as i128;
    let expected = (i128::from(u64::MAX) + offset)
        .clamp(0, i128::from(u64::MAX))
        .max(1) as u64;
    let mut rng = SplitMix64::new(0);
    assert_eq!(open_period(&open, 1, &mut rng), expected);
}

#[test]
fn jitter_draws_even_when_its_span_rounds_to_zero() {
    // p_1 = 1 with 50% jitter: span 0, the period stays 1, but a value is drawn, so
    // the second opening (p_2 = 4, span 2) uses the second draw of the stream.
    let open = RefOpen {
        base: 1,
        multiplier_percent: 400,
        cap: 100,
        jitter_percent: 50,
        seed: 0,
    };
    let mut rng = SplitMix64::new(0);
    assert_eq!(open_period(&open, 1, &mut rng), 1);
    let mut stream = SplitMix64::new(0);
    stream.next_u64();
    let second = stream.next_u64();
    let expected = 4 + (second % 5) as i64 - 2;
    assert_eq!(open_period(&open, 2, &mut rng), expected as u64);
}

#[test]
fn full_jitter_never_gives_a_period_of_zero_ticks() {
    // p_1 = 1 with 100% jitter: span 1, offsets -1, 0, +1, capped at 1. A draw that is
    // 0 mod 3 cancels the period; it is floored at one tick.
    let open = RefOpen {
        base: 1,
        multiplier_percent: 100,
        cap: 1,
        jitter_percent: 100,
        seed: 0,
    };
    let seed = (0..64)
        .find(|&s| SplitMix64::new(s).next_u64().is_multiple_of(3))
        .expect("a seed whose first draw cancels the period");
    let mut rng = SplitMix64::new(seed);
    assert_eq!(open_period(&RefOpen { seed, ..open }, 1, &mut rng), 1);
}

#[test]
fn splitmix64_matches_the_published_sequence() {
    let mut rng = SplitMix64::new(0);
    assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
}

#[test]
fn jitter_draws_one_value_per_opening() {
    let open = RefOpen {
        base: 1000,
        multiplier_percent: 200,
        cap: 10_000,
        jitter_percent: 10,
        seed: 42,
    };
    let mut rng = SplitMix64::new(42);
    // r1 = 0xBDD732262FEB6E95: span 100, r1 % 201 = 55, offset -45.
    assert_eq!(open_period(&open, 1, &mut rng), 955);
    // r2 = 0x28EFE333B266F103: span 200, r2 % 401 = 396, offset +196.
    assert_eq!(open_period(&open, 2, &mut rng), 2196);
}

#[test]
fn jittered_periods_stay_within_the_span_and_the_cap() {
    let open = RefOpen {
        base: 1000,
        multiplier_percent: 100,
        cap: 1000,
        jitter_percent: 50,
        seed: 7,
    };
    let mut rng = SplitMix64::new(open.seed);
    for _ in 0..200 {
        let period = open_period(&open, 1, &mut rng);
        assert!((500..=1000).contains(&period), "period {period}");
    }
}

#[test]
fn the_breaker_draws_jitter_from_its_seed() {
    let mut config = trips_on_first_failure();
    config.open = RefOpen {
        base: 1000,
        multiplier_percent: 200,
        cap: 10_000,
        jitter_percent: 10,
        seed: 42,
    };
    let mut breaker = RefBreaker::new(config, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.next_deadline(), Some(955));
}

// Rule 3: trip checks.

#[test]
fn consecutive_failures_trip_when_the_run_reaches_n() {
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            consecutive_failures: Some(3),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.state(), "CLOSED");
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(
        last_change(&breaker),
        change("CLOSED", "OPEN", "consecutive_failures", 0)
    );
}

#[test]
fn a_rate_trips_at_its_threshold_including_the_latest_outcome() {
    let window = RefCountWindow {
        size: 4,
        failure_rate_percent: 50,
        minimum_calls: 4,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            count_window: Some(window),
            ..config()
        },
        0,
    );
    for outcome in [
        RefOutcome::Success,
        RefOutcome::Failure,
        RefOutcome::Success,
    ] {
        call(&mut breaker, outcome, 0, 0);
    }
    assert_eq!(
        breaker.state(),
        "CLOSED",
        "3 calls are below the minimum of 4"
    );
    call(&mut breaker, RefOutcome::Failure, 0, 7);
    assert_eq!(
        last_change(&breaker),
        change("CLOSED", "OPEN", "failure_rate", 7)
    );
}

#[test]
fn a_count_window_minimum_is_capped_by_its_size() {
    let window = RefCountWindow {
        size: 2,
        failure_rate_percent: 50,
        minimum_calls: 10,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            count_window: Some(window),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Success, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.state(), "OPEN");
}

#[test]
fn a_slow_success_can_trip_the_slow_call_rate() {
    let window = RefCountWindow {
        size: 2,
        failure_rate_percent: 100,
        minimum_calls: 2,
    };
    let slow = RefSlowCalls {
        threshold: 10,
        rate_percent: 50,
    };
    let config = RefBreakerConfig {
        count_window: Some(window),
        slow_calls: Some(slow),
        ..config()
    };
    let mut breaker = RefBreaker::new(config, 0);
    call(&mut breaker, RefOutcome::Success, 0, 5);
    call(&mut breaker, RefOutcome::Success, 5, 20);
    assert_eq!(
        last_change(&breaker),
        change("CLOSED", "OPEN", "slow_call_rate", 20)
    );
}

#[test]
fn the_first_policy_in_the_pinned_order_names_the_cause() {
    let window = RefCountWindow {
        size: 2,
        failure_rate_percent: 50,
        minimum_calls: 2,
    };
    let both = RefBreakerConfig {
        consecutive_failures: Some(2),
        count_window: Some(window),
        ..config()
    };
    let mut breaker = RefBreaker::new(both, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(last_change(&breaker).cause, "consecutive_failures");

    let slow = RefSlowCalls {
        threshold: 0,
        rate_percent: 50,
    };
    let rate_and_slow = RefBreakerConfig {
        count_window: Some(window),
        slow_calls: Some(slow),
        ..config()
    };
    let mut breaker = RefBreaker::new(rate_and_slow, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 1);
    call(&mut breaker, RefOutcome::Failure, 1, 2);
    assert_eq!(
        last_change(&breaker).cause,
        "failure_rate",
        "failure rate is checked before slow rate"
    );
}

#[test]
fn a_time_window_rate_trips() {
    let window = RefTimeWindow {
        bucket_width: 10,
        buckets: 3,
        failure_rate_percent: 50,
        minimum_calls: 2,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            time_window: Some(window),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.state(), "CLOSED");
    call(&mut breaker, RefOutcome::Success, 25, 25);
    assert_eq!(
        last_change(&breaker),
        change("CLOSED", "OPEN", "failure_rate", 25)
    );
}

#[test]
fn trip_checks_run_only_in_closed() {
    let mut config = trips_on_first_failure();
    config.half_open.close = RefClose::AfterSuccesses(2);
    config.half_open.max_permits = 2;
    config.count_window = Some(RefCountWindow {
        size: 1,
        failure_rate_percent: 0,
        minimum_calls: 1,
    });
    let mut breaker = RefBreaker::new(config, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    // In HALF_OPEN a 0% threshold would trip on any outcome if trip checks ran there.
    call(&mut breaker, RefOutcome::Success, 100, 100);
    assert_eq!(breaker.state(), "HALF_OPEN");
}

// Rule 4: slow is strictly greater than the threshold.

#[test]
fn a_call_is_slow_only_when_strictly_longer_than_the_threshold() {
    let slow = RefSlowCalls {
        threshold: 10,
        rate_percent: 100,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            slow_calls: Some(slow),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Success, 0, 10);
    assert_eq!(breaker.counters().slow, 0);
    call(&mut breaker, RefOutcome::Failure, 10, 21);
    assert_eq!(breaker.counters().slow, 1);
    call(&mut breaker, RefOutcome::Ignored, 21, 100);
    assert_eq!(breaker.counters().slow, 1, "Ignored is never slow");
}

// Rule 5: only Success and Failure count.

#[test]
fn ignored_never_counts_toward_minimum_or_rate() {
    let window = RefCountWindow {
        size: 2,
        failure_rate_percent: 100,
        minimum_calls: 2,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            count_window: Some(window),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    call(&mut breaker, RefOutcome::Ignored, 0, 0);
    assert_eq!(breaker.state(), "CLOSED");
    assert_eq!(
        breaker.failure_rate(),
        None,
        "one counted call is below the minimum"
    );
    assert_eq!(breaker.counters().ignored, 1);
}

#[test]
fn ignored_does_not_break_a_consecutive_run_but_success_does() {
    let config = RefBreakerConfig {
        consecutive_failures: Some(2),
        ..config()
    };
    let mut breaker = RefBreaker::new(config.clone(), 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    call(&mut breaker, RefOutcome::Success, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.state(), "CLOSED");
    let mut breaker = RefBreaker::new(config, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    call(&mut breaker, RefOutcome::Ignored, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.state(), "OPEN");
}

#[test]
fn the_consecutive_run_is_not_bounded_by_a_window() {
    // The window holds only the current bucket, yet three failures in three buckets trip.
    let window = RefTimeWindow {
        bucket_width: 10,
        buckets: 1,
        failure_rate_percent: 100,
        minimum_calls: 5,
    };
    let config = RefBreakerConfig {
        consecutive_failures: Some(3),
        time_window: Some(window),
        ..config()
    };
    let mut breaker = RefBreaker::new(config, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 10, 10);
    call(&mut breaker, RefOutcome::Failure, 20, 20);
    assert_eq!(
        last_change(&breaker),
        change("CLOSED", "OPEN", "consecutive_failures", 20)
    );
}

#[test]
fn an_ignored_outcome_runs_no_trip_check() {
    let window = RefTimeWindow {
        bucket_width: 10,
        buckets: 2,
        failure_rate_percent: 60,
        minimum_calls: 1,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            time_window: Some(window),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Success, 5, 5); // bucket 0
    call(&mut breaker, RefOutcome::Failure, 12, 12); // bucket 1: 1/2 = 50% < 60%
    // At 25 the window is buckets {1, 2}: 1/1 = 100%, but Ignored triggers no check.
    call(&mut breaker, RefOutcome::Ignored, 25, 25);
    assert_eq!(breaker.state(), "CLOSED");
}

// Rule 6: windows.

#[test]
fn a_count_window_holds_the_last_size_counted_outcomes() {
    let window = RefCountWindow {
        size: 2,
        failure_rate_percent: 100,
        minimum_calls: 1,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            count_window: Some(window),
            ..config()
        },
        0,
    );
    breaker.metrics_only(0).unwrap();
    call(&mut breaker, RefOutcome::Success, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.failure_rate(), Some(50));
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(
        breaker.failure_rate(),
        Some(100),
        "the first success slid out"
    );
    call(&mut breaker, RefOutcome::Success, 0, 0);
    assert_eq!(breaker.failure_rate(), Some(50));
}

#[test]
fn a_time_window_holds_the_last_b_buckets() {
    let window = RefTimeWindow {
        bucket_width: 10,
        buckets: 2,
        failure_rate_percent: 100,
        minimum_calls: 1,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            time_window: Some(window),
            ..config()
        },
        0,
    );
    breaker.metrics_only(0).unwrap();
    call(&mut breaker, RefOutcome::Failure, 5, 5); // bucket 0
    call(&mut breaker, RefOutcome::Success, 12, 12); // bucket 1
    assert_eq!(breaker.failure_rate(), Some(50));
    breaker.poll(20).unwrap(); // window = buckets {1, 2}
    assert_eq!(breaker.failure_rate(), Some(0));
    breaker.poll(39).unwrap(); // window = buckets {2, 3}
    assert_eq!(breaker.failure_rate(), None);
}

#[test]
fn an_outcome_goes_into_the_bucket_of_its_record_time() {
    let window = RefTimeWindow {
        bucket_width: 10,
        buckets: 2,
        failure_rate_percent: 100,
        minimum_calls: 1,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            time_window: Some(window),
            ..config()
        },
        0,
    );
    breaker.metrics_only(0).unwrap();
    call(&mut breaker, RefOutcome::Failure, 5, 25); // bucket 2, not bucket 0
    breaker.poll(35).unwrap(); // window = buckets {2, 3}
    assert_eq!(breaker.failure_rate(), Some(100));
}

// Rule 7: HALF_OPEN.

fn half_open(config: RefBreakerConfig) -> RefBreaker {
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            consecutive_failures: Some(1),
            ..config
        },
        0,
    );
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    breaker.poll(100).unwrap();
    assert_eq!(breaker.state(), "HALF_OPEN");
    breaker
}

fn with_half_open(max_permits: u32, close: RefClose) -> RefBreakerConfig {
    let mut config = config();
    config.half_open.max_permits = max_permits;
    config.half_open.close = close;
    config
}

#[test]
fn half_open_admits_at_most_max_permits_at_once() {
    let mut breaker = half_open(with_half_open(2, RefClose::AfterSuccesses(3)));
    let first = breaker.try_acquire(100).expect("probe 1");
    breaker.try_acquire(100).expect("probe 2");
    let rejected = breaker.try_acquire(100).expect_err("both slots taken");
    assert_eq!(rejected.reason(), "half_open_full");
    assert_eq!(breaker.outstanding_probes(), 2);
    breaker.record(first, RefOutcome::Ignored, 101);
    assert_eq!(breaker.outstanding_probes(), 1, "Ignored frees its slot");
    breaker
        .try_acquire(101)
        .expect("a freed slot admits another probe");
}

#[test]
fn after_s_successes_half_open_closes() {
    let mut breaker = half_open(with_half_open(1, RefClose::AfterSuccesses(2)));
    call(&mut breaker, RefOutcome::Success, 100, 101);
    assert_eq!(breaker.state(), "HALF_OPEN");
    call(&mut breaker, RefOutcome::Success, 101, 102);
    assert_eq!(
        last_change(&breaker),
        change("HALF_OPEN", "CLOSED", "probes_succeeded", 102)
    );
}

#[test]
fn the_first_probe_failure_reopens() {
    let mut breaker = half_open(with_half_open(1, RefClose::AfterSuccesses(2)));
    call(&mut breaker, RefOutcome::Success, 100, 101);
    call(&mut breaker, RefOutcome::Failure, 101, 102);
    assert_eq!(
        last_change(&breaker),
        change("HALF_OPEN", "OPEN", "probe_failure", 102)
    );
    assert_eq!(breaker.next_deadline(), Some(302));
}

#[test]
fn by_rate_judges_exactly_max_permits_counted_outcomes() {
    let mut config = with_half_open(2, RefClose::ByRate);
    config.count_window = Some(RefCountWindow {
        size: 10,
        failure_rate_percent: 50,
        minimum_calls: 10,
    });
    let mut breaker = half_open(config.clone());
    call(&mut breaker, RefOutcome::Ignored, 100, 100);
    call(&mut breaker, RefOutcome::Success, 100, 100);
    assert_eq!(
        breaker.state(),
        "HALF_OPEN",
        "Ignored is not one of the judged outcomes"
    );
    call(&mut breaker, RefOutcome::Success, 100, 101);
    assert_eq!(
        last_change(&breaker),
        change("HALF_OPEN", "CLOSED", "probes_healthy", 101)
    );

    let mut breaker = half_open(config);
    call(&mut breaker, RefOutcome::Failure, 100, 100);
    assert_eq!(
        breaker.state(),
        "HALF_OPEN",
        "one failure does not reopen under ByRate"
    );
    call(&mut breaker, RefOutcome::Success, 100, 101);
    assert_eq!(
        last_change(&breaker),
        change("HALF_OPEN", "OPEN", "probe_rate", 101)
    );
}

#[test]
fn by_rate_uses_the_time_window_threshold_without_a_count_window() {
    let mut config = with_half_open(4, RefClose::ByRate);
    config.time_window = Some(RefTimeWindow {
        bucket_width: 10,
        buckets: 1,
        failure_rate_percent: 25,
        minimum_calls: 100,
    });
    let mut breaker = half_open(config);
    for outcome in [
        RefOutcome::Success,
        RefOutcome::Success,
        RefOutcome::Success,
        RefOutcome::Failure,
    ] {
        call(&mut breaker, outcome, 100, 100);
    }
    assert_eq!(
        last_change(&breaker).cause,
        "probe_rate",
        "1/4 = 25% is at the threshold"
    );
}

#[test]
fn by_rate_judges_the_slow_rate_too() {
    let mut config = with_half_open(2, RefClose::ByRate);
    config.count_window = Some(RefCountWindow {
        size: 10,
        failure_rate_percent: 50,
        minimum_calls: 10,
    });
    config.slow_calls = Some(RefSlowCalls {
        threshold: 10,
        rate_percent: 50,
    });
    let mut breaker = half_open(config);
    call(&mut breaker, RefOutcome::Success, 100, 111);
    call(&mut breaker, RefOutcome::Success, 111, 112);
    assert_eq!(
        last_change(&breaker),
        change("HALF_OPEN", "OPEN", "probe_rate", 112)
    );
}

// Rule 8: half-open maximum wait.

fn with_max_wait(on_max_wait: RefMaxWait) -> RefBreakerConfig {
    let mut config = with_half_open(2, RefClose::AfterSuccesses(5));
    config.half_open.max_wait = Some(50);
    config.half_open.on_max_wait = on_max_wait;
    config
}

#[test]
fn the_max_wait_deadline_exists_only_while_probes_are_outstanding() {
    let mut breaker = half_open(with_max_wait(RefMaxWait::Reopen));
    assert_eq!(breaker.next_deadline(), None);
    let first = breaker.try_acquire(110).expect("probe");
    assert_eq!(breaker.next_deadline(), Some(160));
    let second = breaker.try_acquire(120).expect("probe");
    assert_eq!(breaker.next_deadline(), Some(170), "latest permit granted");
    breaker.record(first, RefOutcome::Success, 130);
    assert_eq!(
        breaker.next_deadline(),
        Some(180),
        "latest outcome recorded"
    );
    breaker.record(second, RefOutcome::Success, 140);
    assert_eq!(breaker.next_deadline(), None);
    breaker.poll(10_000).unwrap();
    assert_eq!(
        breaker.state(),
        "HALF_OPEN",
        "nothing outstanding, nothing expires"
    );
}

#[test]
fn max_wait_reopens_at_its_deadline_with_the_next_backoff() {
    let mut breaker = half_open(with_max_wait(RefMaxWait::Reopen));
    let permit = breaker.try_acquire(110).expect("probe");
    assert_eq!(
        breaker.record(permit, RefOutcome::Success, 160),
        RefRecorded::Stale,
        "expiry at 160 comes first"
    );
    assert_eq!(
        last_change(&breaker),
        change("HALF_OPEN", "OPEN", "max_wait", 160)
    );
    assert_eq!(breaker.next_deadline(), Some(360));
}

#[test]
fn max_wait_repermit_restarts_half_open_under_a_new_generation() {
    let mut breaker = half_open(with_max_wait(RefMaxWait::Repermit));
    let old = breaker.try_acquire(110).expect("probe");
    breaker.try_acquire(110).expect("probe");
    let generation = breaker.generation();
    breaker.poll(170).unwrap();
    assert_eq!(
        last_change(&breaker),
        change("HALF_OPEN", "HALF_OPEN", "max_wait", 160)
    );
    assert_eq!(breaker.generation(), generation + 1);
    assert_eq!(breaker.outstanding_probes(), 0);
    assert_eq!(
        breaker.record(old, RefOutcome::Success, 170),
        RefRecorded::Stale
    );
}

// Rule 9: generations and stale permits.

#[test]
fn the_generation_counts_changes_modes_and_resets() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    assert_eq!(breaker.generation(), 0);
    breaker.reset(0).unwrap();
    assert_eq!(breaker.generation(), 1, "a reset while CLOSED still counts");
    assert!(breaker.changes().is_empty());
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.generation(), 2);
    breaker.reset(10).unwrap();
    assert_eq!(
        breaker.generation(),
        3,
        "reset from OPEN is one step, not two"
    );
    breaker.disable(10).unwrap();
    breaker.disable(11).unwrap();
    assert_eq!(
        breaker.generation(),
        4,
        "entering the mode in force does nothing"
    );
}

#[test]
fn a_stale_outcome_changes_nothing_but_the_stale_counter() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    let old = breaker.try_acquire(0).expect("CLOSED permits");
    breaker.reset(1).unwrap();
    let before = breaker.counters();
    assert_eq!(
        breaker.record(old, RefOutcome::Failure, 2),
        RefRecorded::Stale
    );
    assert_eq!(breaker.state(), "CLOSED");
    assert_eq!(
        breaker.counters(),
        RefCounters {
            stale: before.stale + 1,
            ..before
        }
    );
}

#[test]
fn a_stale_probe_neither_uses_nor_frees_a_slot() {
    let mut breaker = half_open(with_max_wait(RefMaxWait::Repermit));
    let old = breaker.try_acquire(100).expect("probe");
    breaker.poll(150).unwrap(); // repermit at 150
    breaker.try_acquire(150).expect("probe");
    breaker.record(old, RefOutcome::Failure, 151);
    assert_eq!(breaker.outstanding_probes(), 1);
    assert_eq!(breaker.state(), "HALF_OPEN");
}

// Rule 10: the window view.

#[test]
fn open_keeps_the_view_frozen_at_the_trip() {
    let window = RefCountWindow {
        size: 4,
        failure_rate_percent: 50,
        minimum_calls: 2,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            count_window: Some(window),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Success, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.state(), "OPEN");
    assert_eq!(breaker.failure_rate(), Some(50));
    breaker.poll(100).unwrap();
    assert_eq!(breaker.state(), "HALF_OPEN");
    assert_eq!(
        breaker.failure_rate(),
        None,
        "HALF_OPEN starts an empty view"
    );
}

#[test]
fn a_frozen_time_window_does_not_slide() {
    let window = RefTimeWindow {
        bucket_width: 10,
        buckets: 1,
        failure_rate_percent: 100,
        minimum_calls: 1,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            time_window: Some(window),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Failure, 5, 5);
    breaker.poll(50).unwrap();
    assert_eq!(breaker.state(), "OPEN");
    assert_eq!(breaker.failure_rate(), Some(100));
}

#[test]
fn entering_a_mode_starts_an_empty_view() {
    let window = RefCountWindow {
        size: 4,
        failure_rate_percent: 100,
        minimum_calls: 1,
    };
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            count_window: Some(window),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Success, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.failure_rate(), Some(50));
    breaker.metrics_only(1).unwrap();
    assert_eq!(breaker.failure_rate(), None);
    call(&mut breaker, RefOutcome::Failure, 1, 1);
    assert_eq!(
        breaker.failure_rate(),
        Some(100),
        "only the outcome after the mode change"
    );
}

#[test]
fn a_reset_restarts_the_consecutive_run() {
    let mut breaker = RefBreaker::new(
        RefBreakerConfig {
            consecutive_failures: Some(2),
            ..config()
        },
        0,
    );
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    breaker.reset(1).unwrap();
    call(&mut breaker, RefOutcome::Failure, 1, 1);
    assert_eq!(breaker.state(), "CLOSED", "the run is 1 after the reset");
}

#[test]
fn half_open_outcomes_fill_the_fresh_view() {
    let mut config = with_half_open(1, RefClose::AfterSuccesses(3));
    config.count_window = Some(RefCountWindow {
        size: 4,
        failure_rate_percent: 100,
        minimum_calls: 1,
    });
    let mut breaker = half_open(config);
    call(&mut breaker, RefOutcome::Success, 100, 100);
    assert_eq!(breaker.failure_rate(), Some(0));
}

// Rule 11: operator modes.

#[test]
fn forced_open_rejects_everything_and_never_times_out() {
    let mut breaker = RefBreaker::new(config(), 0);
    breaker.force_open(5).unwrap();
    assert_eq!(
        last_change(&breaker),
        change("CLOSED", "FORCED_OPEN", "force_open", 5)
    );
    let rejected = breaker.try_acquire(10).expect_err("forced open");
    assert_eq!(rejected.reason(), "forced_open");
    assert_eq!(rejected.retry_at(), None);
    breaker.poll(u64::MAX).unwrap();
    assert_eq!(breaker.state(), "FORCED_OPEN");
    assert_eq!(breaker.next_deadline(), None);
}

#[test]
fn disabled_permits_everything_and_records_nothing() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    breaker.disable(0).unwrap();
    for i in 0..3 {
        assert_eq!(
            call(&mut breaker, RefOutcome::Failure, 1 + 2 * i, 2 + 2 * i),
            RefRecorded::NotRecorded
        );
    }
    assert_eq!(breaker.state(), "DISABLED");
    assert_eq!(
        breaker.counters(),
        RefCounters {
            permitted: 3,
            state_changes: 1,
            ..RefCounters::default()
        }
    );
}

#[test]
fn metrics_only_records_but_never_trips() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    breaker.metrics_only(0).unwrap();
    assert_eq!(
        call(&mut breaker, RefOutcome::Failure, 1, 2),
        RefRecorded::Counted
    );
    assert_eq!(breaker.state(), "METRICS_ONLY");
    assert_eq!(breaker.counters().failures, 1);
}

#[test]
fn an_operator_call_into_the_mode_in_force_does_nothing() {
    let mut breaker = RefBreaker::new(config(), 0);
    breaker.metrics_only(0).unwrap();
    let generation = breaker.generation();
    breaker.metrics_only(1).unwrap();
    assert_eq!(breaker.generation(), generation);
    assert_eq!(breaker.changes().len(), 1);
}

#[test]
fn reset_from_open_closes_and_restarts_the_backoff() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 100, 100); // reopen: period 200
    breaker.reset(150).unwrap();
    assert_eq!(
        last_change(&breaker),
        change("OPEN", "CLOSED", "reset", 150)
    );
    call(&mut breaker, RefOutcome::Failure, 160, 160);
    assert_eq!(breaker.next_deadline(), Some(260), "k is back to 1");
}

#[test]
fn operator_modes_keep_the_backoff_step() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 100, 100); // k = 2
    breaker.force_open(150).unwrap();
    breaker.metrics_only(160).unwrap();
    assert_eq!(breaker.changes().len(), 5);
    // METRICS_ONLY never trips, so k can only be observed after leaving it; it stays 2
    // until a CLOSED entry, which reset forces: the next trip then lasts base again.
    breaker.reset(170).unwrap();
    call(&mut breaker, RefOutcome::Failure, 170, 170);
    assert_eq!(breaker.next_deadline(), Some(270));
}

// Rule 12: rejections and counters.

#[test]
fn an_open_rejection_carries_the_end_of_the_period() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    call(&mut breaker, RefOutcome::Failure, 3, 3);
    let rejected = breaker.try_acquire(50).expect_err("OPEN rejects");
    assert_eq!(rejected, RefRejected::Open { retry_at: 103 });
    assert_eq!(rejected.reason(), "open");
}

#[test]
fn counters_are_lifetime_counters() {
    let mut breaker = RefBreaker::new(trips_on_first_failure(), 0);
    call(&mut breaker, RefOutcome::Success, 0, 0);
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    breaker.try_acquire(1).expect_err("OPEN");
    breaker.try_acquire(2).expect_err("OPEN");
    breaker.reset(3).unwrap();
    call(&mut breaker, RefOutcome::Ignored, 3, 3);
    assert_eq!(
        breaker.counters(),
        RefCounters {
            permitted: 3,
            rejected: 2,
            successes: 1,
            failures: 1,
            ignored: 1,
            slow: 0,
            stale: 0,
            state_changes: 2,
        }
    );
}

// Rule 13: next_deadline.

#[test]
fn next_deadline_is_set_only_while_open_or_probing_with_a_max_wait() {
    let mut config = trips_on_first_failure();
    config.half_open.max_wait = Some(30);
    let mut breaker = RefBreaker::new(config, 0);
    assert_eq!(breaker.next_deadline(), None, "CLOSED");
    call(&mut breaker, RefOutcome::Failure, 0, 0);
    assert_eq!(breaker.next_deadline(), Some(100), "OPEN");
    breaker.poll(100).unwrap();
    assert_eq!(breaker.next_deadline(), None, "HALF_OPEN without probes");
    breaker.try_acquire(105).expect("probe");
    assert_eq!(breaker.next_deadline(), Some(135), "HALF_OPEN with a probe");

    let mut breaker = half_open(with_half_open(1, RefClose::AfterSuccesses(1)));
    breaker.try_acquire(105).expect("probe");
    assert_eq!(breaker.next_deadline(), None, "no max_wait configured");
}

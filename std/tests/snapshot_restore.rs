//! Restored snapshots are checked: every reachable breaker passes, a tampered one is a
//! typed error naming the field, and nothing panics either way.

use mycel::breaker::{
    BreakerBank, BreakerConfig, CircuitBreaker, CountWindowPolicy, HalfOpenPolicy, Outcome,
    SlowCallPolicy, SnapshotError, TimeWindowPolicy,
};
use mycel::time::{Duration, Instant};
use proptest::prelude::*;
use serde_json::Value;

type Breaker = CircuitBreaker<2, 4>;

fn config() -> BreakerConfig {
    BreakerConfig::consecutive(3, Duration::from_millis(500), 2)
        .with_count_window(CountWindowPolicy {
            size: 40,
            failure_rate_percent: 50,
            minimum_calls: 5,
        })
        .with_time_window(TimeWindowPolicy {
            bucket_width: Duration::from_millis(100),
            buckets: 4,
            failure_rate_percent: 60,
            minimum_calls: 4,
        })
        .with_slow_calls(SlowCallPolicy {
            threshold: Duration::from_millis(30),
            rate_percent: 80,
        })
        .with_half_open(HalfOpenPolicy::after_successes(2, 2))
}

/// Drives a breaker through `ops` (time step in ms, outcome 0..3, whether to hold the
/// permit): it ends in whatever state the ops lead to, with probes outstanding or not.
fn driven(ops: &[(u16, u8, bool)]) -> Breaker {
    let mut b: Breaker = CircuitBreaker::new(config(), Instant::from_ticks(0)).unwrap();
    let mut now = 0u64;
    for &(step, outcome, hold) in ops {
        now += u64::from(step);
        let at = Instant::from_millis(now);
        if let Ok(permit) = b.try_acquire(at).value
            && !hold
        {
            let outcome =
                [Outcome::Success, Outcome::Failure, Outcome::Ignored][usize::from(outcome % 3)];
            let end = Instant::from_millis(now + u64::from(step % 50));
            let _ = b.record(permit, outcome, end);
        }
    }
    b
}

fn ops() -> impl Strategy<Value = Vec<(u16, u8, bool)>> {
    proptest::collection::vec((0u16..300, 0u8..3, proptest::bool::weighted(0.1)), 0..80)
}

/// Every numeric leaf of a JSON value, as a path of keys and indices.
fn numeric_paths(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Number(_) => out.push(path.clone()),
        Value::Object(map) => {
            for (k, v) in map {
                path.push(k.clone());
                numeric_paths(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                numeric_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn leaf<'a>(value: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(value, |v, key| match v {
        Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
        Value::Object(map) => map.get_mut(key).unwrap(),
        other => other,
    })
}

proptest! {
    #[test]
    fn every_breaker_the_engine_can_reach_passes_the_restore_check(ops in ops()) {
        let b = driven(&ops);
        let json = serde_json::to_string(&b).unwrap();
        let back: Breaker = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.validate_restored(b.last_seen()), Ok(()));
        prop_assert_eq!(back, b);
    }

    #[test]
    fn a_tampered_snapshot_is_refused_or_restores_a_breaker_that_runs_without_panicking(
        ops in ops(),
        pick in any::<prop::sample::Index>(),
        new_value in prop_oneof![Just(0u64), Just(1), Just(2), Just(u64::from(u32::MAX)), Just(u64::MAX), any::<u64>()],
        later in 0u64..10_000,
    ) {
        let b = driven(&ops);
        let mut value = serde_json::to_value(&b).unwrap();
        let mut paths = Vec::new();
        numeric_paths(&value, &mut Vec::new(), &mut paths);
        let path = pick.get(&paths).clone();
        *leaf(&mut value, &path) = Value::from(new_value);
        let now = Instant::from_millis(b.last_seen().as_millis() + later);
        if let Ok(mut restored) = serde_json::from_value::<Breaker>(value) {
            match restored.validate_restored(now) {
                Err(error) => prop_assert!(!error.field().is_empty()),
                Ok(()) => {
                    // Accepted: it must behave as a breaker, whatever the field held.
                    for step in 0..20u64 {
                        let at = Instant::from_millis(now.as_millis() + step * 37);
                        if let Ok(permit) = restored.try_acquire(at).value {
                            let _ = restored.record(permit, Outcome::Failure, at);
                        }
                        let _ = restored.metrics();
                        let _ = restored.next_deadline();
                    }
                }
            }
        }
    }
}

#[test]
fn a_snapshot_from_the_future_names_last_seen() {
    let b = driven(&[(200, 0, false), (50, 1, false)]);
    let earlier = Instant::from_millis(b.last_seen().as_millis() - 1);
    assert_eq!(b.validate_restored(earlier), Err(SnapshotError::LastSeen));
    assert_eq!(SnapshotError::LastSeen.field(), "runtime.last_seen");
}

#[test]
fn a_count_window_total_that_disagrees_with_its_bits_names_the_count_window() {
    let b = driven(&[(10, 1, false), (10, 0, false)]);
    let mut value = serde_json::to_value(&b).unwrap();
    let count = &mut value["runtime"]["machine"]["count"];
    count["failures"] = Value::from(count["failures"].as_u64().unwrap() + 1);
    let tampered: Breaker = serde_json::from_value(value).unwrap();
    let error = tampered.validate_restored(b.last_seen()).unwrap_err();
    assert_eq!(error, SnapshotError::CountWindow);
    assert_eq!(error.field(), "machine.count");
}

#[test]
fn too_many_outstanding_probes_name_the_half_open_field() {
    // Trip (3 failures), wait out the open period, take one probe and hold it.
    let b = driven(&[
        (10, 1, false),
        (10, 1, false),
        (10, 1, false),
        (600, 0, true),
    ]);
    let mut value = serde_json::to_value(&b).unwrap();
    let state = &mut value["runtime"]["state"]["HalfOpen"];
    assert!(state.is_object(), "half-open: {value}");
    state["outstanding"] = Value::from(3);
    let tampered: Breaker = serde_json::from_value(value).unwrap();
    assert_eq!(
        tampered.validate_restored(b.last_seen()),
        Err(SnapshotError::HalfOpenOutstanding)
    );
}

#[test]
fn a_bank_snapshot_with_one_key_twice_names_the_slot() {
    let mut bank: BreakerBank<u8, 4, 2, 4> = BreakerBank::new(config()).unwrap();
    for key in [1, 2] {
        let _ = bank.try_acquire(key, Instant::from_millis(5)).unwrap();
    }
    assert_eq!(bank.validate_restored(Instant::from_millis(5)), Ok(()));
    let mut value = serde_json::to_value(&bank).unwrap();
    value["slots"][1]["key"] = Value::from(1);
    value["slots"][1]["breaker"]["runtime"]["instance"] = Value::from(1);
    let tampered: BreakerBank<u8, 4, 2, 4> = serde_json::from_value(value).unwrap();
    let error = tampered
        .validate_restored(Instant::from_millis(5))
        .unwrap_err();
    assert_eq!(error.slot, Some(1));
    assert_eq!(error.error, SnapshotError::BankDuplicateKey);
}

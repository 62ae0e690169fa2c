//! `try_acquire_routine` is `try_acquire` with the routine permit handed back apart:
//! driven through the same calls, a breaker asked one way and a copy asked the other
//! give the same answers and stay equal, whatever state, rejection, state change or
//! clock regression the calls meet.

mod support;

use mycel::breaker::{BreakerConfig, CircuitBreaker, HalfOpenPolicy, Outcome, Permit};
use mycel::time::{Duration, Instant};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy)]
enum Call {
    Acquire,
    /// Report the outstanding permit at this index (modulo their count), if any.
    Report(usize, Outcome),
    /// Let this many ticks pass.
    Wait(u64),
    /// Ask with an instant this many ticks before the latest (a clock regression).
    Stumble(u64),
    Reset,
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        4 => Just(Call::Acquire),
        4 => (any::<usize>(), prop_oneof![
            Just(Outcome::Success),
            Just(Outcome::Failure),
            Just(Outcome::Ignored),
        ])
            .prop_map(|(k, o)| Call::Report(k, o)),
        2 => (0u64..150).prop_map(Call::Wait),
        1 => (1u64..20).prop_map(Call::Stumble),
        1 => Just(Call::Reset),
    ]
}

/// Opens after two failures for 100 ticks; HALF_OPEN admits two probes and closes
/// after two successes, so every state and every kind of rejection is reachable.
fn breaker() -> CircuitBreaker {
    let config = BreakerConfig::consecutive(2, Duration::from_ticks(100), 2)
        .with_half_open(HalfOpenPolicy::after_successes(2, 2));
    CircuitBreaker::new(config, Instant::from_ticks(0)).unwrap()
}

proptest! {
    #![proptest_config(support::proptest_config("tests/proptest-regressions/routine_acquire.txt", 256))]

    #[test]
    fn routine_acquire_answers_and_changes_as_try_acquire(calls in prop::collection::vec(call(), 1..120)) {
        let mut full = breaker();
        let mut routine = full.clone();
        let mut permits: Vec<Permit> = Vec::new();
        let mut now = 0u64;
        for call in calls {
            match call {
                Call::Acquire | Call::Stumble(_) => {
                    let at = match call {
                        Call::Stumble(back) => Instant::from_ticks(now.saturating_sub(back)),
                        _ => Instant::from_ticks(now),
                    };
                    let expected = full.try_acquire(at);
                    let got = routine.try_acquire_routine(at);
                    match got {
                        Ok(permit) => {
                            // Routine: permitted, and nothing else to report.
                            prop_assert_eq!(expected.value, Ok(permit));
                            prop_assert!(expected.changes.is_empty());
                            permits.push(permit);
                        }
                        Err(response) => {
                            prop_assert!(
                                expected.value.is_err() || !expected.changes.is_empty(),
                                "a routine permit was reported as {:?}", response
                            );
                            prop_assert_eq!(&response, &expected);
                            if let Ok(permit) = expected.value {
                                permits.push(permit);
                            }
                        }
                    }
                }
                Call::Report(k, outcome) => {
                    if !permits.is_empty() {
                        let permit = permits.remove(k % permits.len());
                        let at = Instant::from_ticks(now);
                        prop_assert_eq!(
                            full.record(permit, outcome, at),
                            routine.record(permit, outcome, at)
                        );
                    }
                }
                Call::Wait(ticks) => now += ticks,
                Call::Reset => {
                    let at = Instant::from_ticks(now);
                    prop_assert_eq!(full.reset(at), routine.reset(at));
                }
            }
            prop_assert_eq!(&full, &routine);
        }
    }
}

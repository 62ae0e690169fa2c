//! With the `log` feature, the engine's log lines name what they are about: a named
//! breaker's state changes name its backend, with the instance in brackets.
//!
//! Run with `cargo test -p mycel --features log --test log_lines` (CI does); without the
//! feature the engine logs nothing and this file is empty.
#![cfg(feature = "log")]

use std::sync::Mutex;

use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome};
use mycel::time::{Duration, Instant};

/// Every line logged, as text.
static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Collect;

impl log::Log for Collect {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        LINES.lock().unwrap().push(record.args().to_string());
    }
    fn flush(&self) {}
}

fn trip(breaker: &mut CircuitBreaker) {
    let at = Instant::from_secs(1);
    let permit = breaker.try_acquire(at).value.unwrap();
    let _ = breaker.record(permit, Outcome::Failure, at);
}

#[test]
fn a_named_breakers_state_changes_name_its_backend_and_an_unnamed_one_its_instance() {
    log::set_logger(&Collect).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 1);

    let mut payments = CircuitBreaker::<4, 10>::new(config, Instant::from_secs(0))
        .unwrap()
        .with_name("payments")
        .with_instance(2);
    assert_eq!(payments.name(), "payments");
    trip(&mut payments);
    let mut unnamed = CircuitBreaker::<4, 10>::new(config, Instant::from_secs(0))
        .unwrap()
        .with_instance(3);
    trip(&mut unnamed);

    let lines = LINES.lock().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("circuit_breaker payments[2]: CLOSED -> OPEN")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("circuit_breaker #3: CLOSED -> OPEN")),
        "{lines:#?}"
    );
}

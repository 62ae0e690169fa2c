//! Every log line the wrappers write names the backend.

use mycel::breaker::BreakerConfig;
use mycel::time::Duration;
use mycel_std::{ManualClock, SharedBreaker};
use std::sync::Mutex;

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        LINES.lock().unwrap().push(format!("{}", record.args()));
    }
    fn flush(&self) {}
}

#[test]
fn state_changes_and_rejections_are_logged_with_the_backend_name() {
    log::set_logger(&Capture).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let clock = ManualClock::new();
    let config = BreakerConfig::consecutive(1, Duration::from_secs(1), 1);
    let breaker = SharedBreaker::with_clock("payments-eu", config, clock.clone()).unwrap();
    let _ = breaker.call(|| Err::<(), _>("down"));
    let _ = breaker.call(|| Ok::<_, &str>(()));
    clock.advance(Duration::from_secs(1));
    let _ = breaker.call(|| Ok::<_, &str>(()));
    breaker.force_open();
    breaker.reset();

    let lines = LINES.lock().unwrap();
    assert!(
        lines.iter().any(|l| l.contains("CLOSED -> OPEN")),
        "the trip is logged: {lines:?}"
    );
    assert!(lines.iter().any(|l| l.contains("rejected")), "{lines:?}");
    assert!(lines.len() >= 6, "{lines:?}");
    for line in lines.iter() {
        assert!(
            line.contains("payments-eu"),
            "a line without the name: {line}"
        );
    }
}

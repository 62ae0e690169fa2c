//! Configuration files: human durations, raw ticks, defaults, and errors that name
//! the field.

use mycel::breaker::{CloseRule, HalfOpenPolicy, MaxWaitAction};
use mycel::time::Duration;
use mycel_std::{BreakerSettings, SharedBreaker};

#[test]
fn human_durations_and_raw_ticks_read_as_the_same_engine_durations() {
    let human: BreakerSettings = toml::from_str(
        r#"
        consecutive_failures = 3
        open = { base = "250ms", cap = "1m 30s", multiplier_percent = 150 }
        time_window = { bucket_width = "1s", buckets = 10, failure_rate_percent = 50, minimum_calls = 5 }
        "#,
    )
    .unwrap();
    let ticks = embassy_ticks(Duration::from_millis(250));
    let raw: BreakerSettings = toml::from_str(&format!(
        r#"
        consecutive_failures = 3
        open = {{ base = {ticks}, cap = "90s", multiplier_percent = 150 }}
        time_window = {{ bucket_width = {}, buckets = 10, failure_rate_percent = 50, minimum_calls = 5 }}
        "#,
        embassy_ticks(Duration::from_secs(1))
    ))
    .unwrap();
    assert_eq!(human, raw);
    let config = human.to_config();
    assert_eq!(config.open.base, Duration::from_millis(250));
    assert_eq!(config.open.cap, Duration::from_secs(90));
    assert_eq!(
        config.time_window.unwrap().bucket_width,
        Duration::from_secs(1)
    );
}

fn embassy_ticks(d: Duration) -> u64 {
    d.as_ticks()
}

#[test]
fn omitted_half_open_rules_take_the_safe_defaults() {
    let settings: BreakerSettings = toml::from_str(
        r#"consecutive_failures = 2
open = { base = "5s" }"#,
    )
    .unwrap();
    let config = settings.to_config();
    assert_eq!(config.half_open.max_permits, 1);
    assert_eq!(config.half_open.close, CloseRule::AfterSuccesses(1));
    assert_eq!(
        config.half_open.max_wait,
        Some(HalfOpenPolicy::DEFAULT_MAX_WAIT)
    );
    assert_eq!(config.half_open.on_max_wait, MaxWaitAction::Reopen);
    assert_eq!(
        config.open.cap,
        Duration::from_secs(5),
        "cap defaults to base"
    );
    let forever: BreakerSettings = toml::from_str(
        r#"consecutive_failures = 2
open = { base = "5s" }
half_open = { wait_forever = true }"#,
    )
    .unwrap();
    assert_eq!(forever.to_config().half_open.max_wait, None);
}

#[test]
fn settings_are_written_back_with_human_durations() {
    let settings: BreakerSettings = toml::from_str(
        r#"consecutive_failures = 2
open = { base = "2s 500ms" }
slow_calls = { threshold = "250ms", rate_percent = 80 }
count_window = { size = 10, failure_rate_percent = 50, minimum_calls = 5 }"#,
    )
    .unwrap();
    let json = serde_json::to_string(&settings).unwrap();
    assert!(json.contains(r#""base":"2s 500ms""#), "{json}");
    assert!(json.contains(r#""threshold":"250ms""#), "{json}");
    let back: BreakerSettings = serde_json::from_str(&json).unwrap();
    assert_eq!(back, settings);
}

#[test]
fn a_bad_duration_or_an_invalid_value_is_an_error_naming_what_is_wrong() {
    let bad = toml::from_str::<BreakerSettings>(
        r#"consecutive_failures = 2
open = { base = "5 parsecs" }"#,
    );
    assert!(bad.is_err());
    let unknown = toml::from_str::<BreakerSettings>(
        r#"consecutive_failures = 2
open = { base = "5s", bsae = 1 }"#,
    )
    .unwrap_err();
    assert!(unknown.to_string().contains("bsae"), "{unknown}");
    let zero: BreakerSettings = toml::from_str(
        r#"consecutive_failures = 0
open = { base = "5s" }"#,
    )
    .unwrap();
    let error = SharedBreaker::new("inventory", zero.to_config()).unwrap_err();
    assert_eq!(error.field(), "consecutive_failures");
}

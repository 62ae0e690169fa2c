//! A scenario's `[breaker]` table turned into a checked [`BreakerConfig`].

use super::model::{COUNT_WINDOW_WORDS, TIME_WINDOW_BUCKETS};
use super::path::FieldPath;
use super::raw::{RawBreaker, RawCloseRule, RawMaxWaitAction};
use mycel::breaker::{
    BreakerConfig, ConfigError, CountWindowPolicy, HalfOpenPolicy, MaxWaitAction, OpenPolicy,
    SlowCallPolicy, TimeWindowPolicy,
};
use mycel::time::Duration;

/// The configuration `raw` (found at `at`) describes, with the file's defaults:
/// `open.multiplier_percent` 100, `open.cap` = `open.base`, no jitter, one probe at a
/// time closing after one success, window minimums of 1 call for time windows and the
/// window size for count windows.
///
/// # Errors
/// The field at fault and the message, when [`BreakerConfig::validate`] rejects the
/// result or `half_open.successes` is given with `close = "by_rate"`.
pub fn breaker_config(
    raw: &RawBreaker,
    at: &FieldPath,
) -> Result<BreakerConfig, (FieldPath, String)> {
    let micros = |d: super::duration::SimDuration| Duration::from_micros(d.micros);
    let open = &raw.open;
    let base = micros(open.base);
    let mut config = BreakerConfig::consecutive(1, base, 1)
        .with_consecutive_failures(raw.consecutive_failures)
        .with_open(
            OpenPolicy::exponential(
                base,
                open.multiplier_percent.unwrap_or(100),
                open.cap.map_or(base, micros),
            )
            .with_jitter(open.jitter_percent.unwrap_or(0), open.seed.unwrap_or(0)),
        );
    if let Some(cw) = &raw.count_window {
        config = config.with_count_window(CountWindowPolicy {
            size: cw.size,
            failure_rate_percent: cw.failure_rate_percent,
            minimum_calls: cw.minimum_calls.unwrap_or(cw.size),
        });
    }
    if let Some(tw) = &raw.time_window {
        config = config.with_time_window(TimeWindowPolicy {
            bucket_width: micros(tw.bucket_width),
            buckets: tw.buckets,
            failure_rate_percent: tw.failure_rate_percent,
            minimum_calls: tw.minimum_calls.unwrap_or(1),
        });
    }
    if let Some(slow) = &raw.slow_calls {
        config = config.with_slow_calls(SlowCallPolicy {
            threshold: micros(slow.threshold),
            rate_percent: slow.rate_percent,
        });
    }
    if let Some(half) = &raw.half_open {
        let max_permits = half.max_permits.unwrap_or(1);
        let mut policy = match half.close.unwrap_or(RawCloseRule::AfterSuccesses) {
            RawCloseRule::AfterSuccesses => {
                HalfOpenPolicy::after_successes(max_permits, half.successes.unwrap_or(1))
            }
            RawCloseRule::ByRate if half.successes.is_some() => {
                return Err((
                    at.dotted("half_open.successes"),
                    "only applies with close = \"after_successes\"".to_owned(),
                ));
            }
            RawCloseRule::ByRate => HalfOpenPolicy::by_rate(max_permits),
        };
        if let Some(wait) = half.max_wait {
            let action = match half.on_max_wait.unwrap_or(RawMaxWaitAction::Reopen) {
                RawMaxWaitAction::Reopen => MaxWaitAction::Reopen,
                RawMaxWaitAction::Repermit => MaxWaitAction::Repermit,
            };
            policy = policy.with_max_wait(micros(wait), action);
        } else if half.on_max_wait.is_some() {
            return Err((
                at.dotted("half_open.on_max_wait"),
                "only applies when half_open.max_wait is set".to_owned(),
            ));
        }
        config = config.with_half_open(policy);
    }
    config
        .validate::<COUNT_WINDOW_WORDS, TIME_WINDOW_BUCKETS>()
        .map_err(|e| config_error(&e, at))?;
    Ok(config)
}

/// The file's field and a message for a rejected configuration.
fn config_error(error: &ConfigError, at: &FieldPath) -> (FieldPath, String) {
    let (field, message) = match error {
        ConfigError::NoTripPolicy => (String::new(), error.to_string()),
        ConfigError::HalfOpenSuccesses => (
            "half_open.successes".to_owned(),
            "must be at least 1".to_owned(),
        ),
        _ => {
            let field = error.field();
            let text = error.to_string();
            let message = text
                .strip_prefix(field)
                .map(|rest| rest.trim_start_matches([':', ' ']).to_owned())
                .unwrap_or(text);
            (field.to_owned(), message)
        }
    };
    (at.dotted(&field), message)
}

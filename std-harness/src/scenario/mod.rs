//! Scenario files: services, breaker configuration, phases and traffic, in TOML.
//!
//! [`parse`] reads a file's text into a checked [`Scenario`] or a [`ScenarioError`]
//! naming the file, the line and the field at fault. Nothing is simulated from a file
//! that fails any check. The format is documented by the shipped scenarios in
//! `std-harness/scenarios/` (`demo.toml` explains every field it uses).

mod breaker;
mod duration;
mod error;
mod limits;
mod locate;
mod model;
mod path;
mod raw;
mod validate;

pub use duration::SimDuration;
pub use error::ScenarioError;
pub use limits::{
    DEFAULT_MAX_ENTRIES, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_REQUESTS, DEFAULT_MAX_TIMED_CHANGES,
    Limits, requests,
};
pub use locate::Locator;
pub use model::{
    BackendSpec, COUNT_WINDOW_WORDS, Latency, MAX_SERVICES, Outage, Pattern, Phase, Profile,
    Scenario, Service, SlowPeriod, TIME_WINDOW_BUCKETS, Traffic,
};
pub use path::{FieldPath, Segment};
// The fleet simulation reads a `[breaker]` table as a scenario does.
pub(crate) use breaker::breaker_config;
pub(crate) use raw::RawBreaker;

use std::io::Read;
use std::path::Path;

/// Parses and checks the scenario in `text` within the default [`Limits`]; `file`
/// names it in errors.
///
/// # Errors
/// [`ScenarioError`] for invalid TOML (field `(syntax)`), an unknown field, a value of
/// the wrong type, a value that fails the checks (see [`ScenarioError`]), or a file
/// that asks for more work than the limits allow.
pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    parse_within(file, text, &Limits::default())
}

/// [`parse`] within `limits` (of which the file size is [`load_within`]'s to check).
///
/// # Errors
/// As [`parse`]; the field at fault of a file over a limit is the table array, the
/// traffic generator or the breaker setting that asks for the most, and the message
/// names the limit and the flag that raises it.
pub fn parse_within(file: &str, text: &str, limits: &Limits) -> Result<Scenario, ScenarioError> {
    let locator = Locator::new(text);
    let raw: raw::RawScenario = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let line = e.span().map(|_| locator.line_at(span.start));
        let field = if toml::de::DeTable::parse(text).is_err() {
            "(syntax)".to_owned()
        } else {
            locator.path_of(span).to_string()
        };
        ScenarioError {
            file: file.to_owned(),
            line,
            field,
            message: e.message().trim().to_owned(),
        }
    })?;
    let located = |(path, message): validate::Invalid| {
        ScenarioError::at(file, locator.line_of(&path), &path, message)
    };
    limits.check_entries(&raw).map_err(located)?;
    let scenario = validate::validate(&raw).map_err(located)?;
    limits.check_work(&scenario, &raw).map_err(located)?;
    Ok(scenario)
}

/// Reads and parses the scenario file at `path` within the default [`Limits`].
///
/// # Errors
/// [`ScenarioError`] with field `(file)` when the file cannot be read or is larger than
/// the limit, else as [`parse`].
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    load_within(path, &Limits::default())
}

/// [`load`] within `limits`. Never reads more than [`Limits::max_file_bytes`] (plus
/// one byte to tell a file over the limit), so endless files (`/dev/zero`) are refused
/// too.
///
/// # Errors
/// As [`load`].
pub fn load_within(path: &Path, limits: &Limits) -> Result<Scenario, ScenarioError> {
    let name = path.display().to_string();
    let file_error = |message: String| ScenarioError {
        file: name.clone(),
        line: None,
        field: "(file)".to_owned(),
        message,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(limits.max_file_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
        })
        .map_err(|e| file_error(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(file_error(format!(
            "larger than the limit of {} bytes (raise it with --max-file-bytes)",
            limits.max_file_bytes
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| file_error(format!("cannot read: not UTF-8 text ({e})")))?;
    parse_within(&name, &text, limits)
}

//! Scenario files: services, breaker configuration, phases and traffic, in TOML.
//!
//! [`parse`] reads a file's text into a checked [`Scenario`] or a [`ScenarioError`]
//! naming the file, the line and the field at fault. Nothing is simulated from a file
//! that fails any check. The format is documented by the shipped scenarios in
//! `std-harness/scenarios/` (`demo.toml` explains every field it uses).

mod breaker;
mod duration;
mod error;
mod locate;
mod model;
mod path;
mod raw;
mod validate;

pub use duration::SimDuration;
pub use error::ScenarioError;
pub use locate::Locator;
pub use model::{
    BackendSpec, COUNT_WINDOW_WORDS, Latency, MAX_SERVICES, Outage, Pattern, Phase, Profile,
    Scenario, Service, SlowPeriod, TIME_WINDOW_BUCKETS, Traffic,
};
pub use path::{FieldPath, Segment};
// The fleet simulation reads a `[breaker]` table as a scenario does.
pub(crate) use breaker::breaker_config;
pub(crate) use raw::RawBreaker;

use std::path::Path;

/// Parses and checks the scenario in `text`; `file` names it in errors.
///
/// # Errors
/// [`ScenarioError`] for invalid TOML (field `(syntax)`), an unknown field, a value of
/// the wrong type, or a value that fails the checks (see [`ScenarioError`]).
pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
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
    validate::validate(&raw)
        .map_err(|(path, message)| ScenarioError::at(file, locator.line_of(&path), &path, message))
}

/// Reads and parses the scenario file at `path`.
///
/// # Errors
/// [`ScenarioError`] with field `(file)` when the file cannot be read, else as [`parse`].
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: name.clone(),
        line: None,
        field: "(file)".to_owned(),
        message: format!("cannot read: {e}"),
    })?;
    parse(&name, &text)
}

//! What is wrong with a scenario file, and where.

use super::path::FieldPath;
use std::fmt;

/// A scenario file that cannot be run: it cannot be read, is not valid TOML, has a
/// field of the wrong type or an unknown field, or holds a value the simulator rejects
/// (a zero duration, a probability outside `[0, 1]`, an unknown service or phase, a
/// breaker configuration that fails [`mycel::breaker::BreakerConfig::validate`]).
///
/// Displays as `<file>:<line>: <field path>: <message>`; the CLI prefixes `error: ` and
/// exits with code 2 without running anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file as named on the command line (or the built-in scenario's name).
    pub file: String,
    /// The 1-based line at fault, when the text could be located.
    pub line: Option<usize>,
    /// The field at fault (`service[0].latency.min`), or what failed for errors that
    /// concern no field (`(file)`, `(syntax)`).
    pub field: String,
    /// What is wrong and, where it helps, what is expected instead.
    pub message: String,
}

impl ScenarioError {
    /// An error at `field`, on `line`.
    #[must_use]
    pub fn at(
        file: &str,
        line: Option<usize>,
        field: &FieldPath,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.to_owned(),
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}:{}: {}: {}",
                self.file, line, self.field, self.message
            ),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

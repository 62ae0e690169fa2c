//! Durations and instants as scenario files write them: `"500ms"`, `"5s"`, `"1h 30m"`.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// A span of simulated time read from a scenario file, in whole microseconds (the
/// engine's tick). Instants in a scenario are durations since the start of the run.
///
/// Written as a string with units (`"250us"`, `"500ms"`, `"5s"`, `"2m"`, `"1h 30m"`),
/// parsed by `humantime`. Numbers without units, negative values and unknown units are
/// rejected with a message saying what is expected. Sub-microsecond parts are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct SimDuration {
    /// The length in microseconds.
    pub micros: u64,
}

impl SimDuration {
    /// Parses `text` like a scenario file's duration.
    ///
    /// # Errors
    /// A message naming the text and the expected form.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim_start().starts_with('-') {
            return Err(format!(
                "invalid duration \"{text}\": durations cannot be negative"
            ));
        }
        let parsed = humantime::parse_duration(text.trim()).map_err(|e| {
            format!("invalid duration \"{text}\" ({e}); expected e.g. \"500ms\", \"5s\", \"1m\"")
        })?;
        let micros = u64::try_from(parsed.as_micros())
            .map_err(|_| format!("duration \"{text}\" is too long"))?;
        Ok(Self { micros })
    }
}

impl<'de> Deserialize<'de> for SimDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DurationVisitor)
    }
}

struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = SimDuration;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a duration string such as \"500ms\" or \"5s\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<SimDuration, E> {
        SimDuration::parse(v).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_need_units_and_are_read_in_microseconds() {
        assert_eq!(SimDuration::parse("250us").unwrap().micros, 250);
        assert_eq!(SimDuration::parse("500ms").unwrap().micros, 500_000);
        assert_eq!(SimDuration::parse("1m 30s").unwrap().micros, 90_000_000);
        assert_eq!(SimDuration::parse("0s").unwrap().micros, 0);
        for bad in ["5", "-5s", "5 parsecs", ""] {
            assert!(SimDuration::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}

//! How reports print simulated time: seconds with millisecond precision, from integer
//! microseconds, so the text never depends on float formatting.

use mycel::time::{Duration, Instant};

/// `micros` as seconds with three decimals: `11020470` → `"11.020 s"` (truncated).
#[must_use]
pub fn seconds(micros: u64) -> String {
    format!(
        "{}.{:03} s",
        micros / 1_000_000,
        (micros % 1_000_000) / 1_000
    )
}

/// An instant since the start of the run, as [`seconds`].
#[must_use]
pub fn at(instant: Instant) -> String {
    seconds(instant.as_micros())
}

/// A duration, as [`seconds`].
#[must_use]
pub fn span(duration: Duration) -> String {
    seconds(duration.as_micros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_printed_with_truncated_milliseconds() {
        assert_eq!(seconds(11_020_470), "11.020 s");
        assert_eq!(seconds(0), "0.000 s");
        assert_eq!(seconds(3_600_000_999), "3600.000 s");
        assert_eq!(span(Duration::from_millis(500)), "0.500 s");
    }
}

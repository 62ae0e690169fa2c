//! Rate arithmetic shared by the trip checks, the half-open rate rule and the metrics.
//!
//! Rates are compared in integers, never as fractions: `bad / calls >= t%` is
//! `bad * 100 >= t * calls`, so a rate trips exactly at its threshold.

/// Whether `bad` of `calls` reaches `threshold_percent`, given at least `minimum` calls.
#[inline]
pub(crate) fn reaches(bad: u64, calls: u64, minimum: u64, threshold_percent: u8) -> bool {
    calls >= minimum && calls > 0 && at_threshold(bad, calls, threshold_percent)
}

/// Whether `bad` of `calls` reaches `threshold_percent`, whatever the number of calls
/// (for a caller that has checked its minimum already).
#[inline]
pub(crate) fn at_threshold(bad: u64, calls: u64, threshold_percent: u8) -> bool {
    bad.saturating_mul(100) >= u64::from(threshold_percent).saturating_mul(calls)
}

/// `bad` of `calls` as a floored percentage, or `None` below `minimum` calls (or none).
#[inline]
pub(crate) fn percent(bad: u64, calls: u64, minimum: u64) -> Option<u8> {
    if calls < minimum {
        return None;
    }
    let p = bad.saturating_mul(100).checked_div(calls)?;
    u8::try_from(p.min(100)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_trips_at_its_threshold_not_only_above() {
        assert!(reaches(1, 2, 1, 50));
        assert!(!reaches(1, 3, 1, 50));
        assert!(reaches(1, 3, 1, 33));
        assert!(reaches(3, 3, 1, 100));
    }

    #[test]
    fn no_rate_trips_or_is_reported_below_the_minimum_calls() {
        assert!(!reaches(4, 4, 5, 50));
        assert!(reaches(5, 5, 5, 50));
        assert_eq!(percent(4, 4, 5), None);
        assert_eq!(percent(0, 0, 0), None);
    }

    #[test]
    fn reported_rates_are_floor_percent() {
        assert_eq!(percent(1, 3, 1), Some(33));
        assert_eq!(percent(2, 3, 1), Some(66));
        assert_eq!(percent(3, 3, 1), Some(100));
    }
}

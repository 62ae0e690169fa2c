//! Rate arithmetic shared by the trip checks, the half-open rate rule and the metrics.
//!
//! Rates are compared in integers, never as fractions: `bad / calls >= t%` is
//! `bad * 100 >= t * calls`, so a rate trips exactly at its threshold.

/// An exact rate: `bad` of `calls` (failures or slow calls of a window view).
///
/// Compared and stored as integers; [`Rate::as_f64`] is for display only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rate {
    /// The numerator: failed (or slow) calls.
    pub bad: u64,
    /// The denominator: counted calls (successes and failures), never 0 in a reported rate.
    pub calls: u64,
}

impl Rate {
    /// `bad / calls` as a fraction in `0.0..=1.0`, for display (0 when `calls` is 0).
    #[must_use]
    #[allow(clippy::cast_precision_loss)] // display only: exactness lives in the integers
    pub fn as_f64(&self) -> f64 {
        if self.calls == 0 {
            0.0
        } else {
            self.bad as f64 / self.calls as f64
        }
    }

    /// The rate as a floored whole percentage (`1 of 3` is 33).
    #[must_use]
    pub fn percent_floor(&self) -> u8 {
        percent(self.bad, self.calls, 1).unwrap_or(0)
    }

    /// Whether the rate reaches `threshold_percent` (`>=`, exactly, in integers).
    #[must_use]
    pub fn reaches(&self, threshold_percent: u8) -> bool {
        reaches(self.bad, self.calls, 1, threshold_percent)
    }

    /// `bad` of `calls`, or `None` below `minimum` calls or with none.
    pub(crate) fn of(bad: u64, calls: u64, minimum: u64) -> Option<Self> {
        (calls > 0 && calls >= minimum).then_some(Self { bad, calls })
    }
}

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
    fn an_exact_rate_keeps_its_fraction_and_floors_only_for_display() {
        let third = Rate::of(1, 3, 1).unwrap();
        assert_eq!((third.bad, third.calls), (1, 3));
        assert_eq!(third.percent_floor(), 33);
        assert!(third.reaches(33) && !third.reaches(34));
        assert!((third.as_f64() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(Rate::of(0, 0, 0), None);
        assert_eq!(Rate::of(2, 4, 5), None);
    }

    #[test]
    fn reported_rates_are_floor_percent() {
        assert_eq!(percent(1, 3, 1), Some(33));
        assert_eq!(percent(2, 3, 1), Some(66));
        assert_eq!(percent(3, 3, 1), Some(100));
    }
}

//! The sequence of open periods: base, grown by a multiplier on each reopen, capped.

use super::OpenPolicy;
use super::cold_div::div_rem;

/// Where a breaker is in its sequence of open periods.
///
/// The k-th opening in a row (k counted since the breaker last entered CLOSED or was
/// reset) lasts `period_k` before jitter: `period_1 = base` and
/// `period_k = min(floor(period_(k-1) * multiplier_percent / 100), cap)`. Each step is
/// floored in ticks, so a fractional multiplier loses the remainder at every step
/// (150% of 3 ticks gives 4, then 6, then 9). The product is computed exactly (in 128
/// bits) before the cap, so a period never shrinks because an intermediate overflowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Backoff {
    /// Openings since the last CLOSED or reset (k of the latest opening; 0 = none yet).
    openings: u32,
    /// period_k of the latest opening, in ticks, before jitter.
    period: u64,
}

impl Backoff {
    /// A sequence with no opening yet.
    pub(crate) const fn new() -> Self {
        Self {
            openings: 0,
            period: 0,
        }
    }

    /// Starts the next opening and returns its period in ticks, before jitter.
    pub(crate) fn next_period(&mut self, policy: &OpenPolicy) -> u64 {
        let cap = policy.cap.as_ticks();
        self.period = if self.openings == 0 {
            policy.base.as_ticks().min(cap)
        } else {
            grow(self.period, policy.multiplier_percent).min(cap)
        };
        self.openings = self.openings.saturating_add(1);
        self.period
    }

    /// Back to the start: the next opening is the first and lasts `base`.
    pub(crate) fn reset(&mut self) {
        *self = Self::new();
    }

    /// How many openings in a row so far (k of the latest opening; 0 = none).
    pub(crate) const fn openings(&self) -> u32 {
        self.openings
    }
}

/// `floor(period * percent / 100)`, exact, saturating at `u64::MAX`.
///
/// Split as `period = 100 q + r`: the product is `q * percent + floor(r * percent /
/// 100)`, where only `q * percent` can overflow (and then so does the exact result),
/// and `r * percent < 100 * 2^32`. The same value as the 128-bit product, in 64-bit
/// operations: the 128-bit product and division cost a Cortex-M 588 B of code. The
/// divisions go through [`div_rem`], which links no 64-bit division routine on a
/// 32-bit target.
const fn grow(period: u64, percent: u32) -> u64 {
    let percent = percent as u64;
    let Some((q, r)) = div_rem(period, 100) else {
        return u64::MAX;
    };
    let whole = match q.checked_mul(percent) {
        Some(whole) => whole,
        None => return u64::MAX,
    };
    // Below 100 * 2^32: the product cannot wrap.
    let part = match div_rem(r.wrapping_mul(percent), 100) {
        Some((part, _)) => part,
        None => 0,
    };
    whole.saturating_add(part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Duration;

    fn periods(policy: &OpenPolicy, n: usize) -> heapless::Vec<u64, 16> {
        let mut b = Backoff::new();
        (0..n).map(|_| b.next_period(policy)).collect()
    }

    #[test]
    fn first_opening_lasts_base_and_each_reopen_multiplies_up_to_the_cap() {
        let p = OpenPolicy::exponential(Duration::from_ticks(5), 200, Duration::from_ticks(30));
        assert_eq!(periods(&p, 5).as_slice(), &[5, 10, 20, 30, 30]);
    }

    #[test]
    fn fractional_multipliers_floor_at_every_step() {
        let p = OpenPolicy::exponential(Duration::from_ticks(3), 150, Duration::from_ticks(100));
        assert_eq!(periods(&p, 5).as_slice(), &[3, 4, 6, 9, 13]);
    }

    #[test]
    fn growth_never_overflows_and_never_shrinks_near_the_end_of_time() {
        let p = OpenPolicy::exponential(Duration::from_ticks(1 << 62), 1000, Duration::MAX);
        assert_eq!(periods(&p, 3).as_slice(), &[1 << 62, u64::MAX, u64::MAX]);
    }

    #[test]
    fn growth_in_64_bits_equals_the_128_bit_product_floored_and_saturated() {
        let periods = [
            0,
            1,
            3,
            99,
            100,
            101,
            12_345,
            5_000_000,
            u64::MAX / 300,
            u64::MAX / 100,
            u64::MAX / 2,
            u64::MAX - 99,
            u64::MAX,
        ];
        let percents = [0, 1, 99, 100, 101, 150, 200, 1000, u32::MAX / 2, u32::MAX];
        for &period in &periods {
            for &percent in &percents {
                let exact = u128::from(period) * u128::from(percent) / 100;
                let expected = u64::try_from(exact).unwrap_or(u64::MAX);
                assert_eq!(grow(period, percent), expected, "{period} * {percent}%");
            }
        }
    }

    #[test]
    fn reset_starts_the_sequence_over() {
        let p = OpenPolicy::exponential(Duration::from_ticks(5), 200, Duration::from_ticks(30));
        let mut b = Backoff::new();
        b.next_period(&p);
        b.next_period(&p);
        assert_eq!(b.openings(), 2);
        b.reset();
        assert_eq!(b.openings(), 0);
        assert_eq!(b.next_period(&p), 5);
    }
}

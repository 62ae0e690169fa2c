//! Deterministic jitter for open periods: a splitmix64 PRNG and the offset it draws.
//!
//! The engine has no `rand` and reads no entropy; jitter is a pure function of the
//! configured seed and how many openings came before, so a run can be replayed and an
//! independent model can compute the same periods.

use super::cold_div::div_rem;

/// The splitmix64 generator (Steele, Lea and Flood), one 64-bit state word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub(crate) const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64-bit draw.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `period` moved by a deterministic offset of at most `jitter_percent`% of it, then
/// clamped to `1..=cap` (to 1 if `cap` is 0, which validation rules out).
///
/// With `span = floor(period * jitter_percent / 100)`, the offset is
/// `(draw % (2 * span + 1)) - span`, which lies in `-span..=span`. The floor of one
/// tick keeps a jittered OPEN period from being empty: with 100% jitter the offset can
/// cancel the whole period, and an OPEN state that ends the instant it begins would not
/// stop a single call.
///
/// A `jitter_percent` above 100 counts as 100: validation refuses it, both when a
/// breaker is built and when one is deserialized, so no breaker has one.
pub(crate) fn jittered(period: u64, jitter_percent: u8, cap: u64, draw: u64) -> u64 {
    // The same value as `(period + (draw % (2 * span + 1)) - span).clamp(0, cap).max(1)`
    // computed in 128-bit signed arithmetic, in 64-bit operations only (128-bit ones
    // cost a Cortex-M about 80 B of code more): the span is split as
    // `period = 100 q + r` (`floor(period * j / 100) = q * j + floor(r * j / 100)`, and
    // `r * j < 100 * 100`), and with `j <= 100` it is at most `period`, so nothing
    // overflows. `2 * span + 1` may not fit in 64 bits, and then exceeds every draw,
    // which is its own remainder. The divisions go through `div_rem`, which links no
    // 64-bit division routine on a 32-bit target (never 0 here: the divisors are 100
    // and at least 1).
    let percent = jitter_percent.min(100);
    let (q, r) = div_rem(period, 100).unwrap_or((0, 0));
    // `r * j < 100 * 100`: a 32-bit product and quotient.
    let part = u32::try_from(r)
        .unwrap_or(0)
        .wrapping_mul(u32::from(percent))
        / 100;
    // At most `q * 100 + r = period`: neither operation wraps.
    let span = q
        .wrapping_mul(u64::from(percent))
        .wrapping_add(u64::from(part));
    let pick = if span < 1 << 63 {
        let choices = span.wrapping_shl(1) | 1;
        div_rem(draw, choices).map_or(0, |(_, remainder)| remainder)
    } else {
        draw
    };
    // period + pick - span: never below 0, since span <= period; saturating above
    // u64::MAX, which is then capped anyway.
    let moved = if pick >= span {
        period.saturating_add(pick.wrapping_sub(span))
    } else {
        period.wrapping_sub(span.wrapping_sub(pick))
    };
    moved.min(cap).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference values of splitmix64 seeded with 0.
        let mut g = SplitMix64::new(0);
        assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(g.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(g.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn same_seed_gives_the_same_draws() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        for _ in 0..10 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(SplitMix64::new(1).next_u64(), SplitMix64::new(2).next_u64());
    }

    #[test]
    fn jitter_stays_within_plus_minus_its_percentage_and_under_the_cap() {
        let mut g = SplitMix64::new(7);
        let (mut low, mut high) = (false, false);
        for _ in 0..1000 {
            let p = jittered(1000, 10, u64::MAX, g.next_u64());
            assert!((900..=1100).contains(&p), "{p}");
            low |= p < 1000;
            high |= p > 1000;
        }
        assert!(low && high, "both directions are drawn");
        for _ in 0..100 {
            assert!(jittered(1000, 50, 1100, g.next_u64()) <= 1100);
        }
    }

    #[test]
    fn offset_is_draw_modulo_twice_span_plus_one_minus_span() {
        // span = 100: draws 0, 100 and 200 give offsets -100, 0 and +100.
        assert_eq!(jittered(1000, 10, u64::MAX, 0), 900);
        assert_eq!(jittered(1000, 10, u64::MAX, 100), 1000);
        assert_eq!(jittered(1000, 10, u64::MAX, 200), 1100);
        assert_eq!(jittered(1000, 10, u64::MAX, 201), 900);
    }

    /// The definition, in 128-bit signed arithmetic (a jitter above 100 % counts as
    /// 100 %).
    fn jittered_by_definition(period: u64, jitter_percent: u8, cap: u64, draw: u64) -> u64 {
        let jitter_percent = jitter_percent.min(100);
        let span = u128::from(period) * u128::from(jitter_percent) / 100;
        let pick = u128::from(draw) % (2 * span + 1);
        let moved =
            i128::from(period) + i128::try_from(pick).unwrap() - i128::try_from(span).unwrap();
        u64::try_from(moved.clamp(0, i128::from(cap)).max(1)).unwrap()
    }

    #[test]
    fn jitter_in_64_bit_operations_equals_its_definition() {
        let periods = [
            0,
            1,
            2,
            99,
            100,
            101,
            1000,
            5_000_000,
            u64::MAX / 255,
            u64::MAX / 2,
            u64::MAX - 1,
            u64::MAX,
        ];
        let percents = [0, 1, 10, 50, 99, 100, 101, 200, 255];
        let caps = [0, 1, 1000, u64::MAX / 2, u64::MAX];
        let mut g = SplitMix64::new(11);
        let draws = [0, 1, 100, 200, 201, u64::MAX / 3, u64::MAX - 1, u64::MAX];
        for &period in &periods {
            for &percent in &percents {
                for &cap in &caps {
                    for draw in draws.iter().copied().chain((0..8).map(|_| g.next_u64())) {
                        assert_eq!(
                            jittered(period, percent, cap, draw),
                            jittered_by_definition(period, percent, cap, draw),
                            "period {period}, {percent}%, cap {cap}, draw {draw}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn zero_jitter_keeps_the_period_and_full_jitter_never_goes_below_one_tick() {
        assert_eq!(jittered(1000, 0, u64::MAX, 12345), 1000);
        // Draw 0 is the offset -span = -1000: the whole period, floored at one tick.
        assert_eq!(jittered(1000, 100, u64::MAX, 0), 1);
        assert_eq!(jittered(1, 100, 1, 0), 1);
        assert_eq!(jittered(u64::MAX, 100, u64::MAX, u64::MAX), u64::MAX);
        // Every draw of a full-jitter period stays within 1..=2 * period.
        let mut g = SplitMix64::new(3);
        for _ in 0..1000 {
            assert!((1..=20).contains(&jittered(10, 100, u64::MAX, g.next_u64())));
        }
    }

    #[test]
    fn a_jitter_above_100_percent_counts_as_100_percent() {
        let mut g = SplitMix64::new(5);
        for _ in 0..100 {
            let draw = g.next_u64();
            for period in [1, 1000, u64::MAX / 2, u64::MAX] {
                let full = jittered(period, 100, u64::MAX, draw);
                for percent in [101, 200, 255] {
                    assert_eq!(jittered(period, percent, u64::MAX, draw), full);
                }
            }
        }
    }
}

//! 64-bit division for the breaker's open periods, without the 64-bit division
//! routine on 32-bit targets.
//!
//! A Cortex-M has no 64-bit divide instruction: any `u64` division, even by a
//! constant, links compiler-builtins' routine (about 900 B of flash). The breaker
//! divides only when it opens (the backoff's growth and the jitter's span and draw),
//! a cold path, so on 32-bit targets it divides by shifting and subtracting, in a loop
//! of a few dozen bytes; 64-bit targets keep their divide instruction. Both give the
//! same quotient and remainder.

/// `(n / d, n % d)`, or `None` when `d` is 0.
#[inline]
pub(crate) const fn div_rem(n: u64, d: u64) -> Option<(u64, u64)> {
    if cfg!(target_pointer_width = "64") {
        match (n.checked_div(d), n.checked_rem(d)) {
            (Some(quotient), Some(remainder)) => Some((quotient, remainder)),
            _ => None,
        }
    } else {
        shift_subtract(n, d)
    }
}

/// `(n / d, n % d)` by binary long division (at most 64 rounds), or `None` when `d`
/// is 0.
const fn shift_subtract(n: u64, d: u64) -> Option<(u64, u64)> {
    if d == 0 {
        return None;
    }
    if n < d {
        return Some((0, n));
    }
    // The largest `d << shift` not above `n`, doubling one bit at a time: a shift by a
    // variable count would call the 64-bit shift routine on Cortex-M0 (another frame on
    // the deepest stack path of a firing that opens the breaker). `divisor <= n / 2`
    // before each doubling, so nothing is shifted out, and `n < divisor << 1` after.
    let mut divisor = d;
    let mut shift = 0u32;
    while divisor <= n.wrapping_shr(1) {
        divisor = divisor.wrapping_shl(1);
        shift = shift.wrapping_add(1);
    }
    let (mut quotient, mut remainder) = (0u64, n);
    let mut round = 0;
    while round <= shift {
        quotient = quotient.wrapping_shl(1);
        if remainder >= divisor {
            remainder = remainder.wrapping_sub(divisor);
            quotient |= 1;
        }
        divisor = divisor.wrapping_shr(1);
        round = round.wrapping_add(1);
    }
    Some((quotient, remainder))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn long_division_matches_the_divide_instruction_at_the_edges() {
        let values = [
            0,
            1,
            2,
            3,
            99,
            100,
            101,
            u64::from(u32::MAX),
            1 << 32,
            u64::MAX - 1,
            u64::MAX,
        ];
        for n in values {
            assert_eq!(shift_subtract(n, 0), None);
            assert_eq!(div_rem(n, 0), None);
            for d in values.into_iter().filter(|&d| d > 0) {
                assert_eq!(shift_subtract(n, d), Some((n / d, n % d)), "{n} / {d}");
                assert_eq!(div_rem(n, d), Some((n / d, n % d)), "{n} / {d}");
            }
        }
    }

    /// Under Miri a few cases and no regressions file: its isolation forbids the file
    /// (proptest looks for the crate's directory), and a few cases already run every
    /// branch of the division through Miri's checks.
    fn config() -> ProptestConfig {
        if cfg!(miri) {
            ProptestConfig {
                cases: 4,
                failure_persistence: None,
                ..ProptestConfig::default()
            }
        } else {
            ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn long_division_gives_the_quotient_and_remainder_of_the_divide_instruction(
            n in any::<u64>(),
            d in prop_oneof![1..=u64::MAX, 1..=100u64, 1..=u64::from(u32::MAX)],
            shift in 0u32..64,
        ) {
            let d = (d >> shift).max(1);
            prop_assert_eq!(shift_subtract(n, d), Some((n / d, n % d)));
        }
    }
}

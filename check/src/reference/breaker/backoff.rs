//! Open periods: exponential backoff with a cap and seeded splitmix64 jitter.

use super::config::RefOpen;

/// The splitmix64 generator (Steele, Lea, Flood 2014), one output per call.
///
/// It is the only randomness in the model, so a seed fixes every period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose first output is splitmix64's first output for `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Advances the state and returns the next output.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The un-jittered period of the `k`-th opening in a row (k counts from 1; 0 reads as 1).
///
/// `p_1 = base`, `p_k = min(p_{k-1} * multiplier_percent / 100, cap)`, iterated with
/// integer division, exactly as written (so `p_1` is not capped: a valid configuration
/// has `base <= cap`). The product is exact (128 bits) before the cap, so a period
/// never shrinks because `p_{k-1} * multiplier_percent` exceeds `u64::MAX`.
pub fn unjittered_period(open: &RefOpen, k: u32) -> u64 {
    let mut period = open.base;
    for _ in 1..k {
        let grown = u128::from(period) * u128::from(open.multiplier_percent) / 100;
        let next = u64::try_from(grown).unwrap_or(u64::MAX).min(open.cap);
        // Once an iteration changes nothing (the cap, zero, or a rounding fixed point) no
        // later one will; stopping early keeps a huge k cheap without changing the result.
        if next == period {
            break;
        }
        period = next;
    }
    period
}

/// The period of the `k`-th opening in a row, drawing jitter from `rng` when configured.
///
/// With `jitter_percent == 0` nothing is drawn. Otherwise exactly one value is drawn (even
/// when the span rounds to 0): `span = p_k * j / 100`, `offset = (r % (2 * span + 1)) -
/// span`, `period = max(clamp(p_k + offset, 0, cap), 1)`, all computed exactly in 128
/// bits (a span saturated in 64 bits would be too small for periods near `u64::MAX`).
/// The floor of one tick is the engine's: 100% jitter may draw `offset = -p_k`, and an
/// opening never lasts zero ticks.
pub fn open_period(open: &RefOpen, k: u32, rng: &mut SplitMix64) -> u64 {
    let p_k = unjittered_period(open, k);
    if open.jitter_percent == 0 {
        return p_k;
    }
    // p_k < 2^64 and j < 2^8, so span < 2^72 and every value below fits i128.
    let span = u128::from(p_k) * u128::from(open.jitter_percent) / 100;
    let r = rng.next_u64();
    let modulus = span * 2 + 1;
    let offset = (u128::from(r) % modulus) as i128 - span as i128;
    let jittered = i128::from(p_k) + offset;
    jittered.clamp(0, i128::from(open.cap)).max(1) as u64
}

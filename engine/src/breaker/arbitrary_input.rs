//! `arbitrary::Arbitrary` for the breaker's fuzz inputs: outcomes and configurations.
//!
//! Written by hand rather than derived because the derive expands to `std` items and
//! the engine is `no_std`. Configurations are drawn field by field from raw numbers,
//! so invalid ones are produced too and exercise [`BreakerConfig::validate`].

use super::{
    BreakerConfig, CloseRule, CountWindowPolicy, HalfOpenPolicy, MaxWaitAction, OpenPolicy,
    Outcome, SlowCallPolicy, TimeWindowPolicy,
};
use crate::time::Duration;
use arbitrary::{Arbitrary, Result, Unstructured};

fn duration(u: &mut Unstructured<'_>) -> Result<Duration> {
    Ok(Duration::from_ticks(u.arbitrary()?))
}

impl<'a> Arbitrary<'a> for Outcome {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.choose_index(3)? {
            0 => Self::Success,
            1 => Self::Failure,
            _ => Self::Ignored,
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(4))
    }
}

impl<'a> Arbitrary<'a> for CountWindowPolicy {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self {
            size: u.arbitrary()?,
            failure_rate_percent: u.arbitrary()?,
            minimum_calls: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for TimeWindowPolicy {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self {
            bucket_width: duration(u)?,
            buckets: u.arbitrary()?,
            failure_rate_percent: u.arbitrary()?,
            minimum_calls: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for SlowCallPolicy {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self {
            threshold: duration(u)?,
            rate_percent: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for OpenPolicy {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self {
            base: duration(u)?,
            multiplier_percent: u.arbitrary()?,
            cap: duration(u)?,
            jitter_percent: u.arbitrary()?,
            seed: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for CloseRule {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.arbitrary()? {
            Self::AfterSuccesses(u.arbitrary()?)
        } else {
            Self::ByRate
        })
    }
}

impl<'a> Arbitrary<'a> for MaxWaitAction {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.arbitrary()? {
            Self::Reopen
        } else {
            Self::Repermit
        })
    }
}

impl<'a> Arbitrary<'a> for HalfOpenPolicy {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let max_permits = u.arbitrary()?;
        let close = u.arbitrary()?;
        let max_wait = if u.arbitrary()? {
            Some(duration(u)?)
        } else {
            None
        };
        Ok(Self {
            max_permits,
            close,
            max_wait,
            on_max_wait: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for BreakerConfig {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Self {
            consecutive_failures: u.arbitrary()?,
            count_window: u.arbitrary()?,
            time_window: u.arbitrary()?,
            slow_calls: u.arbitrary()?,
            open: u.arbitrary()?,
            half_open: u.arbitrary()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arbitrary_configs_include_invalid_ones_for_validation_to_reject() {
        let mut invalid = 0;
        let mut bytes = [0u8; 256];
        for seed in 0..200u32 {
            let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
            for b in bytes.iter_mut() {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                *b = x.to_le_bytes()[0];
            }
            let mut u = Unstructured::new(&bytes);
            let config = BreakerConfig::arbitrary(&mut u).unwrap();
            if config.validate::<4, 10>().is_err() {
                invalid += 1;
            }
        }
        assert!(invalid > 0, "invalid configurations are generated");
        let mut u = Unstructured::new(&[1]);
        assert_eq!(Outcome::arbitrary(&mut u).unwrap(), Outcome::Failure);
    }
}

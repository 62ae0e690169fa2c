//! Deserializing a breaker's configuration validates it for the breaker's capacity.
//!
//! A breaker's code relies on its configuration being valid for its `W` and `B`: with
//! `W == 0` no count window can be configured, with `B == 0` no time window, and the
//! window code of such a breaker is compiled out. [`BreakerMachine::new`](super::BreakerMachine::new)
//! validates, and so does deserializing: a snapshot whose configuration the breaker
//! type could not have been built with is refused while it is read, with the
//! [`ConfigError`](super::ConfigError)'s message as the deserializer's error. The rest
//! of a snapshot (state, windows, clock) is checked afterwards by
//! [`CircuitBreaker::validate_restored`](super::CircuitBreaker::validate_restored).

use super::BreakerConfig;
use super::configured::Configured;
use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// `#[serde(deserialize_with = "...")]` for a breaker machine's configuration: the
/// configuration, refused unless valid for `W` and `B`.
pub(crate) fn configured<'de, const W: usize, const B: usize, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Configured, D::Error> {
    validated::<W, B, D>(deserializer).map(Configured::new)
}

/// `#[serde(deserialize_with = "...")]` for a bank's shared configuration: refused
/// unless valid for `W` and `B`, since the bank builds its breakers from it.
pub(crate) fn validated<'de, const W: usize, const B: usize, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BreakerConfig, D::Error> {
    let config = BreakerConfig::deserialize(deserializer)?;
    config.validate::<W, B>().map_err(D::Error::custom)?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::super::{
        BankError, BreakerBank, BreakerConfig, BreakerMachine, CircuitBreaker, ConfigError,
        CountWindowPolicy, SnapshotError, TimeWindowPolicy,
    };
    use crate::time::{Duration, Instant};

    const NOW: Instant = Instant::from_ticks(0);

    fn plain() -> BreakerConfig {
        BreakerConfig::consecutive(3, Duration::from_secs(5), 1)
    }

    fn count_window(size: u32) -> BreakerConfig {
        plain().with_count_window(CountWindowPolicy {
            size,
            failure_rate_percent: 50,
            minimum_calls: 1,
        })
    }

    fn time_window(buckets: u32) -> BreakerConfig {
        plain().with_time_window(TimeWindowPolicy {
            bucket_width: Duration::from_secs(1),
            buckets,
            failure_rate_percent: 50,
            minimum_calls: 1,
        })
    }

    /// Every way to obtain a breaker of capacity `W`, `B` with `config` that does not
    /// go through serde: each must refuse it with `expected`.
    fn refused_when_built<const W: usize, const B: usize>(
        config: BreakerConfig,
        expected: ConfigError,
    ) {
        assert_eq!(config.validate::<W, B>(), Err(expected));
        assert_eq!(BreakerMachine::<W, B>::new(config).err(), Some(expected));
        assert_eq!(
            CircuitBreaker::<W, B>::new(config, NOW).err(),
            Some(expected)
        );
        assert_eq!(
            BreakerBank::<u8, 2, W, B>::new(config).err(),
            Some(expected)
        );
        let mut bank = BreakerBank::<u8, 2, W, B>::new(plain()).unwrap();
        assert_eq!(
            bank.insert_with(1, config, NOW).err(),
            Some(BankError::Config(expected))
        );
    }

    /// A breaker of capacity `W`, `B` holding `config` unchecked (as an edited
    /// snapshot would), serialized: restoring it must refuse it, while it is read and
    /// again in `validate_restored`.
    fn refused_when_restored<const W: usize, const B: usize>(
        config: BreakerConfig,
        expected: ConfigError,
    ) {
        let mut breaker = CircuitBreaker::<W, B>::new(plain(), NOW).unwrap();
        breaker
            .state_machine_mut()
            .parts_mut()
            .0
            .set_config_unchecked(config);
        assert_eq!(
            breaker.validate_restored(NOW),
            Err(SnapshotError::Config(expected))
        );
        let mut buffer = [0u8; 1024];
        let bytes = postcard::to_slice(&breaker, &mut buffer).unwrap();
        assert_eq!(
            postcard::from_bytes::<CircuitBreaker<W, B>>(bytes).err(),
            Some(postcard::Error::SerdeDeCustom)
        );
    }

    #[test]
    fn a_window_larger_than_the_capacity_is_refused_on_every_path() {
        let no_count = ConfigError::CountWindowSize { max: 0 };
        let no_time = ConfigError::TimeWindowBuckets { max: 0 };
        refused_when_built::<0, 0>(count_window(1), no_count);
        refused_when_built::<0, 0>(time_window(1), no_time);
        refused_when_built::<2, 4>(count_window(65), ConfigError::CountWindowSize { max: 64 });
        refused_when_built::<2, 4>(time_window(5), ConfigError::TimeWindowBuckets { max: 4 });
        refused_when_restored::<0, 0>(count_window(1), no_count);
        refused_when_restored::<0, 0>(time_window(1), no_time);
        refused_when_restored::<2, 4>(count_window(65), ConfigError::CountWindowSize { max: 64 });
        refused_when_restored::<2, 4>(time_window(5), ConfigError::TimeWindowBuckets { max: 4 });
    }

    #[test]
    fn a_bank_snapshot_whose_shared_config_exceeds_the_capacity_is_refused() {
        // An empty bank's snapshot does not depend on `W`: the larger bank's config
        // is read as the smaller bank's.
        let big = BreakerBank::<u8, 2, 4, 10>::new(count_window(100)).unwrap();
        let mut buffer = [0u8; 256];
        let bytes = postcard::to_slice(&big, &mut buffer).unwrap();
        assert!(postcard::from_bytes::<BreakerBank<u8, 2, 4, 10>>(bytes).is_ok());
        assert_eq!(
            postcard::from_bytes::<BreakerBank<u8, 2, 2, 10>>(bytes).err(),
            Some(postcard::Error::SerdeDeCustom)
        );
    }

    #[test]
    fn a_valid_snapshot_restores_to_the_same_breaker() {
        let breaker = CircuitBreaker::<2, 4>::new(count_window(64), NOW).unwrap();
        let mut buffer = [0u8; 1024];
        let bytes = postcard::to_slice(&breaker, &mut buffer).unwrap();
        let back = postcard::from_bytes::<CircuitBreaker<2, 4>>(bytes).unwrap();
        assert_eq!(back.config(), breaker.config());
        assert_eq!(back.validate_restored(NOW), Ok(()));
    }
}

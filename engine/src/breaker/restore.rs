//! Checking a breaker or bank restored from a snapshot before it runs again.
//!
//! A snapshot comes from outside (a file, flash, another process): it may be stale,
//! truncated by hand, or tampered with. Deserializing checks its shape and refuses a
//! configuration that is invalid for the breaker's `W` and `B` (see
//! `serde_config`); the checks here make sure the rest describes a breaker this code
//! could have reached, seen no later than `now`, so no later call meets a state it was
//! never written for. They check the configuration again, so that they stand alone
//! whatever produced the breaker.

use super::{BreakerBank, BreakerState, CircuitBreaker, ConfigError};
use crate::time::Instant;

/// A field of a restored snapshot that no breaker could have had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SnapshotError {
    /// The configuration is invalid.
    Config(ConfigError),
    /// The latest instant seen is after `now`: the snapshot is from the future.
    LastSeen,
    /// The state was entered after the latest instant seen.
    EnteredAt,
    /// The latest state change is after the latest instant seen.
    LastChange,
    /// OPEN was entered after the latest instant seen.
    OpenedAt,
    /// The open period is zero or longer than the configured cap.
    OpenPeriod,
    /// More half-open probes are outstanding than `half_open.max_permits`.
    HalfOpenOutstanding,
    /// The half-open probe counts disagree (`recorded` is not successes plus failures,
    /// slow probes exceed recorded ones, or more were recorded than the close rule
    /// would have waited for).
    HalfOpenCounts,
    /// The latest half-open probe activity is after the latest instant seen.
    HalfOpenLastActivity,
    /// The count window disagrees with itself or with `count_window.size`.
    CountWindow,
    /// The time window disagrees with itself, with `time_window`, or with the latest
    /// instant seen.
    TimeWindow,
    /// A bank holds two breakers for one key.
    BankDuplicateKey,
    /// A bank's breaker reports an instance number other than its slot.
    BankInstance,
}

impl SnapshotError {
    /// The snapshot field at fault, as a dotted path (`"state.outstanding"`).
    #[must_use]
    pub const fn field(&self) -> &'static str {
        match self {
            Self::Config(e) => e.field(),
            Self::LastSeen => "runtime.last_seen",
            Self::EnteredAt => "runtime.entered_at",
            Self::LastChange => "machine.last_change",
            Self::OpenedAt => "state.opened_at",
            Self::OpenPeriod => "state.period",
            Self::HalfOpenOutstanding => "state.outstanding",
            Self::HalfOpenCounts => "state.recorded",
            Self::HalfOpenLastActivity => "state.last_activity",
            Self::CountWindow => "machine.count",
            Self::TimeWindow => "machine.time",
            Self::BankDuplicateKey => "slots.key",
            Self::BankInstance => "slots.breaker.instance",
        }
    }
}

impl core::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Config(e) => write!(f, "snapshot config: {e}"),
            other => write!(
                f,
                "snapshot field {} is not one a breaker can have",
                other.field()
            ),
        }
    }
}

impl core::error::Error for SnapshotError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Config(e) => Some(e),
            _ => None,
        }
    }
}

/// A bank snapshot's fault: which slot (if one breaker is at fault) and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BankSnapshotError {
    /// The slot of the breaker at fault, `None` for the bank's own configuration.
    pub slot: Option<u32>,
    /// What is wrong.
    pub error: SnapshotError,
}

impl core::fmt::Display for BankSnapshotError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.slot {
            Some(slot) => write!(f, "bank slot {slot}: {}", self.error),
            None => write!(f, "bank: {}", self.error),
        }
    }
}

impl core::error::Error for BankSnapshotError {}

fn ensure(ok: bool, error: SnapshotError) -> Result<(), SnapshotError> {
    if ok { Ok(()) } else { Err(error) }
}

impl<const W: usize, const B: usize> CircuitBreaker<W, B> {
    /// Checks a breaker restored from a snapshot against `now` (the restoring clock's
    /// present): its configuration, clock, state data and windows.
    ///
    /// # Errors
    /// The first [`SnapshotError`] found; [`SnapshotError::field`] names the field.
    pub fn validate_restored(&self, now: Instant) -> Result<(), SnapshotError> {
        let runtime = self.state_machine();
        let last_seen = runtime.last_seen();
        ensure(last_seen <= now, SnapshotError::LastSeen)?;
        ensure(runtime.entered_at() <= last_seen, SnapshotError::EnteredAt)?;
        let config = self.config();
        match *runtime.state() {
            BreakerState::Open { opened_at, period } => {
                ensure(opened_at <= last_seen, SnapshotError::OpenedAt)?;
                ensure(
                    period.as_ticks() > 0 && period <= config.open.cap,
                    SnapshotError::OpenPeriod,
                )?;
            }
            BreakerState::HalfOpen {
                outstanding,
                successes,
                failures,
                slow,
                recorded,
                last_activity,
            } => {
                ensure(
                    outstanding <= config.half_open.max_permits,
                    SnapshotError::HalfOpenOutstanding,
                )?;
                ensure(
                    u32::from(successes).saturating_add(u32::from(failures)) == u32::from(recorded)
                        && slow <= recorded,
                    SnapshotError::HalfOpenCounts,
                )?;
                ensure(
                    last_activity <= last_seen,
                    SnapshotError::HalfOpenLastActivity,
                )?;
            }
            _ => {}
        }
        runtime.machine().check_restored(last_seen)
    }

    /// [`validate_restored`](Self::validate_restored), handing the breaker back if it passes.
    ///
    /// # Errors
    /// As for [`validate_restored`](Self::validate_restored).
    pub fn restored(self, now: Instant) -> Result<Self, SnapshotError> {
        self.validate_restored(now).map(|()| self)
    }
}

impl<K: Eq + Copy, const N: usize, const W: usize, const B: usize> BreakerBank<K, N, W, B> {
    /// Checks a bank restored from a snapshot against `now`: its shared configuration,
    /// every breaker (as [`CircuitBreaker::validate_restored`]), one breaker per key,
    /// and each breaker's instance number being its slot.
    ///
    /// # Errors
    /// The first [`BankSnapshotError`] found, naming the slot and the field.
    pub fn validate_restored(&self, now: Instant) -> Result<(), BankSnapshotError> {
        self.config()
            .validate::<W, B>()
            .map_err(|e| BankSnapshotError {
                slot: None,
                error: SnapshotError::Config(e),
            })?;
        for (index, (key, breaker)) in self.iter().enumerate() {
            let slot = u32::try_from(index).unwrap_or(u32::MAX);
            let at = |error| BankSnapshotError {
                slot: Some(slot),
                error,
            };
            breaker.validate_restored(now).map_err(at)?;
            ensure(breaker.instance() == slot, SnapshotError::BankInstance).map_err(at)?;
            let first = self.iter().position(|(other, _)| other == key);
            ensure(first == Some(index), SnapshotError::BankDuplicateKey).map_err(at)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Breaker, secs};
    use super::super::{BreakerConfig, BreakerStateKind, HalfOpenPolicy, Outcome};
    use super::*;
    use crate::time::Duration;
    use core::fmt::Write;

    /// Open for 5 s after 1 failure, capped at 5 s; HALF_OPEN waits for 2 successes of
    /// up to 3 probes.
    fn config() -> BreakerConfig {
        BreakerConfig::consecutive(1, Duration::from_secs(5), 1)
            .with_half_open(HalfOpenPolicy::after_successes(3, 2))
    }

    /// A breaker tripped at 1 s: OPEN until 6 s.
    fn tripped() -> Breaker {
        let mut b: Breaker = CircuitBreaker::new(config(), secs(0)).unwrap();
        let permit = b.try_acquire(secs(1)).value.unwrap();
        b.record(permit, Outcome::Failure, secs(1));
        assert_eq!(b.state(), BreakerStateKind::Open);
        b
    }

    /// `b` with its state replaced by `state`, as a tampered snapshot would have it.
    fn with_state(mut b: Breaker, state: BreakerState) -> Breaker {
        *b.state_machine_mut().parts_mut().1 = state;
        b
    }

    #[test]
    fn a_restored_open_state_needs_a_period_from_one_tick_to_the_cap_and_a_past_opening() {
        let b = tripped();
        assert_eq!(b.validate_restored(secs(1)), Ok(()));
        let open = |opened_at, period| {
            with_state(
                tripped(),
                BreakerState::Open {
                    opened_at,
                    period: Duration::from_ticks(period),
                },
            )
        };
        let cap = config().open.cap.as_ticks();
        assert_eq!(open(secs(1), 1).validate_restored(secs(1)), Ok(()));
        assert_eq!(open(secs(1), cap).validate_restored(secs(1)), Ok(()));
        assert_eq!(
            open(secs(1), 0).validate_restored(secs(1)),
            Err(SnapshotError::OpenPeriod)
        );
        assert_eq!(
            open(secs(1), cap + 1).validate_restored(secs(1)),
            Err(SnapshotError::OpenPeriod)
        );
        assert_eq!(
            open(secs(2), 1).validate_restored(secs(2)),
            Err(SnapshotError::OpenedAt),
            "opened after the latest instant seen (1 s)"
        );
    }

    #[test]
    fn restored_half_open_probe_counts_must_add_up() {
        let mut b = tripped();
        let probe = b.try_acquire(secs(6)).value.unwrap();
        b.record(probe, Outcome::Success, secs(6));
        assert_eq!(b.state(), BreakerStateKind::HalfOpen);
        assert_eq!(b.validate_restored(secs(6)), Ok(()));
        let BreakerState::HalfOpen {
            outstanding,
            successes,
            failures,
            slow,
            recorded,
            last_activity,
        } = b.state_detail()
        else {
            panic!("half-open: {:?}", b.state_detail());
        };
        assert_eq!((successes, recorded), (1, 1));
        let tampered = with_state(
            b,
            BreakerState::HalfOpen {
                outstanding,
                successes,
                failures,
                slow,
                recorded: 2,
                last_activity,
            },
        );
        assert_eq!(
            tampered.validate_restored(secs(6)),
            Err(SnapshotError::HalfOpenCounts)
        );
    }

    #[test]
    fn a_restored_bank_needs_each_breaker_numbered_by_its_slot() {
        let mut bank: BreakerBank<u8, 4, 4, 10> = BreakerBank::new(config()).unwrap();
        for key in [7, 9] {
            let _ = bank.try_acquire(key, secs(1)).unwrap();
        }
        assert_eq!(bank.validate_restored(secs(1)), Ok(()));
        let breaker = bank.get_mut(&9).unwrap();
        *breaker = breaker.clone().with_instance(5);
        assert_eq!(
            bank.validate_restored(secs(1)),
            Err(BankSnapshotError {
                slot: Some(1),
                error: SnapshotError::BankInstance
            })
        );
    }

    #[test]
    fn snapshot_errors_name_the_field_and_the_bank_slot_at_fault() {
        assert_eq!(SnapshotError::OpenPeriod.field(), "state.period");
        assert_eq!(SnapshotError::HalfOpenCounts.field(), "state.recorded");
        assert_eq!(
            SnapshotError::BankInstance.field(),
            "slots.breaker.instance"
        );
        let mut text: heapless::String<128> = heapless::String::new();
        let in_slot = BankSnapshotError {
            slot: Some(2),
            error: SnapshotError::OpenPeriod,
        };
        write!(text, "{in_slot}").unwrap();
        assert_eq!(
            text.as_str(),
            "bank slot 2: snapshot field state.period is not one a breaker can have"
        );
        text.clear();
        let bank_wide = BankSnapshotError {
            slot: None,
            error: SnapshotError::Config(ConfigError::OpenBase),
        };
        write!(text, "{bank_wide}").unwrap();
        assert!(
            text.starts_with("bank: snapshot config: open.base"),
            "{text}"
        );
    }
}

//! What a breaker's listeners hear: every state transition, reset, rate exceeded,
//! rejection and recorded outcome, as plain values built after the call.
//!
//! The engine calls nothing back: a caller that wants to publish events asks the
//! breaker, after a call, for the notices that call gave rise to
//! ([`CircuitBreaker::notices_of_acquire`], [`CircuitBreaker::notices_of_record`],
//! [`CircuitBreaker::notices_of_changes`]) and hands them to its listeners once no
//! borrow of the breaker is held. The kinds are resilience4j's event kinds.

use super::{
    BreakerChange, BreakerChanges, CircuitBreaker, MAX_BREAKER_CHANGES, Outcome, Permit, Rate,
    Reason, Recorded, Rejected, Response, Speed,
};
use crate::time::{Duration, Instant, since};

/// One thing that happened to a breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Notice {
    /// The breaker changed state.
    StateTransition(BreakerChange),
    /// An operator reset the breaker (after its `X -> CLOSED` transition, if any).
    Reset {
        /// When.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        at: Instant,
        /// The breaker's instance number.
        instance: u32,
    },
    /// The failure rate reached its threshold and tripped the breaker.
    FailureRateExceeded {
        /// The rate of the view frozen at the trip.
        rate: Option<Rate>,
        /// When.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        at: Instant,
        /// The breaker's instance number.
        instance: u32,
    },
    /// The slow-call rate reached its threshold and tripped the breaker.
    SlowCallRateExceeded {
        /// The slow-call rate of the view frozen at the trip.
        rate: Option<Rate>,
        /// When.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        at: Instant,
        /// The breaker's instance number.
        instance: u32,
    },
    /// A call was not permitted.
    CallNotPermitted {
        /// Why, and when to retry.
        rejected: Rejected,
        /// When.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        at: Instant,
        /// The breaker's instance number.
        instance: u32,
    },
    /// A success was recorded.
    Success {
        /// How long the call took (from its permit to its record).
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::duration"))]
        elapsed: Duration,
        /// Whether it counted as slow: slower than the slow-call threshold, or judged
        /// slow by the caller (never without a slow-call policy).
        slow: bool,
        /// When.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        at: Instant,
        /// The breaker's instance number.
        instance: u32,
    },
    /// A failure was recorded.
    Error {
        /// How long the call took (from its permit to its record).
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::duration"))]
        elapsed: Duration,
        /// Whether it counted as slow: slower than the slow-call threshold, or judged
        /// slow by the caller (never without a slow-call policy).
        slow: bool,
        /// When.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        at: Instant,
        /// The breaker's instance number.
        instance: u32,
    },
    /// An ignored outcome was recorded (it freed its permit and counted nowhere else).
    Ignored {
        /// When.
        #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
        at: Instant,
        /// The breaker's instance number.
        instance: u32,
    },
}

impl Notice {
    /// A stable snake_case name of the kind (`"state_transition"`, `"reset"`, ...).
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::StateTransition(_) => "state_transition",
            Self::Reset { .. } => "reset",
            Self::FailureRateExceeded { .. } => "failure_rate_exceeded",
            Self::SlowCallRateExceeded { .. } => "slow_call_rate_exceeded",
            Self::CallNotPermitted { .. } => "call_not_permitted",
            Self::Success { .. } => "success",
            Self::Error { .. } => "error",
            Self::Ignored { .. } => "ignored",
        }
    }
}

/// The most notices one call gives rise to: its outcome, a rate exceeded, every state
/// change it made, and a reset.
pub const MAX_NOTICES: usize = MAX_BREAKER_CHANGES + 3;

/// The notices of one call, in the order they happened.
pub type Notices = heapless::Vec<Notice, MAX_NOTICES>;

impl<const W: usize, const B: usize> CircuitBreaker<W, B> {
    /// The notices of a `try_acquire` that answered `response`: the state changes it
    /// made (e.g. OPEN -> HALF_OPEN), then [`Notice::CallNotPermitted`] if it rejected.
    /// A clock-regression refusal changed nothing and gives rise to no notice.
    #[must_use]
    pub fn notices_of_acquire(&self, response: &Response<Result<Permit, Rejected>>) -> Notices {
        let mut notices = self.notices_of_changes(&response.changes);
        if let Err(rejected) = response.value
            && !rejected.is_clock_regression()
        {
            let _ = notices.push(Notice::CallNotPermitted {
                rejected,
                at: self.last_seen(),
                instance: self.instance(),
            });
        }
        notices
    }

    /// The notices of a `record(permit, outcome, ..)` that answered `response`: the
    /// outcome (nothing for a stale, not-recorded or clock-regressed one), a rate exceeded if it tripped
    /// the breaker on a rate, then the state changes.
    #[must_use]
    pub fn notices_of_record(
        &self,
        permit: Permit,
        outcome: Outcome,
        response: &Response<Recorded>,
    ) -> Notices {
        self.notices_of_record_judged(permit, outcome, Speed::Timed, response)
    }

    /// The notices of a `record_judged(permit, outcome, speed, ..)` that answered
    /// `response`: as [`notices_of_record`](Self::notices_of_record), the outcome's
    /// `slow` being the one the breaker counted (`speed`'s verdict, under a slow-call
    /// policy) and `elapsed` the time the breaker measured.
    #[must_use]
    pub fn notices_of_record_judged(
        &self,
        permit: Permit,
        outcome: Outcome,
        speed: Speed,
        response: &Response<Recorded>,
    ) -> Notices {
        let mut notices = Notices::new();
        let (at, instance) = (self.last_seen(), self.instance());
        if response.value == Recorded::Counted {
            let elapsed = since(at, permit.acquired_at());
            let slow = speed.is_slow(self.config().slow_calls.as_ref(), permit.acquired_at(), at);
            let _ = notices.push(match outcome {
                Outcome::Success => Notice::Success {
                    elapsed,
                    slow,
                    at,
                    instance,
                },
                Outcome::Failure => Notice::Error {
                    elapsed,
                    slow,
                    at,
                    instance,
                },
                Outcome::Ignored => Notice::Ignored { at, instance },
            });
        }
        let metrics = self.metrics();
        for change in &response.changes {
            let exceeded = match change.reason {
                Reason::FailureRate => Some(Notice::FailureRateExceeded {
                    rate: metrics.failure_rate,
                    at: change.at,
                    instance,
                }),
                Reason::SlowCallRate => Some(Notice::SlowCallRateExceeded {
                    rate: metrics.slow_call_rate,
                    at: change.at,
                    instance,
                }),
                _ => None,
            };
            if let Some(notice) = exceeded {
                let _ = notices.push(notice);
            }
        }
        for notice in self.notices_of_changes(&response.changes) {
            let _ = notices.push(notice);
        }
        notices
    }

    /// The notices of a call that returned `changes` alone (`poll`, the operator
    /// calls): each state change, then [`Notice::Reset`] if it was a reset.
    #[must_use]
    pub fn notices_of_changes(&self, changes: &BreakerChanges) -> Notices {
        let mut notices: Notices = changes
            .iter()
            .map(|change| Notice::StateTransition(*change))
            .collect();
        if changes.is_reset() {
            let _ = notices.push(Notice::Reset {
                at: self.last_seen(),
                instance: self.instance(),
            });
        }
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{BreakerConfig, BreakerStateKind, CountWindowPolicy};
    use super::*;

    fn kinds(notices: &Notices) -> heapless::Vec<&'static str, MAX_NOTICES> {
        notices.iter().map(Notice::kind).collect()
    }

    #[test]
    fn a_rate_trip_is_heard_as_error_then_rate_exceeded_then_transition() {
        let config = BreakerConfig::failure_rate(50, 4, 2, Duration::from_secs(1));
        let mut b: Breaker = CircuitBreaker::new(config, ms(0)).unwrap();
        let p = b.try_acquire(ms(1)).value.unwrap();
        let r = b.record(p, Outcome::Success, ms(3));
        assert_eq!(
            b.notices_of_record(p, Outcome::Success, &r).as_slice(),
            &[Notice::Success {
                elapsed: Duration::from_millis(2),
                slow: false,
                at: ms(3),
                instance: 0
            }]
        );
        let p = b.try_acquire(ms(4)).value.unwrap();
        let r = b.record(p, Outcome::Failure, ms(5));
        let notices = b.notices_of_record(p, Outcome::Failure, &r);
        assert_eq!(
            kinds(&notices).as_slice(),
            &["error", "failure_rate_exceeded", "state_transition"]
        );
        assert_eq!(
            notices[1],
            Notice::FailureRateExceeded {
                rate: Some(Rate { bad: 1, calls: 2 }),
                at: ms(5),
                instance: 0
            }
        );
        let rejected = b.try_acquire(ms(6));
        assert_eq!(
            b.notices_of_acquire(&rejected).as_slice(),
            &[Notice::CallNotPermitted {
                rejected: Rejected::open(ms(1005)),
                at: ms(6),
                instance: 0
            }]
        );
    }

    #[test]
    fn reset_is_heard_after_the_transition_from_another_state_and_alone_from_closed() {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(1), 1).with_count_window(
            CountWindowPolicy {
                size: 4,
                failure_rate_percent: 100,
                minimum_calls: 4,
            },
        );
        let mut b: Breaker = CircuitBreaker::new(config, ms(0)).unwrap();
        let changes = b.reset(ms(1)).unwrap();
        assert_eq!(
            b.notices_of_changes(&changes).as_slice(),
            &[Notice::Reset {
                at: ms(1),
                instance: 0
            }]
        );
        let _ = b.force_open(ms(2)).unwrap();
        let changes = b.reset(ms(3)).unwrap();
        let notices = b.notices_of_changes(&changes);
        assert_eq!(kinds(&notices).as_slice(), &["state_transition", "reset"]);
        match notices[0] {
            Notice::StateTransition(change) => {
                assert_eq!(
                    (change.from, change.to, change.reason),
                    (
                        BreakerStateKind::ForcedOpen,
                        BreakerStateKind::Closed,
                        Reason::Reset
                    )
                );
            }
            other => panic!("expected a transition, got {other:?}"),
        }
    }

    #[test]
    fn stale_outcomes_are_not_heard() {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(1), 1);
        let mut b: Breaker = CircuitBreaker::new(config, ms(0)).unwrap();
        let p = b.try_acquire(ms(1)).value.unwrap();
        let _ = b.reset(ms(2)).unwrap();
        let r = b.record(p, Outcome::Failure, ms(3));
        assert_eq!(r.value, Recorded::Stale);
        assert!(b.notices_of_record(p, Outcome::Failure, &r).is_empty());
    }

    #[test]
    fn an_outcome_is_heard_as_slow_only_when_it_took_longer_than_the_threshold() {
        // The slow-call rate needs a window; at 10 calls minimum, 3 never trip it.
        let config = BreakerConfig::failure_rate(100, 10, 10, Duration::from_secs(1))
            .with_slow_calls(super::super::SlowCallPolicy {
                threshold: Duration::from_millis(10),
                rate_percent: 100,
            });
        let mut b: Breaker = CircuitBreaker::new(config, ms(0)).unwrap();
        for (start, took, slow) in [(100, 5, false), (200, 10, false), (300, 11, true)] {
            let p = b.try_acquire(ms(start)).value.unwrap();
            let r = b.record(p, Outcome::Success, ms(start + took));
            assert_eq!(
                b.notices_of_record(p, Outcome::Success, &r).as_slice(),
                &[Notice::Success {
                    elapsed: Duration::from_millis(took),
                    slow,
                    at: ms(start + took),
                    instance: 0
                }],
                "a call of {took} ms"
            );
        }
    }
}

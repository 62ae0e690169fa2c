//! The caller's verdict on a finished call: its [`Outcome`] and whether it was slow.

use super::{Outcome, SlowCallPolicy};
use crate::time::{Instant, since};

/// Who decides whether a counted call was slow.
///
/// The slow-call policy ([`SlowCallPolicy`]) counts slow calls and may trip on their
/// rate. By default the breaker times the call itself ([`Speed::Timed`]); a caller that
/// knows better (a response that says it was served from a degraded path, a latency the
/// backend reported, a deadline of its own) gives its verdict instead.
///
/// A verdict counts only where timing would: for a success or a failure (both can be
/// slow; an ignored outcome never is), and only while a slow-call policy is configured.
/// Without one, [`Speed::Slow`] is counted nowhere, as a slow-by-clock call is not: the
/// policy decides *whether* slowness matters, the verdict only *which* calls are slow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Speed {
    /// The breaker's clock decides: slow when the call took strictly longer than the
    /// policy's threshold, from the permit's `acquired_at` to the `now` it is
    /// reported at. What [`CircuitBreaker::record`](super::CircuitBreaker::record) does.
    #[default]
    Timed,
    /// The caller says the call was slow, however long it took.
    Slow,
    /// The caller says the call was not slow, however long it took.
    NotSlow,
}

impl Speed {
    /// Whether a call under a permit acquired at `acquired_at`, reported at `now`,
    /// counts as slow under `policy` (never without one).
    #[inline(always)]
    pub(crate) fn is_slow(
        self,
        policy: Option<&SlowCallPolicy>,
        acquired_at: Instant,
        now: Instant,
    ) -> bool {
        match self {
            Self::Timed => policy.is_some_and(|p| since(now, acquired_at) > p.threshold),
            Self::Slow => policy.is_some(),
            Self::NotSlow => false,
        }
    }

    /// The caller's verdict: `Some(slow)`, or `None` when the clock decides (for code
    /// that times calls on a clock of its own, e.g. a fleet view).
    #[must_use]
    pub const fn judged_slow(self) -> Option<bool> {
        match self {
            Self::Timed => None,
            Self::Slow => Some(true),
            Self::NotSlow => Some(false),
        }
    }

    /// The verdict `Slow` if `slow`, else `NotSlow`.
    #[must_use]
    pub const fn from_slow(slow: bool) -> Self {
        if slow { Self::Slow } else { Self::NotSlow }
    }
}

/// How a call ended and who decides whether it was slow: what a classifier returns and
/// what [`CircuitBreaker::record_judged`](super::CircuitBreaker::record_judged) takes.
///
/// An [`Outcome`] converts into the verdict of a timed call, so code that only tells
/// successes from failures stays as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Verdict {
    /// How the call ended.
    pub outcome: Outcome,
    /// Whether it was slow, or [`Speed::Timed`] to let the breaker's clock decide.
    #[cfg_attr(feature = "serde", serde(default))]
    pub speed: Speed,
}

impl Verdict {
    /// `outcome`, slow as `speed` says.
    #[must_use]
    pub const fn new(outcome: Outcome, speed: Speed) -> Self {
        Self { outcome, speed }
    }

    /// `outcome`, timed by the breaker's clock.
    #[must_use]
    pub const fn timed(outcome: Outcome) -> Self {
        Self::new(outcome, Speed::Timed)
    }

    /// `outcome`, slow whatever it took.
    #[must_use]
    pub const fn slow(outcome: Outcome) -> Self {
        Self::new(outcome, Speed::Slow)
    }

    /// `outcome`, not slow whatever it took.
    #[must_use]
    pub const fn not_slow(outcome: Outcome) -> Self {
        Self::new(outcome, Speed::NotSlow)
    }
}

impl From<Outcome> for Verdict {
    #[inline]
    fn from(outcome: Outcome) -> Self {
        Self::timed(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Duration;

    const POLICY: SlowCallPolicy = SlowCallPolicy {
        threshold: Duration::from_millis(10),
        rate_percent: 50,
    };

    #[test]
    fn a_verdict_decides_slowness_only_under_a_slow_call_policy() {
        let (start, quick, long) = (
            Instant::from_millis(0),
            Instant::from_millis(10),
            Instant::from_millis(11),
        );
        assert!(!Speed::Timed.is_slow(Some(&POLICY), start, quick));
        assert!(Speed::Timed.is_slow(Some(&POLICY), start, long));
        assert!(Speed::Slow.is_slow(Some(&POLICY), start, quick));
        assert!(!Speed::NotSlow.is_slow(Some(&POLICY), start, long));
        for speed in [Speed::Timed, Speed::Slow, Speed::NotSlow] {
            assert!(
                !speed.is_slow(None, start, long),
                "{speed:?} without a policy"
            );
        }
    }

    #[test]
    fn an_outcome_converts_into_a_timed_verdict() {
        assert_eq!(
            Verdict::from(Outcome::Failure),
            Verdict::new(Outcome::Failure, Speed::Timed)
        );
        assert_eq!(Speed::from_slow(true), Speed::Slow);
        assert_eq!(Speed::from_slow(false), Speed::NotSlow);
        assert_eq!(Speed::Timed.judged_slow(), None);
        assert_eq!(Speed::Slow.judged_slow(), Some(true));
        assert_eq!(Speed::NotSlow.judged_slow(), Some(false));
    }

    use crate::breaker::in_net::Report;
    use crate::breaker::{
        BreakerBank, BreakerConfig, BreakerEvent, BreakerStateKind, CircuitBreaker,
        CountWindowPolicy, HalfOpenPolicy, Notice, Permit, Reason, Recorded,
    };
    use crate::embed::Binding;

    type Breaker = CircuitBreaker<4, 10>;

    fn ms(v: u64) -> Instant {
        Instant::from_millis(v)
    }

    /// Trips only on the slow-call rate: at least half of 4 calls slower than 10 ms.
    fn slow_rate_only() -> BreakerConfig {
        BreakerConfig::consecutive(1, Duration::from_secs(1), 1)
            .with_consecutive_failures(None)
            .with_count_window(CountWindowPolicy {
                size: 4,
                failure_rate_percent: 100,
                minimum_calls: 4,
            })
            .with_slow_calls(POLICY)
    }

    /// Four successes, each taking `took` ms and judged `speed`: the breaker's state
    /// after them, its slow counter and the last answer's trip reason.
    fn four_successes(
        config: BreakerConfig,
        took: u64,
        speed: Speed,
    ) -> (BreakerStateKind, u64, Option<Reason>) {
        let mut b: Breaker = CircuitBreaker::new(config, ms(0)).unwrap();
        let mut reason = None;
        for i in 0..4 {
            let start = ms(i * 100);
            let p = b.try_acquire(start).value.unwrap();
            let r = b.record_judged(p, Outcome::Success, speed, ms(i * 100 + took));
            assert_eq!(r.value, Recorded::Counted);
            reason = r.changes.last().map(|c| c.reason).or(reason);
        }
        (b.state(), b.metrics().slow, reason)
    }

    #[test]
    fn quick_successes_judged_slow_trip_a_slow_call_rate_timing_alone_would_not() {
        assert_eq!(
            four_successes(slow_rate_only(), 1, Speed::Timed),
            (BreakerStateKind::Closed, 0, None),
            "timed: 1 ms is quick"
        );
        assert_eq!(
            four_successes(slow_rate_only(), 1, Speed::Slow),
            (BreakerStateKind::Open, 4, Some(Reason::SlowCallRate))
        );
    }

    #[test]
    fn slow_by_clock_successes_judged_not_slow_do_not_trip() {
        assert_eq!(
            four_successes(slow_rate_only(), 50, Speed::Timed),
            (BreakerStateKind::Open, 4, Some(Reason::SlowCallRate)),
            "timed: 50 ms is slow"
        );
        assert_eq!(
            four_successes(slow_rate_only(), 50, Speed::NotSlow),
            (BreakerStateKind::Closed, 0, None)
        );
    }

    #[test]
    fn a_slow_verdict_counts_nowhere_without_a_slow_call_policy() {
        let mut config = slow_rate_only();
        config.slow_calls = None;
        assert_eq!(
            four_successes(config, 1, Speed::Slow),
            (BreakerStateKind::Closed, 0, None)
        );
    }

    #[test]
    fn a_failure_judged_slow_is_counted_slow_and_an_ignored_one_never_is() {
        let mut b: Breaker = CircuitBreaker::new(slow_rate_only(), ms(0)).unwrap();
        let p = b.try_acquire(ms(0)).value.unwrap();
        let r = b.record_judged(p, Outcome::Failure, Speed::Slow, ms(1));
        assert!(matches!(
            b.notices_of_record_judged(p, Outcome::Failure, Speed::Slow, &r)
                .as_slice()[0],
            Notice::Error { slow: true, .. }
        ));
        let p = b.try_acquire(ms(2)).value.unwrap();
        let r = b.record_judged(p, Outcome::Ignored, Speed::Slow, ms(3));
        assert_eq!(r.value, Recorded::Counted);
        let m = b.metrics();
        assert_eq!((m.failures, m.ignored, m.slow), (1, 1, 1));
    }

    #[test]
    fn a_probe_judged_slow_reopens_a_breaker_closing_by_rate() {
        let config = slow_rate_only()
            .with_consecutive_failures(Some(1))
            .with_half_open(HalfOpenPolicy::by_rate(1));
        for (speed, after) in [
            (Speed::Timed, BreakerStateKind::Closed),
            (Speed::Slow, BreakerStateKind::Open),
        ] {
            let mut b: Breaker = CircuitBreaker::new(config, ms(0)).unwrap();
            let p = b.try_acquire(ms(0)).value.unwrap();
            let _ = b.record(p, Outcome::Failure, ms(0));
            let probe = b.try_acquire(ms(1000)).value.unwrap();
            assert!(probe.is_probe());
            let _ = b.record_judged(probe, Outcome::Success, speed, ms(1001));
            assert_eq!(b.state(), after, "{speed:?}");
        }
    }

    #[test]
    fn a_bank_records_the_verdict_of_its_key() {
        let mut bank: BreakerBank<u8, 2, 4, 10> = BreakerBank::new(slow_rate_only()).unwrap();
        for i in 0..4 {
            let p = bank.try_acquire(7, ms(i)).unwrap().value.unwrap();
            let _ = bank
                .record_judged(7, p, Outcome::Success, Speed::Slow, ms(i))
                .unwrap();
        }
        assert_eq!(bank.get(&7).unwrap().state(), BreakerStateKind::Open);
    }

    #[derive(Clone, Copy)]
    struct Call {
        permit: Permit,
        slow: bool,
    }

    #[test]
    fn a_report_binding_carries_a_token_verdict_into_the_record_event() {
        let mut b: Breaker = CircuitBreaker::new(slow_rate_only(), ms(0)).unwrap();
        let permit = b.try_acquire(ms(0)).value.unwrap();
        let judged: Report<Call, Verdict> = Report {
            done: crate::net::PlaceId::new(0),
            outcome: |c| {
                Some((
                    c.permit,
                    Verdict::new(Outcome::Success, Speed::from_slow(c.slow)),
                ))
            },
        };
        let timed: Report<Call> = Report {
            done: crate::net::PlaceId::new(0),
            outcome: |c| Some((c.permit, Outcome::Success)),
        };
        let call = Call { permit, slow: true };
        let event = |speed| BreakerEvent::Record {
            permit,
            outcome: Outcome::Success,
            speed,
        };
        assert_eq!(
            Binding::<Call, crate::breaker::BreakerMachine<4, 10>>::event(&judged, &call),
            Some(event(Speed::Slow))
        );
        assert_eq!(
            Binding::<Call, crate::breaker::BreakerMachine<4, 10>>::event(&timed, &call),
            Some(event(Speed::Timed))
        );
    }
}

//! Request generators: a fixed schedule, a constant rate, and bursts.

use crate::scenario::{Pattern, Traffic};
use mycel::time::Instant;

/// The arrivals of one [`Traffic`] generator, produced lazily in time order so an
/// hour of traffic never sits in memory at once.
#[derive(Debug, Clone)]
pub struct Arrivals {
    pattern: Pattern,
    /// Requests produced so far.
    produced: u64,
}

impl Arrivals {
    /// The arrivals of `traffic`.
    #[must_use]
    pub fn new(traffic: &Traffic) -> Self {
        Self {
            pattern: traffic.pattern.clone(),
            produced: 0,
        }
    }

    /// The instant of the `n`-th request (from 0), or `None` past the last one.
    fn arrival(&self, n: u64) -> Option<Instant> {
        match &self.pattern {
            Pattern::Schedule(at) => usize::try_from(n).ok().and_then(|i| at.get(i)).copied(),
            Pattern::Constant { every, from, until } => {
                let at = from
                    .as_ticks()
                    .checked_add(every.as_ticks().checked_mul(n)?)?;
                (at < until.as_ticks()).then(|| Instant::from_ticks(at))
            }
            Pattern::Burst {
                count,
                spread,
                from,
                every,
                until,
            } => {
                let count = u64::from(*count);
                let (burst, within) = (n / count, n % count);
                let start = match every {
                    Some(every) => every.as_ticks().checked_mul(burst)?,
                    None if burst == 0 => 0,
                    None => return None,
                };
                // Requests are spread evenly: the j-th of a burst at spread * j / count.
                let offset = u64::try_from(
                    u128::from(spread.as_ticks()) * u128::from(within) / u128::from(count),
                )
                .ok()?;
                let at = from.as_ticks().checked_add(start)?.checked_add(offset)?;
                (at < until.as_ticks()).then(|| Instant::from_ticks(at))
            }
        }
    }
}

impl Iterator for Arrivals {
    type Item = Instant;

    fn next(&mut self) -> Option<Instant> {
        let at = self.arrival(self.produced)?;
        self.produced = self.produced.saturating_add(1);
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mycel::time::Duration;

    fn ms(v: u64) -> Instant {
        Instant::from_millis(v)
    }

    fn arrivals(pattern: Pattern) -> Vec<u64> {
        Arrivals::new(&Traffic {
            service: 0,
            pattern,
        })
        .map(|i| i.as_millis())
        .collect()
    }

    #[test]
    fn a_schedule_arrives_exactly_at_its_instants() {
        assert_eq!(
            arrivals(Pattern::Schedule(vec![ms(1), ms(1), ms(7)])),
            vec![1, 1, 7]
        );
    }

    #[test]
    fn a_constant_rate_starts_at_from_and_stops_before_until() {
        let p = Pattern::Constant {
            every: Duration::from_millis(250),
            from: ms(100),
            until: ms(1100),
        };
        assert_eq!(arrivals(p), vec![100, 350, 600, 850]);
    }

    #[test]
    fn a_burst_spreads_its_requests_evenly_and_repeats_every_period() {
        let p = Pattern::Burst {
            count: 4,
            spread: Duration::from_millis(100),
            from: ms(1000),
            every: Some(Duration::from_millis(1000)),
            until: ms(2050),
        };
        assert_eq!(arrivals(p), vec![1000, 1025, 1050, 1075, 2000, 2025]);
    }

    #[test]
    fn a_burst_without_period_happens_once_and_zero_spread_means_all_at_once() {
        let p = Pattern::Burst {
            count: 3,
            spread: Duration::from_ticks(0),
            from: ms(5),
            every: None,
            until: ms(10_000),
        };
        assert_eq!(arrivals(p), vec![5, 5, 5]);
    }
}

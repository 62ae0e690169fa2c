//! The breaker's invariants, checked after every call of long seeded random walks.
//!
//! OPEN and FORCED_OPEN never permit; CLOSED never rejects; HALF_OPEN never has more
//! than P permits outstanding; state changes follow only the table's edges; a stale
//! outcome never changes state; OPEN never ends before its period; counters never
//! decrease; the generation moves exactly once per change and per reset while CLOSED.

use super::*;
use crate::fsm::Machine;
use crate::time::{Duration, Instant};

type Breaker = CircuitBreaker<2, 8>;
type M = BreakerMachine<2, 8>;

/// xorshift64*, so the walks are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn configs() -> [BreakerConfig; 4] {
    let second = Duration::from_secs(1);
    [
        BreakerConfig::consecutive(3, Duration::from_secs(5), 2),
        BreakerConfig::failure_rate(50, 20, 5, second)
            .with_slow_calls(SlowCallPolicy {
                threshold: Duration::from_millis(300),
                rate_percent: 60,
            })
            .with_time_window(TimeWindowPolicy {
                bucket_width: Duration::from_millis(500),
                buckets: 8,
                failure_rate_percent: 70,
                minimum_calls: 4,
            })
            .with_open(
                OpenPolicy::exponential(second, 150, Duration::from_secs(20)).with_jitter(30, 9),
            ),
        BreakerConfig::failure_rate(40, 64, 64, second)
            .with_consecutive_failures(Some(4))
            .with_half_open(
                HalfOpenPolicy::by_rate(3)
                    .with_max_wait(Duration::from_millis(1500), MaxWaitAction::Repermit),
            ),
        BreakerConfig::consecutive(2, second, 2)
            .with_consecutive_failures(None)
            .with_time_window(TimeWindowPolicy {
                bucket_width: Duration::from_millis(200),
                buckets: 5,
                failure_rate_percent: 50,
                minimum_calls: 3,
            })
            .with_open(OpenPolicy::exponential(
                second,
                200,
                Duration::from_secs(30),
            ))
            .with_half_open(
                HalfOpenPolicy::after_successes(2, 2)
                    .with_max_wait(Duration::from_secs(2), MaxWaitAction::Reopen),
            ),
    ]
}

#[derive(Debug, Clone, Copy)]
enum Call {
    Acquire,
    Record,
    Poll,
    Operator(u64),
}

struct Walk {
    b: Breaker,
    now: Instant,
    held: heapless::Vec<Permit, 16>,
    before: Metrics,
    open: Option<(Instant, Duration)>,
}

impl Walk {
    fn check_changes(&mut self, changes: &BreakerChanges, generation_before: u32, extra_bump: u32) {
        for c in changes.iter().map(|c| c.to_state_change()) {
            assert!(
                M::TABLE.allows(c.from.name, c.to.name),
                "{} -> {}",
                c.from,
                c.to
            );
            assert!(
                c.at <= self.b.last_seen(),
                "a change is never in the future"
            );
            // (An OPEN entered and left within this same call was never observed.)
            if let (Some((opened_at, period)), "OPEN", "timeout") =
                (self.open, c.from.name, c.cause.name)
            {
                assert_eq!(
                    c.at,
                    crate::time::add(opened_at, period),
                    "OPEN ends at its period"
                );
            }
            if c.to == "OPEN" {
                self.open = None;
            }
        }
        let moved = u32::try_from(changes.len()).unwrap() + extra_bump;
        assert_eq!(self.b.generation(), generation_before.wrapping_add(moved));
        if let BreakerState::Open { opened_at, period } = self.b.state_detail() {
            if self.open.is_none() {
                self.open = Some((opened_at, period));
            }
        } else {
            self.open = None;
        }
    }

    fn check_state(&self) {
        if let BreakerState::HalfOpen { outstanding, .. } = self.b.state_detail() {
            assert!(outstanding <= self.b.config().half_open.max_permits);
        }
        if self.b.next_deadline().is_some() {
            assert!(matches!(
                self.b.state(),
                BreakerStateKind::Open | BreakerStateKind::HalfOpen
            ));
        }
        let (was, is) = (self.before, self.b.metrics());
        for (a, b) in [
            (was.permitted, is.permitted),
            (was.rejected, is.rejected),
            (was.successes, is.successes),
            (was.failures, is.failures),
            (was.ignored, is.ignored),
            (was.slow, is.slow),
            (was.stale, is.stale),
            (was.state_changes, is.state_changes),
        ] {
            assert!(b >= a, "counters never decrease");
        }
    }

    fn step(&mut self, rng: &mut Rng) {
        let call = match rng.below(100) {
            0..=39 => Call::Acquire,
            40..=79 => Call::Record,
            80..=83 => Call::Poll,
            84..=86 => Call::Operator(rng.below(4)),
            _ => {
                // Mostly forward, sometimes backwards (a clock regression).
                let ms = rng.below(1200);
                self.now = if rng.below(30) == 0 {
                    Instant::from_ticks(self.now.as_ticks().saturating_sub(ms * 1000))
                } else {
                    crate::time::add(self.now, Duration::from_millis(ms))
                };
                return;
            }
        };
        let generation = self.b.generation();
        let was_closed = self.b.state() == BreakerStateKind::Closed;
        let before = self.b.clone();
        let regressed = self.now < self.b.last_seen();
        match call {
            Call::Acquire => {
                let r = self.b.try_acquire(self.now);
                self.check_changes(&r.changes, generation, 0);
                let state = self.b.state();
                match r.value {
                    Ok(permit) => {
                        assert!(!matches!(
                            state,
                            BreakerStateKind::Open | BreakerStateKind::ForcedOpen
                        ));
                        if self.held.push(permit).is_err() {
                            self.held.remove(0);
                        }
                    }
                    Err(rejected) if rejected.is_clock_regression() => {
                        assert!(regressed);
                        assert_eq!(rejected.retry_at, Some(before.last_seen()));
                        assert_eq!(self.b, before, "a regressed call changes nothing");
                        assert!(r.changes.is_empty());
                    }
                    Err(rejected) => {
                        assert!(!regressed);
                        assert!(matches!(
                            state,
                            BreakerStateKind::Open
                                | BreakerStateKind::ForcedOpen
                                | BreakerStateKind::HalfOpen
                        ));
                        if rejected.reason == RejectReason::HalfOpenFull {
                            assert_eq!(
                                self.b.outstanding_permits(),
                                u32::from(self.b.config().half_open.max_permits)
                            );
                        }
                    }
                }
            }
            Call::Record => {
                if self.held.is_empty() {
                    return;
                }
                let i = rng.below(self.held.len() as u64) as usize;
                let permit = self.held.remove(i);
                let outcome = match rng.below(10) {
                    0..=4 => Outcome::Success,
                    5..=8 => Outcome::Failure,
                    _ => Outcome::Ignored,
                };
                // Let some calls take a while, for the slow-call policy.
                let end = crate::time::add(self.now, Duration::from_millis(rng.below(500)));
                self.now = end;
                let regressed = end < self.b.last_seen();
                let r = self.b.record(permit, outcome, end);
                self.check_changes(&r.changes, generation, 0);
                if r.value == Recorded::ClockRegression {
                    assert!(regressed);
                    assert_eq!(self.b.last_seen(), before.last_seen());
                    assert_eq!(self.b, before, "a regressed report changes nothing");
                    // Still outstanding: it may be reported again later.
                    let _ = self.held.push(permit);
                } else {
                    assert!(!regressed);
                }
                if r.value == Recorded::Stale {
                    assert!(
                        r.changes
                            .iter()
                            .all(|c| matches!(c.reason.as_str(), "timeout" | "max_wait")),
                        "a stale outcome never changes state"
                    );
                }
            }
            Call::Poll => match self.b.poll(self.now) {
                Ok(changes) => self.check_changes(&changes, generation, 0),
                Err(_) => {
                    assert!(regressed);
                    assert_eq!(self.b, before, "a regressed poll changes nothing");
                }
            },
            Call::Operator(which) => {
                let changes = match which {
                    0 => self.b.force_open(self.now),
                    1 => self.b.disable(self.now),
                    2 => self.b.metrics_only(self.now),
                    _ => self.b.reset(self.now),
                };
                let bump = u32::from(which == 3 && was_closed);
                match changes {
                    Ok(changes) => self.check_changes(&changes, generation, bump),
                    Err(_) => {
                        assert!(regressed);
                        assert_eq!(self.b, before, "a regressed operator call changes nothing");
                    }
                }
            }
        }
        self.check_state();
        self.before = self.b.metrics();
    }
}

#[test]
fn invariants_hold_after_every_call_of_seeded_random_walks() {
    // Miri runs this about ten thousand times slower than a native build (the full
    // size took minutes there): under it, two walks of 500 calls per configuration, a
    // twentieth of the work (about 25 s), which still visit every state, and reach
    // HALF_OPEN in every configuration but the first.
    let (seeds, calls): (u64, usize) = if cfg!(miri) { (2, 500) } else { (4, 5000) };
    let mut visited = [0u32; 6];
    for (n, config) in configs().into_iter().enumerate() {
        for seed in 1..=seeds {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n as u64);
            let b = Breaker::new(config, Instant::from_ticks(0)).unwrap();
            let before = b.metrics();
            let mut walk = Walk {
                b,
                now: Instant::from_ticks(0),
                held: heapless::Vec::new(),
                before,
                open: None,
            };
            for _ in 0..calls {
                walk.step(&mut rng);
                let kind = walk.b.state();
                let index = BreakerStateKind::ALL
                    .iter()
                    .position(|k| *k == kind)
                    .unwrap();
                visited[index] += 1;
            }
        }
    }
    assert!(
        visited.iter().all(|v| *v > 0),
        "every state visited: {visited:?}"
    );
}

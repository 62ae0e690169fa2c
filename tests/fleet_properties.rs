//! The fleet view's merge is a join (commutative, associative, idempotent), a stale
//! remote view never moves a view backwards, and a fleet whose instances share every
//! outcome decides exactly what one breaker fed the same outcomes decides. The
//! semantics are `docs/distributed.md`.

use mycel::breaker::{
    BreakerConfig, CircuitBreaker, FleetAdmission, FleetEntry, FleetPhase, FleetState, FleetView,
    HalfOpenPolicy, OpenPolicy, Outcome, TimeWindowPolicy,
};
use mycel::time::{Duration, Instant};
use mycel_check::proptest_config::config;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

const REGRESSIONS: &str = "tests/proptest-regressions/fleet_properties.txt";

/// Small enough that random views overflow it, so truncation is exercised.
const SMALL: usize = 8;
/// Room for every entry of the fleet runs below (3 instances, a few buckets).
const ROOMY: usize = 64;

type Small = FleetView<SMALL>;

fn phase() -> impl Strategy<Value = FleetPhase> {
    prop_oneof![
        Just(FleetPhase::Closed),
        (0u64..50, 1u64..20).prop_map(|(at, p)| FleetPhase::Open {
            opened_at: Duration::from_ticks(at),
            period: Duration::from_ticks(p),
        }),
        (0u64..50, 1u64..20).prop_map(|(at, p)| FleetPhase::HalfOpen {
            since: Duration::from_ticks(at),
            last_period: Duration::from_ticks(p),
        }),
    ]
}

fn entry_counts() -> impl Strategy<Value = (u32, u32, u32, u32, u32)> {
    (0u32..20, 0u32..20, 0u32..20, 0u32..5, 0u32..5)
        .prop_map(|(calls, f, s, i, r)| (calls, f.min(calls), s.min(calls), i, r))
}

/// Any view a fleet could hold: a few epochs, any phase, entries of 4 instances over
/// 6 buckets (more than `SMALL` fit).
fn view() -> impl Strategy<Value = Small> {
    (
        0u64..3,
        phase(),
        0u32..4,
        btree_map((0u32..4, 0u64..6), entry_counts(), 0..12),
    )
        .prop_map(|(epoch, phase, openings, map)| {
            let entries: Vec<FleetEntry> = map
                .into_iter()
                .map(
                    |((instance, bucket), (calls, failures, slow, issued, reported))| FleetEntry {
                        instance,
                        bucket,
                        calls,
                        failures,
                        slow,
                        probes_issued: issued,
                        probes_reported: reported,
                    },
                )
                .collect();
            let state = FleetState {
                epoch,
                phase,
                openings,
            };
            // More entries than fit are merged in, truncating, as a store read would not.
            let mut view = Small::from_parts(state, &[]).expect("generated states are possible");
            for e in &entries {
                view.merge_entry(epoch, e);
            }
            view
        })
}

fn merged(a: &Small, b: &Small) -> Small {
    let mut m = a.clone();
    m.merge(b);
    m
}

/// A time-window breaker without jitter: the policies a fleet shares.
fn fleet_config() -> impl Strategy<Value = BreakerConfig> {
    (
        1u64..8,
        1u32..=4,
        1u8..=100,
        1u32..6,
        (1u64..30, 100u32..=300, 1u64..4),
        (1u16..=3, 1u16..=3, any::<bool>()),
    )
        .prop_map(
            |(
                width,
                buckets,
                percent,
                minimum,
                (base, multiplier, cap_factor),
                (p, s, by_rate),
            )| {
                let mut config = BreakerConfig::consecutive(1, Duration::from_ticks(base), 1);
                config.consecutive_failures = None;
                config.time_window = Some(TimeWindowPolicy {
                    bucket_width: Duration::from_ticks(width),
                    buckets,
                    failure_rate_percent: percent,
                    minimum_calls: minimum,
                });
                config.open = OpenPolicy {
                    base: Duration::from_ticks(base),
                    multiplier_percent: multiplier,
                    cap: Duration::from_ticks(base * cap_factor),
                    jitter_percent: 0,
                    seed: 0,
                };
                config.half_open = if by_rate {
                    HalfOpenPolicy::by_rate(p)
                } else {
                    HalfOpenPolicy::after_successes(p, s.min(p))
                };
                config
            },
        )
}

/// One call: which instance makes it, how it ends, and how long after the previous one.
fn calls() -> impl Strategy<Value = Vec<(usize, Outcome, u64)>> {
    let outcome = prop_oneof![
        4 => Just(Outcome::Success),
        4 => Just(Outcome::Failure),
        1 => Just(Outcome::Ignored),
    ];
    vec((0usize..3, outcome, 0u64..6), 0..120)
}

/// Full sync: every instance holds the join of every instance's view.
fn sync_all(views: &mut [FleetView<ROOMY>]) {
    let mut join = FleetView::new();
    for v in views.iter() {
        join.merge(v);
    }
    for v in views.iter_mut() {
        *v = join.clone();
    }
}

/// Applies what time calls for at `now` (before a call), or also what outcomes call for
/// (after one); a proposal from the instance's own current epoch always applies.
fn settle(view: &mut FleetView<ROOMY>, config: &BreakerConfig, now: Duration, outcomes: bool) {
    loop {
        let proposal = if outcomes {
            view.evaluate(config, now)
        } else {
            view.due(config, now)
        };
        let Some(p) = proposal else { return };
        view.apply(&p)
            .expect("a proposal from the view's own epoch applies");
    }
}

proptest! {
    #![proptest_config(config(256, REGRESSIONS))]

    #[test]
    fn merge_is_commutative(a in view(), b in view()) {
        prop_assert_eq!(merged(&a, &b), merged(&b, &a));
    }

    #[test]
    fn merge_is_associative(a in view(), b in view(), c in view()) {
        prop_assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
    }

    #[test]
    fn merge_is_idempotent(a in view(), b in view()) {
        prop_assert_eq!(merged(&a, &a), a.clone());
        let ab = merged(&a, &b);
        prop_assert_eq!(merged(&ab, &b), ab.clone());
        prop_assert_eq!(merged(&ab, &a), ab);
    }

    #[test]
    fn merge_never_lowers_the_epoch_or_the_state_order(a in view(), b in view()) {
        let m = merged(&a, &b);
        prop_assert!(m.state().order_key() >= a.state().order_key());
        prop_assert!(m.state().epoch >= b.state().epoch);
    }

    #[test]
    fn a_fleet_fully_synced_after_each_call_decides_what_one_breaker_fed_the_same_calls_decides(
        config in fleet_config(),
        calls in calls(),
    ) {
        let mut one: CircuitBreaker<1, 4> =
            CircuitBreaker::new(config, Instant::from_ticks(0)).expect("valid config");
        let mut fleet = [FleetView::<ROOMY>::new(), FleetView::new(), FleetView::new()];
        let mut t = 0u64;
        for (i, (instance, outcome, dt)) in calls.into_iter().enumerate() {
            t += dt;
            let now = Duration::from_ticks(t);
            let at = Instant::from_ticks(t);
            if let Ok(permit) = one.try_acquire(at).value {
                let _ = one.record(permit, outcome, at);
            }
            let view = &mut fleet[instance];
            settle(view, &config, now, false);
            let admission = view.admit(instance as u32, &config, now);
            if !matches!(admission, FleetAdmission::Rejected { .. }) {
                let probe = admission == FleetAdmission::Probe;
                prop_assert!(view.record(instance as u32, &config, now, probe, outcome, false));
                settle(view, &config, now, outcome != Outcome::Ignored);
            }
            sync_all(&mut fleet);
            let view = &fleet[0];
            prop_assert_eq!(view.kind(), one.state(), "after call {}", i);
            if view.kind() != mycel::breaker::BreakerStateKind::Open {
                prop_assert_eq!(view.window(&config, now), one.metrics().window, "after call {}", i);
            }
        }
    }

    #[test]
    fn a_fleet_reaches_the_same_view_whatever_order_its_instances_sync_in(
        config in fleet_config(),
        calls in calls(),
        order in Just([0usize, 1, 2]).prop_shuffle(),
    ) {
        // Each instance records its calls without syncing, then the views are merged
        // in a shuffled order and in the natural order: same result.
        let mut fleet = [FleetView::<ROOMY>::new(), FleetView::new(), FleetView::new()];
        let mut t = 0u64;
        for (instance, outcome, dt) in calls {
            t += dt;
            let now = Duration::from_ticks(t);
            let view = &mut fleet[instance];
            if view.admit(instance as u32, &config, now) == FleetAdmission::Call {
                view.record(instance as u32, &config, now, false, outcome, false);
            }
        }
        let mut natural = FleetView::<ROOMY>::new();
        for v in &fleet {
            natural.merge(v);
        }
        let mut shuffled = FleetView::<ROOMY>::new();
        for &i in &order {
            shuffled.merge(&fleet[i]);
            shuffled.merge(&fleet[i]);
        }
        prop_assert_eq!(natural, shuffled);
    }

    #[test]
    fn a_stale_remote_view_never_moves_a_view_backwards(
        config in fleet_config(),
        calls in calls(),
        pick in any::<prop::sample::Index>(),
    ) {
        let mut fleet = [FleetView::<ROOMY>::new(), FleetView::new(), FleetView::new()];
        let mut history = vec![fleet[0].clone()];
        let mut t = 0u64;
        for (instance, outcome, dt) in calls {
            t += dt;
            let now = Duration::from_ticks(t);
            let view = &mut fleet[instance];
            settle(view, &config, now, false);
            match view.admit(instance as u32, &config, now) {
                FleetAdmission::Rejected { .. } => {}
                admission => {
                    let probe = admission == FleetAdmission::Probe;
                    view.record(instance as u32, &config, now, probe, outcome, false);
                    settle(view, &config, now, outcome != Outcome::Ignored);
                }
            }
            sync_all(&mut fleet);
            history.push(fleet[0].clone());
        }
        let stale = pick.get(&history);
        let before = fleet[1].clone();
        prop_assert!(!fleet[1].merge(stale));
        prop_assert_eq!(&fleet[1], &before);
    }
}

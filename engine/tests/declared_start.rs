//! A declared net's initial running state, computed while compiling, is exactly the
//! one the engine computes at run time, whichever ready set the net uses; and a net
//! that starts idle without machines can be a `const` (a static of it needs no code).

use mycel::net::{Declared, Heads, ReadySet, StructureStore};
use mycel::sched::{Net, Passthrough};
use mycel::time::Instant;

/// The same net as `net`'s, made by the engine's run-time constructor.
fn built_at_run_time<C, const P: usize, const T: usize, const A: usize, const K: usize, R, N>(
    _net: &Net<C, P, T, A, K, R, Declared<N>>,
) -> Net<C, P, T, A, K, R, Declared<N>>
where
    R: ReadySet,
    Declared<N>: StructureStore<C, P, T, A, K>,
{
    Net::__declared_with(Declared::new())
}

/// The whole state of a net, every field, as its `Debug` prints it.
fn state<T: core::fmt::Debug>(net: &T) -> String {
    format!("{net:?}")
}

fn even_head(heads: &Heads<'_, u32>) -> bool {
    heads.get(0).is_some_and(|t| t % 2 == 0)
}

mycel::net! {
    /// Straight-line (a rank set), with priorities out of declaration order, a guard,
    /// a delay, read, inhibitor and error arcs; every transition needs a token.
    #[straight_line]
    pub net Ranked: u32 {
        places { a: 4, b: 3, c: 2, gate: 1, err: 3 }
        transitions {
            split [priority = 2]: a * 2 -> b + c,
            join: b + c -> a * 2,
            gated [guard = even_head, priority = 5]: b + ?gate -> c,
            slow [delay = 3ms]: c + !gate -> a,
            check [error = err, priority = 1]: a -> b,
            drain [sink]: err -> (),
        }
    }
}

mycel::net! {
    /// Round-robin (an indexed heap); every transition needs a token.
    #[round_robin]
    pub net Turns: u32 {
        places { a: 2, b: 2 }
        transitions {
            left: a -> b,
            right: a -> b,
            home [priority = 3]: b -> a,
        }
    }
}

mycel::net! {
    /// A source is enabled by the empty marking: no constant start, its first
    /// scheduling happens at run time.
    pub net Spring: u32 {
        places { out: 2 }
        transitions {
            spawn [source]: !out * 2 -> out,
            drain [sink]: out -> (),
        }
    }
}

/// Made while compiling: `new` is a `const fn` for a net that starts idle.
const RANKED: Ranked = Ranked::new();
/// Made while compiling, with an indexed heap.
static TURNS: Turns = Turns::new();

#[test]
fn constant_start_of_a_ranked_net_equals_the_run_time_start() {
    let net = Ranked::new();
    assert_eq!(state(net.as_net()), state(&built_at_run_time(net.as_net())));
    assert_eq!(state(RANKED.as_net()), state(net.as_net()));
}

#[test]
fn constant_start_of_a_round_robin_net_equals_the_run_time_start() {
    let net = Turns::new();
    assert_eq!(state(net.as_net()), state(&built_at_run_time(net.as_net())));
    assert_eq!(state(TURNS.as_net()), state(net.as_net()));
}

#[test]
fn net_enabled_at_start_is_scheduled_at_run_time_as_before() {
    let net = Spring::new();
    assert_eq!(state(net.as_net()), state(&built_at_run_time(net.as_net())));
    assert!(net.as_net().is_enabled(Spring::TRANSITIONS.spawn.id()));
}

#[test]
fn constant_started_net_runs_in_lockstep_with_the_run_time_started_one() {
    // Not straight-line, so both run the same interpreter and any difference is the
    // start's.
    let mut constant = Turns::new();
    let mut built = built_at_run_time(constant.as_net());
    let p = Turns::PLACES;
    for (i, token) in [2u32, 4, 7, 8, 3, 6].into_iter().enumerate() {
        let now = Instant::from_ticks(i as u64 * 1000);
        let a = constant.inject(p.a, token, now).is_ok();
        let b = built.inject(p.a.id(), token, now).is_ok();
        assert_eq!(a, b);
        let a = constant.run(now, 3, &mut Passthrough);
        let b = built.run(now, 3, &mut Passthrough);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(state(constant.as_net()), state(&built));
    }
    assert!(built.counters().firings > 0, "the runs fired");
}

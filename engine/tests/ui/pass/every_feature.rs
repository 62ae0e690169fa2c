//! One net with every kind of declaration `net!` takes; it must compile and build.
use mycel::sched::Passthrough;
use mycel::time::{Duration, Instant};

fn positive(heads: &mycel::net::Heads<'_, i32>) -> bool {
    heads.get(0).is_some_and(|&v| v > 0)
}

mycel::net! {
    /// Every option and arc kind.
    #[round_robin]
    #[pool(64)]
    #[derive(Clone)]
    pub net Everything: i32 {
        places {
            /// Where values arrive.
            arrivals: 4,
            checked: 4,
            bad: 2,
            config: 1,
            paused: 1,
            out: 8,
        }
        transitions {
            arrive [source]: () -> arrivals,
            check [guard = positive, error = bad, priority = 3]: arrivals -> checked,
            forward [delay = 250us]: checked + ?config + !paused * 1 -> out * 2,
            slow [delay = Duration::from_millis(2)]: bad -> out,
            drain [sink]: out * 2 -> (),
        }
    }
}

fn main() {
    let mut net = Everything::new();
    assert_eq!(Everything::PLACE_COUNT, 6);
    assert_eq!(Everything::TRANSITION_COUNT, 5);
    assert_eq!(Everything::ARC_COUNT, 11);
    assert_eq!(Everything::POOL_SLOTS, 64);
    let p = net.places();
    net.inject(p.config, 0, Instant::from_ticks(0)).unwrap();
    let _ = net.run(Instant::from_ticks(0), 4, &mut Passthrough);
    let twin = net.clone();
    assert_eq!(twin.len(p.config), net.len(p.config));
    assert_eq!(Everything::MACHINE_COUNT, 0);
}

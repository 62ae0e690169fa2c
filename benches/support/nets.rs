//! The nets whose firing throughput is measured: ping-pong (declared with `net!`), and
//! chains, rings and a wide fan-out/fan-in net with weighted and inhibitor arcs, built
//! at run time over their sizes as const parameters, as a net loaded from a file is.

use mycel::net::{NetBuilder, PlaceId};
use mycel::sched::{Net, Passthrough, RunReport};
use mycel::time::Instant;

mycel::net! {
    /// Two places, two transitions, one token bouncing between them: `there` moves the
    /// token from `ping` to `pong`, `back` moves it home. Exactly one transition is
    /// enabled at any time.
    pub net PingPong: u32 {
        places { ping: 1, pong: 1 }
        transitions {
            there: ping -> pong,
            back: pong -> ping,
        }
    }
}

/// Fires ping-pong `firings` times at `now` (the declared net's [`run_for`]).
#[inline]
pub fn run_ping_pong(net: &mut PingPong, now: Instant, firings: u32) -> RunReport {
    let report = net
        .run(now, firings, &mut Passthrough)
        .expect("time moves forward");
    debug_assert_eq!(report.fired, firings);
    report
}

/// The smallest useful net, with its token on `ping`.
pub fn ping_pong() -> PingPong {
    let mut net = PingPong::new();
    net.inject(PingPong::PLACES.ping, 1, Instant::from_ticks(0))
        .expect("ping has room");
    net
}

/// A line of transitions: `t_i` moves a token from place `i` to place `i + 1`.
/// `P` must be `T + 1`, `A` at least `2 * T`, `K` at least `P + 1`.
pub type Chain<const P: usize, const T: usize, const A: usize, const K: usize> =
    Net<u32, P, T, A, K>;

/// A chain of `T` transitions over `P = T + 1` places of capacity 1.
///
/// One round injects a token at the head, fires `T` times as it walks down the line,
/// and takes it from the tail: see [`chain_round`].
pub fn chain<const P: usize, const T: usize, const A: usize, const K: usize>() -> Chain<P, T, A, K>
{
    let mut b = NetBuilder::new();
    let places: [PlaceId; P] = core::array::from_fn(|_| b.place("p", 1));
    for pair in places.windows(2) {
        let t = b.transition("t");
        b.input(t, pair[0], 1).output(t, pair[1], 1);
    }
    b.build().expect("a chain is a valid net")
}

/// Walks one token through a chain: inject at the head, run to the end, take it from
/// the tail. Returns how many transitions fired (`T`).
#[inline]
pub fn chain_round<const P: usize, const T: usize, const A: usize, const K: usize>(
    net: &mut Chain<P, T, A, K>,
    now: Instant,
) -> u32 {
    let head = PlaceId::new(0);
    let tail = PlaceId::new((P - 1) as u16);
    net.inject(head, 1, now).expect("the head is empty");
    let report = net
        .run(now, u32::MAX, &mut Passthrough)
        .expect("time moves forward");
    net.take(tail).expect("the token reached the tail");
    report.fired
}

/// A ring of `T` transitions over `T` places: `t_i` moves a token from place `i` to
/// place `(i + 1) % T`. `P` must equal `T`, `A` at least `2 * T`, `K` at least `P + 1`.
pub type Ring<const P: usize, const T: usize, const A: usize, const K: usize> =
    Net<u32, P, T, A, K>;

/// A ring of `T` transitions with one token on place 0: it circulates forever, one
/// transition enabled at a time.
pub fn ring<const P: usize, const T: usize, const A: usize, const K: usize>() -> Ring<P, T, A, K> {
    let mut b = NetBuilder::new();
    let places: [PlaceId; P] = core::array::from_fn(|_| b.place("p", 1));
    for (i, &from) in places.iter().enumerate() {
        let to = places[(i + 1) % P];
        let t = b.transition("t");
        b.input(t, from, 1).output(t, to, 1);
    }
    let mut net = b.build().expect("a ring is a valid net");
    net.inject(places[0], 1, Instant::from_ticks(0))
        .expect("place 0 has room");
    net
}

/// A ring of `T` transitions with a token on every other place, so half the
/// transitions are enabled at once and the ready set is as large as the net allows.
pub fn busy_ring<const P: usize, const T: usize, const A: usize, const K: usize>()
-> Ring<P, T, A, K> {
    let mut net = ring::<P, T, A, K>();
    for p in (2..P).step_by(2) {
        net.inject(PlaceId::new(p as u16), 1, Instant::from_ticks(0))
            .expect("every other place has room");
    }
    net
}

/// Fires `firings` transitions of a net that never runs dry (a ring, ping-pong, fan).
#[inline]
pub fn run_for<const P: usize, const T: usize, const A: usize, const K: usize>(
    net: &mut Net<u32, P, T, A, K>,
    now: Instant,
    firings: u32,
) -> RunReport {
    let report = net
        .run(now, firings, &mut Passthrough)
        .expect("time moves forward");
    debug_assert_eq!(report.fired, firings);
    report
}

/// How many lanes the fan net spreads over.
pub const FAN_WIDTH: usize = 16;
/// Places of the fan net: hub, done, and one per lane.
pub const FAN_PLACES: usize = FAN_WIDTH + 2;
/// Transitions of the fan net: scatter, gather, and one worker per lane.
pub const FAN_TRANSITIONS: usize = FAN_WIDTH + 2;
/// Firings of one full cycle of the fan net: scatter, every worker, gather.
pub const FAN_CYCLE: u32 = FAN_TRANSITIONS as u32;

/// The fan net.
pub type Fan = Net<u32, FAN_PLACES, FAN_TRANSITIONS, { 4 * FAN_WIDTH + 4 }, { 4 * FAN_WIDTH }>;

/// A wide fan-out/fan-in net with weighted and inhibitor arcs.
///
/// - `scatter` takes all `W` tokens from `hub` (an input of weight `W`) and sends one
///   to each lane; an inhibitor of weight 1 on `done` keeps it from starting a round
///   while the previous one is being gathered.
/// - `work_i` moves its lane's token to `done`; an inhibitor of weight `W` on `hub`
///   (never reached while a round is out) is re-checked whenever `hub` changes.
/// - `gather` takes all `W` tokens from `done` (weight `W`) back to `hub` (weight `W`).
///
/// One cycle is `W + 2` firings moving `3 * W` tokens.
pub fn fan() -> Fan {
    let width = FAN_WIDTH as u16;
    let mut b = NetBuilder::new();
    let hub = b.place("hub", width);
    let done = b.place("done", width);
    let lanes: [PlaceId; FAN_WIDTH] = core::array::from_fn(|_| b.place("lane", 1));
    let scatter = b.transition("scatter");
    let gather = b.transition("gather");
    b.input(scatter, hub, width).inhibitor(scatter, done, 1);
    for &lane in &lanes {
        b.output(scatter, lane, 1);
    }
    for &lane in &lanes {
        let work = b.transition("work");
        b.input(work, lane, 1)
            .output(work, done, 1)
            .inhibitor(work, hub, width);
    }
    b.input(gather, done, width).output(gather, hub, width);
    let mut net = b.build().expect("the fan is a valid net");
    for _ in 0..FAN_WIDTH {
        net.inject(hub, 1, Instant::from_ticks(0))
            .expect("hub has room");
    }
    net
}

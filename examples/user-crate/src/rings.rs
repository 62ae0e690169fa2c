//! The nets whose firing cost is measured: ping-pong, and rings of 8 and 1024
//! transitions (written by `build.rs`), each with one token circulating.

use mycel::sched::Passthrough;
use mycel::time::Instant;

mycel::net! {
    /// Two places, two transitions, one token bouncing between them.
    #[straight_line]
    pub net PingPong: u32 {
        places { ping: 1, pong: 1 }
        transitions {
            there: ping -> pong,
            back: pong -> ping,
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/rings.rs"));

/// A ping-pong net with its token on `ping`.
#[must_use]
pub fn ping_pong() -> PingPong {
    let mut net = PingPong::new();
    // `ping` is empty, so the token fits.
    let _ = net.inject(PingPong::PLACES.ping, 1, Instant::from_ticks(0));
    net
}

/// A ring of 8 with its token on the first place.
#[must_use]
pub fn ring_8() -> Ring8 {
    let mut net = Ring8::new();
    let _ = net.inject(Ring8::PLACES.p0, 1, Instant::from_ticks(0));
    net
}

/// A ring of 1024 with its token on the first place.
#[must_use]
pub fn ring_1024() -> Ring1024 {
    let mut net = Ring1024::new();
    let _ = net.inject(Ring1024::PLACES.p0, 1, Instant::from_ticks(0));
    net
}

/// Fires `budget` transitions of ping-pong at `now`; returns how many fired.
#[inline]
pub fn run_ping_pong(net: &mut PingPong, now: Instant, budget: u32) -> u32 {
    net.run(now, budget, &mut Passthrough)
        .map_or(0, |r| r.fired)
}

/// Fires `budget` transitions of the 8-ring at `now`.
#[inline]
pub fn run_ring_8(net: &mut Ring8, now: Instant, budget: u32) -> u32 {
    net.run(now, budget, &mut Passthrough)
        .map_or(0, |r| r.fired)
}

/// Fires `budget` transitions of the 1024-ring at `now`.
#[inline]
pub fn run_ring_1024(net: &mut Ring1024, now: Instant, budget: u32) -> u32 {
    net.run(now, budget, &mut Passthrough)
        .map_or(0, |r| r.fired)
}

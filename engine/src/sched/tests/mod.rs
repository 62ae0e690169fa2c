//! Unit tests of the running net. Each test is named after the rule it checks and fails
//! if that rule is broken.

mod arcs;
mod firing;
mod foreign;
mod host;
mod machines;
mod scheduling;
mod timing;

use super::*;
use crate::net::{NetBuilder, PlaceId};
use crate::time::Instant;

pub(super) type TestNet = Net<u32, 8, 8, 24, 64>;
pub(super) type Builder = NetBuilder<u32, 8, 8, 24, 64>;

pub(super) fn at(ticks: u64) -> Instant {
    Instant::from_ticks(ticks)
}

pub(super) fn tokens(net: &TestNet, p: PlaceId) -> heapless::Vec<u32, 64> {
    net.tokens(p).copied().collect()
}

/// Tokens are never lost or invented: what came in is what went out plus what is held.
pub(super) fn assert_conserved(net: &TestNet) {
    let c = net.counters();
    assert_eq!(
        c.injected + c.created,
        c.taken + c.retired + net.held(),
        "token conservation broken: {c:?}, held {}",
        net.held()
    );
}

/// Every place holds no more than its capacity.
pub(super) fn assert_within_capacity(net: &TestNet) {
    for p in net.places() {
        assert!(net.len(p) <= usize::from(net.place(p).unwrap().capacity));
    }
}

//! Mutual exclusion: processes that take turns in a critical section under one lock.

use crate::pt_net::PtNet;

/// `n` processes sharing one lock: each is idle, asks for the lock (waiting), enters
/// its critical section when the lock is free, and leaves it giving the lock back. 3n+1
/// places, 3n transitions, no deadlock. Any subset of the processes may be waiting
/// while at most one is inside, so it reaches exactly `2^n + n·2^(n-1)` markings.
///
/// ```
/// use mycel_check::classic::mutual_exclusion;
///
/// let net = mutual_exclusion(3);
/// assert_eq!((net.places().len(), net.transitions().len()), (10, 9));
/// ```
#[must_use]
pub fn mutual_exclusion(n: usize) -> PtNet {
    let mut b = PtNet::builder(format!("MutualExclusion-{n}"));
    let lock = b.place("lock", 1);
    for i in 0..n {
        let idle = b.place(format!("idle{i}"), 1);
        let waiting = b.place(format!("waiting{i}"), 0);
        let critical = b.place(format!("critical{i}"), 0);
        let ask = b.transition(format!("ask{i}"));
        b.input(ask, idle, 1).output(ask, waiting, 1);
        let enter = b.transition(format!("enter{i}"));
        b.input(enter, waiting, 1)
            .input(enter, lock, 1)
            .output(enter, critical, 1);
        let leave = b.transition(format!("leave{i}"));
        b.input(leave, critical, 1)
            .output(leave, idle, 1)
            .output(leave, lock, 1);
    }
    b.build()
        .unwrap_or_else(|_| unreachable!("the mutual exclusion net is well formed"))
}

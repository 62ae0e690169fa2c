//! Dijkstra's dining philosophers.

use crate::pt_net::PtNet;

/// `n` dining philosophers around a table with one fork between each pair: each
/// thinks, takes the left fork, takes the right fork, eats, and puts both back. 4n
/// places, 3n transitions. With `n ≥ 2` the marking where every philosopher holds the
/// left fork is the one deadlock, reached in `n` firings.
///
/// ```
/// use mycel_check::classic::philosophers;
///
/// let net = philosophers(3);
/// assert_eq!((net.places().len(), net.transitions().len()), (12, 9));
/// ```
#[must_use]
pub fn philosophers(n: usize) -> PtNet {
    let mut b = PtNet::builder(format!("Philosophers-{n}"));
    let forks: Vec<_> = (0..n).map(|i| b.place(format!("fork{i}"), 1)).collect();
    for i in 0..n {
        let think = b.place(format!("think{i}"), 1);
        let left = b.place(format!("hasLeft{i}"), 0);
        let eat = b.place(format!("eat{i}"), 0);
        let (lf, rf) = (forks[i], forks[(i + 1) % n]);
        let take_left = b.transition(format!("takeLeft{i}"));
        b.input(take_left, think, 1)
            .input(take_left, lf, 1)
            .output(take_left, left, 1);
        let take_right = b.transition(format!("takeRight{i}"));
        b.input(take_right, left, 1)
            .input(take_right, rf, 1)
            .output(take_right, eat, 1);
        let put = b.transition(format!("putBack{i}"));
        b.input(put, eat, 1)
            .output(put, think, 1)
            .output(put, lf, 1)
            .output(put, rf, 1);
    }
    b.build()
        .unwrap_or_else(|_| unreachable!("the philosophers net is well formed"))
}

//! Ciardo and Trivedi's flexible manufacturing system.

use crate::pt_net::PtNet;

/// The flexible manufacturing system of Ciardo and Trivedi (1993), a generalized
/// stochastic Petri net: the P/T net and which of its transitions are immediate.
#[derive(Clone, Debug)]
pub struct FlexibleManufacturing {
    /// The net: 22 places, 20 transitions.
    pub net: PtNet,
    /// Per transition, 1 if it is immediate (it fires before any timed transition may)
    /// and 0 if it is timed: the priorities for
    /// [`Prioritized`](crate::explore::Prioritized).
    pub priorities: Vec<u32>,
}

/// The flexible manufacturing system with `n` pallets of each of the three part types.
///
/// Parts of type 1 are machined on one of the three machines `M1`, parts of type 2 on
/// the single machine `M2`; after machining, a part is either shipped (`tP1e`, `tP2e`)
/// or waits for a part of the other type to be joined with it (`tP1j`, `tP2j`, then
/// `tx`), and the joined parts are machined on one of the two machines `M3` before both
/// pallets return. Parts of type 3 queue at `M2` (`P3M2`) and are machined while it is
/// free (`tP3M2` reads `M2`: it needs the machine but does not hold it). Eight
/// transitions are immediate (`tM1`, `tM2`, `tM3`, `tx`, `tP1e`, `tP1j`, `tP2e`,
/// `tP2j`).
///
/// Its published tangible-state counts (the markings that enable no immediate
/// transition, the states of its Markov chain): N=1 54, N=2 810, N=3 6,520,
/// N=4 35,910, N=5 152,712, N=6 537,768, N=7 1,639,440.
///
/// ```
/// use mycel_check::classic::flexible_manufacturing;
///
/// let fms = flexible_manufacturing(2);
/// assert_eq!((fms.net.places().len(), fms.net.transitions().len()), (22, 20));
/// assert_eq!(fms.priorities.iter().filter(|&&p| p == 1).count(), 8);
/// ```
#[must_use]
pub fn flexible_manufacturing(n: u64) -> FlexibleManufacturing {
    let mut b = PtNet::builder(format!("FMS-{n}"));
    let mut priorities = Vec::new();
    let [p1, p1w_m1, p1m1, m1, p1d, p1s, p1w_p2] = [
        ("P1", n),
        ("P1wM1", 0),
        ("P1M1", 0),
        ("M1", 3),
        ("P1d", 0),
        ("P1s", 0),
        ("P1wP2", 0),
    ]
    .map(|(name, tokens)| b.place(name, tokens));
    let [p2, p2w_m2, p2m2, m2, p2d, p2s, p2w_p1] = [
        ("P2", n),
        ("P2wM2", 0),
        ("P2M2", 0),
        ("M2", 1),
        ("P2d", 0),
        ("P2s", 0),
        ("P2wP1", 0),
    ]
    .map(|(name, tokens)| b.place(name, tokens));
    let [p12, p12w_m3, p12m3, m3, p12s] = [
        ("P12", 0),
        ("P12wM3", 0),
        ("P12M3", 0),
        ("M3", 2),
        ("P12s", 0),
    ]
    .map(|(name, tokens)| b.place(name, tokens));
    let [p3, p3m2, p3s] =
        [("P3", n), ("P3M2", 0), ("P3s", 0)].map(|(name, tokens)| b.place(name, tokens));
    // (name, immediate, inputs, outputs); every weight is 1. A place both in and out
    // is read: `tP3M2` needs `M2` free and leaves it free.
    let transitions = [
        ("tP1", false, &[p1][..], &[p1w_m1][..]),
        ("tM1", true, &[p1w_m1, m1], &[p1m1]),
        ("tP1M1", false, &[p1m1], &[m1, p1d]),
        ("tP1e", true, &[p1d], &[p1s]),
        ("tP1j", true, &[p1d], &[p1w_p2]),
        ("tP1s", false, &[p1s], &[p1]),
        ("tP2", false, &[p2], &[p2w_m2]),
        ("tM2", true, &[p2w_m2, m2], &[p2m2]),
        ("tP2M2", false, &[p2m2], &[m2, p2d]),
        ("tP2e", true, &[p2d], &[p2s]),
        ("tP2j", true, &[p2d], &[p2w_p1]),
        ("tP2s", false, &[p2s], &[p2]),
        ("tx", true, &[p1w_p2, p2w_p1], &[p12]),
        ("tP12", false, &[p12], &[p12w_m3]),
        ("tM3", true, &[p12w_m3, m3], &[p12m3]),
        ("tP12M3", false, &[p12m3], &[m3, p12s]),
        ("tP12s", false, &[p12s], &[p1, p2]),
        ("tP3", false, &[p3], &[p3m2]),
        ("tP3M2", false, &[p3m2, m2], &[m2, p3s]),
        ("tP3s", false, &[p3s], &[p3]),
    ];
    for (name, immediate, inputs, outputs) in transitions {
        let t = b.transition(name);
        for &p in inputs {
            b.input(t, p, 1);
        }
        for &p in outputs {
            b.output(t, p, 1);
        }
        priorities.push(u32::from(immediate));
    }
    FlexibleManufacturing {
        // Every id is distinct and every arc joins declared elements, so this builds.
        net: b
            .build()
            .unwrap_or_else(|_| unreachable!("the FMS net is well formed")),
        priorities,
    }
}

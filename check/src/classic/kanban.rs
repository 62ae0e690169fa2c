//! Ciardo and Tilgner's Kanban manufacturing system.

use crate::pt_net::PtNet;

/// The Kanban system of Ciardo and Tilgner (1996) with `n` kanban cards per cell: 16
/// places and 16 transitions in four cells. Each cell `i` has `P_i` (free cards,
/// initially `n`), `Pm_i` (a part being machined), `Pback_i` (a part sent back to be
/// redone) and `Pout_i` (a finished part). Cell 1 feeds cells 2 and 3 together
/// (`tsynch1_23`), which feed cell 4 together (`tsynch4_23`).
///
/// Its published reachable-state counts: N=1 160, N=2 4,600, N=3 58,400,
/// N=4 454,475, N=5 2,546,432.
///
/// ```
/// use mycel_check::classic::kanban;
///
/// let net = kanban(2);
/// assert_eq!((net.places().len(), net.transitions().len()), (16, 16));
/// ```
#[must_use]
pub fn kanban(n: u64) -> PtNet {
    let mut b = PtNet::builder(format!("Kanban-{n}"));
    let mut cells = Vec::new();
    for i in 1..=4 {
        let m = b.place(format!("Pm{i}"), 0);
        let back = b.place(format!("Pback{i}"), 0);
        let out = b.place(format!("Pout{i}"), 0);
        let free = b.place(format!("P{i}"), n);
        cells.push((m, back, out, free));
    }
    let (m1, _, out1, free1) = cells[0];
    let (m2, _, out2, free2) = cells[1];
    let (m3, _, out3, free3) = cells[2];
    let (m4, _, out4, free4) = cells[3];
    let tin1 = b.transition("tin1");
    b.input(tin1, free1, 1).output(tin1, m1, 1);
    for (i, &(m, back, out, _)) in (1..).zip(&cells) {
        let redo = b.transition(format!("tredo{i}"));
        b.input(redo, m, 1).output(redo, back, 1);
        let ok = b.transition(format!("tok{i}"));
        b.input(ok, m, 1).output(ok, out, 1);
        let again = b.transition(format!("tback{i}"));
        b.input(again, back, 1).output(again, m, 1);
    }
    let s1 = b.transition("tsynch1_23");
    b.input(s1, out1, 1).input(s1, free2, 1).input(s1, free3, 1);
    b.output(s1, free1, 1).output(s1, m2, 1).output(s1, m3, 1);
    let s4 = b.transition("tsynch4_23");
    b.input(s4, out2, 1).input(s4, out3, 1).input(s4, free4, 1);
    b.output(s4, free2, 1)
        .output(s4, free3, 1)
        .output(s4, m4, 1);
    let tout4 = b.transition("tout4");
    b.input(tout4, out4, 1).output(tout4, free4, 1);
    // Every id is distinct and every arc joins declared elements, so this builds.
    b.build()
        .unwrap_or_else(|_| unreachable!("the Kanban net is well formed"))
}

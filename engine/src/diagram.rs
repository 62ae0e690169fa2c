//! Mermaid diagrams of nets and their embedded machines, written through
//! `core::fmt::Write` so they work without allocation.
//!
//! A net becomes a `flowchart LR`: places are circles, transitions are boxes, and arcs
//! are drawn by kind (input and output as arrows, read as a dotted arrow, inhibitor
//! with a circle end), labelled with their weight when it is not 1. A machine embedded
//! in a transition is drawn as a subgraph of its states, linked to that transition.
//! Machines on their own are drawn by [`Table::write_mermaid`].

use crate::fsm::{Table, Trigger};
use crate::net::{ArcKind, ReadySet, StructureStore, TransitionId};
use crate::sched::Net;
use core::fmt::Write;

/// A machine to draw inside the net diagram, next to the transition it lives in.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedMachine<'a> {
    /// The transition the machine is embedded in.
    pub transition: TransitionId,
    /// The machine's name.
    pub name: &'a str,
    /// Its transition table.
    pub table: &'a Table,
}

/// Writes `net` as a Mermaid flowchart, with `machines` drawn as subgraphs.
///
/// # Errors
/// Whatever `out` returns.
pub fn write_net<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    S: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, S>,
    machines: &[EmbeddedMachine<'_>],
    out: &mut impl Write,
) -> core::fmt::Result {
    writeln!(out, "flowchart LR")?;
    for p in net.places() {
        if let Some(spec) = net.place(p) {
            writeln!(
                out,
                "    P{}((\"{}<br/>cap {}\"))",
                p.index(),
                spec.name,
                spec.capacity
            )?;
        }
    }
    for t in net.transitions() {
        let name = net.transition_name(t).unwrap_or("");
        write!(out, "    T{}[\"{}", t.index(), name)?;
        if let Some(spec) = net.transition_spec(t) {
            if spec.priority != 0 {
                write!(out, "<br/>prio {}", spec.priority)?;
            }
            if spec.delay.as_ticks() != 0 {
                write!(out, "<br/>delay {} ticks", spec.delay.as_ticks())?;
            }
            if spec.source {
                write!(out, "<br/>source")?;
            }
            if spec.sink {
                write!(out, "<br/>sink")?;
            }
        }
        writeln!(out, "\"]")?;
    }
    for t in net.transitions() {
        for a in net.arcs(t) {
            let (from, to) = match a.kind {
                ArcKind::Output => (('T', t.index()), ('P', a.place.index())),
                _ => (('P', a.place.index()), ('T', t.index())),
            };
            let link = match a.kind {
                ArcKind::Input | ArcKind::Output => "-->",
                ArcKind::Read => "-.->",
                ArcKind::Inhibitor => "--o",
            };
            write!(out, "    {}{} {}", from.0, from.1, link)?;
            if a.weight != 1 {
                write!(out, "|{}|", a.weight)?;
            }
            writeln!(out, " {}{}", to.0, to.1)?;
        }
        if let Some(e) = net.transition_spec(t).and_then(|s| s.error_place) {
            writeln!(out, "    T{} -. error .-> P{}", t.index(), e.index())?;
        }
    }
    for (i, m) in machines.iter().enumerate() {
        writeln!(
            out,
            "    subgraph M{i}[\"{} (FSM in {})\"]",
            m.name,
            net.transition_name(m.transition).unwrap_or("")
        )?;
        writeln!(out, "        direction LR")?;
        for s in m.table.states {
            writeln!(out, "        M{i}_{}([\"{}\"])", s.name, s.name)?;
        }
        for e in m.table.edges {
            let label = match e.on {
                Trigger::Event(name) => name,
                Trigger::Timeout => "timeout",
            };
            writeln!(out, "        M{i}_{} -->|{}| M{i}_{}", e.from, label, e.to)?;
        }
        writeln!(out, "    end")?;
        writeln!(out, "    T{} -.- M{i}", m.transition.index())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsm::{Edge, StateSpec};
    use crate::net::NetBuilder;

    const TABLE: Table = Table {
        initial: "A",
        states: &[
            StateSpec {
                name: "A",
                timeout: false,
            },
            StateSpec {
                name: "B",
                timeout: true,
            },
        ],
        edges: &[
            Edge {
                from: "A",
                to: "B",
                on: Trigger::Event("go"),
            },
            Edge {
                from: "B",
                to: "A",
                on: Trigger::Timeout,
            },
        ],
    };

    #[test]
    fn net_diagram_draws_places_transitions_arcs_and_machines() {
        let mut b = NetBuilder::<u8, 3, 1, 4, 8>::new();
        let p = b.place("in", 2);
        let q = b.place("out", 2);
        let s = b.place("stop", 1);
        let t = b.transition("route");
        b.input(t, p, 2).output(t, q, 1).inhibitor(t, s, 1);
        let net = b.build().unwrap();
        let mut out: heapless::String<1024> = heapless::String::new();
        let m = EmbeddedMachine {
            transition: t,
            name: "gate",
            table: &TABLE,
        };
        write_net(&net, &[m], &mut out).unwrap();
        let expected = "flowchart LR
    P0((\"in<br/>cap 2\"))
    P1((\"out<br/>cap 2\"))
    P2((\"stop<br/>cap 1\"))
    T0[\"route\"]
    P0 -->|2| T0
    T0 --> P1
    P2 --o T0
    subgraph M0[\"gate (FSM in route)\"]
        direction LR
        M0_A([\"A\"])
        M0_B([\"B\"])
        M0_A -->|go| M0_B
        M0_B -->|timeout| M0_A
    end
    T0 -.- M0
";
        assert_eq!(out.as_str(), expected);
    }
}

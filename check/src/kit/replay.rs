//! The replay check: the same operations on a fresh net give the same results, events
//! and tokens.

use mycel::net::{ReadySet, StructureStore};
use std::fmt;

use mycel::net::Net;
use mycel::sched::NetEvent;

use super::check::op_text;
use super::ops::Op;
use super::violation::{Violation, ViolationKind, shown};

/// What one operation did, for the replay comparison.
#[derive(Debug)]
pub(crate) struct Record<C> {
    pub(crate) outcome: String,
    pub(crate) events: Vec<NetEvent>,
    pub(crate) marking: Vec<Vec<C>>,
}

/// Every place's tokens, head first.
pub(crate) fn marking<
    C: Clone,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
) -> Vec<Vec<C>> {
    net.places()
        .map(|p| net.tokens(p).cloned().collect())
        .collect()
}

/// The first difference between two runs of `ops`.
pub(crate) fn compare_runs<C: fmt::Debug + PartialEq>(
    ops: &[Op<C>],
    first: &[Record<C>],
    again: &[Record<C>],
) -> Result<(), Violation> {
    for (index, (one, two)) in first.iter().zip(again).enumerate() {
        let differs = |what: String, a: String, b: String| Violation {
            index,
            op: ops
                .get(index)
                .map_or_else(String::new, |op| op_text(op, None)),
            kind: Box::new(ViolationKind::Replay {
                what,
                first: a,
                replay: b,
            }),
        };
        if one.outcome != two.outcome {
            return Err(differs(
                "result".to_owned(),
                one.outcome.clone(),
                two.outcome.clone(),
            ));
        }
        if one.events != two.events {
            return Err(differs(
                "events".to_owned(),
                shown(&one.events),
                shown(&two.events),
            ));
        }
        for (place, (a, b)) in one.marking.iter().zip(&two.marking).enumerate() {
            if a != b {
                return Err(differs(
                    format!("tokens of place [{place}]"),
                    shown(a),
                    shown(b),
                ));
            }
        }
    }
    Ok(())
}

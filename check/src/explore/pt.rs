//! Exploring a [`PtNet`]: pack, search, and turn what the search saw into an
//! [`Exploration`].

use std::time::Instant;

use super::error::ExploreError;
use super::layout::Layout;
use super::options::{Options, PropertyKind};
use super::parallel::search_parallel;
use super::pt_model::{FieldOverflow, PtModel};
use super::report::{Exploration, PropertyResult, Trace, Verdict};
use super::search::{Search, SearchLimits, search};
use super::state_space::StateIndex;
use crate::pt_net::{PtNet, TransitionIndex};

/// Explores every marking reachable from `net`'s initial marking, breadth-first, and
/// reports the state and edge counts, deadlocks, place bounds, dead transitions and
/// the answers to `options`' properties, each with a shortest trace.
///
/// ```
/// use mycel_check::PtNet;
/// use mycel_check::explore::{Options, Verdict, explore};
///
/// // Two processes share one lock.
/// let mut b = PtNet::builder("mutex");
/// let lock = b.place("lock", 1);
/// let mut busy = Vec::new();
/// for i in 0..2 {
///     let idle = b.place(format!("idle{i}"), 1);
///     let crit = b.place(format!("busy{i}"), 0);
///     let (enter, leave) = (b.transition(format!("enter{i}")), b.transition(format!("leave{i}")));
///     b.input(enter, idle, 1).input(enter, lock, 1).output(enter, crit, 1);
///     b.input(leave, crit, 1).output(leave, idle, 1).output(leave, lock, 1);
///     busy.push(crit.0);
/// }
/// let net = b.build()?;
/// let options = Options::new()
///     .always("mutual exclusion", |m| m[busy[0]] + m[busy[1]] <= 1)
///     .reachable("process 1 inside", |m| m[busy[1]] == 1);
/// let report = explore(&net, options)?;
/// assert!(report.complete);
/// assert_eq!((report.states, report.edges, report.deadlock_count), (3, 4, 0));
/// assert_eq!(report.properties[0].verdict, Verdict::Holds);
/// let Verdict::Reached(trace) = &report.properties[1].verdict else { panic!() };
/// assert_eq!(trace.ids(&net), ["enter1"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ExploreError::TokenOverflow`] if a place would hold more than `u64::MAX` tokens,
/// [`ExploreError::TooManyTransitions`] past `u32::MAX` transitions. Reaching
/// [`Options::max_states`] is not an error: the report says it is incomplete.
pub fn explore(net: &PtNet, mut options: Options<'_>) -> Result<Exploration, ExploreError> {
    let started = Instant::now();
    if u32::try_from(net.transitions().len()).is_err() {
        return Err(ExploreError::TooManyTransitions {
            transitions: net.transitions().len(),
        });
    }
    let mut layout = Layout::for_net(net);
    let mut restarts = 0;
    loop {
        match attempt(net, &layout, &mut options) {
            Ok((search, seen)) => {
                let mut report = report(&layout, &options, &search, seen);
                report.elapsed = started.elapsed();
                report.restarts = restarts;
                return Ok(report);
            }
            Err(FieldOverflow { place }) => {
                layout = layout
                    .widened(place)
                    .ok_or_else(|| ExploreError::TokenOverflow {
                        place: net
                            .places()
                            .get(place)
                            .map_or_else(String::new, |p| p.id.clone()),
                    })?;
                restarts += 1;
            }
        }
    }
}

/// What the visitor saw in the stored markings.
struct Seen {
    bounds: Vec<u64>,
    /// Per property, the first marking that answers it.
    witness: Vec<Option<StateIndex>>,
}

fn attempt(
    net: &PtNet,
    layout: &Layout,
    options: &mut Options<'_>,
) -> Result<(Search, Seen), FieldOverflow> {
    let mut model = PtModel::new(net, layout.clone());
    if let Some(finished) = &options.finished {
        model = model.with_finished(finished.as_ref());
    }
    let mut seen = Seen {
        bounds: vec![0; net.places().len()],
        witness: vec![None; options.properties.len()],
    };
    let mut marking = Vec::with_capacity(net.places().len());
    let properties = &options.properties;
    let limits = SearchLimits {
        max_states: options.max_states,
        max_deadlocks_kept: options.max_deadlocks_kept,
        progress: options
            .progress
            .as_mut()
            .map(|p| p.as_mut() as &mut dyn FnMut(&_)),
    };
    let parallel =
        options.parallel && std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    let visit = |index, key: &[u64]| {
        layout.unpack(key, &mut marking);
        for (bound, &m) in seen.bounds.iter_mut().zip(&marking) {
            *bound = (*bound).max(m);
        }
        for (property, witness) in properties.iter().zip(seen.witness.iter_mut()) {
            if witness.is_none() {
                let holds = (property.predicate)(&marking);
                let answers = match property.kind {
                    PropertyKind::Always => !holds,
                    PropertyKind::Reachable => holds,
                };
                if answers {
                    *witness = Some(index);
                }
            }
        }
    };
    let search = if parallel {
        search_parallel(&model, limits, visit)?
    } else {
        search(&model, limits, visit)?
    };
    Ok((search, seen))
}

fn report(layout: &Layout, options: &Options<'_>, search: &Search, seen: Seen) -> Exploration {
    let trace = |i: StateIndex| {
        let mut marking = Vec::new();
        layout.unpack(search.space.key(i), &mut marking);
        Trace {
            transitions: search
                .space
                .trace(i)
                .into_iter()
                .map(|l| TransitionIndex(l as usize))
                .collect(),
            marking,
        }
    };
    let complete = !search.stopped_at_limit;
    let properties = options
        .properties
        .iter()
        .zip(&seen.witness)
        .map(|(p, w)| PropertyResult {
            name: p.name.clone(),
            kind: p.kind,
            verdict: match (p.kind, w, complete) {
                (PropertyKind::Always, Some(i), _) => Verdict::Violated(trace(*i)),
                (PropertyKind::Reachable, Some(i), _) => Verdict::Reached(trace(*i)),
                (PropertyKind::Always, None, true) => Verdict::Holds,
                (PropertyKind::Reachable, None, true) => Verdict::Unreachable,
                (_, None, false) => Verdict::Unknown,
            },
        })
        .collect();
    Exploration {
        complete,
        max_states: options.max_states,
        states: search.space.len() as u64,
        expanded: search.expanded,
        edges: search.edges,
        depth: search.depth,
        deadlock_count: search.deadlock_count,
        deadlocks: search.deadlocks.iter().map(|&i| trace(i)).collect(),
        place_bounds: seen.bounds,
        dead_transitions: search
            .fired
            .iter()
            .enumerate()
            .filter(|&(_, &f)| !f)
            .map(|(t, _)| TransitionIndex(t))
            .collect(),
        properties,
        words_per_state: layout.words,
        bits_per_state: layout.bits(),
        memory_bytes: search.space.bytes(),
        elapsed: std::time::Duration::ZERO,
        restarts: 0,
    }
}

//! A running engine net as the reference interpreter's definition.

use mycel::net::{ArcKind as EngineArcKind, Net, PlaceId};
use mycel::net::{ReadySet, StructureStore};

use super::{LockstepError, LockstepOptions, ReferenceGuards};
use crate::kit::violation::named;
use crate::reference::net::{ArcKind, ArcSpec, NetSpec, PlaceSpec, TransitionSpec};

/// The reference definition of `net`: the same places, transitions, arcs, priorities,
/// delays (in ticks), error places, sources and sinks, a pool of `K` tokens, and for
/// each guarded transition the guard stated in `guards`.
///
/// # Errors
/// [`LockstepError::Guarded`] for the first guarded transition `guards` says nothing
/// about; [`LockstepError::StrayGuard`] for a guard stated for a transition that has
/// none, or that the net does not have.
pub fn reference_spec<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
    options: LockstepOptions,
    guards: &ReferenceGuards<C>,
) -> Result<NetSpec<C>, LockstepError>
where
    C: Clone,
{
    let places = net
        .places()
        .map(|p| {
            let spec = net.place(p);
            PlaceSpec {
                name: spec.map_or("", |s| s.name).to_owned(),
                capacity: spec.map_or(0, |s| u32::from(s.capacity)),
            }
        })
        .collect();
    let mut transitions = Vec::new();
    let mut arcs = Vec::new();
    for t in net.transitions() {
        let name = net.transition_name(t).unwrap_or("");
        let Some(spec) = net.transition_spec(t) else {
            continue;
        };
        let guard = match (&spec.guard, guards.get(t.index())) {
            (None, None) => None,
            (Some(_), Some(stated)) => Some(stated.clone()),
            (Some(_), None) => {
                return Err(LockstepError::Guarded {
                    transition: named(name, t.index()),
                });
            }
            (None, Some(_)) => {
                return Err(LockstepError::StrayGuard {
                    transition: named(name, t.index()),
                });
            }
        };
        transitions.push(TransitionSpec {
            name: name.to_owned(),
            priority: spec.priority,
            delay: spec.delay.as_ticks(),
            error_place: spec.error_place.map(PlaceId::index),
            source: spec.source,
            sink: spec.sink,
            guard,
        });
        arcs.extend(net.arcs(t).iter().map(|a| ArcSpec {
            transition: t.index(),
            place: a.place.index(),
            kind: match a.kind {
                EngineArcKind::Input => ArcKind::Input,
                EngineArcKind::Output => ArcKind::Output,
                EngineArcKind::Read => ArcKind::Read,
                EngineArcKind::Inhibitor => ArcKind::Inhibitor,
            },
            weight: u32::from(a.weight),
        }));
    }
    if let Some(missing) = guards.transitions().find(|&t| t >= net.transition_count()) {
        return Err(LockstepError::StrayGuard {
            transition: format!("#{missing}"),
        });
    }
    Ok(NetSpec {
        places,
        transitions,
        arcs,
        round_robin: options.round_robin,
        pool: u32::try_from(K).unwrap_or(u32::MAX),
    })
}

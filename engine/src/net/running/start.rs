//! A declared net's running state at start, computed while compiling.
//!
//! For a net declared with [`net!`](crate::net!) everything [`Net`] computes when it
//! is made (the per-transition records, the ready set's ranks, the pool's free list,
//! the arcs that block each transition) follows from the constant declaration. When
//! the empty marking enables no transition, nothing is scheduled at start either, so
//! the whole initial net is a constant: on a microcontroller a static initialised
//! from flash data instead of by code. A net with a transition enabled by the empty
//! marking (a source, or one with only inhibitor arcs) has no such constant: its
//! first scheduling may ask a guard, which only runs at run time.

use super::{Net, RankSet, ReadyHeap, Runtime, Status};
use crate::net::structure::Structure;
use crate::net::{Declared, Declares, NIL, Pool, Queue};
use crate::sched::firing::Emitted;
use crate::sched::heap::IndexedHeap;
use crate::sched::{MAX_FIRING_INPUTS, NetCounters};
use crate::time::{Clock, Instant};

/// Element `i` of `s`, or `None` past its end.
const fn at<T>(s: &[T], i: usize) -> Option<&T> {
    match s.split_at_checked(i) {
        Some((_, rest)) => rest.first(),
        None => None,
    }
}

/// Element `i` of `s` to write, or `None` past its end.
const fn at_mut<T>(s: &mut [T], i: usize) -> Option<&mut T> {
    match s.split_at_mut_checked(i) {
        Some((_, rest)) => rest.first_mut(),
        None => None,
    }
}

/// The parts of the initial state that depend on the structure.
struct Start<const T: usize, const A: usize> {
    runtime: [Runtime; T],
    satisfied: [bool; A],
    blocking: [u16; T],
}

/// The per-transition records and the arcs' state with every place empty, as
/// [`Net`]'s constructor computes them; `None` when the empty marking enables a
/// transition (one with no arc that an empty place blocks).
const fn start<C, const P: usize, const T: usize, const A: usize>(
    s: &Structure<C, P, T, A>,
) -> Option<Start<T, A>> {
    let mut runtime = [Runtime {
        since: 0,
        due: 0,
        seq: 0,
        firings: 0,
        failures: 0,
        status: Status::Disabled,
        priority: 0,
    }; T];
    let mut t = 0usize;
    while let (Some(r), Some(d)) = (at_mut(&mut runtime, t), at(&s.transitions, t)) {
        r.seq = t as u64;
        r.priority = d.spec.priority;
        t = t.saturating_add(1);
    }
    let mut satisfied = [false; A];
    let mut blocking = [0u16; T];
    let mut k = 0usize;
    while k < s.all_arcs as usize {
        if let Some(pa) = at(&s.place_arcs, k) {
            let ok = pa.lo == 0;
            if let Some(sat) = at_mut(&mut satisfied, k) {
                *sat = ok;
            }
            if !ok && let Some(b) = at_mut(&mut blocking, pa.transition as usize) {
                *b = b.saturating_add(1);
            }
        }
        k = k.saturating_add(1);
    }
    let mut t = 0usize;
    while t < s.transition_count as usize {
        if let Some(&b) = at(&blocking, t)
            && b == 0
        {
            return None;
        }
        t = t.saturating_add(1);
    }
    Some(Start {
        runtime,
        satisfied,
        blocking,
    })
}

/// The ranks of a [`RankSet`] for transitions of these runtime records' priorities:
/// the same stable counting sort as its run-time constructor.
const fn empty_rank_set<const T: usize, const W: usize>(
    runtime: &[Runtime; T],
    count: usize,
) -> RankSet<T, W> {
    let mut start = [0usize; 256];
    let mut t = 0usize;
    while t < count {
        if let Some(r) = at(runtime, t) {
            let mut p = 0usize;
            while p < r.priority as usize {
                if let Some(s) = at_mut(&mut start, p) {
                    *s = s.saturating_add(1);
                }
                p = p.saturating_add(1);
            }
        }
        t = t.saturating_add(1);
    }
    let mut at_rank = [0u16; T];
    let mut t = 0usize;
    while t < count {
        if let Some(r) = at(runtime, t)
            && let Some(next) = at_mut(&mut start, r.priority as usize)
        {
            if let Some(slot) = at_mut(&mut at_rank, *next) {
                *slot = t as u16;
            }
            *next = next.saturating_add(1);
        }
        t = t.saturating_add(1);
    }
    let mut rank = [0u16; T];
    let mut r = 0usize;
    while r < count {
        if let Some(&t) = at(&at_rank, r)
            && let Some(slot) = at_mut(&mut rank, t as usize)
        {
            *slot = r as u16;
        }
        r = r.saturating_add(1);
    }
    RankSet {
        words: [0; W],
        summary: 0,
        rank,
        at_rank,
    }
}

/// The empty net around the structure-dependent parts and a ready set.
macro_rules! empty_net {
    ($start:expr, $ready:expr) => {
        Net {
            store: Declared::new(),
            pool: Pool::new(),
            queues: [Queue::EMPTY; P],
            high_water: [0; P],
            runtime: $start.runtime,
            ready: $ready,
            waiting: IndexedHeap::new(),
            emitted: [Emitted::NONE; A],
            clock: Clock::new(Instant::from_ticks(0)),
            counters: NetCounters {
                injected: 0,
                taken: 0,
                created: 0,
                retired: 0,
                firings: 0,
                failures: 0,
            },
            next_seq: T as u64,
            satisfied: $start.satisfied,
            held: 0,
            blocking: $start.blocking,
            consumed: [NIL; MAX_FIRING_INPUTS],
        }
    };
}

impl<
    C: 'static,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    const W: usize,
    N: Declares<C, P, T, A, K>,
> Net<C, P, T, A, K, RankSet<T, W>, Declared<N>>
{
    /// The net `N` declares, with every place empty at time zero, as a constant: the
    /// same state [`Net::__declared_with`] computes at run time. `None` when the empty
    /// marking enables a transition (its scheduling may ask a guard); `net!` makes a
    /// `const` of it for nets where every transition has an input or read arc.
    #[doc(hidden)]
    #[must_use]
    pub const fn __declared_start() -> Option<Self> {
        let structure = &N::DECLARED.structure;
        match start(structure) {
            Some(start) => {
                let count = structure.transition_count as usize;
                let ready = empty_rank_set(&start.runtime, count);
                Some(empty_net!(start, ready))
            }
            None => None,
        }
    }
}

impl<
    C: 'static,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    N: Declares<C, P, T, A, K>,
> Net<C, P, T, A, K, ReadyHeap<T>, Declared<N>>
{
    /// The net `N` declares, with every place empty at time zero, as a constant: see
    /// the [`RankSet`] version (this one is for round-robin nets).
    #[doc(hidden)]
    #[must_use]
    pub const fn __declared_start() -> Option<Self> {
        match start(&N::DECLARED.structure) {
            Some(start) => Some(empty_net!(start, ReadyHeap(IndexedHeap::new()))),
            None => None,
        }
    }
}

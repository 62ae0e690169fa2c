//! The running net: its state, how it is made, and what can be read from it. The
//! host operations, the scheduling and the firing with commit and undo each live in a
//! file of their own below.

mod commit;
mod host;
mod ready;
mod scheduling;
mod start;
mod straight;

pub use ready::{RankSet, ReadyHeap, ReadySet};

use super::structure::TransitionDef;
use super::{
    Arc, ArcKind, Declaration, Heads, HoldsStructure, NIL, PlaceId, PlaceSpec, Pool, Queue,
    StructureStore, TransitionId, TransitionSpec,
};
use crate::sched::firing::Emitted;
use crate::sched::heap::IndexedHeap;
use crate::sched::observer::ReportChanges;
use crate::sched::{
    Behaviour, Disposition, Firing, FiringError, InjectError, MAX_FIRING_INPUTS, NetCounters,
    NetEvent, Observer, RunReport, Step, TakeError,
};
use crate::time::{Clock, ClockRegression, Duration, Instant};

/// Where a transition stands in the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Not enabled.
    Disabled,
    /// Enabled and allowed to fire now: in the ready heap.
    Ready,
    /// Enabled, waiting for its delay: in the waiting heap until `due`.
    Waiting,
    /// Enabled, but its last firing was rolled back: in the waiting heap until `due`,
    /// or until a place it touches changes.
    Held,
}

#[derive(Debug, Clone, Copy)]
struct Runtime {
    /// Ticks of the instant it became enabled (or last fired while staying enabled).
    since: u64,
    /// Ticks of the instant it may fire, while Waiting or Held.
    due: u64,
    /// Tie-break among equal priorities: declaration index, or last firing order when
    /// round-robin is on.
    seq: u64,
    firings: u32,
    failures: u32,
    status: Status,
    /// The transition's priority, copied here so ordering the ready heap reads one
    /// record per transition.
    priority: u8,
}

/// A coloured Petri net with `P` places, `T` transitions, `A` arcs and `K` token slots,
/// holding tokens of type `C`.
///
/// `R` is where it keeps its ready transitions: a [`ReadyHeap`] (the default, for nets
/// built at run time and round-robin ones) or, for a net declared with
/// [`net!`](crate::net!) without round-robin, a [`RankSet`] that its generated
/// straight-line firing updates directly. The rules below are the same with either.
///
/// Built by [`NetBuilder`](super::NetBuilder). The host puts tokens in with
/// [`Net::inject`] and takes them out with [`Net::take`]; [`Net::step`] fires at most one
/// ready transition, [`Net::run`] fires until nothing is ready or a budget is spent, and
/// [`Net::next_deadline`] says when to call again. Every call that can depend on time
/// takes `now`; a `now` earlier than the last one seen is a [`ClockRegression`] and
/// changes nothing.
///
/// # Rules
///
/// - **Enabled**: every input and read arc finds at least its weight in its place, every
///   inhibitor arc finds fewer than its weight, every output place has room for its arc's
///   weight after the transition's own consumption, the error place (if any) has room for
///   everything the transition consumes, and the guard accepts the tokens it would consume.
/// - **Timed**: a transition with delay `d` is ready once it has been enabled continuously
///   for `d` (since the instant of the call that enabled it; a [`Net::take`] acts at the
///   last instant seen). After a successful firing its clock restarts at that instant; a
///   failed firing does not restart it.
/// - **Choice**: among ready transitions the highest priority fires; ties go to the
///   earliest declared, or with round-robin to the least recently (successfully) fired.
/// - **Atomic firing**: consumed tokens go to the [`Behaviour`], which forwards or emits
///   tokens to output places within their weights. If it fails, emits where it may not,
///   or (not being a sink) produces fewer tokens than it consumed, or (not being a source)
///   more, nothing it produced remains and the consumed tokens go back to the front of
///   their places in their original order, or to the error place. A rolled-back
///   transition is not retried before the next tick unless one of its places changes.
/// - **Pass-through**: where the behaviour says a transition only passes its tokens
///   through ([`Behaviour::passes_through`]), the transition is not a source and its
///   output weights add up to what it consumes, that flow cannot fail, so the net moves
///   the tokens itself, with the same result, events and counts, without calling
///   [`Behaviour::fire`].
/// - **Cost**: choosing a transition is O(1) and a firing re-checks only the transitions
///   that touch places whose marking changed, so it does not grow with the net.
///
/// # Size
///
/// Everything is inline, sized by the const generics. On a 64-bit host,
/// `core::mem::size_of::<Net<C, P, T, A, K>>()` is at most about
/// `152 + 40 P + 112 T + 36 A + K (size_of::<Option<C>>() + 2)` bytes: the ping-pong net
/// `Net<u32, 2, 2, 4, 4>` takes 608 bytes, `Net<u32, 64, 64, 128, 256>` 15 776 bytes
/// (15.4 KiB); a unit test pins both on 64-bit hosts. (Ids carry the tag of the net
/// that made them, 2 bytes each, so a foreign id is refused rather than misread.) On a 32-bit microcontroller names
/// and pointers are half as wide: the firmware's request pipeline,
/// `Net<Request, 7, 4, 10, 15>` with a 24-byte token, takes 1344 bytes, as the firmware
/// logs at start-up and its snapshot records.
#[derive(Debug, Clone)]
pub struct Net<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet = ReadyHeap<T>,
    S: StructureStore<C, P, T, A, K> = Declaration<C, P, T, A, K>,
> {
    /// The validated structure: owned, or a zero-sized reference to a constant.
    store: S,
    pool: Pool<C, K>,
    queues: [Queue; P],
    high_water: [u16; P],
    runtime: [Runtime; T],
    ready: R,
    waiting: IndexedHeap<T>,
    emitted: [Emitted; A],
    clock: Clock,
    counters: NetCounters,
    next_seq: u64,
    /// Whether each arc currently allows its transition, in the order of the
    /// structure's place-to-arc index (`place_arcs`), so updating a place walks both
    /// arrays side by side.
    satisfied: [bool; A],
    /// How many transitions are [`Status::Held`], so the common case (none) skips
    /// looking their status up on every place change.
    held: u16,
    /// How many arcs of each transition currently do not allow it.
    blocking: [u16; T],
    /// Slots of the tokens the current firing consumed.
    consumed: [u16; MAX_FIRING_INPUTS],
}

/// `a` fires before `b`: higher priority, then lower sequence number. Both live in
/// the runtime record, so a comparison touches one array.
#[inline]
fn fires_before<const T: usize>(rt: &[Runtime; T], a: u16, b: u16) -> bool {
    let key = |t: u16| {
        rt.get(usize::from(t))
            .map_or((core::cmp::Reverse(0), u64::MAX), |r| {
                (core::cmp::Reverse(r.priority), r.seq)
            })
    };
    key(a) < key(b)
}

/// `a` is due before `b`: earlier due instant, then lower index.
#[inline]
fn due_before<const T: usize>(rt: &[Runtime; T], a: u16, b: u16) -> bool {
    let due = |t: u16| rt.get(usize::from(t)).map_or(u64::MAX, |r| r.due);
    (due(a), a) < (due(b), b)
}

/// The ready heap's order, [`fires_before`], as the heap takes it: one closure type
/// for every call site, so the heap's code is compiled once for this order (closures
/// written at each call site made a type each, and about 200 B more flash on Cortex-M).
/// With feature `compact-code`, the same type as [`due_order`]'s.
#[inline]
fn firing_order<const T: usize>(rt: &[Runtime; T]) -> impl Fn(u16, u16) -> bool {
    #[cfg(feature = "compact-code")]
    return in_order(rt, HeapOrder::Firing);
    #[cfg(not(feature = "compact-code"))]
    return move |a, b| fires_before(rt, a, b);
}

/// The waiting heap's order, [`due_before`], as the heap takes it.
#[inline]
fn due_order<const T: usize>(rt: &[Runtime; T]) -> impl Fn(u16, u16) -> bool {
    #[cfg(feature = "compact-code")]
    return in_order(rt, HeapOrder::Due);
    #[cfg(not(feature = "compact-code"))]
    return move |a, b| due_before(rt, a, b);
}

/// Which order a heap of the net keeps (feature `compact-code`).
#[cfg(feature = "compact-code")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeapOrder {
    /// The ready heap's: [`fires_before`].
    Firing,
    /// The waiting heap's: [`due_before`].
    Due,
}

/// With feature `compact-code`, both heaps' orders: one closure type for both, so the
/// heap's code (its out-of-line hole filling above all) is compiled once per net type
/// rather than once per order, about 400 B of flash less on Cortex-M. The order is a
/// constant wherever the heap's code is inlined; in the hole filling it is a branch
/// per comparison: more instructions per firing where removals reorder large heaps
/// (benches/callgrind: busy_ring_512 +1.6 %, busy_ring_1024 +3.4 %, fan +1.0 %, the
/// other net cases unchanged), hence not the default.
#[cfg(feature = "compact-code")]
#[inline]
fn in_order<const T: usize>(rt: &[Runtime; T], order: HeapOrder) -> impl Fn(u16, u16) -> bool {
    move |a, b| match order {
        HeapOrder::Firing => fires_before(rt, a, b),
        HeapOrder::Due => due_before(rt, a, b),
    }
}

impl<C, const P: usize, const T: usize, const A: usize, const K: usize> Net<C, P, T, A, K> {
    /// A builder for a net of these capacities.
    #[must_use]
    pub const fn builder() -> super::NetBuilder<C, P, T, A, K> {
        super::NetBuilder::new()
    }
}

impl<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    S: StructureStore<C, P, T, A, K>,
> Net<C, P, T, A, K, R, S>
{
    pub(crate) fn from_store(store: S) -> Self {
        let declaration = store.declaration();
        let structure = &declaration.structure;
        let mut runtime = [Runtime {
            since: 0,
            due: 0,
            seq: 0,
            firings: 0,
            failures: 0,
            status: Status::Disabled,
            priority: 0,
        }; T];
        for (i, (r, d)) in runtime
            .iter_mut()
            .zip(structure.transitions.iter())
            .enumerate()
        {
            r.seq = i as u64;
            r.priority = d.spec.priority;
        }
        let ready = R::with_priorities(runtime.iter().map(|r| r.priority));
        let mut net = Self {
            store,
            pool: Pool::new(),
            queues: [Queue::EMPTY; P],
            high_water: [0; P],
            runtime,
            ready,
            waiting: IndexedHeap::new(),
            emitted: [Emitted::NONE; A],
            clock: Clock::new(Instant::from_ticks(0)),
            counters: NetCounters::default(),
            next_seq: T as u64,
            satisfied: [false; A],
            held: 0,
            blocking: [0; T],
            consumed: [NIL; MAX_FIRING_INPUTS],
        };
        // Every place is empty: count the arcs that block each transition, then schedule
        // the enabled ones (sources, inhibitor-only transitions).
        for k in 0..usize::from(net.store.structure().all_arcs) {
            let Some(pa) = net.store.structure().place_arcs.get(k) else {
                continue;
            };
            let ok = pa.lo == 0;
            if let Some(s) = net.satisfied.get_mut(k) {
                *s = ok;
            }
            if !ok && let Some(b) = net.blocking.get_mut(usize::from(pa.transition)) {
                *b = b.saturating_add(1);
            }
        }
        for t in 0..net.store.structure().transition_count {
            net.recheck(t, 0);
        }
        net
    }

    // ----- read-only views -------------------------------------------------------------

    /// How many places the net has.
    #[must_use]
    pub fn place_count(&self) -> usize {
        self.store.structure().place_count()
    }

    /// How many transitions the net has.
    #[must_use]
    pub fn transition_count(&self) -> usize {
        self.store.structure().transition_count()
    }

    /// The declaration of `place`.
    #[must_use]
    pub fn place(&self, place: PlaceId) -> Option<&PlaceSpec> {
        self.store.structure().place(place)
    }

    /// The name of `transition`.
    #[must_use]
    pub fn transition_name(&self, transition: TransitionId) -> Option<&'static str> {
        self.store
            .structure()
            .own_transition(transition)
            .and_then(|t| self.store.structure().transition(t))
            .map(|d| d.name)
    }

    /// The options `transition` was declared with.
    #[must_use]
    pub fn transition_spec(&self, transition: TransitionId) -> Option<&TransitionSpec<C>> {
        self.store
            .structure()
            .own_transition(transition)
            .and_then(|t| self.store.structure().transition(t))
            .map(|d| &d.spec)
    }

    /// The arcs of `transition`, in declaration order.
    #[must_use]
    pub fn arcs(&self, transition: TransitionId) -> &[Arc] {
        self.store
            .structure()
            .own_transition(transition)
            .and_then(|t| self.store.structure().transition(t))
            .map_or(&[], |d| self.store.structure().arcs_of(d))
    }

    /// Every transition id, in declaration order.
    pub fn transitions(&self) -> impl Iterator<Item = TransitionId> {
        self.store.structure().transition_ids()
    }

    /// Every place id, in declaration order.
    pub fn places(&self) -> impl Iterator<Item = PlaceId> {
        let tag = self.store.structure().tag;
        (0..self.store.structure().place_count).map(move |p| PlaceId::tagged(p, tag))
    }

    /// How many tokens `place` holds (0 for an unknown place).
    #[must_use]
    pub fn len(&self, place: PlaceId) -> usize {
        self.queue(place).map_or(0, |q| usize::from(q.len))
    }

    /// The marking: how many tokens each place holds, in declaration order.
    pub fn marking(&self) -> impl Iterator<Item = (PlaceId, usize)> + '_ {
        self.places().map(|p| (p, self.len(p)))
    }

    /// The token at the head of `place`.
    #[must_use]
    pub fn peek(&self, place: PlaceId) -> Option<&C> {
        self.queue(place).and_then(|q| self.pool.slots().nth(q, 0))
    }

    /// The tokens of `place`, head first.
    pub fn tokens(&self, place: PlaceId) -> impl Iterator<Item = &C> + '_ {
        let slots = self.pool.slots();
        let queue = self.queue(place).copied().unwrap_or(Queue::EMPTY);
        let mut slot = queue.head;
        (0..queue.len).map_while(move |_| {
            let value = slots.value(slot);
            slot = slots.next(slot);
            value
        })
    }

    /// How many tokens all places hold together.
    #[must_use]
    pub fn held(&self) -> u64 {
        self.queues
            .iter()
            .take(self.store.structure().place_count())
            .fold(0u64, |n, q| n.saturating_add(u64::from(q.len)))
    }

    /// The most tokens `place` has ever held.
    #[must_use]
    pub fn high_water(&self, place: PlaceId) -> usize {
        self.high_water
            .get(place.index())
            .map_or(0, |&h| usize::from(h))
    }

    /// Successful firings of `transition` (saturating).
    #[must_use]
    pub fn firings(&self, transition: TransitionId) -> u32 {
        self.own_rt(transition).map_or(0, |r| r.firings)
    }

    /// Failed firings of `transition` (saturating).
    #[must_use]
    pub fn failures(&self, transition: TransitionId) -> u32 {
        self.own_rt(transition).map_or(0, |r| r.failures)
    }

    /// Whether `transition` is enabled by the current marking (ready or waiting).
    #[must_use]
    pub fn is_enabled(&self, transition: TransitionId) -> bool {
        self.own_rt(transition)
            .is_some_and(|r| r.status != Status::Disabled)
    }

    /// Where `transition` stands in the scheduler (`None` for a transition that is not
    /// this net's): disabled, ready, waiting for its delay, or held after a rolled-back
    /// firing, with the instant it becomes ready.
    #[must_use]
    pub fn schedule_of(&self, transition: TransitionId) -> Option<super::Schedule> {
        self.own_rt(transition).map(|r| {
            let due = Instant::from_ticks(r.due);
            match r.status {
                Status::Disabled => super::Schedule::Disabled,
                Status::Ready => super::Schedule::Ready,
                Status::Waiting => super::Schedule::Waiting { due },
                Status::Held => super::Schedule::Held { due },
            }
        })
    }

    /// How `transition` ranks in the tie-break among ready transitions of equal
    /// priority: the lower fires first (`None` for a transition that is not this net's).
    /// Without round-robin it is the declaration order and never changes; with
    /// round-robin a firing sends the transition behind every other, so the ranks
    /// compare as the order of last firings (their values only grow).
    #[must_use]
    pub fn tie_rank(&self, transition: TransitionId) -> Option<u64> {
        self.own_rt(transition).map(|r| r.seq)
    }

    /// The net's token and firing counters.
    #[must_use]
    pub const fn counters(&self) -> &NetCounters {
        &self.counters
    }

    /// The latest instant the net has seen.
    #[must_use]
    pub const fn last_seen(&self) -> Instant {
        self.clock.last()
    }

    /// The earliest instant at which anything can change without new input: the last
    /// instant seen if a transition is ready, else the earliest due timed or held
    /// transition or deadline of a machine in `behaviour`. `None` means nothing will
    /// happen until the host acts.
    #[must_use]
    pub fn next_deadline<B: Behaviour<C>>(&self, behaviour: &B) -> Option<Instant> {
        let last = self.clock.last();
        if !self.ready.is_empty() {
            return Some(last);
        }
        let waiting = self
            .waiting
            .peek()
            .and_then(|t| self.rt(t))
            .map(|r| Instant::from_ticks(r.due).max(last));
        let machine = behaviour.next_deadline().map(|d| d.max(last));
        crate::time::earliest(waiting, machine)
    }

    /// Whether ties among equal priorities go round-robin: a constant for a declared
    /// net, so its firing code keeps only the branch it needs.
    #[inline(always)]
    fn round_robin(&self) -> bool {
        self.store.structure().round_robin
    }

    /// The runtime record of `transition` if it is one of this net's.
    fn own_rt(&self, transition: TransitionId) -> Option<&Runtime> {
        self.store
            .structure()
            .own_transition(transition)
            .and_then(|t| self.rt(t))
    }

    fn queue(&self, place: PlaceId) -> Option<&Queue> {
        if self.store.structure().place(place).is_some() {
            self.queues.get(place.index())
        } else {
            None
        }
    }

    /// The declared name of transition `t`.
    fn transition_label(&self, t: u16) -> &'static str {
        self.store.structure().transition(t).map_or("", |d| d.name)
    }

    fn rt(&self, t: u16) -> Option<&Runtime> {
        if t < self.store.structure().transition_count {
            self.runtime.get(usize::from(t))
        } else {
            None
        }
    }
}

/// A zero-length delay, for readability at call sites.
pub const NO_DELAY: Duration = Duration::from_ticks(0);

/// How many times this thread evaluated whether a transition is enabled, so tests can
/// check that a firing's cost does not grow with the net. Test builds only: the count
/// is a thread-local outside the net, so it changes neither its size nor its behaviour.
#[cfg(test)]
pub(crate) mod enabling_checks {
    extern crate std;
    use core::cell::Cell;

    std::thread_local! {
        static COUNT: Cell<u64> = const { Cell::new(0) };
    }

    /// Counts one evaluation.
    pub(crate) fn note() {
        COUNT.with(|c| c.set(c.get() + 1));
    }

    /// Evaluations so far on this thread.
    pub(crate) fn count() -> u64 {
        COUNT.with(Cell::get)
    }
}

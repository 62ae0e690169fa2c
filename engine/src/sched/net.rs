//! The running net: marking, enabled sets, firing, and the host operations.

use super::firing::Emitted;
use super::heap::IndexedHeap;
use super::observer::ReportChanges;
use super::{
    Behaviour, Disposition, Firing, FiringError, InjectError, MAX_FIRING_INPUTS, NetCounters,
    NetEvent, Observer, RunReport, Step, TakeError,
};
use crate::net::structure::{Structure, TransitionDef};
use crate::net::{
    Arc, ArcKind, Heads, NIL, PlaceId, PlaceSpec, Pool, Queue, TransitionId, TransitionSpec,
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
/// Built by [`NetBuilder`](crate::net::NetBuilder). The host puts tokens in with
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
#[derive(Debug)]
pub struct Net<C, const P: usize, const T: usize, const A: usize, const K: usize> {
    structure: Structure<C, P, T, A>,
    pool: Pool<C, K>,
    queues: [Queue; P],
    high_water: [u16; P],
    runtime: [Runtime; T],
    ready: IndexedHeap<T>,
    waiting: IndexedHeap<T>,
    emitted: [Emitted; A],
    clock: Clock,
    counters: NetCounters,
    next_seq: u64,
    round_robin: bool,
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

impl<C, const P: usize, const T: usize, const A: usize, const K: usize> Net<C, P, T, A, K> {
    /// A builder for a net of these capacities.
    #[must_use]
    pub const fn builder() -> crate::net::NetBuilder<C, P, T, A, K> {
        crate::net::NetBuilder::new()
    }

    pub(crate) fn from_structure(structure: Structure<C, P, T, A>, round_robin: bool) -> Self {
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
        let mut net = Self {
            structure,
            pool: Pool::new(),
            queues: [Queue::EMPTY; P],
            high_water: [0; P],
            runtime,
            ready: IndexedHeap::new(),
            waiting: IndexedHeap::new(),
            emitted: [Emitted::NONE; A],
            clock: Clock::new(Instant::from_ticks(0)),
            counters: NetCounters::default(),
            next_seq: T as u64,
            round_robin,
            satisfied: [false; A],
            held: 0,
            blocking: [0; T],
            consumed: [NIL; MAX_FIRING_INPUTS],
        };
        // Every place is empty: count the arcs that block each transition, then schedule
        // the enabled ones (sources, inhibitor-only transitions).
        for k in 0..usize::from(net.structure.all_arcs) {
            let Some(pa) = net.structure.place_arcs.get(k) else {
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
        for t in 0..net.structure.transition_count {
            net.recheck(t, 0);
        }
        net
    }

    // ----- read-only views -------------------------------------------------------------

    /// How many places the net has.
    #[must_use]
    pub fn place_count(&self) -> usize {
        self.structure.place_count()
    }

    /// How many transitions the net has.
    #[must_use]
    pub fn transition_count(&self) -> usize {
        self.structure.transition_count()
    }

    /// The declaration of `place`.
    #[must_use]
    pub fn place(&self, place: PlaceId) -> Option<&PlaceSpec> {
        self.structure.place(place)
    }

    /// The name of `transition`.
    #[must_use]
    pub fn transition_name(&self, transition: TransitionId) -> Option<&'static str> {
        self.structure
            .own_transition(transition)
            .and_then(|t| self.structure.transition(t))
            .map(|d| d.name)
    }

    /// The options `transition` was declared with.
    #[must_use]
    pub fn transition_spec(&self, transition: TransitionId) -> Option<&TransitionSpec<C>> {
        self.structure
            .own_transition(transition)
            .and_then(|t| self.structure.transition(t))
            .map(|d| &d.spec)
    }

    /// The arcs of `transition`, in declaration order.
    #[must_use]
    pub fn arcs(&self, transition: TransitionId) -> &[Arc] {
        self.structure
            .own_transition(transition)
            .and_then(|t| self.structure.transition(t))
            .map_or(&[], |d| self.structure.arcs_of(d))
    }

    /// Every transition id, in declaration order.
    pub fn transitions(&self) -> impl Iterator<Item = TransitionId> {
        self.structure.transition_ids()
    }

    /// Every place id, in declaration order.
    pub fn places(&self) -> impl Iterator<Item = PlaceId> {
        let tag = self.structure.tag;
        (0..self.structure.place_count).map(move |p| PlaceId::tagged(p, tag))
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
            .take(self.structure.place_count())
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
        if self.ready.len() > 0 {
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

    /// The runtime record of `transition` if it is one of this net's.
    fn own_rt(&self, transition: TransitionId) -> Option<&Runtime> {
        self.structure
            .own_transition(transition)
            .and_then(|t| self.rt(t))
    }

    fn queue(&self, place: PlaceId) -> Option<&Queue> {
        if self.structure.place(place).is_some() {
            self.queues.get(place.index())
        } else {
            None
        }
    }

    /// The declared name of transition `t`.
    fn transition_label(&self, t: u16) -> &'static str {
        self.structure.transition(t).map_or("", |d| d.name)
    }

    fn rt(&self, t: u16) -> Option<&Runtime> {
        if t < self.structure.transition_count {
            self.runtime.get(usize::from(t))
        } else {
            None
        }
    }

    // ----- host operations -------------------------------------------------------------

    /// Puts `token` at the tail of `place` at `now`.
    ///
    /// # Errors
    /// [`InjectError`] carrying the token back: the place is full, unknown, or `now` is
    /// earlier than the last instant seen. Nothing changes.
    pub fn inject(&mut self, place: PlaceId, token: C, now: Instant) -> Result<(), InjectError<C>> {
        self.inject_observed(place, token, now, &mut ())
    }

    /// [`Net::inject`], reporting [`NetEvent::Injected`] or [`NetEvent::Refused`] to `observer`.
    ///
    /// # Errors
    /// As [`Net::inject`].
    pub fn inject_observed<O: Observer>(
        &mut self,
        place: PlaceId,
        token: C,
        now: Instant,
        observer: &mut O,
    ) -> Result<(), InjectError<C>> {
        if let Err(e) = self.clock.check(now) {
            return Err(InjectError::ClockRegression(token, e));
        }
        if !place.fits(self.structure.tag) {
            return Err(InjectError::ForeignPlace(token, place));
        }
        let Some(&PlaceSpec { name, capacity }) = self.structure.place(place) else {
            return Err(InjectError::UnknownPlace(token, place));
        };
        let Some(queue) = self.queues.get_mut(place.index()) else {
            return Err(InjectError::UnknownPlace(token, place));
        };
        if queue.len >= capacity {
            observer.on_event(&NetEvent::Refused {
                place,
                name,
                at: now,
            });
            return Err(InjectError::Full(token, place, name));
        }
        let mut pool = self.pool.view();
        let slot = match pool.alloc(token) {
            Ok(slot) => slot,
            Err(token) => {
                observer.on_event(&NetEvent::Refused {
                    place,
                    name,
                    at: now,
                });
                return Err(InjectError::Full(token, place, name));
            }
        };
        pool.push_back(queue, slot);
        let len = queue.len;
        self.note_high_water(place, len);
        self.clock = Clock::new(now);
        self.counters.injected = self.counters.injected.saturating_add(1);
        self.update_place(place, now.as_ticks());
        observer.on_event(&NetEvent::Injected {
            place,
            name,
            at: now,
        });
        Ok(())
    }

    /// Removes the token at the head of `place`, acting at the last instant seen.
    ///
    /// # Errors
    /// [`TakeError::Empty`] or [`TakeError::UnknownPlace`]; nothing changes.
    pub fn take(&mut self, place: PlaceId) -> Result<C, TakeError> {
        self.take_observed(place, &mut ())
    }

    /// [`Net::take`], reporting [`NetEvent::Taken`] to `observer`.
    ///
    /// # Errors
    /// As [`Net::take`].
    pub fn take_observed<O: Observer>(
        &mut self,
        place: PlaceId,
        observer: &mut O,
    ) -> Result<C, TakeError> {
        if !place.fits(self.structure.tag) {
            return Err(TakeError::ForeignPlace(place));
        }
        let Some(&PlaceSpec { name, .. }) = self.structure.place(place) else {
            return Err(TakeError::UnknownPlace(place));
        };
        let Some(queue) = self.queues.get_mut(place.index()) else {
            return Err(TakeError::UnknownPlace(place));
        };
        let mut pool = self.pool.view();
        let slot = pool.pop_front(queue).ok_or(TakeError::Empty(place, name))?;
        let Some(token) = pool.release(slot) else {
            return Err(TakeError::Empty(place, name));
        };
        self.counters.taken = self.counters.taken.saturating_add(1);
        let at = self.clock.last();
        self.update_place(place, at.as_ticks());
        observer.on_event(&NetEvent::Taken { place, name, at });
        Ok(token)
    }

    /// Applies embedded machines' due timeouts, then fires at most one ready transition.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen; nothing changes.
    pub fn step<B: Behaviour<C>>(
        &mut self,
        now: Instant,
        behaviour: &mut B,
    ) -> Result<Step, ClockRegression> {
        self.step_observed(now, behaviour, &mut ())
    }

    /// [`Net::step`], reporting every event to `observer`.
    ///
    /// # Errors
    /// As [`Net::step`].
    pub fn step_observed<B: Behaviour<C>, O: Observer>(
        &mut self,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Result<Step, ClockRegression> {
        self.clock.advance(now)?;
        Ok(self.step_at(now, behaviour, observer))
    }

    /// Steps at `now` until nothing is ready or `budget` firings (successful or failed)
    /// were made.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen; nothing changes.
    pub fn run<B: Behaviour<C>>(
        &mut self,
        now: Instant,
        budget: u32,
        behaviour: &mut B,
    ) -> Result<RunReport, ClockRegression> {
        self.run_observed(now, budget, behaviour, &mut ())
    }

    /// [`Net::run`], reporting every event to `observer`.
    ///
    /// # Errors
    /// As [`Net::run`].
    pub fn run_observed<B: Behaviour<C>, O: Observer>(
        &mut self,
        now: Instant,
        budget: u32,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Result<RunReport, ClockRegression> {
        self.clock.advance(now)?;
        let mut report = RunReport::default();
        loop {
            if report.fired.saturating_add(report.failed) >= budget {
                self.promote_due(now.as_ticks());
                report.exhausted = self.ready.len() > 0;
                return Ok(report);
            }
            match self.step_at(now, behaviour, observer) {
                Step::Idle => return Ok(report),
                Step::Fired { .. } => report.fired = report.fired.saturating_add(1),
                Step::Failed { .. } => report.failed = report.failed.saturating_add(1),
            }
        }
    }

    fn step_at<B: Behaviour<C>, O: Observer>(
        &mut self,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Step {
        if behaviour.next_deadline().is_some_and(|d| d <= now) {
            behaviour.poll(now, &mut ReportChanges(observer));
        }
        self.promote_due(now.as_ticks());
        match self.ready.peek() {
            Some(t) => self.fire(t, now, behaviour, observer),
            None => Step::Idle,
        }
    }

    // ----- scheduling ------------------------------------------------------------------

    /// Moves waiting and held transitions whose time has come into the ready heap.
    #[inline]
    fn promote_due(&mut self, now: u64) {
        // Nothing waits in untimed nets: decided here without a call.
        if self.waiting.len() > 0 {
            self.promote_waiting(now);
        }
    }

    fn promote_waiting(&mut self, now: u64) {
        while let Some(t) = self.waiting.peek() {
            let Some(r) = self.runtime.get_mut(usize::from(t)) else {
                break;
            };
            if r.due > now {
                break;
            }
            if r.status == Status::Held {
                self.held = self.held.saturating_sub(1);
            }
            r.status = Status::Ready;
            let rt = &self.runtime;
            self.waiting.remove(t, |a, b| due_before(rt, a, b));
            self.ready.push(t, |a, b| fires_before(rt, a, b));
        }
    }

    #[inline]
    fn unschedule(&mut self, t: u16) {
        let Some(status) = self.runtime.get(usize::from(t)).map(|r| r.status) else {
            return;
        };
        let rt = &self.runtime;
        match status {
            Status::Disabled => {}
            Status::Ready => {
                self.ready.remove(t, |a, b| fires_before(rt, a, b));
            }
            Status::Waiting => self.waiting.remove(t, |a, b| due_before(rt, a, b)),
            Status::Held => {
                self.waiting.remove(t, |a, b| due_before(rt, a, b));
                self.held = self.held.saturating_sub(1);
            }
        }
        if let Some(r) = self.runtime.get_mut(usize::from(t)) {
            r.status = Status::Disabled;
        }
    }

    /// Puts an enabled, unscheduled transition in the ready heap, or in the waiting heap
    /// until its delay has passed since `since`.
    #[inline]
    fn schedule(&mut self, t: u16) {
        let delay = self
            .structure
            .transition(t)
            .map_or(0, |d| d.spec.delay.as_ticks());
        let Some(r) = self.runtime.get_mut(usize::from(t)) else {
            return;
        };
        if delay == 0 {
            r.status = Status::Ready;
            let rt = &self.runtime;
            self.ready.push(t, |a, b| fires_before(rt, a, b));
        } else {
            r.due = r.since.saturating_add(delay);
            r.status = Status::Waiting;
            let rt = &self.runtime;
            self.waiting.push(t, |a, b| due_before(rt, a, b));
        }
    }

    /// Holds an enabled, unscheduled transition whose firing was rolled back at `at`
    /// until the next tick (or its delay, if later).
    fn hold(&mut self, t: u16, at: u64) {
        let delay = self
            .structure
            .transition(t)
            .map_or(0, |d| d.spec.delay.as_ticks());
        let Some(r) = self.runtime.get_mut(usize::from(t)) else {
            return;
        };
        r.due = r.since.saturating_add(delay).max(at.saturating_add(1));
        if r.status != Status::Held {
            self.held = self.held.saturating_add(1);
        }
        r.status = Status::Held;
        let rt = &self.runtime;
        self.waiting.push(t, |a, b| due_before(rt, a, b));
    }

    /// Re-evaluates whether `t` is enabled, at `at` (ticks), and moves it between the
    /// disabled, ready and waiting sets accordingly.
    #[inline]
    fn recheck(&mut self, t: u16, at: u64) {
        let enabled = self.is_structurally_enabled(t);
        let Some(status) = self.runtime.get(usize::from(t)).map(|r| r.status) else {
            return;
        };
        match (status, enabled) {
            (Status::Disabled, false) | (Status::Ready | Status::Waiting, true) => {}
            (Status::Disabled, true) => {
                if let Some(r) = self.runtime.get_mut(usize::from(t)) {
                    r.since = at;
                }
                self.schedule(t);
            }
            (_, false) => self.unschedule(t),
            (Status::Held, true) => {
                // A place it touches changed: the hold is over, its clock keeps running.
                self.unschedule(t);
                self.schedule(t);
            }
        }
    }

    /// After `place`'s marking changed at `at`: updates the arcs on it and re-checks the
    /// transitions whose enabling may have changed. Only a transition whose count of
    /// blocking arcs reaches or leaves zero (or whose guard may now answer differently)
    /// is re-checked, so the cost is the number of arcs on the place.
    fn update_place(&mut self, place: PlaceId, at: u64) {
        let len = self.queues.get(place.index()).map_or(0, |q| q.len);
        let Some(&(start, end)) = self.structure.place_ranges.get(place.index()) else {
            return;
        };
        for k in usize::from(start)..usize::from(end) {
            let (Some(pa), Some(sat)) = (
                self.structure.place_arcs.get(k).copied(),
                self.satisfied.get_mut(k),
            ) else {
                break;
            };
            let Some(blocking) = self.blocking.get_mut(usize::from(pa.transition)) else {
                continue;
            };
            let ok = pa.lo <= len && len <= pa.hi;
            if ok != *sat {
                *sat = ok;
                let was_clear = *blocking == 0;
                *blocking = if ok {
                    blocking.saturating_sub(1)
                } else {
                    blocking.saturating_add(1)
                };
                if was_clear != (*blocking == 0) {
                    self.recheck(pa.transition, at);
                    continue;
                }
            }
            // Still enabled: a guard may answer differently for new heads, and a held
            // transition is released by any change to its places.
            if *blocking == 0 && (pa.guarded || (self.held > 0 && self.is_held(pa.transition))) {
                self.recheck(pa.transition, at);
            }
        }
    }

    fn is_held(&self, t: u16) -> bool {
        self.runtime
            .get(usize::from(t))
            .is_some_and(|r| r.status == Status::Held)
    }

    fn is_structurally_enabled(&self, t: u16) -> bool {
        #[cfg(test)]
        enabling_checks::note();
        if self.blocking.get(usize::from(t)).is_none_or(|&b| b != 0) {
            return false;
        }
        let Some(def) = self.structure.transition(t) else {
            return false;
        };
        match def.spec.guard {
            Some(guard) => guard(&Heads {
                slots: self.pool.slots(),
                queues: &self.queues,
                arcs: self.structure.arcs_of(def),
            }),
            None => true,
        }
    }

    fn note_high_water(&mut self, place: PlaceId, len: u16) {
        if let Some(h) = self.high_water.get_mut(place.index()) {
            *h = (*h).max(len);
        }
    }

    // ----- firing ----------------------------------------------------------------------

    fn fire<B: Behaviour<C>, O: Observer>(
        &mut self,
        t: u16,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Step {
        // Only the few facts firing needs, rather than a copy of the whole definition.
        let Some((arc_range, source, sink, untimed, forwards_all)) =
            self.structure.transition(t).map(|d| {
                let untimed = d.spec.delay.as_ticks() == 0;
                (d.arcs, d.spec.source, d.spec.sink, untimed, d.forwards_all)
            })
        else {
            return Step::Idle;
        };
        let transition = TransitionId::tagged(t, self.structure.tag);
        // Without a delay to restart or a round-robin place to lose, a transition that is
        // still enabled after its firing keeps its place in the ready heap (its key does
        // not change); the place updates of the commit unschedule it if it is not. Taking
        // it out and putting it back, as a timed or round-robin one needs, would cost two
        // heap operations per firing of a busy transition.
        let stays_ready = untimed && !self.round_robin;
        if !stays_ready {
            self.unschedule(t);
        }
        // Nothing before the outcome is known touches `since`; undo reads it then.
        let range = usize::from(arc_range.0)..usize::from(arc_range.1);
        let input_count = self.consume_inputs(range.clone());
        if forwards_all && behaviour.passes_through(transition) {
            return self.forward_inputs(t, stays_ready, arc_range, input_count, now, observer);
        }
        let arcs = self.structure.arcs.get(range.clone()).unwrap_or(&[]);
        // Every entry is NONE between firings: commit and undo reset what they read.
        let emitted = self.emitted.get_mut(range).unwrap_or(&mut []);
        let mut changes = ReportChanges(&mut *observer);

        let mut firing = Firing {
            transition,
            arcs,
            emitted,
            pool: self.pool.view(),
            queues: &mut self.queues,
            inputs: self.consumed.get(..input_count).unwrap_or(&[]),
            forwarded: 0,
            produced: 0,
            error: None,
            changes: &mut changes,
            source,
            tag: self.structure.tag,
            places: self
                .structure
                .places
                .get(..self.structure.place_count())
                .unwrap_or(&[]),
            sink,
            holding: false,
            held: None,
            held_over: false,
        };
        let result = behaviour.fire(transition, &mut firing, now);
        let failure = match result {
            Err(fault) => Some(FiringError::Behaviour(fault)),
            Ok(()) => firing.verdict().err(),
        };
        let (produced, forwarded) = (firing.produced, firing.forwarded);
        let consumed = input_count as u16;
        match failure {
            None => self.commit(
                t,
                stays_ready,
                arc_range,
                input_count,
                forwarded,
                consumed,
                produced,
                now,
                observer,
            ),
            Some(error) => {
                // Undo starts from the transition out of the heaps, as a failure must
                // not leave it ready.
                if stays_ready {
                    self.unschedule(t);
                }
                // The rare path: copies are cheaper to reason about than borrows here.
                let Some(def) = self.structure.transition(t).copied() else {
                    return Step::Idle;
                };
                let inputs = self.consumed;
                let inputs = inputs.get(..input_count).unwrap_or(&[]);
                let since = self.runtime.get(usize::from(t)).map_or(0, |r| r.since);
                self.undo(t, &def, inputs, since, error, now, observer)
            }
        }
    }

    /// Pops the tokens a firing of the transition whose arcs are `range` consumes into
    /// `consumed`, in arc order, and returns how many.
    #[inline]
    fn consume_inputs(&mut self, range: core::ops::Range<usize>) -> usize {
        let arcs = self.structure.arcs.get(range).unwrap_or(&[]);
        let mut pool = self.pool.view();
        let mut count = 0usize;
        for a in arcs.iter().filter(|a| a.kind == ArcKind::Input) {
            let Some(queue) = self.queues.get_mut(a.place.index()) else {
                continue;
            };
            for _ in 0..a.weight {
                if let (Some(dst), Some(slot)) =
                    (self.consumed.get_mut(count), pool.pop_front(queue))
                {
                    *dst = slot;
                    count = count.saturating_add(1);
                }
            }
        }
        count
    }

    /// Completes a firing of `t` as pass-through flow that cannot fail (see
    /// [`Behaviour::passes_through`]): the consumed tokens go to the output arcs in arc
    /// order, each up to its weight, and the firing is committed. The same tokens end in
    /// the same places, in the same order, with the same counts and events as a
    /// [`Passthrough`](super::Passthrough) firing through [`Firing`] and
    /// [`Self::commit`], without the emission records that only a failure would need.
    fn forward_inputs<O: Observer>(
        &mut self,
        t: u16,
        stayed_ready: bool,
        arc_range: (u16, u16),
        input_count: usize,
        now: Instant,
        observer: &mut O,
    ) -> Step {
        let range = usize::from(arc_range.0)..usize::from(arc_range.1);
        let arcs = self.structure.arcs.get(range).unwrap_or(&[]);
        let mut pool = self.pool.view();
        let mut tokens = self.consumed.get(..input_count).unwrap_or(&[]).iter();
        for a in arcs.iter().filter(|a| a.kind == ArcKind::Output) {
            let Some(queue) = self.queues.get_mut(a.place.index()) else {
                continue;
            };
            for &slot in tokens.by_ref().take(usize::from(a.weight)) {
                pool.push_back(queue, slot);
            }
        }
        self.count_firing(t);
        let at = now.as_ticks();
        let moved = input_count as u16;
        // Output arcs fill in arc order: once the tokens run out, the rest received none.
        let mut unplaced = moved;
        for i in usize::from(arc_range.0)..usize::from(arc_range.1) {
            let Some(a) = self.structure.arcs.get(i).copied() else {
                continue;
            };
            match a.kind {
                ArcKind::Input => self.update_place(a.place, at),
                ArcKind::Output if unplaced > 0 => {
                    unplaced = unplaced.saturating_sub(a.weight);
                    self.update_output_place(a.place, at);
                }
                _ => {}
            }
        }
        self.finish_firing(t, stayed_ready, now, moved, moved, observer)
    }

    /// Counts a successful firing of `t` and, with round-robin, sends it to the back of
    /// its priority.
    #[inline]
    fn count_firing(&mut self, t: u16) {
        if self.round_robin {
            if let Some(r) = self.runtime.get_mut(usize::from(t)) {
                r.seq = self.next_seq;
            }
            self.next_seq = self.next_seq.saturating_add(1);
        }
        self.counters.firings = self.counters.firings.saturating_add(1);
        if let Some(r) = self.runtime.get_mut(usize::from(t)) {
            r.firings = r.firings.saturating_add(1);
        }
    }

    /// After tokens arrived in `place` at `at`: its high-water mark and its arcs.
    #[inline]
    fn update_output_place(&mut self, place: PlaceId, at: u64) {
        let len = self.len(place) as u16;
        self.note_high_water(place, len);
        self.update_place(place, at);
    }

    /// The end of a successful firing of `t`, its places updated: a transition taken
    /// out of the heaps for its firing goes back if still enabled (its clock restarting
    /// now), and the observer hears of it.
    #[inline]
    fn finish_firing<O: Observer>(
        &mut self,
        t: u16,
        stayed_ready: bool,
        now: Instant,
        consumed: u16,
        produced: u16,
        observer: &mut O,
    ) -> Step {
        // One that stayed in the ready heap needs nothing: the place updates re-checked
        // it wherever its enabling could have changed, and as it has no delay its
        // enabled-since instant is never read (`hold` only needs it to be no later than
        // now, which it is).
        if !stayed_ready {
            self.recheck(t, now.as_ticks());
        }
        let transition = TransitionId::tagged(t, self.structure.tag);
        observer.on_event(&NetEvent::Fired {
            transition,
            name: self.transition_label(t),
            at: now,
            consumed,
            produced,
        });
        Step::Fired {
            transition,
            consumed,
            produced,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn commit<O: Observer>(
        &mut self,
        t: u16,
        stayed_ready: bool,
        arc_range: (u16, u16),
        input_count: usize,
        forwarded: u32,
        consumed: u16,
        produced: u16,
        now: Instant,
        observer: &mut O,
    ) -> Step {
        // Forwarded tokens moved on; the others retire.
        // (A mask compare: `count_ones` is a dozen instructions without popcnt.)
        let all_forwarded = 1u64.wrapping_shl(input_count as u32).wrapping_sub(1) as u32;
        if forwarded != all_forwarded {
            let mut pool = self.pool.view();
            let inputs = self.consumed.get(..input_count).unwrap_or(&[]);
            for (i, &slot) in inputs.iter().enumerate() {
                if forwarded & 1u32.wrapping_shl(i as u32) == 0 {
                    pool.discard(slot);
                }
            }
        }
        self.count_firing(t);
        if consumed != produced {
            self.counters.retired = self
                .counters
                .retired
                .saturating_add(u64::from(consumed.saturating_sub(produced)));
            self.counters.created = self
                .counters
                .created
                .saturating_add(u64::from(produced.saturating_sub(consumed)));
        }
        let at = now.as_ticks();
        for i in usize::from(arc_range.0)..usize::from(arc_range.1) {
            let (Some(a), Some(e)) = (
                self.structure.arcs.get(i).copied(),
                self.emitted
                    .get_mut(i)
                    .map(|e| core::mem::replace(e, Emitted::NONE)),
            ) else {
                continue;
            };
            match a.kind {
                ArcKind::Input => self.update_place(a.place, at),
                ArcKind::Output if e.count > 0 => self.update_output_place(a.place, at),
                _ => {}
            }
        }
        self.finish_firing(t, stayed_ready, now, consumed, produced, observer)
    }

    #[allow(clippy::too_many_arguments)]
    fn undo<O: Observer>(
        &mut self,
        t: u16,
        def: &TransitionDef<C>,
        inputs: &[u16],
        since: u64,
        error: FiringError,
        now: Instant,
        observer: &mut O,
    ) -> Step {
        // Cut every produced token off its output place; new ones are dropped, forwarded
        // ones are consumed tokens and go back below.
        for i in usize::from(def.arcs.0)..usize::from(def.arcs.1) {
            let (Some(a), Some(e)) = (
                self.structure.arcs.get(i).copied(),
                self.emitted
                    .get_mut(i)
                    .map(|e| core::mem::replace(e, Emitted::NONE)),
            ) else {
                continue;
            };
            if a.kind != ArcKind::Output || e.count == 0 {
                continue;
            }
            let Some(queue) = self.queues.get_mut(a.place.index()) else {
                continue;
            };
            let mut pool = self.pool.view();
            let mut slot = pool.truncate(queue, e.old_tail, e.old_len);
            for _ in 0..e.count {
                let next = pool.slots().next(slot);
                if !inputs.contains(&slot) {
                    pool.discard(slot);
                }
                slot = next;
            }
        }
        self.counters.failures = self.counters.failures.saturating_add(1);
        if let Some(r) = self.runtime.get_mut(usize::from(t)) {
            r.failures = r.failures.saturating_add(1);
        }
        let at = now.as_ticks();
        let disposition = match def.spec.error_place {
            Some(place) => {
                if let Some(queue) = self.queues.get_mut(place.index()) {
                    let mut pool = self.pool.view();
                    for &slot in inputs {
                        pool.push_back(queue, slot);
                    }
                    let len = queue.len;
                    self.note_high_water(place, len);
                }
                let arcs = self
                    .structure
                    .arcs
                    .get(usize::from(def.arcs.0)..usize::from(def.arcs.1))
                    .unwrap_or(&[]);
                let mut touched: heapless::Vec<PlaceId, MAX_FIRING_INPUTS> = heapless::Vec::new();
                for a in arcs.iter().filter(|a| a.kind == ArcKind::Input) {
                    // At most MAX_FIRING_INPUTS input arcs, each of weight >= 1.
                    let _ = touched.push(a.place);
                }
                for p in touched {
                    self.update_place(p, at);
                }
                self.update_place(place, at);
                self.recheck(t, at);
                // A failure is not a firing: if it stays enabled, its clock keeps running.
                if self.is_enabled(TransitionId::tagged(t, self.structure.tag)) {
                    self.unschedule(t);
                    if let Some(r) = self.runtime.get_mut(usize::from(t)) {
                        r.since = since;
                    }
                    self.schedule(t);
                }
                Disposition::ToErrorPlace {
                    place,
                    name: self.structure.place(place).map_or("", |p| p.name),
                }
            }
            None => {
                self.restore_inputs(def, inputs);
                // Same marking as before, so only this transition needs a new schedule:
                // still enabled since `since`, but held until the next tick.
                if let Some(r) = self.runtime.get_mut(usize::from(t)) {
                    r.since = since;
                }
                if self.is_structurally_enabled(t) {
                    self.hold(t, at);
                }
                Disposition::RolledBack
            }
        };
        let transition = TransitionId::tagged(t, self.structure.tag);
        let name = self.transition_label(t);
        warn!(
            "transition {}[{}] failed: consumed tokens rolled back or sent to its error place",
            name, t
        );
        observer.on_event(&NetEvent::Failed {
            transition,
            name,
            at: now,
            error,
            disposition,
        });
        Step::Failed {
            transition,
            error,
            disposition,
        }
    }

    /// Puts consumed tokens back at the front of their places in their original order.
    fn restore_inputs(&mut self, def: &TransitionDef<C>, inputs: &[u16]) {
        let arcs = self
            .structure
            .arcs
            .get(usize::from(def.arcs.0)..usize::from(def.arcs.1))
            .unwrap_or(&[]);
        let mut end = inputs.len();
        for a in arcs.iter().rev().filter(|a| a.kind == ArcKind::Input) {
            let start = end.saturating_sub(usize::from(a.weight));
            let Some(queue) = self.queues.get_mut(a.place.index()) else {
                continue;
            };
            let mut pool = self.pool.view();
            for &slot in inputs.get(start..end).unwrap_or(&[]).iter().rev() {
                pool.push_front(queue, slot);
            }
            end = start;
        }
    }
}

/// A zero-length delay, for readability at call sites.
pub const NO_DELAY: Duration = Duration::from_ticks(0);

/// How many times this thread evaluated whether a transition is enabled, so tests can
/// check that a firing's cost does not grow with the net. Test builds only: the count
/// is a thread-local outside the net, so it changes neither its size nor its behaviour.
#[cfg(test)]
pub(super) mod enabling_checks {
    extern crate std;
    use core::cell::Cell;

    std::thread_local! {
        static COUNT: Cell<u64> = const { Cell::new(0) };
    }

    /// Counts one evaluation.
    pub(in crate::sched) fn note() {
        COUNT.with(|c| c.set(c.get() + 1));
    }

    /// Evaluations so far on this thread.
    pub(in crate::sched) fn count() -> u64 {
        COUNT.with(Cell::get)
    }
}

//! The steps the code [`net!`](crate::net!) generates is made of: for each transition
//! of a declared net (without round-robin), a firing written out straight-line, with
//! its places, its arcs and the transitions whose enabling it can change known at
//! compile time, calling these small operations on the net's state.
//!
//! They are hidden from the documentation: their only caller is generated code, which
//! keeps the net's rules by construction, and the lockstep property tests
//! (`engine/tests/straight_line.rs`) check that it does, step for step, against the
//! interpreter. Each keeps the engine's own guarantees: no panic on any input, and an
//! index that is not the net's does nothing.

use super::*;

impl<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    const W: usize,
    S: StructureStore<C, P, T, A, K>,
> Net<C, P, T, A, K, super::RankSet<T, W>, S>
{
    /// How many tokens place `p` holds.
    #[doc(hidden)]
    #[inline(always)]
    #[must_use]
    pub fn __len(&self, p: u16) -> u16 {
        self.queues.get(usize::from(p)).map_or(0, |q| q.len)
    }

    /// Unlinks the token at the head of place `p` and returns its slot (`u16::MAX`
    /// when the place is empty, which an enabled transition's input never is).
    #[doc(hidden)]
    #[inline(always)]
    pub fn __pop(&mut self, p: u16) -> u16 {
        let Some(queue) = self.queues.get_mut(usize::from(p)) else {
            return NIL;
        };
        self.pool.view().pop_front(queue).unwrap_or(NIL)
    }

    /// Links the token in `slot` at the tail of place `p` and notes its high water.
    #[doc(hidden)]
    #[inline(always)]
    pub fn __push(&mut self, p: u16, slot: u16) {
        if slot == NIL {
            return;
        }
        let Some(queue) = self.queues.get_mut(usize::from(p)) else {
            return;
        };
        self.pool.view().push_back(queue, slot);
        let len = queue.len;
        if let Some(h) = self.high_water.get_mut(usize::from(p)) {
            *h = (*h).max(len);
        }
    }

    /// Sets whether each of transition `t`'s arcs allows it, given as its index in the
    /// place-to-arc index (`k`) and the verdict evaluated by the caller from the
    /// marking, and returns whether all do. `arcs` must be all of `t`'s arcs (its error
    /// place's included): the count of arcs blocking `t` is set from them.
    #[doc(hidden)]
    #[inline(always)]
    pub fn __arcs<const N: usize>(&mut self, t: u16, arcs: [(u16, bool); N]) -> bool {
        let mut blocking = 0u16;
        for (k, ok) in arcs {
            if let Some(s) = self.satisfied.get_mut(usize::from(k)) {
                *s = ok;
            }
            blocking = blocking.saturating_add(u16::from(!ok));
        }
        if let Some(b) = self.blocking.get_mut(usize::from(t)) {
            *b = blocking;
        }
        blocking == 0
    }

    /// Applies whether transition `t`, of rank `rank` in the ready set, is `enabled` at
    /// `at` (ticks), its arcs set by
    /// [`Self::__arcs`] and its guard (if any) still to ask: it becomes ready, waits, or
    /// leaves the ready set. An untimed transition moving between disabled and ready,
    /// the common case, is decided here without a call.
    #[doc(hidden)]
    #[inline(always)]
    pub fn __enabling(&mut self, t: u16, rank: u16, enabled: bool, untimed: bool, at: u64) {
        let Some(r) = self.runtime.get_mut(usize::from(t)) else {
            return;
        };
        match (r.status, enabled) {
            (Status::Disabled, false) | (Status::Ready | Status::Waiting, true) => {}
            (Status::Disabled, true) if untimed => {
                r.since = at;
                r.status = Status::Ready;
                self.ready.insert_rank(rank);
            }
            (Status::Ready, false) => {
                r.status = Status::Disabled;
                self.ready.remove_rank(rank);
            }
            _ => self.enabling_changed(t, enabled, at),
        }
    }

    /// The rest of [`Self::__enabling`]: a timed or held transition. Out of line, so
    /// the common case stays a few instructions at every call site.
    #[inline(never)]
    fn enabling_changed(&mut self, t: u16, enabled: bool, at: u64) {
        self.apply_enabling(t, enabled, at);
    }

    /// Re-evaluates transition `t` after [`Self::__arcs`], its guard included (a guard
    /// reads the head tokens).
    #[doc(hidden)]
    #[inline]
    pub fn __recheck(&mut self, t: u16, at: u64) {
        self.recheck(t, at);
    }

    /// Ends a pass-through firing of the untimed transition `t`, which moved `moved`
    /// tokens and whose places were re-evaluated: counts it, tells the observer, and
    /// returns the step.
    #[doc(hidden)]
    #[inline(always)]
    pub fn __fired<O: Observer>(
        &mut self,
        t: u16,
        now: Instant,
        moved: u16,
        observer: &mut O,
    ) -> Step {
        // A ranked net has no round-robin: nothing else to count.
        self.counters.firings = self.counters.firings.saturating_add(1);
        if let Some(r) = self.runtime.get_mut(usize::from(t)) {
            r.firings = r.firings.saturating_add(1);
        }
        self.finish_firing(t, true, now, moved, moved, observer)
    }

    /// Fires transition `t` the way the interpreter does (behaviour, commit or undo).
    #[doc(hidden)]
    #[inline]
    pub fn __fire<B: Behaviour<C>, O: Observer>(
        &mut self,
        t: u16,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Step {
        self.fire(t, now, behaviour, observer)
    }

    /// The start of a step at `now`: applies embedded machines' due timeouts and moves
    /// due transitions to the ready set, then returns the transition that fires next.
    #[doc(hidden)]
    #[inline]
    pub fn __next_ready<B: Behaviour<C>, O: Observer>(
        &mut self,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Option<u16> {
        if behaviour.next_deadline().is_some_and(|d| d <= now) {
            behaviour.poll(now, &mut ReportChanges(observer));
        }
        self.promote_due(now.as_ticks());
        self.ready.first()
    }

    /// Advances the net's clock to `now`.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen; nothing changes.
    #[doc(hidden)]
    #[inline]
    pub fn __advance(&mut self, now: Instant) -> Result<(), ClockRegression> {
        self.clock.advance(now)
    }

    /// Whether a transition is still ready at `now` when a run's budget is spent.
    #[doc(hidden)]
    #[inline]
    pub fn __exhausted(&mut self, now: Instant) -> bool {
        self.promote_due(now.as_ticks());
        !self.ready.is_empty()
    }
}

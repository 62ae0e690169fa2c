//! One firing: consume the inputs, run the behaviour, then commit what it produced or
//! undo it all.

use super::*;

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
    pub(super) fn fire<B: Behaviour<C>, O: Observer>(
        &mut self,
        t: u16,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Step {
        // Only the few facts firing needs, rather than a copy of the whole definition.
        let Some((arc_range, source, sink, untimed, forwards_all)) =
            self.store.structure().transition(t).map(|d| {
                let untimed = d.spec.delay.as_ticks() == 0;
                (d.arcs, d.spec.source, d.spec.sink, untimed, d.forwards_all)
            })
        else {
            return Step::Idle;
        };
        let transition = TransitionId::tagged(t, self.store.structure().tag);
        // Without a delay to restart or a round-robin place to lose, a transition that is
        // still enabled after its firing keeps its place in the ready heap (its key does
        // not change); the place updates of the commit unschedule it if it is not. Taking
        // it out and putting it back, as a timed or round-robin one needs, would cost two
        // heap operations per firing of a busy transition.
        let stays_ready = untimed && !self.round_robin();
        if !stays_ready {
            self.unschedule(t);
        }
        // Nothing before the outcome is known touches `since`; undo reads it then.
        let range = usize::from(arc_range.0)..usize::from(arc_range.1);
        let input_count = self.consume_inputs(range.clone());
        if forwards_all && behaviour.passes_through(transition) {
            return self.forward_inputs(t, stays_ready, arc_range, input_count, now, observer);
        }
        let arcs = self
            .store
            .structure()
            .arcs
            .get(range.clone())
            .unwrap_or(&[]);
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
            tag: self.store.structure().tag,
            places: self
                .store
                .structure()
                .places
                .get(..self.store.structure().place_count())
                .unwrap_or(&[]),
            sink,
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
            Some(error) => self.fail(t, stays_ready, input_count, &error, now, observer),
        }
    }

    /// Undoes a failed firing of `t` that consumed `input_count` tokens. Out of line and
    /// cold: its copies of the definition and of the consumed slots would otherwise sit
    /// in the frame of every run, on the deepest path of each step, for a path that
    /// runs only when a firing fails. The error comes by reference for the same reason:
    /// by value, its copy for the call took a slot of its own in the run's frame.
    #[cold]
    #[inline(never)]
    fn fail<O: Observer>(
        &mut self,
        t: u16,
        stayed_ready: bool,
        input_count: usize,
        error: &FiringError,
        now: Instant,
        observer: &mut O,
    ) -> Step {
        // Undo starts from the transition out of the heaps, as a failure must not leave
        // it ready.
        if stayed_ready {
            self.unschedule(t);
        }
        // The rare path: copies are cheaper to reason about than borrows here.
        let Some(def) = self.store.structure().transition(t).copied() else {
            return Step::Idle;
        };
        let inputs = self.consumed;
        let inputs = inputs.get(..input_count).unwrap_or(&[]);
        let since = self.runtime.get(usize::from(t)).map_or(0, |r| r.since);
        self.undo(t, &def, inputs, since, *error, now, observer)
    }

    /// Pops the tokens a firing of the transition whose arcs are `range` consumes into
    /// `consumed`, in arc order, and returns how many.
    #[inline]
    pub(super) fn consume_inputs(&mut self, range: core::ops::Range<usize>) -> usize {
        let arcs = self.store.structure().arcs.get(range).unwrap_or(&[]);
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
    pub(super) fn forward_inputs<O: Observer>(
        &mut self,
        t: u16,
        stayed_ready: bool,
        arc_range: (u16, u16),
        input_count: usize,
        now: Instant,
        observer: &mut O,
    ) -> Step {
        let range = usize::from(arc_range.0)..usize::from(arc_range.1);
        let arcs = self.store.structure().arcs.get(range).unwrap_or(&[]);
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
            let Some(a) = self.store.structure().arcs.get(i).copied() else {
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
    pub(super) fn count_firing(&mut self, t: u16) {
        if self.round_robin() {
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
    pub(super) fn update_output_place(&mut self, place: PlaceId, at: u64) {
        let len = self.len(place) as u16;
        self.note_high_water(place, len);
        self.update_place(place, at);
    }

    /// The end of a successful firing of `t`, its places updated: a transition taken
    /// out of the heaps for its firing goes back if still enabled (its clock restarting
    /// now), and the observer hears of it.
    #[inline]
    pub(super) fn finish_firing<O: Observer>(
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
        let transition = TransitionId::tagged(t, self.store.structure().tag);
        report_fired(
            observer,
            transition,
            self.transition_label(t),
            now,
            consumed,
            produced,
        );
        Step::Fired {
            transition,
            consumed,
            produced,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn commit<O: Observer>(
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
                self.store.structure().arcs.get(i).copied(),
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
    pub(super) fn undo<O: Observer>(
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
                self.store.structure().arcs.get(i).copied(),
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
                // Each input place once (the builder refuses two input arcs to one
                // place), looked up by index so no copy of the arcs is kept.
                for i in usize::from(def.arcs.0)..usize::from(def.arcs.1) {
                    if let Some(a) = self.store.structure().arcs.get(i).copied()
                        && a.kind == ArcKind::Input
                    {
                        self.update_place(a.place, at);
                    }
                }
                self.update_place(place, at);
                self.recheck(t, at);
                // A failure is not a firing: if it stays enabled, its clock keeps running.
                let enabled = self
                    .runtime
                    .get(usize::from(t))
                    .is_some_and(|r| r.status != Status::Disabled);
                if enabled {
                    self.unschedule(t);
                    if let Some(r) = self.runtime.get_mut(usize::from(t)) {
                        r.since = since;
                    }
                    self.schedule(t);
                }
                Disposition::ToErrorPlace {
                    place,
                    name: self.store.structure().place(place).map_or("", |p| p.name),
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
        let transition = TransitionId::tagged(t, self.store.structure().tag);
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
    pub(super) fn restore_inputs(&mut self, def: &TransitionDef<C>, inputs: &[u16]) {
        let arcs = self
            .store
            .structure()
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

/// Tells `observer` that `transition` fired. Out of line: the event (as large as the
/// largest [`NetEvent`], a state change's) is built in a frame of its own, not in the
/// frame of the net's run, which every firing's deepest path sits under (firmware
/// stack). With an observer that ignores events (`()`) the function is empty and the
/// call is removed.
#[inline(never)]
fn report_fired<O: Observer>(
    observer: &mut O,
    transition: TransitionId,
    name: &'static str,
    at: Instant,
    consumed: u16,
    produced: u16,
) {
    observer.on_event(&NetEvent::Fired {
        transition,
        name,
        at,
        consumed,
        produced,
    });
}

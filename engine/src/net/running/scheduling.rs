//! Which transitions are enabled, ready or waiting, updated only for the places a
//! change touched.

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
    /// Moves waiting and held transitions whose time has come into the ready heap.
    #[inline]
    pub(super) fn promote_due(&mut self, now: u64) {
        // Nothing waits in untimed nets: decided here without a call.
        if self.waiting.len() > 0 {
            self.promote_waiting(now);
        }
    }

    pub(super) fn promote_waiting(&mut self, now: u64) {
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
            self.waiting.remove(t, due_order(rt));
            self.ready.insert(t, firing_order(rt));
        }
    }

    #[inline]
    pub(super) fn unschedule(&mut self, t: u16) {
        let Some(status) = self.runtime.get(usize::from(t)).map(|r| r.status) else {
            return;
        };
        let rt = &self.runtime;
        match status {
            Status::Disabled => {}
            Status::Ready => {
                self.ready.remove(t, firing_order(rt));
            }
            Status::Waiting => self.waiting.remove(t, due_order(rt)),
            Status::Held => {
                self.waiting.remove(t, due_order(rt));
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
    pub(super) fn schedule(&mut self, t: u16) {
        let delay = self
            .store
            .structure()
            .transition(t)
            .map_or(0, |d| d.spec.delay.as_ticks());
        let Some(r) = self.runtime.get_mut(usize::from(t)) else {
            return;
        };
        if delay == 0 {
            r.status = Status::Ready;
            let rt = &self.runtime;
            self.ready.insert(t, firing_order(rt));
        } else {
            r.due = r.since.saturating_add(delay);
            r.status = Status::Waiting;
            let rt = &self.runtime;
            self.waiting.push(t, due_order(rt));
        }
    }

    /// Holds an enabled, unscheduled transition whose firing was rolled back at `at`
    /// until the next tick (or its delay, if later).
    pub(super) fn hold(&mut self, t: u16, at: u64) {
        let delay = self
            .store
            .structure()
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
        self.waiting.push(t, due_order(rt));
    }

    /// Re-evaluates whether `t` is enabled, at `at` (ticks), and moves it between the
    /// disabled, ready and waiting sets accordingly.
    #[inline]
    pub(super) fn recheck(&mut self, t: u16, at: u64) {
        let enabled = self.is_structurally_enabled(t);
        self.apply_enabling(t, enabled, at);
    }

    /// Moves `t` between the disabled, ready and waiting sets for whether it is
    /// `enabled` at `at` (ticks): [`Self::recheck`] with the evaluation done by the
    /// caller (the code `net!` generates evaluates it straight-line).
    #[inline]
    pub(super) fn apply_enabling(&mut self, t: u16, enabled: bool, at: u64) {
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
    pub(super) fn update_place(&mut self, place: PlaceId, at: u64) {
        let len = self.queues.get(place.index()).map_or(0, |q| q.len);
        let Some(&(start, end)) = self.store.structure().place_ranges.get(place.index()) else {
            return;
        };
        for k in usize::from(start)..usize::from(end) {
            let (Some(pa), Some(sat)) = (
                self.store.structure().place_arcs.get(k).copied(),
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

    pub(super) fn is_held(&self, t: u16) -> bool {
        self.runtime
            .get(usize::from(t))
            .is_some_and(|r| r.status == Status::Held)
    }

    pub(super) fn is_structurally_enabled(&self, t: u16) -> bool {
        #[cfg(test)]
        enabling_checks::note();
        if self.blocking.get(usize::from(t)).is_none_or(|&b| b != 0) {
            return false;
        }
        let Some(def) = self.store.structure().transition(t) else {
            return false;
        };
        match def.spec.guard {
            Some(guard) => guard(&Heads {
                slots: self.pool.slots(),
                queues: &self.queues,
                arcs: self.store.structure().arcs_of(def),
            }),
            None => true,
        }
    }

    pub(super) fn note_high_water(&mut self, place: PlaceId, len: u16) {
        if let Some(h) = self.high_water.get_mut(place.index()) {
            *h = (*h).max(len);
        }
    }
}

//! The host's side of a running net: inject, take, step and run.

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
        if !place.fits(self.store.structure().tag) {
            return Err(InjectError::ForeignPlace(token, place));
        }
        let Some(&PlaceSpec { name, capacity }) = self.store.structure().place(place) else {
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
        if !place.fits(self.store.structure().tag) {
            return Err(TakeError::ForeignPlace(place));
        }
        let Some(&PlaceSpec { name, .. }) = self.store.structure().place(place) else {
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
                report.exhausted = !self.ready.is_empty();
                return Ok(report);
            }
            match self.step_at(now, behaviour, observer) {
                Step::Idle => return Ok(report),
                Step::Fired { .. } => report.fired = report.fired.saturating_add(1),
                Step::Failed { .. } => report.failed = report.failed.saturating_add(1),
            }
        }
    }

    pub(super) fn step_at<B: Behaviour<C>, O: Observer>(
        &mut self,
        now: Instant,
        behaviour: &mut B,
        observer: &mut O,
    ) -> Step {
        if behaviour.next_deadline().is_some_and(|d| d <= now) {
            behaviour.poll(now, &mut ReportChanges(observer));
        }
        self.promote_due(now.as_ticks());
        match self.ready.first() {
            Some(t) => self.fire(t, now, behaviour, observer),
            None => Step::Idle,
        }
    }
}

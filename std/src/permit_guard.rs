//! A permit that reports itself: whatever way a protected call ends, its permit goes
//! back to the breaker exactly once.

use crate::shared_breaker::SharedBreaker;
use crate::{Classify, Clock};
use mycel::breaker::{Outcome, Permit, Verdict};
use std::mem::ManuallyDrop;

/// The outcome recorded for a permit dropped without an explicit report: a failure
/// while the thread unwinds from a panic (the protected code blew up), otherwise
/// [`Outcome::Ignored`] (the call was cancelled: it says nothing about the backend,
/// and it frees its half-open probe slot).
#[must_use]
pub(crate) fn outcome_of_drop() -> Outcome {
    if std::thread::panicking() {
        Outcome::Failure
    } else {
        Outcome::Ignored
    }
}

/// A permit from a [`SharedBreaker`], borrowed from it for the length of one call.
///
/// Report how the call went with [`record`](Self::record) or
/// [`record_result`](Self::record_result). Dropped unreported, it records
/// [`Outcome::Ignored`], or [`Outcome::Failure`] if the thread is panicking: a
/// cancelled future or a panic never leaks a half-open probe slot.
#[derive(Debug)]
#[must_use = "dropping the guard at once records the call as ignored"]
pub struct PermitGuard<'a, C: Clock, const W: usize, const B: usize> {
    breaker: &'a SharedBreaker<C, W, B>,
    permit: Option<Permit>,
}

impl<'a, C: Clock, const W: usize, const B: usize> PermitGuard<'a, C, W, B> {
    pub(crate) fn new(breaker: &'a SharedBreaker<C, W, B>, permit: Permit) -> Self {
        Self {
            breaker,
            permit: Some(permit),
        }
    }

    /// The engine permit this guard holds.
    #[must_use]
    pub fn permit(&self) -> Option<Permit> {
        self.permit
    }

    /// Records `verdict` (an [`Outcome`], timed by the breaker, or a [`Verdict`] that
    /// also says whether the call was slow) at the clock's current instant and
    /// releases the permit.
    #[inline(always)]
    pub fn record(self, verdict: impl Into<Verdict>) {
        // Reported here, so the drop (which would find nothing left to report) is not
        // run: an out-of-line call on every protected call.
        let this = ManuallyDrop::new(self);
        if let Some(permit) = this.permit {
            this.breaker.finish(permit, verdict.into());
        }
    }

    /// Records the verdict `classify` gives `result`, and hands `result` back.
    pub fn record_result<T, E>(
        self,
        classify: &impl Classify<T, E>,
        result: Result<T, E>,
    ) -> Result<T, E> {
        self.record(classify.classify(&result));
        result
    }
}

impl<C: Clock, const W: usize, const B: usize> Drop for PermitGuard<'_, C, W, B> {
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take() {
            self.breaker.finish(permit, outcome_of_drop().into());
        }
    }
}

/// A permit from a [`SharedBreaker`] that owns a handle to it, for a call that
/// outlives the borrow (a tower response future, a spawned task). Behaves as
/// [`PermitGuard`] does: dropped unreported, it records [`Outcome::Ignored`], or
/// [`Outcome::Failure`] while panicking.
#[derive(Debug)]
#[must_use = "dropping the permit at once records the call as ignored"]
pub struct OwnedPermit<C: Clock, const W: usize, const B: usize> {
    breaker: SharedBreaker<C, W, B>,
    permit: Option<Permit>,
}

impl<C: Clock, const W: usize, const B: usize> OwnedPermit<C, W, B> {
    pub(crate) fn new(breaker: SharedBreaker<C, W, B>, permit: Permit) -> Self {
        Self {
            breaker,
            permit: Some(permit),
        }
    }

    /// Records `verdict` (an [`Outcome`], timed by the breaker, or a [`Verdict`] that
    /// also says whether the call was slow) at the clock's current instant and
    /// releases the permit.
    #[inline]
    pub fn record(mut self, verdict: impl Into<Verdict>) {
        // Taken, not kept from the drop as `PermitGuard` does: the handle on the
        // breaker must still be dropped.
        if let Some(permit) = self.permit.take() {
            self.breaker.finish(permit, verdict.into());
        }
    }
}

impl<C: Clock, const W: usize, const B: usize> Drop for OwnedPermit<C, W, B> {
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take() {
            self.breaker.finish(permit, outcome_of_drop().into());
        }
    }
}

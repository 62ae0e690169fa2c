//! What a behaviour sees and does during one firing.

use super::{EmitError, FiringError, Refused};
use crate::fsm::{ChangeSink, StateChange};
use crate::net::{Arc, ArcKind, NIL, NetTag, PlaceId, PlaceSpec, PoolView, Queue, TransitionId};
use crate::time::ClockRegression;

/// Per output arc bookkeeping of one firing, so a failure can undo its emissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Emitted {
    pub(crate) old_tail: u16,
    pub(crate) old_len: u16,
    pub(crate) count: u16,
}

impl Emitted {
    pub(crate) const NONE: Self = Self {
        old_tail: NIL,
        old_len: 0,
        count: 0,
    };
}

/// One firing in progress: the consumed tokens, in arc order, and the means to produce
/// tokens into the transition's output places.
///
/// Consumed token `i` is counted across the transition's input arcs in declaration
/// order, each contributing its weight's worth of tokens from the head of its place.
/// A token can be [forwarded](Firing::forward) (moved, without copying, to an output
/// place) or left behind; new tokens are [emitted](Firing::emit). Produced tokens
/// enter their places in the order of the calls. Consumed tokens that are not forwarded
/// retire when the firing succeeds.
///
/// Every emission is checked: only to the transition's output places, at most their
/// arcs' weights. A refused emission makes the whole firing fail, even if the behaviour
/// then returns `Ok`, and a failed firing leaves no produced token behind.
pub struct Firing<'a, C> {
    pub(crate) transition: TransitionId,
    pub(crate) arcs: &'a [Arc],
    pub(crate) emitted: &'a mut [Emitted],
    pub(crate) pool: PoolView<'a, C>,
    pub(crate) queues: &'a mut [Queue],
    pub(crate) inputs: &'a [u16],
    pub(crate) forwarded: u32,
    pub(crate) produced: u16,
    /// The first reason the firing will fail that the behaviour cannot take back: a
    /// refused emission or an embedded machine's clock regression.
    pub(crate) error: Option<FiringError>,
    /// Borrowed, not boxed: state changes go straight on to the observer, whose type
    /// the behaviour does not need to know (see the `behaviour` module).
    pub(crate) changes: &'a mut dyn ChangeSink,
    pub(crate) source: bool,
    /// The net's tag, to refuse another net's places.
    pub(crate) tag: NetTag,
    /// The net's places, to name one in an error.
    pub(crate) places: &'a [PlaceSpec],
    pub(crate) sink: bool,
}

/// The state changes a firing held back (see [`Firing::holding_changes`]): the first
/// one, and whether there were more (the rest are not kept). Lives in the frame of the
/// atomic firing that holds changes back, not in every [`Firing`], so a firing that
/// reports its changes as they happen carries no room for one.
#[derive(Debug, Default)]
pub(crate) struct HeldChanges {
    /// The first change held back.
    pub(crate) first: Option<StateChange>,
    /// Whether more than one change was held back.
    pub(crate) over: bool,
}

impl ChangeSink for HeldChanges {
    #[inline]
    fn push(&mut self, change: StateChange) {
        if self.first.is_none() {
            self.first = Some(change);
        } else {
            self.over = true;
        }
    }
}

impl<C> ChangeSink for Firing<'_, C> {
    #[inline]
    fn push(&mut self, change: StateChange) {
        self.report(change);
    }
}

impl<'a, C> Firing<'a, C> {
    /// The transition being fired.
    #[must_use]
    pub const fn transition(&self) -> TransitionId {
        self.transition
    }

    /// Whether the transition is a declared source (it may produce more than it consumes).
    #[must_use]
    pub const fn is_source(&self) -> bool {
        self.source
    }

    /// How many tokens were consumed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether nothing was consumed (a source).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    fn slot(&self, i: usize) -> Option<u16> {
        self.inputs.get(i).copied()
    }

    /// Consumed token `i`, or `None` past the last one.
    #[must_use]
    pub fn input(&self, i: usize) -> Option<&C> {
        self.slot(i).and_then(|s| self.pool.slots().value(s))
    }

    /// The place consumed token `i` came from.
    #[must_use]
    pub fn input_place(&self, i: usize) -> Option<PlaceId> {
        let mut rest = i;
        for arc in self.arcs.iter().filter(|a| a.kind == ArcKind::Input) {
            let w = usize::from(arc.weight);
            if rest < w {
                return Some(arc.place);
            }
            rest = rest.saturating_sub(w);
        }
        None
    }

    /// The consumed tokens in arc order.
    pub fn inputs(&self) -> impl Iterator<Item = &C> + '_ {
        (0..self.len()).filter_map(|i| self.input(i))
    }

    /// The transition's output places with the most tokens each may receive.
    pub fn outputs(&self) -> impl Iterator<Item = (PlaceId, u16)> + 'a {
        self.arcs
            .iter()
            .filter(|a| a.kind == ArcKind::Output)
            .map(|a| (a.place, a.weight))
    }

    /// How many tokens this firing has produced so far.
    #[must_use]
    pub const fn produced(&self) -> u16 {
        self.produced
    }

    /// The first refused emission, if any (the firing will fail).
    #[must_use]
    pub const fn error(&self) -> Option<EmitError> {
        match self.error {
            Some(FiringError::Emission(e)) => Some(e),
            _ => None,
        }
    }

    /// Fails the firing because a machine embedded in the transition refused `now` as a
    /// [`ClockRegression`] (see [`crate::embed`]): the net then undoes the firing and
    /// reports [`FiringError::ClockRegression`], even if the behaviour returns `Ok`.
    pub fn refuse_clock_regression(&mut self, regression: ClockRegression) {
        if self.error.is_none() {
            self.error = Some(FiringError::ClockRegression(regression));
        }
    }

    /// What the net decides if the behaviour returns `Ok(())` now: `Ok(())` commits the
    /// firing, an error undoes it.
    ///
    /// The same rule the net applies after [`Behaviour::fire`](super::Behaviour::fire),
    /// so code that changes state of its own during a firing (an embedded machine, see
    /// [`crate::embed`]) can keep that change only when the net keeps the firing.
    ///
    /// # Errors
    /// [`FiringError::Emission`] after a refused emission; [`FiringError::ClockRegression`]
    /// after an embedded machine refused the firing's `now`; [`FiringError::LostTokens`] when
    /// a transition that is not a sink has produced fewer tokens than it consumed;
    /// [`FiringError::InventedTokens`] when one that is not a source has produced more.
    #[inline]
    pub fn verdict(&self) -> Result<(), FiringError> {
        let consumed = u16::try_from(self.inputs.len()).unwrap_or(u16::MAX);
        let produced = self.produced;
        match self.error {
            Some(e) => Err(e),
            None if !self.sink && produced < consumed => {
                Err(FiringError::LostTokens { consumed, produced })
            }
            None if !self.source && produced > consumed => {
                Err(FiringError::InventedTokens { consumed, produced })
            }
            None => Ok(()),
        }
    }

    /// Reports a state change of a machine embedded in this transition; the net passes it
    /// to its observer after the firing.
    pub fn report(&mut self, change: StateChange) {
        self.changes.push(change);
    }

    /// Runs `work` on this firing with its state changes held back instead of
    /// reported, for an embedded machine whose changes stand only if the firing does
    /// (`crate::embed`); returns what `work` returned and the changes held. Everything
    /// else `work` does (emissions, forwards, refusals) is this firing's.
    #[inline]
    pub(crate) fn holding_changes<R>(
        &mut self,
        work: impl FnOnce(&mut Firing<'_, C>) -> R,
    ) -> (R, HeldChanges) {
        let mut held = HeldChanges::default();
        let mut holding = Firing {
            transition: self.transition,
            arcs: self.arcs,
            emitted: &mut *self.emitted,
            pool: self.pool.reborrow(),
            queues: &mut *self.queues,
            inputs: self.inputs,
            forwarded: self.forwarded,
            produced: self.produced,
            error: self.error,
            changes: &mut held,
            source: self.source,
            tag: self.tag,
            places: self.places,
            sink: self.sink,
        };
        let result = work(&mut holding);
        let (forwarded, produced, error) = (holding.forwarded, holding.produced, holding.error);
        self.forwarded = forwarded;
        self.produced = produced;
        self.error = error;
        (result, held)
    }

    /// Why routing every consumed token of this firing, each to any one of `places`
    /// (forwarded, or replaced by a new token), could fail the firing; `None` when it
    /// must stand whatever goes where: nothing refused yet, no token forwarded yet, not
    /// more produced than consumed (unless a source), a free slot per token for
    /// replacements, and every place an output whose arc has room for all the tokens
    /// (enabling reserved its weight in the place). What [`crate::embed`] checks before
    /// its machine changes, so the machine needs no snapshot. Conservative with several
    /// tokens: it assumes they may all go to one place.
    pub(crate) fn routing_refusal(&self, places: &[PlaceId]) -> Option<FiringError> {
        if let Some(error) = self.error {
            return Some(error);
        }
        if self.forwarded != 0 {
            let first = self.forwarded.trailing_zeros() as u16;
            return Some(FiringError::Emission(EmitError::AlreadyForwarded(first)));
        }
        let consumed = u16::try_from(self.inputs.len()).unwrap_or(u16::MAX);
        let produced = self.produced.saturating_add(consumed);
        if !self.source && produced > consumed {
            return Some(FiringError::InventedTokens { consumed, produced });
        }
        if !self.pool.has_free(consumed) {
            return Some(FiringError::Emission(EmitError::PoolExhausted));
        }
        places
            .iter()
            .find_map(|&place| self.reserve_for(place, consumed).err())
            .map(FiringError::Emission)
    }

    /// [`Self::routing_refusal`] for exactly two places, recorded: fails the firing
    /// with the refusal if there is one (see [`Self::refuse`]). Returns whether the
    /// firing stands. Out of line, with the places by value, so neither the places nor
    /// the refusal take room in the caller's frame, which the machine's dispatch runs
    /// under (firmware stack).
    #[inline(never)]
    pub(crate) fn refuse_unless_routing_stands(&mut self, places: [PlaceId; 2]) -> bool {
        match self.routing_refusal(&places) {
            None => true,
            Some(refusal) => {
                self.refuse(refusal);
                false
            }
        }
    }

    /// Fails the firing with `refusal` (what [`Self::routing_refusal`] found), unless
    /// it already fails.
    pub(crate) fn refuse(&mut self, refusal: FiringError) {
        if self.error.is_none() {
            self.error = Some(refusal);
        }
    }

    /// Moves consumed token `i` to `place`, relinking it without a copy.
    ///
    /// `place` is a [`PlaceId`] or a declared net's typed
    /// [`Place`](crate::net::Place).
    ///
    /// # Errors
    /// [`EmitError`] when `i` is not a consumed token or was already forwarded, or `place`
    /// is not an output or has received its arc's weight. The firing will fail.
    pub fn forward(&mut self, i: usize, place: impl Into<PlaceId>) -> Result<(), EmitError> {
        let place = place.into();
        let index = u16::try_from(i).unwrap_or(u16::MAX);
        let result = self.try_forward(i, index, place);
        if let Err(e) = result {
            self.poison(e);
        }
        result
    }

    fn try_forward(&mut self, i: usize, index: u16, place: PlaceId) -> Result<(), EmitError> {
        let slot = self.slot(i).ok_or(EmitError::NoSuchInput(index))?;
        let bit = 1u32.wrapping_shl(u32::from(index));
        if self.forwarded & bit != 0 {
            return Err(EmitError::AlreadyForwarded(index));
        }
        let arc = self.reserve(place)?;
        self.forwarded |= bit;
        self.append(arc, place, slot);
        Ok(())
    }

    /// Produces a new `token` into `place`.
    ///
    /// `place` is a [`PlaceId`] or a declared net's typed
    /// [`Place`](crate::net::Place).
    ///
    /// # Errors
    /// [`Refused`] with the token when `place` is not an output or has received its arc's
    /// weight. The firing will fail.
    pub fn emit(&mut self, place: impl Into<PlaceId>, token: C) -> Result<(), Refused<C>> {
        let place = place.into();
        let arc = match self.reserve(place) {
            Ok(arc) => arc,
            Err(error) => {
                self.poison(error);
                return Err(Refused { error, token });
            }
        };
        match self.pool.alloc(token) {
            Ok(slot) => {
                self.append(arc, place, slot);
                Ok(())
            }
            Err(token) => {
                self.poison(EmitError::PoolExhausted);
                Err(Refused {
                    error: EmitError::PoolExhausted,
                    token,
                })
            }
        }
    }

    fn poison(&mut self, error: EmitError) {
        if self.error.is_none() {
            self.error = Some(FiringError::Emission(error));
        }
    }

    /// The declared name of `place`, or `""` for an id that is no place of the net.
    fn place_name(&self, place: PlaceId) -> &'static str {
        self.places.get(place.index()).map_or("", |p| p.name)
    }

    /// The index of `place`'s output arc, if it may take one more token.
    fn reserve(&self, place: PlaceId) -> Result<usize, EmitError> {
        self.reserve_for(place, 1)
    }

    /// The index of `place`'s output arc, if it may take `count` more tokens.
    fn reserve_for(&self, place: PlaceId, count: u16) -> Result<usize, EmitError> {
        if !place.fits(self.tag) {
            return Err(EmitError::ForeignPlace(place));
        }
        let (arc, weight) = self
            .arcs
            .iter()
            .enumerate()
            .find(|(_, a)| a.kind == ArcKind::Output && a.place == place)
            .map(|(i, a)| (i, a.weight))
            .ok_or(EmitError::UndeclaredOutput {
                place,
                name: self.place_name(place),
            })?;
        let sent = self.emitted.get(arc).map_or(u16::MAX, |e| e.count);
        if sent.saturating_add(count) > weight {
            return Err(EmitError::WeightExceeded {
                place,
                name: self.place_name(place),
            });
        }
        Ok(arc)
    }

    /// Classic token flow for [`Passthrough`](super::Passthrough): forwards the consumed
    /// tokens to the output arcs in arc order, filling each up to its weight; a source
    /// fills the rest with `C::default()`.
    ///
    /// Same effect as calling [`Firing::forward`] and [`Firing::emit`] arc by arc, but it
    /// walks the arcs once instead of looking each output place up again per token:
    /// walking them in order, each arc is the one its place resolves to (the builder
    /// refuses two output arcs to one place), no token is forwarded twice and no arc
    /// receives more than its weight, so only the pool can refuse.
    pub(crate) fn pass_through(&mut self)
    where
        C: Default,
    {
        let Self {
            arcs,
            emitted,
            pool,
            queues,
            inputs,
            forwarded,
            produced,
            error,
            source,
            ..
        } = self;
        let mut next = 0usize;
        for (arc, sent) in arcs.iter().zip(emitted.iter_mut()) {
            if arc.kind != ArcKind::Output {
                continue;
            }
            let Some(queue) = queues.get_mut(arc.place.index()) else {
                continue;
            };
            for _ in 0..arc.weight {
                let slot = match inputs.get(next) {
                    Some(&slot) => {
                        *forwarded |= 1u32.wrapping_shl(next as u32);
                        next = next.saturating_add(1);
                        slot
                    }
                    None if *source => match pool.alloc(C::default()) {
                        Ok(slot) => slot,
                        Err(_) => {
                            error.get_or_insert(FiringError::Emission(EmitError::PoolExhausted));
                            break;
                        }
                    },
                    None => break,
                };
                if sent.count == 0 {
                    sent.old_tail = queue.tail;
                    sent.old_len = queue.len;
                }
                sent.count = sent.count.saturating_add(1);
                pool.push_back(queue, slot);
                *produced = produced.saturating_add(1);
            }
        }
    }

    fn append(&mut self, arc: usize, place: PlaceId, slot: u16) {
        let Some(queue) = self.queues.get_mut(place.index()) else {
            return;
        };
        if let Some(e) = self.emitted.get_mut(arc) {
            if e.count == 0 {
                e.old_tail = queue.tail;
                e.old_len = queue.len;
            }
            e.count = e.count.saturating_add(1);
        }
        self.pool.push_back(queue, slot);
        self.produced = self.produced.saturating_add(1);
    }
}

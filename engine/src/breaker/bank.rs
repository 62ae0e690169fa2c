//! A fixed-capacity bank of breakers keyed by backend id.

use super::{
    BankError, BreakerConfig, CircuitBreaker, ConfigError, Outcome, Permit, Recorded, Rejected,
    Response, Speed,
};
use crate::fsm::ChangeSink;
use crate::time::{ClockRegression, Instant, earliest};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Slot<K, const W: usize, const B: usize> {
    key: K,
    breaker: CircuitBreaker<W, B>,
    /// The latest instant a call addressed by this key used the breaker: the order in
    /// which idle breakers are evicted.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
    last_used: Instant,
}

/// What a firing through a bank may change, saved before it does, so that a firing
/// that fails leaves the bank as it was (see
/// [`fire_bank`](super::in_net::fire_bank)). Holds each slot the firing touched as it was
/// before, at most one copy per slot: `N` breakers' worth of stack at most.
pub(crate) struct BankUndo<K, const N: usize, const W: usize, const B: usize> {
    len: usize,
    generation_floor: u32,
    stale: u64,
    saved: heapless::Vec<(usize, Slot<K, W, B>), N>,
}

impl<K, const W: usize, const B: usize> Slot<K, W, B> {
    /// Marks the breaker used at `now` (never moving its last use back).
    fn touch(&mut self, now: Instant) -> &mut CircuitBreaker<W, B> {
        self.last_used = self.last_used.max(now);
        &mut self.breaker
    }
}

/// Up to `N` breakers, one per key (`K` is a backend id), each with its own state.
///
/// Breakers share the bank's configuration ([`get_or_insert`](Self::get_or_insert)) or
/// get their own ([`insert_with`](Self::insert_with)). Each breaker reports its slot
/// index as the `instance` of its state changes.
///
/// # Eviction
/// When every slot is taken, a new key can only replace an *idle* breaker: CLOSED with
/// no permit outstanding, the least recently used one (ties to the lowest slot). An
/// OPEN, HALF_OPEN, busy or operator-mode breaker is never dropped, since forgetting it
/// would fail open; the call returns [`BankError::Full`] instead.
///
/// "Used" means named by key in a call that takes `now`:
/// [`get_or_insert`](Self::get_or_insert), [`insert_with`](Self::insert_with),
/// [`try_acquire`](Self::try_acquire) and [`record`](Self::record), and
/// [`fire_bank`](super::in_net::fire_bank) for each token that reaches a breaker. The
/// bank keeps the latest such instant per key ([`last_used`](Self::last_used)).
/// [`poll`](Self::poll), which visits every breaker whenever any is due, is not a use,
/// nor are [`get`](Self::get), [`get_mut`](Self::get_mut) and [`iter`](Self::iter),
/// which take no `now`. (Using the latest instant a breaker has seen instead would
/// make every poll look like a use of every breaker.)
///
/// # Generations across evictions
/// A permit names only its breaker's generation, so the bank keeps generations unique
/// over its lifetime: every breaker it creates starts at a generation above that of
/// every breaker it has evicted. A permit issued by an evicted breaker is therefore
/// stale in any later breaker, including a new one for the same key. (This holds until
/// a generation wraps after `u32::MAX` changes.)
///
/// # Reports for a key the bank no longer holds
/// An outcome reported for a key with no breaker (its breaker was evicted after the
/// permit was issued) is stale: no breaker counts it, the bank counts it in
/// [`stale_outcomes`](Self::stale_outcomes), and nothing is inserted or evicted.
///
/// # Clock regressions
/// A call whose `now` is earlier than the latest instant the addressed breaker has seen
/// is refused as that breaker refuses it ([`RejectReason::ClockRegression`](super::RejectReason::ClockRegression),
/// [`Recorded::ClockRegression`]) and changes nothing in the bank either: the key's
/// last use stays where it was. [`poll`](Self::poll) refuses a `now` earlier than the
/// latest instant any of its breakers has seen, before polling any.
///
/// Lookups are linear in `N`, which suits the small banks of embedded devices.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BreakerBank<K, const N: usize, const W: usize = 4, const B: usize = 10> {
    /// Valid for `W` and `B`, also when deserialized (see `serde_config`).
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "super::serde_config::validated::<W, B, _>")
    )]
    config: BreakerConfig,
    slots: heapless::Vec<Slot<K, W, B>, N>,
    /// The generation every new breaker starts at: one above the highest generation
    /// of any breaker evicted so far (0 before the first eviction).
    generation_floor: u32,
    /// Outcomes reported for a key without a breaker (lifetime, saturating).
    stale: u64,
}

impl<K: Eq + Copy, const N: usize, const W: usize, const B: usize> BreakerBank<K, N, W, B> {
    /// An empty bank whose breakers share `config` unless inserted with their own.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid field of `config`.
    pub const fn new(config: BreakerConfig) -> Result<Self, ConfigError> {
        if let Err(e) = config.validate::<W, B>() {
            return Err(e);
        }
        Ok(Self {
            config,
            slots: heapless::Vec::new(),
            generation_floor: 0,
            stale: 0,
        })
    }

    /// The shared configuration.
    #[must_use]
    pub const fn config(&self) -> &BreakerConfig {
        &self.config
    }

    /// How many breakers the bank holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the bank holds no breaker.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The most breakers the bank can hold (`N`).
    #[must_use]
    pub const fn capacity(&self) -> usize {
        N
    }

    fn position(&self, key: &K) -> Option<usize> {
        self.slots.iter().position(|s| s.key == *key)
    }

    /// Outcomes reported to the bank for a key it holds no breaker for (through
    /// [`record`](Self::record) or [`fire_bank`](super::in_net::fire_bank)): stale,
    /// since a permit's breaker can only be missing because it was evicted after
    /// issuing it. A lifetime counter, saturating at `u64::MAX`.
    #[must_use]
    pub const fn stale_outcomes(&self) -> u64 {
        self.stale
    }

    /// The latest instant a call naming `key` used its breaker (see the type's
    /// documentation on eviction), if the bank holds one.
    #[must_use]
    pub fn last_used(&self, key: &K) -> Option<Instant> {
        self.slots
            .iter()
            .find(|s| s.key == *key)
            .map(|s| s.last_used)
    }

    /// The breaker for `key`, if the bank holds one. Not a use: the eviction order is
    /// left as is.
    #[must_use]
    pub fn get(&self, key: &K) -> Option<&CircuitBreaker<W, B>> {
        self.slots
            .iter()
            .find(|s| s.key == *key)
            .map(|s| &s.breaker)
    }

    /// The breaker for `key`, mutably, if the bank holds one. Not a use (it takes no
    /// `now`): the eviction order is left as is.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut CircuitBreaker<W, B>> {
        self.slots
            .iter_mut()
            .find(|s| s.key == *key)
            .map(|s| &mut s.breaker)
    }

    /// The breaker for `key`, inserted with the shared configuration at `now` if absent;
    /// either way a use of `key` at `now`.
    ///
    /// # Errors
    /// [`BankError::Full`] when the key is new, the bank is full and no breaker is idle.
    pub fn get_or_insert(
        &mut self,
        key: K,
        now: Instant,
    ) -> Result<&mut CircuitBreaker<W, B>, BankError> {
        if let Some(i) = self.position(&key) {
            return self.use_at(i, now);
        }
        self.insert_new(key, self.config, now)
    }

    /// The breaker for `key` if the bank holds one, used at `now`; never inserts.
    pub(crate) fn use_existing(
        &mut self,
        key: &K,
        now: Instant,
    ) -> Option<&mut CircuitBreaker<W, B>> {
        let index = self.position(key)?;
        self.use_at(index, now).ok()
    }

    /// A point to undo back to: the bank as it is now, before a firing touches it.
    pub(crate) fn undo_point(&self) -> BankUndo<K, N, W, B> {
        BankUndo {
            len: self.slots.len(),
            generation_floor: self.generation_floor,
            stale: self.stale,
            saved: heapless::Vec::new(),
        }
    }

    /// Saves, in `undo`, the slot that a use of `key` is about to change (`inserting`:
    /// the use may insert a breaker), unless `undo` holds it already or it did not
    /// exist at the undo point. Call before every use within the firing.
    pub(crate) fn save_for_undo(&self, undo: &mut BankUndo<K, N, W, B>, key: &K, inserting: bool) {
        let index = match self.position(key) {
            Some(i) => i,
            None if !inserting => return,
            None if self.slots.is_full() => match self.evictable() {
                Some(i) => i,
                None => return,
            },
            None => self.slots.len(),
        };
        if index >= undo.len || undo.saved.iter().any(|(i, _)| *i == index) {
            return;
        }
        if let Some(slot) = self.slots.get(index) {
            // Each slot is saved at most once and there are N, so this never fails.
            let _ = undo.saved.push((index, slot.clone()));
        }
    }

    /// Puts the bank back as it was at `undo`'s point: the slots changed since, the
    /// slots added since, the generation floor and the stale count.
    pub(crate) fn undo(&mut self, undo: BankUndo<K, N, W, B>) {
        for (index, slot) in undo.saved {
            if let Some(s) = self.slots.get_mut(index) {
                *s = slot;
            }
        }
        self.slots.truncate(undo.len);
        self.generation_floor = undo.generation_floor;
        self.stale = undo.stale;
    }

    /// Counts an outcome reported for a key without a breaker.
    pub(crate) fn count_stale(&mut self) {
        self.stale = self.stale.saturating_add(1);
    }

    /// Inserts a breaker for `key` with its own `config` at `now` (a use of `key`).
    ///
    /// # Errors
    /// [`BankError::DuplicateKey`] if `key` already has a breaker (it is left as is),
    /// [`BankError::Config`] if `config` is invalid, [`BankError::Full`] as for
    /// [`get_or_insert`](Self::get_or_insert).
    pub fn insert_with(
        &mut self,
        key: K,
        config: BreakerConfig,
        now: Instant,
    ) -> Result<&mut CircuitBreaker<W, B>, BankError> {
        if self.position(&key).is_some() {
            return Err(BankError::DuplicateKey);
        }
        config.validate::<W, B>()?;
        self.insert_new(key, config, now)
    }

    fn use_at(
        &mut self,
        index: usize,
        now: Instant,
    ) -> Result<&mut CircuitBreaker<W, B>, BankError> {
        self.slots
            .get_mut(index)
            .map(|s| s.touch(now))
            .ok_or(BankError::UnknownKey)
    }

    fn insert_new(
        &mut self,
        key: K,
        config: BreakerConfig,
        now: Instant,
    ) -> Result<&mut CircuitBreaker<W, B>, BankError> {
        let index = if self.slots.is_full() {
            self.evictable().ok_or(BankError::Full)?
        } else {
            self.slots.len()
        };
        // Every new breaker starts above the generation of every breaker evicted so far
        // (this one included), so none can take a permit an evicted one issued.
        let floor = match self.slots.get(index) {
            Some(evicted) => self
                .generation_floor
                .max(evicted.breaker.generation().saturating_add(1)),
            None => self.generation_floor,
        };
        let instance = u32::try_from(index).unwrap_or(u32::MAX);
        let slot = Slot {
            key,
            breaker: CircuitBreaker::continuing(config, now, floor)?.with_instance(instance),
            last_used: now,
        };
        self.generation_floor = floor;
        if let Some(old) = self.slots.get_mut(index) {
            *old = slot;
        } else if self.slots.push(slot).is_err() {
            return Err(BankError::Full);
        }
        self.use_at(index, now)
    }

    /// The slot of the least recently used idle breaker, ties to the lowest slot.
    fn evictable(&self) -> Option<usize> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.breaker.is_idle())
            .min_by_key(|(_, s)| s.last_used)
            .map(|(i, _)| i)
    }

    /// [`CircuitBreaker::try_acquire`] on the breaker for `key`, inserted with the
    /// shared configuration if absent (a use of `key`).
    ///
    /// A `now` earlier than the key's breaker has seen is its
    /// [`RejectReason::ClockRegression`](super::RejectReason::ClockRegression)
    /// rejection and not a use: nothing in the bank changes.
    ///
    /// # Errors
    /// [`BankError::Full`] as for [`get_or_insert`](Self::get_or_insert).
    pub fn try_acquire(
        &mut self,
        key: K,
        now: Instant,
    ) -> Result<Response<Result<Permit, Rejected>>, BankError> {
        match self.position(&key) {
            Some(index) => self
                .use_unless_regressed(index, now)
                .map(|b| b.try_acquire(now)),
            None => Ok(self.insert_new(key, self.config, now)?.try_acquire(now)),
        }
    }

    /// The breaker at `index`, used at `now` unless `now` is earlier than the latest
    /// instant it has seen: then it is left unused, to answer with its clock-regression
    /// refusal, which changes nothing.
    fn use_unless_regressed(
        &mut self,
        index: usize,
        now: Instant,
    ) -> Result<&mut CircuitBreaker<W, B>, BankError> {
        let slot = self.slots.get_mut(index).ok_or(BankError::UnknownKey)?;
        if now < slot.breaker.last_seen() {
            Ok(&mut slot.breaker)
        } else {
            Ok(slot.touch(now))
        }
    }

    /// [`CircuitBreaker::record`] on the breaker for `key` (a use of `key`). Never
    /// inserts a breaker.
    ///
    /// # Errors
    /// [`BankError::UnknownKey`] if the bank holds no breaker for `key`: it was evicted
    /// after issuing the permit, so the outcome is stale. It is counted in
    /// [`stale_outcomes`](Self::stale_outcomes) and changes nothing else.
    ///
    /// A `now` earlier than the key's breaker has seen is its
    /// [`Recorded::ClockRegression`] and not a use: nothing in the bank changes.
    pub fn record(
        &mut self,
        key: K,
        permit: Permit,
        outcome: Outcome,
        now: Instant,
    ) -> Result<Response<Recorded>, BankError> {
        self.record_judged(key, permit, outcome, Speed::Timed, now)
    }

    /// [`record`](Self::record) with the caller's verdict on whether the call was slow,
    /// as [`CircuitBreaker::record_judged`] takes it.
    ///
    /// # Errors
    /// [`BankError::UnknownKey`], as for [`record`](Self::record).
    pub fn record_judged(
        &mut self,
        key: K,
        permit: Permit,
        outcome: Outcome,
        speed: Speed,
        now: Instant,
    ) -> Result<Response<Recorded>, BankError> {
        match self
            .position(&key)
            .and_then(|index| self.use_unless_regressed(index, now).ok())
        {
            Some(breaker) => Ok(breaker.record_judged(permit, outcome, speed, now)),
            None => {
                self.count_stale();
                Err(BankError::UnknownKey)
            }
        }
    }

    /// The earliest [`CircuitBreaker::next_deadline`] over all breakers.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.slots.iter().fold(None, |soonest, s| {
            earliest(soonest, s.breaker.next_deadline())
        })
    }

    /// Polls every breaker at `now`, handing their state changes to `changes` in slot
    /// order (each change's `instance` is its breaker's slot index). Not a use: the
    /// eviction order is left as is.
    ///
    /// # Errors
    /// [`ClockRegression`] (with the latest instant any breaker has seen) when `now` is
    /// earlier than that instant; no breaker is polled and nothing changes.
    pub fn poll(
        &mut self,
        now: Instant,
        changes: &mut (impl ChangeSink + ?Sized),
    ) -> Result<(), ClockRegression> {
        if let Some(last) = self.latest_seen().filter(|last| now < *last) {
            return Err(ClockRegression { last, now });
        }
        for slot in &mut self.slots {
            // Checked above: no breaker has seen an instant later than `now`.
            slot.breaker.poll_into(now, changes)?;
        }
        Ok(())
    }

    /// The latest instant any breaker of the bank has seen, `None` for an empty bank.
    #[must_use]
    pub fn latest_seen(&self) -> Option<Instant> {
        self.slots.iter().map(|s| s.breaker.last_seen()).max()
    }

    /// Every key with its breaker, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (K, &CircuitBreaker<W, B>)> {
        self.slots.iter().map(|s| (s.key, &s.breaker))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{BreakerStateKind, HalfOpenPolicy, MaxWaitAction};
    use crate::time::Duration;

    type Bank = BreakerBank<u8, 3>;

    fn ms(v: u64) -> Instant {
        Instant::from_millis(v)
    }

    fn classic() -> BreakerConfig {
        BreakerConfig::consecutive(2, Duration::from_secs(5), 1)
    }

    fn bank() -> Bank {
        BreakerBank::new(classic()).unwrap()
    }

    /// Acquires and reports a success for `key` at `at`, leaving its breaker idle.
    fn use_key(bank: &mut Bank, key: u8, at: u64) -> Permit {
        let permit = bank.try_acquire(key, ms(at)).unwrap().value.unwrap();
        let _ = bank.record(key, permit, Outcome::Success, ms(at)).unwrap();
        permit
    }

    fn trip(bank: &mut Bank, key: u8, at: u64) {
        for _ in 0..2 {
            let p = bank.try_acquire(key, ms(at)).unwrap().value.unwrap();
            let _ = bank.record(key, p, Outcome::Failure, ms(at)).unwrap();
        }
        assert_eq!(bank.get(&key).unwrap().state(), BreakerStateKind::Open);
    }

    fn keys(bank: &Bank) -> heapless::Vec<u8, 3> {
        bank.iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn a_bank_refuses_a_clock_regression_and_changes_nothing() {
        let mut bank = bank();
        let permit = bank.try_acquire(1, ms(50)).unwrap().value.unwrap();
        use_key(&mut bank, 2, 10);
        let before = bank.clone();

        let r = bank.try_acquire(1, ms(40)).unwrap();
        assert!(r.value.unwrap_err().is_clock_regression());
        let r = bank.record(1, permit, Outcome::Failure, ms(40)).unwrap();
        assert!(matches!(r.value, Recorded::ClockRegression));
        assert_eq!(bank, before, "neither breaker nor eviction order moved");
        assert_eq!(bank.last_used(&1), Some(ms(50)));

        // Key 2 has only seen 10 ms, but the bank has seen 50 ms: a poll at 20 ms would
        // move key 1 back, so it is refused before any breaker is polled.
        let mut changes = crate::breaker::BreakerChanges::new();
        assert_eq!(
            bank.poll(ms(20), &mut changes),
            Err(ClockRegression {
                last: ms(50),
                now: ms(20)
            })
        );
        assert!(changes.is_empty());
        assert_eq!(bank, before);
        assert_eq!(bank.latest_seen(), Some(ms(50)));
        // Key 2 itself accepts 20 ms.
        assert!(bank.try_acquire(2, ms(20)).unwrap().value.is_ok());
    }

    #[test]
    fn get_or_insert_creates_a_breaker_once_per_key_with_the_shared_config() {
        let mut bank = bank();
        assert!(bank.get(&1).is_none());
        bank.get_or_insert(1, ms(0)).unwrap();
        bank.get_or_insert(1, ms(5)).unwrap();
        assert_eq!(bank.len(), 1);
        assert_eq!(bank.get(&1).unwrap().config(), &classic());
        assert_eq!(bank.capacity(), 3);
    }

    #[test]
    fn each_breaker_reports_its_slot_index_as_its_instance() {
        let mut bank = bank();
        for key in [10, 20, 30] {
            bank.get_or_insert(key, ms(0)).unwrap();
        }
        let changes = bank.get_mut(&30).unwrap().force_open(ms(1)).unwrap();
        assert_eq!(changes.as_slice()[0].instance, 2);
        assert_eq!(bank.get(&10).unwrap().instance(), 0);
    }

    #[test]
    fn a_full_bank_evicts_the_least_recently_used_idle_closed_breaker() {
        let mut bank = bank();
        use_key(&mut bank, 1, 10);
        use_key(&mut bank, 2, 5);
        use_key(&mut bank, 3, 20);
        use_key(&mut bank, 4, 30);
        assert_eq!(
            keys(&bank).as_slice(),
            &[1, 4, 3],
            "key 2 was used least recently"
        );
        // Ties go to the lowest slot.
        let mut tied = BreakerBank::<u8, 2>::new(classic()).unwrap();
        tied.get_or_insert(1, ms(7)).unwrap();
        tied.get_or_insert(2, ms(7)).unwrap();
        tied.get_or_insert(3, ms(8)).unwrap();
        let tied_keys: heapless::Vec<u8, 2> = tied.iter().map(|(k, _)| k).collect();
        assert_eq!(tied_keys.as_slice(), &[3, 2]);
    }

    #[test]
    fn a_full_bank_never_evicts_open_half_open_busy_or_operator_mode_breakers() {
        let config = classic().with_half_open(
            HalfOpenPolicy::after_successes(1, 1)
                .with_max_wait(Duration::from_secs(60), MaxWaitAction::Reopen),
        );
        let mut bank = BreakerBank::<u8, 3>::new(config).unwrap();
        trip(&mut bank, 1, 0); // OPEN
        trip(&mut bank, 2, 0);
        let _probe = bank.try_acquire(2, ms(5000)).unwrap(); // HALF_OPEN, probe out
        let _busy = bank.try_acquire(3, ms(6000)).unwrap(); // CLOSED, call in flight
        assert_eq!(bank.get_or_insert(4, ms(7000)).err(), Some(BankError::Full));
        assert_eq!(keys(&bank).as_slice(), &[1, 2, 3]);
        // Operator modes are not idle either.
        let mut modes = BreakerBank::<u8, 1>::new(classic()).unwrap();
        modes
            .get_or_insert(1, ms(0))
            .unwrap()
            .disable(ms(0))
            .unwrap();
        assert_eq!(modes.try_acquire(2, ms(1)).err(), Some(BankError::Full));
    }

    #[test]
    fn a_reused_slot_never_accepts_a_permit_issued_by_the_evicted_breaker() {
        let mut bank = BreakerBank::<u8, 1>::new(classic()).unwrap();
        let permit = bank.try_acquire(1, ms(0)).unwrap().value.unwrap();
        let _ = bank.record(1, permit, Outcome::Success, ms(0)).unwrap();
        // Key 2 takes key 1's slot; a late (duplicate) report of key 1's permit, sent
        // to the breaker now in that slot, is stale.
        bank.get_or_insert(2, ms(1)).unwrap();
        assert_eq!(keys_of(&bank), [2]);
        let r = bank.record(2, permit, Outcome::Failure, ms(2)).unwrap();
        assert_eq!(r.value, Recorded::Stale);
        assert_eq!(bank.get(&2).unwrap().metrics().failures, 0);
        assert!(bank.get(&2).unwrap().generation() > permit.generation());
        assert_eq!(
            bank.record(1, permit, Outcome::Failure, ms(2)).err(),
            Some(BankError::UnknownKey)
        );
    }

    /// A bank of two whose key 1 has been evicted (by key 3) after issuing `permit` at
    /// generation 1, while key 2's breaker, which the eviction spared, is at
    /// generation 0: a breaker for key 1 re-inserted into key 2's slot by continuing
    /// only that slot's count would start at the permit's generation.
    fn key_1_evicted_after_issuing_a_permit() -> (BreakerBank<u8, 2>, Permit) {
        let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 1);
        let mut bank = BreakerBank::<u8, 2>::new(config).unwrap();
        let _ = bank.get_or_insert(1, ms(0)).unwrap().reset(ms(0)).unwrap();
        let permit = bank.try_acquire(1, ms(1)).unwrap().value.unwrap();
        let _ = bank.record(1, permit, Outcome::Success, ms(1)).unwrap();
        assert_eq!(permit.generation(), 1);
        let p2 = bank.try_acquire(2, ms(2)).unwrap().value.unwrap();
        let _ = bank.record(2, p2, Outcome::Success, ms(2)).unwrap();
        bank.get_or_insert(3, ms(3)).unwrap();
        assert_eq!(keys_of(&bank), [3, 2], "key 1 was used least recently");
        assert_eq!(bank.get(&2).unwrap().generation(), 0);
        (bank, permit)
    }

    #[test]
    fn a_late_report_for_an_evicted_key_is_stale_and_inserts_or_evicts_nothing() {
        let (mut bank, permit) = key_1_evicted_after_issuing_a_permit();
        let before = bank.clone();
        assert_eq!(
            bank.record(1, permit, Outcome::Failure, ms(4)).err(),
            Some(BankError::UnknownKey)
        );
        assert_eq!(bank.stale_outcomes(), 1, "the bank counts it");
        assert_eq!(keys_of(&bank), [3, 2], "nothing inserted, nothing evicted");
        for ((k, now), (_, then)) in bank.iter().zip(before.iter()) {
            assert_eq!(now, then, "breaker {k} is untouched");
        }
    }

    #[test]
    fn a_breaker_re_inserted_for_an_evicted_key_takes_none_of_its_old_permits() {
        let (mut bank, permit) = key_1_evicted_after_issuing_a_permit();
        // Key 1 comes back into key 2's slot (key 2 is now the least recently used).
        bank.get_or_insert(1, ms(5)).unwrap();
        assert_eq!(keys_of(&bank), [3, 1]);
        let r = bank.record(1, permit, Outcome::Failure, ms(6)).unwrap();
        assert_eq!(r.value, Recorded::Stale);
        let breaker = bank.get(&1).unwrap();
        assert_eq!(breaker.state(), BreakerStateKind::Closed);
        assert_eq!(
            (breaker.metrics().failures, breaker.metrics().stale),
            (0, 1)
        );
        // Above every evicted breaker (key 1's at 1, key 2's at 0), not just key 2's.
        assert_eq!(breaker.generation(), 2);
    }

    #[test]
    fn poll_is_not_a_use_of_a_breaker() {
        let mut bank = bank();
        use_key(&mut bank, 1, 10);
        use_key(&mut bank, 2, 5);
        use_key(&mut bank, 3, 20);
        let mut changes = crate::fsm::Changes::new();
        bank.poll(ms(30), &mut changes).unwrap();
        assert_eq!(bank.last_used(&2), Some(ms(5)));
        bank.get_or_insert(4, ms(30)).unwrap();
        assert_eq!(
            keys(&bank).as_slice(),
            &[1, 4, 3],
            "key 2, used at 5 ms, goes"
        );
    }

    #[test]
    fn every_call_naming_a_key_is_a_use_of_its_breaker() {
        // get_or_insert of a key already held.
        let mut bank = bank();
        use_key(&mut bank, 1, 10);
        use_key(&mut bank, 2, 5);
        use_key(&mut bank, 3, 20);
        bank.get_or_insert(2, ms(25)).unwrap();
        assert_eq!(bank.last_used(&2), Some(ms(25)));
        bank.get_or_insert(4, ms(30)).unwrap();
        assert_eq!(
            keys(&bank).as_slice(),
            &[4, 2, 3],
            "key 1, used at 10 ms, goes"
        );
        // try_acquire and record; a report dated before the latest use changes nothing.
        let mut bank = self::bank();
        let p = bank.try_acquire(1, ms(10)).unwrap().value.unwrap();
        use_key(&mut bank, 2, 20);
        use_key(&mut bank, 3, 30);
        let _ = bank.record(1, p, Outcome::Success, ms(40)).unwrap();
        assert_eq!(bank.last_used(&1), Some(ms(40)));
        let _ = bank.record(1, p, Outcome::Success, ms(35)).unwrap();
        assert_eq!(bank.last_used(&1), Some(ms(40)), "a use never moves back");
        bank.get_or_insert(4, ms(50)).unwrap();
        assert_eq!(
            keys(&bank).as_slice(),
            &[1, 4, 3],
            "key 2, used at 20 ms, goes"
        );
        // Lookups without `now` are not uses.
        let _ = bank.get_mut(&3);
        let _ = bank.get(&3);
        bank.get_or_insert(5, ms(60)).unwrap();
        assert!(bank.get(&3).is_none(), "key 3, used at 30 ms, goes");
    }

    fn keys_of<const N: usize>(bank: &BreakerBank<u8, N>) -> [u8; N] {
        let mut out = [0; N];
        for (slot, (key, _)) in out.iter_mut().zip(bank.iter()) {
            *slot = key;
        }
        out
    }

    #[test]
    fn insert_with_gives_a_key_its_own_config_and_refuses_duplicates_and_invalid_configs() {
        let mut bank = bank();
        let own = BreakerConfig::consecutive(9, Duration::from_secs(1), 1);
        bank.insert_with(1, own, ms(0)).unwrap();
        assert_eq!(bank.get(&1).unwrap().config(), &own);
        assert_eq!(
            bank.insert_with(1, classic(), ms(0)).err(),
            Some(BankError::DuplicateKey)
        );
        let invalid = BreakerConfig::consecutive(0, Duration::from_secs(1), 1);
        assert_eq!(
            bank.insert_with(2, invalid, ms(0)).err(),
            Some(BankError::Config(ConfigError::ConsecutiveFailures))
        );
        assert_eq!(bank.len(), 1);
    }

    #[test]
    fn next_deadline_is_the_earliest_over_all_breakers() {
        let mut bank = bank();
        bank.get_or_insert(1, ms(0)).unwrap();
        assert_eq!(bank.next_deadline(), None);
        trip(&mut bank, 2, 1000);
        trip(&mut bank, 3, 500);
        assert_eq!(bank.next_deadline(), Some(ms(5500)));
    }

    #[test]
    fn poll_hands_every_breakers_changes_over_in_slot_order() {
        let mut bank = bank();
        trip(&mut bank, 1, 1000);
        trip(&mut bank, 2, 0);
        let mut changes = crate::fsm::Changes::new();
        bank.poll(ms(6000), &mut changes).unwrap();
        let seen: heapless::Vec<(u32, &str), 4> =
            changes.iter().map(|c| (c.instance, c.to.name)).collect();
        assert_eq!(seen.as_slice(), &[(0, "HALF_OPEN"), (1, "HALF_OPEN")]);
    }

    #[test]
    fn bank_calls_on_an_unknown_key_are_errors() {
        let mut bank = bank();
        let mut other: CircuitBreaker = CircuitBreaker::new(classic(), ms(0)).unwrap();
        let permit = other.try_acquire(ms(0)).value.unwrap();
        assert_eq!(
            bank.record(9, permit, Outcome::Success, ms(0)).err(),
            Some(BankError::UnknownKey)
        );
        assert!(bank.get_mut(&9).is_none());
        assert!(bank.is_empty());
    }

    #[test]
    fn an_invalid_shared_config_is_refused() {
        let invalid = BreakerConfig::consecutive(0, Duration::from_secs(1), 1);
        assert_eq!(
            Bank::new(invalid).err(),
            Some(ConfigError::ConsecutiveFailures)
        );
    }
}

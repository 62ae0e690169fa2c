//! Exploring systems whose states are values, not packed keys: an engine net with its
//! tokens by value and the machines it embeds, rebuilt from a state for each step.

use std::cell::RefCell;
use std::collections::HashMap;

use super::model::Model;

/// A transition system whose states are plain values: the explorer keeps every state
/// met in a table and searches over their numbers ([`InternedModel`]).
///
/// It suits states that cannot be packed into a few bits: a coloured marking by value,
/// or a machine's full state (a breaker, say) that can only be cloned or serialised.
/// Two states are the same state exactly when [`ValueSystem::encode`] writes the same
/// bytes for them.
pub trait ValueSystem {
    /// One state.
    type State: Clone;
    /// Why a step could not be computed or a state encoded; it ends the search.
    type Error;

    /// The number of distinct step labels; [`ValueSystem::step`] is asked for each of
    /// `0..labels()`.
    fn labels(&self) -> usize;

    /// The initial state.
    fn initial(&self) -> Self::State;

    /// Appends the bytes that identify `state` to `bytes`: equal states must write
    /// equal bytes, and different states different ones.
    ///
    /// # Errors
    /// The system's own error, for a state it cannot encode.
    fn encode(&self, state: &Self::State, bytes: &mut Vec<u8>) -> Result<(), Self::Error>;

    /// The state after step `label` from `state`, or `None` when the step is not
    /// enabled there.
    ///
    /// # Errors
    /// The system's own error; the search stops and returns it.
    fn step(&self, state: &Self::State, label: u32) -> Result<Option<Self::State>, Self::Error>;

    /// Whether `state`, which enables no step, is an intended end rather than a
    /// deadlock. By default no state is.
    fn is_finished(&self, state: &Self::State) -> bool {
        let _ = state;
        false
    }
}

impl<S: ValueSystem + ?Sized> ValueSystem for &S {
    type State = S::State;
    type Error = S::Error;

    fn labels(&self) -> usize {
        (**self).labels()
    }

    fn initial(&self) -> Self::State {
        (**self).initial()
    }

    fn encode(&self, state: &Self::State, bytes: &mut Vec<u8>) -> Result<(), Self::Error> {
        (**self).encode(state, bytes)
    }

    fn step(&self, state: &Self::State, label: u32) -> Result<Option<Self::State>, Self::Error> {
        (**self).step(state, label)
    }

    fn is_finished(&self, state: &Self::State) -> bool {
        (**self).is_finished(state)
    }
}

/// Every state met so far, by number, and the number of each encoding.
#[derive(Debug)]
struct Table<T> {
    states: Vec<T>,
    numbers: HashMap<Vec<u8>, u64>,
}

/// A [`ValueSystem`] as a [`Model`] of one-word keys: each key is the number of a
/// state in a table the model keeps, the states numbered in the order they were met
/// (the initial state is 0).
///
/// The table grows as the search goes (interior mutability: a search holds the model
/// by shared reference), so the model is for [`search`](super::search()), on one
/// thread. Memory is the states themselves plus their encodings, far more than a
/// packed key: this is for the small state spaces of systems with rich states.
///
/// ```
/// use mycel_check::explore::{InternedModel, SearchLimits, ValueSystem, search};
///
/// /// A queue of at most two letters: push `a`, push `b`, or pop the oldest.
/// struct Letters;
///
/// impl ValueSystem for Letters {
///     type State = String;
///     type Error = std::convert::Infallible;
///     fn labels(&self) -> usize { 3 }
///     fn initial(&self) -> String { String::new() }
///     fn encode(&self, s: &String, bytes: &mut Vec<u8>) -> Result<(), Self::Error> {
///         bytes.extend(s.bytes());
///         Ok(())
///     }
///     fn step(&self, s: &String, label: u32) -> Result<Option<String>, Self::Error> {
///         Ok(match label {
///             0 | 1 if s.len() < 2 => Some(format!("{s}{}", if label == 0 { 'a' } else { 'b' })),
///             2 if !s.is_empty() => Some(s[1..].to_string()),
///             _ => None,
///         })
///     }
/// }
///
/// let model = InternedModel::new(Letters).unwrap();
/// let limits = SearchLimits { max_states: 100, max_deadlocks_kept: 1, progress: None };
/// let seen = search(&model, limits, |_, _| {}).unwrap();
/// // "", a, b, aa, ab, ba, bb.
/// assert_eq!(seen.space.len(), 7);
/// assert_eq!(model.state(seen.space.key(6)[0]).as_deref(), Some("bb"));
/// ```
#[derive(Debug)]
pub struct InternedModel<S: ValueSystem> {
    system: S,
    table: RefCell<Table<S::State>>,
}

impl<S: ValueSystem> InternedModel<S> {
    /// The model of `system`, its table holding the initial state as number 0.
    ///
    /// # Errors
    /// The system's error if the initial state cannot be encoded.
    pub fn new(system: S) -> Result<Self, S::Error> {
        let model = Self {
            table: RefCell::new(Table {
                states: Vec::new(),
                numbers: HashMap::new(),
            }),
            system,
        };
        model.intern(model.system.initial())?;
        Ok(model)
    }

    /// The system explored.
    pub fn system(&self) -> &S {
        &self.system
    }

    /// How many distinct states were met.
    #[must_use]
    pub fn len(&self) -> usize {
        self.table.borrow().states.len()
    }

    /// Whether no state was met (never: the initial state is always there).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the state numbered `key`, if there is one.
    #[must_use]
    pub fn state(&self, key: u64) -> Option<S::State> {
        self.with_state(key, S::State::clone)
    }

    /// Answers `query` about the state numbered `key` (`None` if there is none),
    /// without copying it.
    pub fn with_state<R>(&self, key: u64, query: impl FnOnce(&S::State) -> R) -> Option<R> {
        let table = self.table.borrow();
        table.states.get(usize::try_from(key).ok()?).map(query)
    }

    /// The number of `state`, given it now if it is new.
    fn intern(&self, state: S::State) -> Result<u64, S::Error> {
        let mut bytes = Vec::new();
        self.system.encode(&state, &mut bytes)?;
        let mut table = self.table.borrow_mut();
        let next = table.states.len() as u64;
        let number = *table.numbers.entry(bytes).or_insert(next);
        if number == next {
            table.states.push(state);
        }
        Ok(number)
    }
}

impl<S: ValueSystem> Model for InternedModel<S> {
    type Error = S::Error;

    fn words(&self) -> usize {
        1
    }

    fn labels(&self) -> usize {
        self.system.labels()
    }

    fn initial(&self, key: &mut [u64]) {
        if let Some(k) = key.first_mut() {
            *k = 0;
        }
    }

    fn successors<E: FnMut(u32, &[u64])>(
        &self,
        state: &[u64],
        scratch: &mut [u64],
        mut emit: E,
    ) -> Result<(), S::Error> {
        let Some(current) = state.first().and_then(|&key| self.state(key)) else {
            return Ok(());
        };
        for label in 0..u32::try_from(self.system.labels()).unwrap_or(u32::MAX) {
            if let Some(next) = self.system.step(&current, label)? {
                let number = self.intern(next)?;
                if let Some(k) = scratch.first_mut() {
                    *k = number;
                }
                emit(label, scratch);
            }
        }
        Ok(())
    }

    fn is_finished(&self, state: &[u64]) -> bool {
        state
            .first()
            .and_then(|&key| self.with_state(key, |s| self.system.is_finished(s)))
            .unwrap_or(false)
    }
}

//! The states seen so far: packed keys in one flat arena, a parent pointer and label
//! per state for shortest traces, and an open-addressing hash set of state indices.

/// An index into the [`StateSpace`]: the order in which the state was first seen, which
/// is breadth-first order.
pub type StateIndex = u32;

/// The parent of the initial state.
const NO_PARENT: StateIndex = StateIndex::MAX;

/// An empty slot of the hash table holds this word in every position of its key; the
/// one key made only of it is remembered apart.
const EMPTY: u64 = u64::MAX;

/// The most states a `StateSpace` holds (indices are `u32`).
pub const MAX_STATES: u64 = (u32::MAX - 1) as u64;

/// Every state seen, deduplicated, with the step that first reached it.
///
/// The keys are stored twice: in breadth-first order in one flat arena (the queue, and
/// what traces and reports read), and in an open-addressing hash set that holds the
/// keys themselves, so that a lookup touches one place in memory. Memory per state:
/// `8 × words` in the arena, 4 for the parent, 4 for the label, and `8 × words / load`
/// in the set (the load stays between 3/8 and 3/4).
#[derive(Debug, Clone)]
pub struct StateSpace {
    words: usize,
    keys: Vec<u64>,
    parents: Vec<StateIndex>,
    labels: Vec<u32>,
    /// `slots × words` words; a slot whose words are all [`EMPTY`] is empty.
    table: Vec<u64>,
    /// The number of keys in the table (all but the all-[`EMPTY`] key).
    in_table: usize,
    /// Whether the key made only of [`EMPTY`] words is held.
    holds_all_empty: bool,
}

/// Spreads a key's bits over the whole word (a multiply-xorshift per word).
fn hash(key: &[u64]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &w in key {
        h = (h ^ w).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h ^= h >> 31;
    }
    h.wrapping_mul(0x94D0_49BB_1331_11EB)
}

impl StateSpace {
    /// An empty space for keys of `words` words.
    #[must_use]
    pub fn new(words: usize) -> Self {
        let words = words.max(1);
        Self {
            words,
            keys: Vec::new(),
            parents: Vec::new(),
            labels: Vec::new(),
            table: vec![EMPTY; 1024 * words],
            in_table: 0,
            holds_all_empty: false,
        }
    }

    /// The number of states held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.parents.len()
    }

    /// Whether no state is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// The key of state `i` (empty if `i` is out of range).
    #[must_use]
    pub fn key(&self, i: StateIndex) -> &[u64] {
        let start = i as usize * self.words;
        self.keys.get(start..start + self.words).unwrap_or(&[])
    }

    /// The labels of the steps from the initial state to state `i`: a shortest path,
    /// because states are numbered in breadth-first order and each keeps the parent
    /// that first reached it.
    #[must_use]
    pub fn trace(&self, i: StateIndex) -> Vec<u32> {
        let mut steps = Vec::new();
        let mut at = i;
        while let (Some(&parent), Some(&label)) =
            (self.parents.get(at as usize), self.labels.get(at as usize))
        {
            if parent == NO_PARENT {
                break;
            }
            steps.push(label);
            at = parent;
        }
        steps.reverse();
        steps
    }

    /// Bytes allocated for the keys, parents, labels and the hash set.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.keys.capacity() * 8
            + self.parents.capacity() * 4
            + self.labels.capacity() * 4
            + self.table.capacity() * 8
    }

    /// Whether `key` is held.
    #[must_use]
    pub fn contains(&self, key: &[u64]) -> bool {
        if key.iter().all(|&w| w == EMPTY) {
            return self.holds_all_empty;
        }
        matches!(find(&self.table, self.words, key), Probe::Found)
    }

    /// Reads the first word of `key`'s home slot, so that a batch of lookups can ask
    /// memory for all their slots at once before any of them waits (a prefetch in safe
    /// code). Returns the word, for the caller to fold into a `black_box`.
    #[must_use]
    pub fn touch(&self, key: &[u64]) -> u64 {
        let mask = self.table.len() / self.words - 1;
        self.table
            .get(slot_of(key, mask) * self.words)
            .copied()
            .unwrap_or(0)
    }

    /// Adds the initial state.
    pub fn insert_root(&mut self, key: &[u64]) -> Option<StateIndex> {
        self.insert(key, NO_PARENT, 0)
    }

    /// Adds `key`, first reached from `parent` by `label`, unless it is already held.
    /// Returns its new index if it was new.
    pub fn insert(&mut self, key: &[u64], parent: StateIndex, label: u32) -> Option<StateIndex> {
        let index = StateIndex::try_from(self.len()).ok()?;
        if key.iter().all(|&w| w == EMPTY) {
            if self.holds_all_empty {
                return None;
            }
            self.holds_all_empty = true;
        } else {
            let slots = self.table.len() / self.words;
            if (self.in_table + 1) * 4 > slots * 3 {
                self.grow();
            }
            match find(&self.table, self.words, key) {
                Probe::Found => return None,
                Probe::Empty(at) => {
                    if let Some(slot) = self.table.get_mut(at..at + self.words) {
                        slot.copy_from_slice(key);
                    }
                    self.in_table += 1;
                }
            }
        }
        self.keys.extend_from_slice(key);
        self.parents.push(parent);
        self.labels.push(label);
        Some(index)
    }

    /// Doubles the table and reinserts every key.
    fn grow(&mut self) {
        let mut table = vec![EMPTY; self.table.len() * 2];
        for key in self.table.chunks_exact(self.words) {
            if key.iter().any(|&w| w != EMPTY)
                && let Probe::Empty(at) = find(&table, self.words, key)
                && let Some(slot) = table.get_mut(at..at + self.words)
            {
                slot.copy_from_slice(key);
            }
        }
        self.table = table;
    }
}

/// Where a lookup ended.
enum Probe {
    /// The key is in the table.
    Found,
    /// The key is not; this is the offset of the empty slot where it belongs.
    Empty(usize),
}

/// The home slot of `key` in a table of `mask + 1` slots.
fn slot_of(key: &[u64], mask: usize) -> usize {
    hash(key).rotate_left(32) as usize & mask
}

/// Linear probing from the key's hash in a table of `words`-word slots (a power of two
/// of them, with at least one empty).
fn find(table: &[u64], words: usize, key: &[u64]) -> Probe {
    let mask = table.len() / words - 1;
    let mut at = slot_of(key, mask);
    if let [word] = *key {
        // One-word keys, the common case, compare as integers.
        loop {
            match table.get(at).copied().unwrap_or(EMPTY) {
                w if w == word => return Probe::Found,
                EMPTY => return Probe::Empty(at),
                _ => at = (at + 1) & mask,
            }
        }
    }
    loop {
        let offset = at * words;
        let slot = table.get(offset..offset + words).unwrap_or(&[]);
        if slot == key {
            return Probe::Found;
        }
        if slot.iter().all(|&w| w == EMPTY) {
            return Probe::Empty(offset);
        }
        at = (at + 1) & mask;
    }
}

//! A [`PtNet`] as a [`Model`]: markings packed by a [`Layout`], transitions compiled to
//! word-wise subtractions and additions on the packed key.

use super::layout::Layout;
use super::model::Model;
use crate::pt_net::{Direction, PtNet};

/// A predicate on markings that are the net's intended end.
pub type Finished<'f> = dyn Fn(&[u64]) -> bool + Sync + 'f;

/// A firing would put more tokens in a place than its field holds: the layout must be
/// [widened](Layout::widened) for that place and the search run again ([`explore`](super::explore)
/// does this by itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldOverflow {
    /// The index of the place.
    pub place: usize,
}

impl std::fmt::Display for FieldOverflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "place #{} would hold more tokens than its field in the packed marking",
            self.place
        )
    }
}

impl std::error::Error for FieldOverflow {}

/// A transition is enabled when every test passes: the field holds at least `need`.
#[derive(Debug, Clone, Copy)]
struct Test {
    word: usize,
    shift: u32,
    max: u64,
    need: u64,
}

/// A place whose field might overflow: after firing it holds `count − consumed +
/// produced`, which must stay within `max`.
#[derive(Debug, Clone, Copy)]
struct Check {
    place: usize,
    word: usize,
    shift: u32,
    max: u64,
    consumed: u64,
    produced: u64,
}

/// What firing does to one word of the key: `word − sub + add`, no borrow or carry
/// between fields because the tests and checks passed.
#[derive(Debug, Clone, Copy)]
struct Delta {
    word: usize,
    sub: u64,
    add: u64,
}

/// A transition compiled against a layout.
#[derive(Debug, Clone, Default)]
struct Compiled {
    tests: Vec<Test>,
    checks: Vec<Check>,
    deltas: Vec<Delta>,
    /// Inhibitor arcs: the transition is enabled only while each field holds fewer
    /// than `need`.
    below: Vec<Test>,
    /// An input weight exceeds its field, so this layout never enables it (for a
    /// proven field the count never gets there; for an unproven one, an overflow
    /// check elsewhere fires first).
    never: bool,
}

/// A P/T net ready for the explorer: its layout and compiled transitions, and the
/// markings it treats as finished (not deadlocks).
pub struct PtModel<'a> {
    layout: Layout,
    transitions: Vec<Compiled>,
    initial: Vec<u64>,
    finished: Option<&'a Finished<'a>>,
}

impl std::fmt::Debug for PtModel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PtModel")
            .field("layout", &self.layout)
            .field("transitions", &self.transitions.len())
            .finish_non_exhaustive()
    }
}

impl<'a> PtModel<'a> {
    /// Compiles `net` against `layout` (see [`Layout::for_net`]).
    #[must_use]
    pub fn new(net: &PtNet, layout: Layout) -> Self {
        let mut consumed = vec![Vec::new(); net.transitions().len()];
        let mut produced = vec![Vec::new(); net.transitions().len()];
        let mut inhibited = vec![Vec::new(); net.transitions().len()];
        for arc in net.arcs() {
            let list = match arc.direction {
                Direction::PlaceToTransition => &mut consumed,
                Direction::TransitionToPlace => &mut produced,
                Direction::Inhibitor => &mut inhibited,
            };
            if let Some(l) = list.get_mut(arc.transition.0) {
                l.push((arc.place.0, arc.weight));
            }
        }
        let transitions = consumed
            .iter()
            .zip(&produced)
            .zip(&inhibited)
            .map(|((ins, outs), below)| compile(&layout, ins, outs, below))
            .collect();
        Self {
            layout,
            transitions,
            initial: net.initial_marking(),
            finished: None,
        }
    }

    /// Treats a marking with no enabled transition for which `finished` holds as the
    /// net's intended end, not a deadlock.
    #[must_use]
    pub fn with_finished(mut self, finished: &'a Finished<'a>) -> Self {
        self.finished = Some(finished);
        self
    }

    /// The layout the markings are packed with.
    #[must_use]
    pub fn layout(&self) -> &Layout {
        &self.layout
    }
}

fn compile(
    layout: &Layout,
    ins: &[(usize, u64)],
    outs: &[(usize, u64)],
    below: &[(usize, u64)],
) -> Compiled {
    let mut c = Compiled::default();
    let add_delta = |word: usize, sub: u64, add: u64, deltas: &mut Vec<Delta>| {
        if let Some(d) = deltas.iter_mut().find(|d| d.word == word) {
            d.sub |= sub;
            d.add |= add;
        } else {
            deltas.push(Delta { word, sub, add });
        }
    };
    for &(place, weight) in ins {
        let Some(&f) = layout.fields.get(place) else {
            continue;
        };
        if weight > f.max() {
            c.never = true;
            return c;
        }
        c.tests.push(Test {
            word: f.word,
            shift: f.shift,
            max: f.max(),
            need: weight,
        });
        add_delta(f.word, weight << f.shift, 0, &mut c.deltas);
    }
    for &(place, weight) in outs {
        let Some(&f) = layout.fields.get(place) else {
            continue;
        };
        let consumed = ins
            .iter()
            .find(|&&(p, _)| p == place)
            .map_or(0, |&(_, w)| w);
        let proven = layout.proven.get(place).copied().unwrap_or(false);
        if !proven || weight > f.max() {
            c.checks.push(Check {
                place,
                word: f.word,
                shift: f.shift,
                max: f.max(),
                consumed,
                produced: weight,
            });
        }
        // Fields are disjoint, so OR-ing shifted counts is adding them; a weight too
        // wide for its field is caught by the check before it is ever used.
        add_delta(f.word, 0, (weight & f.max()) << f.shift, &mut c.deltas);
    }
    for &(place, weight) in below {
        let Some(&f) = layout.fields.get(place) else {
            continue;
        };
        // A field never holds more than its maximum in this layout (a firing that would
        // overflow it widens the layout first), so a weight above it never inhibits.
        if weight <= f.max() {
            c.below.push(Test {
                word: f.word,
                shift: f.shift,
                max: f.max(),
                need: weight,
            });
        }
    }
    c
}

impl Model for PtModel<'_> {
    type Error = FieldOverflow;

    fn words(&self) -> usize {
        self.layout.words
    }

    fn labels(&self) -> usize {
        self.transitions.len()
    }

    fn initial(&self, key: &mut [u64]) {
        self.layout.pack(&self.initial, key);
    }

    fn successors<E: FnMut(u32, &[u64])>(
        &self,
        state: &[u64],
        scratch: &mut [u64],
        mut emit: E,
    ) -> Result<(), FieldOverflow> {
        let field =
            |word: usize, shift: u32, max: u64| state.get(word).map_or(0, |&w| (w >> shift) & max);
        for (label, t) in (0u32..).zip(&self.transitions) {
            if t.never
                || !t
                    .tests
                    .iter()
                    .all(|x| field(x.word, x.shift, x.max) >= x.need)
                || !t
                    .below
                    .iter()
                    .all(|x| field(x.word, x.shift, x.max) < x.need)
            {
                continue;
            }
            for c in &t.checks {
                let left = field(c.word, c.shift, c.max).saturating_sub(c.consumed);
                if c.produced > c.max || left > c.max - c.produced {
                    return Err(FieldOverflow { place: c.place });
                }
            }
            scratch.copy_from_slice(state);
            for d in &t.deltas {
                if let Some(w) = scratch.get_mut(d.word) {
                    *w = w.wrapping_sub(d.sub).wrapping_add(d.add);
                }
            }
            emit(label, scratch);
        }
        Ok(())
    }

    fn is_finished(&self, state: &[u64]) -> bool {
        self.finished.is_some_and(|finished| {
            let mut marking = Vec::new();
            self.layout.unpack(state, &mut marking);
            finished(&marking)
        })
    }
}

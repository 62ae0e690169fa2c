//! How a marking is packed into a fixed-width key: each place gets a bit field of its
//! own width inside one `u64` word (fields never straddle words).
//!
//! Widths come from the P-invariants where they can: a place covered by an invariant
//! `y` never holds more than `⌊y·M₀ / y_p⌋` tokens, so its field is just wide enough
//! for that bound and can never overflow. A place no invariant covers starts with
//! [`UNPROVEN_WIDTH`] bits (or enough for its initial marking); if a firing would
//! overflow it, the exploration starts again with that field twice as wide, up to 64
//! bits. Kanban N=5 packs its 16 places in 3 bits each: one word.

use crate::invariants::{Limits, p_invariants};
use crate::pt_net::PtNet;

/// The width of a place no P-invariant bounds, before it needs more.
pub const UNPROVEN_WIDTH: u32 = 8;

/// The most integers (8 bytes each) the P-invariant computation behind a layout may
/// hold at once: 128 MB, so that a net of 10^5 places does not spend gigabytes proving
/// bounds before exploring.
pub const INVARIANT_BUDGET: usize = 16 << 20;

/// Where one place's count lives in the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The word of the key.
    pub word: usize,
    /// The bit the field starts at.
    pub shift: u32,
    /// The field's width in bits, 1 to 64.
    pub width: u32,
}

impl Field {
    /// The largest count the field holds.
    #[must_use]
    pub const fn max(self) -> u64 {
        if self.width >= 64 {
            u64::MAX
        } else {
            (1u64 << self.width) - 1
        }
    }
}

/// The fields of every place, in place order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// One field per place.
    pub fields: Vec<Field>,
    /// Words per key (at least 1).
    pub words: usize,
    /// Per place, whether its width comes from a P-invariant bound, so it can never
    /// overflow.
    pub proven: Vec<bool>,
}

/// The number of bits needed to write `n`, at least 1.
fn bits(n: u128) -> u32 {
    (128 - n.leading_zeros()).clamp(1, 64)
}

impl Layout {
    /// Packs fields of the given widths (each clamped to 1..=64) greedily into words.
    #[must_use]
    pub fn with_widths(widths: &[u32], proven: Vec<bool>) -> Self {
        let mut fields = Vec::with_capacity(widths.len());
        let (mut word, mut used) = (0usize, 0u32);
        for &w in widths {
            let width = w.clamp(1, 64);
            if used + width > 64 {
                word += 1;
                used = 0;
            }
            fields.push(Field {
                word,
                shift: used,
                width,
            });
            used += width;
        }
        let words = if used == 0 { word.max(1) } else { word + 1 };
        Self {
            fields,
            words,
            proven,
        }
    }

    /// The first layout for `net`: widths from its P-invariant bounds where they exist
    /// (see the module docs). The invariants get at most the default
    /// [`Limits::max_rows`] and at most [`INVARIANT_BUDGET`] integers in all; if they
    /// cannot be computed within that, every place starts unproven.
    #[must_use]
    pub fn for_net(net: &PtNet) -> Self {
        let marking = net.initial_marking();
        let mut bound: Vec<Option<u128>> = vec![None; marking.len()];
        let columns = (net.places().len() + net.transitions().len()).max(1);
        let limits = Limits {
            max_rows: Limits::default().max_rows.min(INVARIANT_BUDGET / columns),
        };
        if let Ok(invariants) = p_invariants(net, &limits) {
            for inv in &invariants {
                let sum = inv.coefficients().iter().try_fold(0u128, |s, &(i, y)| {
                    let m = marking.get(i).copied().unwrap_or(0);
                    s.checked_add(u128::from(y).checked_mul(u128::from(m))?)
                });
                let Some(sum) = sum else { continue };
                for &(i, y) in inv.coefficients() {
                    if let Some(b) = bound.get_mut(i) {
                        let this = sum / u128::from(y.max(1));
                        *b = Some(b.map_or(this, |old| old.min(this)));
                    }
                }
            }
        }
        let widths: Vec<u32> = bound
            .iter()
            .zip(&marking)
            .map(|(b, &m)| match b {
                Some(b) => bits(*b),
                None => bits(u128::from(m)).max(UNPROVEN_WIDTH),
            })
            .collect();
        let proven = bound.iter().map(Option::is_some).collect();
        Self::with_widths(&widths, proven)
    }

    /// The same layout with place `place` twice as wide (at most 64 bits), or `None` if
    /// it is already 64 bits wide.
    #[must_use]
    pub fn widened(&self, place: usize) -> Option<Self> {
        let mut widths: Vec<u32> = self.fields.iter().map(|f| f.width).collect();
        let w = widths.get_mut(place)?;
        if *w >= 64 {
            return None;
        }
        *w = (*w * 2).min(64);
        Some(Self::with_widths(&widths, self.proven.clone()))
    }

    /// The bits used by all fields together.
    #[must_use]
    pub fn bits(&self) -> u32 {
        self.fields.iter().map(|f| f.width).sum()
    }

    /// Packs `marking` into `key` (`words` long). A count too large for its field is
    /// cut to the field.
    pub fn pack(&self, marking: &[u64], key: &mut [u64]) {
        key.fill(0);
        for (f, &m) in self.fields.iter().zip(marking) {
            if let Some(w) = key.get_mut(f.word) {
                *w |= (m & f.max()) << f.shift;
            }
        }
    }

    /// The count of place `place` in `key`.
    #[must_use]
    pub fn get(&self, key: &[u64], place: usize) -> u64 {
        self.fields.get(place).map_or(0, |f| {
            key.get(f.word).map_or(0, |&w| (w >> f.shift) & f.max())
        })
    }

    /// Unpacks `key` into `marking` (one count per place).
    pub fn unpack(&self, key: &[u64], marking: &mut Vec<u64>) {
        marking.clear();
        marking.extend((0..self.fields.len()).map(|p| self.get(key, p)));
    }
}

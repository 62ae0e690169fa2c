//! The Farkas algorithm for minimal-support semi-positive invariants, in checked
//! 64-bit integers.
//!
//! Start from `[C | I]`, one row per place (for P-invariants; per transition for
//! T-invariants). Eliminate the columns of `C` one at a time: keep the rows that are 0
//! there, and add every positive combination of a row above 0 with a row below 0 that
//! cancels it. After each column only rows of minimal support survive (the support of
//! a combination is the union of its parents', known before any arithmetic, so
//! candidates that would be dropped are never computed and cannot overflow). When every
//! column is 0 the identity part of each row is a minimal-support invariant.

use super::{Invariant, InvariantError, Limits};
use crate::pt_net::PtNet;

/// The minimal-support P-invariants of `net`: place weightings `y ≥ 0`, `y ≠ 0`, with
/// `y·C = 0`, sorted by their coefficients.
///
/// ```
/// use mycel_check::PtNet;
/// use mycel_check::invariants::{Limits, p_invariants};
///
/// let mut b = PtNet::builder("sink");
/// let p = b.place("p", 1);
/// let t = b.transition("drop");
/// b.input(t, p, 1);
/// // A token can leave and nothing brings it back: no conserved sum.
/// assert!(p_invariants(&b.build()?, &Limits::default())?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`InvariantError::Overflow`] if a coefficient would not fit an `i64`,
/// [`InvariantError::TooManyRows`] past [`Limits::max_rows`].
pub fn p_invariants(net: &PtNet, limits: &Limits) -> Result<Vec<Invariant>, InvariantError> {
    let entries = net.incidence().into_iter().map(|(p, t, e)| (p.0, t.0, e));
    let names: Vec<&str> = net.transitions().iter().map(|t| t.id.as_str()).collect();
    farkas(net.places().len(), &names, entries, limits)
}

/// The minimal-support T-invariants of `net`: firing counts `x ≥ 0`, `x ≠ 0`, with
/// `C·x = 0`, sorted by their coefficients.
///
/// ```
/// use mycel_check::PtNet;
/// use mycel_check::invariants::{Limits, t_invariants};
///
/// let mut b = PtNet::builder("loop");
/// let (p, q) = (b.place("p", 1), b.place("q", 0));
/// let (go, back) = (b.transition("go"), b.transition("back"));
/// b.input(go, p, 1).output(go, q, 1).input(back, q, 1).output(back, p, 1);
/// let cycles = t_invariants(&b.build()?, &Limits::default())?;
/// assert_eq!(cycles[0].coefficients(), &[(0, 1), (1, 1)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`p_invariants`], with places as the eliminated columns.
pub fn t_invariants(net: &PtNet, limits: &Limits) -> Result<Vec<Invariant>, InvariantError> {
    let entries = net.incidence().into_iter().map(|(p, t, e)| (t.0, p.0, e));
    let names: Vec<&str> = net.places().iter().map(|p| p.id.as_str()).collect();
    farkas(net.transitions().len(), &names, entries, limits)
}

/// One candidate: its remaining effect on each column, its combination of the original
/// rows, and the support of that combination as a bit set.
#[derive(Debug, Clone)]
struct Row {
    effect: Vec<i64>,
    combo: Vec<i64>,
    support: Vec<u64>,
}

fn overflow(name: &str) -> InvariantError {
    InvariantError::Overflow {
        element: name.to_owned(),
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `supp(a) ⊆ supp(b)`.
fn subset(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x & !y == 0)
}

/// Which of `supports` to keep: the first `settled` are kept as they are (rows already
/// minimal in the previous round stay minimal, since a new candidate contains one of
/// them); each other one is kept unless another support lies strictly inside it, or
/// an equal one comes before it (a minimal support carries one invariant up to a
/// factor).
fn minimal(supports: &[&[u64]], settled: usize) -> Vec<bool> {
    let sizes: Vec<u32> = supports
        .iter()
        .map(|s| s.iter().map(|w| w.count_ones()).sum())
        .collect();
    supports
        .iter()
        .zip(&sizes)
        .enumerate()
        .map(|(i, (s, &size))| {
            i < settled
                || !supports
                    .iter()
                    .zip(&sizes)
                    .enumerate()
                    .any(|(j, (o, &o_size))| {
                        j != i && (o_size < size || (o_size == size && j < i)) && subset(o, s)
                    })
        })
        .collect()
}

/// `scale_a·a + scale_b·b`, divided by the gcd of its entries.
fn combine(
    a: &Row,
    scale_a: i64,
    b: &Row,
    scale_b: i64,
    name: &str,
) -> Result<Row, InvariantError> {
    let mix = |x: &[i64], y: &[i64]| -> Result<Vec<i64>, InvariantError> {
        x.iter()
            .zip(y)
            .map(|(&u, &v)| {
                u.checked_mul(scale_a)
                    .zip(v.checked_mul(scale_b))
                    .and_then(|(u, v)| u.checked_add(v))
                    .ok_or_else(|| overflow(name))
            })
            .collect()
    };
    let mut effect = mix(&a.effect, &b.effect)?;
    let mut combo = mix(&a.combo, &b.combo)?;
    let divisor = effect
        .iter()
        .chain(&combo)
        .fold(0, |g, &v| gcd(g, v.unsigned_abs()));
    if divisor > 1 {
        // The divisor is at most the largest |entry|, so it fits an i64.
        let d = i64::try_from(divisor).map_err(|_| overflow(name))?;
        for v in effect.iter_mut().chain(combo.iter_mut()) {
            *v /= d;
        }
    }
    let support = a
        .support
        .iter()
        .zip(&b.support)
        .map(|(x, y)| x | y)
        .collect();
    Ok(Row {
        effect,
        combo,
        support,
    })
}

fn farkas(
    rows: usize,
    column_names: &[&str],
    entries: impl Iterator<Item = (usize, usize, i128)>,
    limits: &Limits,
) -> Result<Vec<Invariant>, InvariantError> {
    let columns = column_names.len();
    let name = |c: usize| column_names.get(c).copied().unwrap_or_default();
    let words = rows.div_ceil(64);
    let mut current: Vec<Row> = (0..rows)
        .map(|r| {
            let mut combo = vec![0; rows];
            let mut support = vec![0u64; words];
            if let Some(c) = combo.get_mut(r) {
                *c = 1;
            }
            if let Some(w) = support.get_mut(r / 64) {
                *w |= 1 << (r % 64);
            }
            Row {
                effect: vec![0; columns],
                combo,
                support,
            }
        })
        .collect();
    for (r, c, e) in entries {
        let value = i64::try_from(e).map_err(|_| overflow(name(c)))?;
        if let Some(slot) = current.get_mut(r).and_then(|row| row.effect.get_mut(c)) {
            *slot = value;
        }
    }
    let mut remaining: Vec<usize> = (0..columns).collect();
    while !remaining.is_empty() {
        // Eliminating the column with the fewest combinations first keeps rows few.
        let cost = |c: usize| {
            let (pos, neg) = current.iter().fold((0usize, 0usize), |(p, n), row| {
                match row.effect.get(c).copied().unwrap_or(0).signum() {
                    1 => (p.saturating_add(1), n),
                    -1 => (p, n.saturating_add(1)),
                    _ => (p, n),
                }
            });
            pos.saturating_mul(neg)
        };
        let Some((slot, column)) = remaining
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|&(_, c)| (cost(c), c))
        else {
            break;
        };
        remaining.swap_remove(slot);
        let at = |row: &Row| row.effect.get(column).copied().unwrap_or(0);
        let (zero, nonzero): (Vec<Row>, Vec<Row>) =
            current.into_iter().partition(|row| at(row) == 0);
        let (positive, negative): (Vec<Row>, Vec<Row>) =
            nonzero.into_iter().partition(|row| at(row) > 0);
        let pairs = positive.len().saturating_mul(negative.len());
        if zero.len().saturating_add(pairs) > limits.max_rows {
            return Err(InvariantError::TooManyRows {
                limit: limits.max_rows,
                element: name(column).to_owned(),
            });
        }
        let candidates: Vec<(usize, usize, Vec<u64>)> = positive
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                negative.iter().enumerate().map(move |(j, b)| {
                    let union = a.support.iter().zip(&b.support).map(|(x, y)| x | y);
                    (i, j, union.collect())
                })
            })
            .collect();
        let supports: Vec<&[u64]> = zero
            .iter()
            .map(|row| row.support.as_slice())
            .chain(candidates.iter().map(|(_, _, s)| s.as_slice()))
            .collect();
        let zero_count = zero.len();
        let keep = minimal(&supports, zero_count);
        let mut next: Vec<Row> = zero
            .into_iter()
            .zip(&keep)
            .filter_map(|(row, &k)| k.then_some(row))
            .collect();
        let kept_candidates = candidates
            .iter()
            .zip(keep.iter().skip(zero_count))
            .filter(|(_, k)| **k);
        for ((i, j, _), _) in kept_candidates {
            let (Some(a), Some(b)) = (positive.get(*i), negative.get(*j)) else {
                continue;
            };
            let scale_a = at(b).checked_neg().ok_or_else(|| overflow(name(column)))?;
            next.push(combine(a, scale_a, b, at(a), name(column))?);
        }
        current = next;
    }
    let mut invariants: Vec<Invariant> = current
        .into_iter()
        .map(|row| Invariant {
            coefficients: row
                .combo
                .iter()
                .enumerate()
                .filter(|&(_, &c)| c != 0)
                .map(|(i, &c)| (i, c.unsigned_abs()))
                .collect(),
        })
        .filter(|inv| !inv.coefficients.is_empty())
        .collect();
    invariants.sort_by(|a, b| a.coefficients.cmp(&b.coefficients));
    Ok(invariants)
}

//! Weighted token sums that must stay constant except for what the host moves: the
//! P-invariants of a net's P/T form, and laws a user states.

use mycel::net::{Net, PlaceId};
use mycel::net::{ReadySet, StructureStore};

use crate::from_engine::{ExportOptions, pt_net_of};
use crate::invariants::{Limits, p_invariants};

/// A weighted token sum the user says the net conserves: `Σ weight · len(place)` moves
/// only when the host injects or takes (or a failed firing sends tokens to an error
/// place), never by a firing.
///
/// ```
/// use mycel::net::PlaceId;
/// use mycel_check::kit::Law;
///
/// let law = Law::new("every job is somewhere", [(PlaceId::new(0), 1), (PlaceId::new(1), 1)]);
/// assert_eq!(law.name(), "every job is somewhere");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Law {
    name: String,
    terms: Vec<(PlaceId, i64)>,
}

impl Law {
    /// The law `name`: the sum of `weight · tokens` over `terms` is conserved.
    pub fn new(name: impl Into<String>, terms: impl IntoIterator<Item = (PlaceId, i64)>) -> Self {
        Self {
            name: name.into(),
            terms: terms.into_iter().collect(),
        }
    }

    /// The law's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The `(place, weight)` terms.
    #[must_use]
    pub fn terms(&self) -> &[(PlaceId, i64)] {
        &self.terms
    }
}

/// One sum the checker follows: a weight per engine place.
#[derive(Clone, Debug)]
pub(crate) struct TrackedSum {
    /// `P-invariant` or `law "name"`.
    pub(crate) origin: String,
    /// Weight per place, in declaration order.
    pub(crate) weights: Vec<i128>,
    /// The sum as text.
    pub(crate) text: String,
}

impl TrackedSum {
    pub(crate) fn value(&self, lens: &[usize]) -> i128 {
        self.weights
            .iter()
            .zip(lens)
            .map(|(w, &len)| w * len as i128)
            .sum()
    }

    pub(crate) fn weight(&self, place: usize) -> i128 {
        self.weights.get(place).copied().unwrap_or(0)
    }
}

/// `2 ping + pong - room`, from weights and place names.
fn text_of(weights: &[i128], names: &[String]) -> String {
    let mut text = String::new();
    for (w, name) in weights.iter().zip(names) {
        if *w == 0 {
            continue;
        }
        let sign = if *w < 0 { "-" } else { "+" };
        if text.is_empty() {
            if *w < 0 {
                text.push('-');
            }
        } else {
            text.push_str(&format!(" {sign} "));
        }
        let magnitude = w.unsigned_abs();
        if magnitude != 1 {
            text.push_str(&format!("{magnitude} "));
        }
        text.push_str(name);
    }
    if text.is_empty() {
        "0".to_owned()
    } else {
        text
    }
}

/// The names of `net`'s places as `name[index]`.
pub(crate) fn place_names<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
) -> Vec<String> {
    net.places()
        .map(|p| super::violation::named(net.place(p).map_or("", |s| s.name), p.index()))
        .collect()
}

/// A law as a tracked sum over `places` places.
pub(crate) fn tracked_law(law: &Law, names: &[String]) -> TrackedSum {
    let mut weights = vec![0i128; names.len()];
    for &(place, w) in &law.terms {
        if let Some(slot) = weights.get_mut(place.index()) {
            *slot += i128::from(w);
        }
    }
    TrackedSum {
        origin: format!("law \"{}\"", law.name),
        text: text_of(&weights, names),
        weights,
    }
}

/// The P-invariants of `net`'s P/T form ([`pt_net_of`]) as sums over its places, or why
/// they could not be computed (an inhibitor arc, too many variants, a Farkas limit).
///
/// In the P/T form each place `p` has a complement `room(p) = capacity − len(p)`, so an
/// invariant `y` reads `Σ (y_p − y_room(p)) · len(p) + constant` on the engine's
/// marking; invariants that only say `p + room(p) = capacity` weigh nothing and are
/// left out (the capacity check covers them).
pub(crate) fn p_invariant_sums<
    C,
    const P: usize,
    const T: usize,
    const A: usize,
    const K: usize,
    R: ReadySet,
    Store: StructureStore<C, P, T, A, K>,
>(
    net: &Net<C, P, T, A, K, R, Store>,
    names: &[String],
) -> Result<Vec<TrackedSum>, String> {
    let pt = pt_net_of(net, "kit", &ExportOptions::default()).map_err(|e| e.to_string())?;
    let invariants = p_invariants(&pt, &Limits::default()).map_err(|e| e.to_string())?;
    let index_of = |id: String| pt.place_index(&id).map(|i| i.0);
    let columns: Vec<(Option<usize>, Option<usize>)> = (0..names.len())
        .map(|p| (index_of(format!("p{p}")), index_of(format!("p{p}_room"))))
        .collect();
    let mut sums: Vec<TrackedSum> = Vec::new();
    for invariant in &invariants {
        let weights: Vec<i128> = columns
            .iter()
            .map(|&(place, room)| {
                let y = |i: Option<usize>| i.map_or(0, |i| i128::from(invariant.coefficient(i)));
                y(place) - y(room)
            })
            .collect();
        // An invariant over rooms reads as the negation of one over places: keep one.
        let negative = weights.iter().find(|w| **w != 0).is_some_and(|w| *w < 0);
        let weights: Vec<i128> = if negative {
            weights.iter().map(|w| -w).collect()
        } else {
            weights
        };
        if weights.iter().all(|w| *w == 0) || sums.iter().any(|s| s.weights == weights) {
            continue;
        }
        sums.push(TrackedSum {
            origin: "P-invariant".to_owned(),
            text: text_of(&weights, names),
            weights,
        });
    }
    Ok(sums)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["a[0]", "b[1]", "c[2]"].map(str::to_owned).to_vec()
    }

    #[test]
    fn a_sum_reads_with_its_signs_and_weights() {
        assert_eq!(text_of(&[1, 2, 0], &names()), "a[0] + 2 b[1]");
        assert_eq!(text_of(&[-1, 0, 3], &names()), "-a[0] + 3 c[2]");
        assert_eq!(text_of(&[0, -2, -1], &names()), "-2 b[1] - c[2]");
        assert_eq!(text_of(&[0, 0, 0], &names()), "0");
    }

    #[test]
    fn a_law_adds_repeated_terms_and_ignores_unknown_places() {
        let law = Law::new(
            "l",
            [
                (PlaceId::new(0), 1),
                (PlaceId::new(0), 2),
                (PlaceId::new(9), 5),
            ],
        );
        let sum = tracked_law(&law, &names());
        assert_eq!(sum.weights, vec![3, 0, 0]);
        assert_eq!(sum.value(&[2, 7, 7]), 6);
        assert_eq!(sum.origin, "law \"l\"");
    }
}

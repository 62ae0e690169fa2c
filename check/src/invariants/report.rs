//! What the invariants say about a net: covered places, conserved sums, bounds.

use super::{Invariant, InvariantError, Limits, p_invariants, t_invariants};
use crate::pt_net::PtNet;

/// The structural facts about a net that its minimal-support invariants prove.
///
/// ```
/// use mycel_check::PtNet;
/// use mycel_check::invariants::{Limits, StructuralReport};
///
/// // Two processes share one lock.
/// let mut b = PtNet::builder("mutex");
/// let lock = b.place("lock", 1);
/// for i in 0..2 {
///     let idle = b.place(format!("idle{i}"), 1);
///     let busy = b.place(format!("busy{i}"), 0);
///     let (enter, leave) = (b.transition(format!("enter{i}")), b.transition(format!("leave{i}")));
///     b.input(enter, idle, 1).input(enter, lock, 1).output(enter, busy, 1);
///     b.input(leave, busy, 1).output(leave, idle, 1).output(leave, lock, 1);
/// }
/// let net = b.build()?;
/// let report = StructuralReport::of(&net, &Limits::default())?;
/// assert_eq!(report.p_invariants.len(), 3); // each process, and lock + busy0 + busy1
/// assert!(report.is_conservative());
/// let busy0 = net.place_index("busy0").unwrap().0;
/// assert_eq!(report.structural_bound(busy0), Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructuralReport {
    /// The minimal-support P-invariants.
    pub p_invariants: Vec<Invariant>,
    /// The minimal-support T-invariants.
    pub t_invariants: Vec<Invariant>,
    /// For each P-invariant `y`, in the same order, the conserved token sum `y·M₀`.
    pub conserved_sums: Vec<u128>,
    /// Per place, whether some P-invariant covers it (which makes it bounded).
    pub covered: Vec<bool>,
}

impl StructuralReport {
    /// Computes both kinds of invariants of `net` and what they prove.
    ///
    /// # Errors
    /// As [`p_invariants`] and [`t_invariants`], and [`InvariantError::SumOverflow`] if a
    /// conserved sum does not fit a `u128`.
    pub fn of(net: &PtNet, limits: &Limits) -> Result<Self, InvariantError> {
        let p = p_invariants(net, limits)?;
        let t = t_invariants(net, limits)?;
        let marking = net.initial_marking();
        let conserved_sums = p
            .iter()
            .enumerate()
            .map(|(k, inv)| {
                inv.coefficients().iter().try_fold(0u128, |sum, &(i, y)| {
                    let m = marking.get(i).copied().unwrap_or(0);
                    u128::from(y)
                        .checked_mul(u128::from(m))
                        .and_then(|term| sum.checked_add(term))
                        .ok_or(InvariantError::SumOverflow { invariant: k })
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut covered = vec![false; net.places().len()];
        for i in p.iter().flat_map(Invariant::support) {
            if let Some(c) = covered.get_mut(i) {
                *c = true;
            }
        }
        Ok(Self {
            p_invariants: p,
            t_invariants: t,
            conserved_sums,
            covered,
        })
    }

    /// The indices of the places some P-invariant covers: structurally bounded.
    #[must_use]
    pub fn covered_places(&self) -> Vec<usize> {
        (0..self.covered.len())
            .filter(|&i| self.covered.get(i) == Some(&true))
            .collect()
    }

    /// Whether every place is covered by a P-invariant, so the net is bounded from any
    /// initial marking.
    #[must_use]
    pub fn is_conservative(&self) -> bool {
        self.covered.iter().all(|&c| c)
    }

    /// The best bound on place `place` the P-invariants prove from the initial marking:
    /// the least `⌊y·M₀ / y_place⌋` over the invariants `y` that cover it, or `None` if
    /// none does. The reachable maximum is at most this, and often equal.
    #[must_use]
    pub fn structural_bound(&self, place: usize) -> Option<u128> {
        self.p_invariants
            .iter()
            .zip(&self.conserved_sums)
            .filter_map(|(inv, &sum)| {
                let y = inv.coefficient(place);
                (y > 0).then(|| sum / u128::from(y))
            })
            .min()
    }
}

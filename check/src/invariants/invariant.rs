//! One invariant: a sparse, non-negative integer vector.

/// A minimal-support invariant: the non-zero coefficients, by place index (for a
/// P-invariant) or transition index (for a T-invariant), ascending, with no common
/// divisor.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Invariant {
    pub(crate) coefficients: Vec<(usize, u64)>,
}

impl Invariant {
    /// The non-zero `(index, coefficient)` pairs, by ascending index.
    #[must_use]
    pub fn coefficients(&self) -> &[(usize, u64)] {
        &self.coefficients
    }

    /// The coefficient of index `i` (0 outside the support).
    #[must_use]
    pub fn coefficient(&self, i: usize) -> u64 {
        self.coefficients
            .binary_search_by_key(&i, |&(j, _)| j)
            .ok()
            .and_then(|k| self.coefficients.get(k))
            .map_or(0, |&(_, c)| c)
    }

    /// The indices with a non-zero coefficient, ascending.
    pub fn support(&self) -> impl Iterator<Item = usize> + '_ {
        self.coefficients.iter().map(|&(i, _)| i)
    }
}

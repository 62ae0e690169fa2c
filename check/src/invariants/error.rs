//! Why an invariant computation stops.

/// A structural analysis that could not finish exactly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvariantError {
    /// A coefficient would not fit a 64-bit integer while eliminating the column of
    /// `element`; the computation stops rather than wrap.
    #[error("a coefficient overflows 64 bits while eliminating \"{element}\"")]
    Overflow {
        /// The id of the transition (for P-invariants) or place (for T-invariants)
        /// whose column was being eliminated.
        element: String,
    },
    /// More than [`Limits::max_rows`](super::Limits::max_rows) candidate rows were alive
    /// at once.
    #[error("more than {limit} intermediate rows (the limit) while eliminating \"{element}\"")]
    TooManyRows {
        /// The limit.
        limit: usize,
        /// The id of the transition or place whose column was being eliminated.
        element: String,
    },
    /// A conserved sum `y·M₀` does not fit 128 bits.
    #[error("the token sum conserved by P-invariant {invariant} overflows 128 bits")]
    SumOverflow {
        /// The index of the invariant in the report.
        invariant: usize,
    },
}

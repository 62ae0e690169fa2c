//! Lifetime counters of the reference net.

/// Lifetime counters of the net; each saturates and never decreases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefNetCounters {
    /// Tokens the host injected.
    pub injected: u64,
    /// Tokens the host took.
    pub taken: u64,
    /// Tokens successful firings produced beyond what they consumed.
    pub created: u64,
    /// Tokens successful firings consumed beyond what they produced.
    pub retired: u64,
    /// Per transition: successful firings.
    pub firings: Vec<u64>,
    /// Per transition: failed firings.
    pub failures: Vec<u64>,
    /// Per place: the most tokens it ever held.
    pub high_water: Vec<usize>,
}

//! The bound on the Farkas algorithm's work.

/// How much work the invariant computation may do before refusing with
/// [`InvariantError::TooManyRows`](super::InvariantError::TooManyRows).
///
/// Each row holds one integer per place and per transition, so memory is at most about
/// `max_rows × (places + transitions) × 8` bytes.
///
/// ```
/// use mycel_check::invariants::Limits;
/// assert_eq!(Limits::default().max_rows, 20_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most rows (candidate invariants) alive at once.
    pub max_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_rows: 20_000 }
    }
}

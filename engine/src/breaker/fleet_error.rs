//! What can go wrong with a fleet view: a lost compare-and-set, or a remote view that
//! no fleet could have made.

/// Why a fleet view was not changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FleetError {
    /// A compare-and-set lost: the view's epoch is `found`, not the `expected` one the
    /// proposal was made from. Nothing changed; adopt the newer view and decide again.
    Conflict {
        /// The epoch the proposal was made from.
        expected: u64,
        /// The epoch the view is at.
        found: u64,
    },
    /// A proposal that is not one step ahead of the epoch it was made from.
    NotNextEpoch,
    /// A remote view with more entries than this view has room for.
    Oversized,
    /// A remote view with two entries for the same instance and bucket.
    DuplicateEntry,
    /// A remote entry with more failed or slow calls than calls.
    ImpossibleCounts,
    /// A remote state whose open period is zero.
    ImpossibleState,
}

impl core::fmt::Display for FleetError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Conflict { expected, found } => write!(
                f,
                "the fleet moved on: proposal from epoch {expected}, view at epoch {found}"
            ),
            Self::NotNextEpoch => f.write_str("a proposal must be exactly one epoch ahead"),
            Self::Oversized => f.write_str("the remote view has more entries than fit"),
            Self::DuplicateEntry => {
                f.write_str("the remote view has two entries for one instance and bucket")
            }
            Self::ImpossibleCounts => {
                f.write_str("a remote entry has more failed or slow calls than calls")
            }
            Self::ImpossibleState => f.write_str("the remote state has a zero open period"),
        }
    }
}

impl core::error::Error for FleetError {}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;

    #[test]
    fn every_fleet_error_message_names_what_went_wrong() {
        let text = |e: FleetError| {
            let mut s: heapless::String<96> = heapless::String::new();
            write!(s, "{e}").unwrap();
            s
        };
        let conflict = text(FleetError::Conflict {
            expected: 3,
            found: 5,
        });
        assert!(conflict.contains("epoch 3") && conflict.contains("epoch 5"));
        assert!(text(FleetError::NotNextEpoch).contains("one epoch ahead"));
        assert!(text(FleetError::Oversized).contains("more entries"));
        assert!(text(FleetError::DuplicateEntry).contains("two entries"));
        assert!(text(FleetError::ImpossibleCounts).contains("more failed or slow calls"));
        assert!(text(FleetError::ImpossibleState).contains("zero open period"));
    }
}

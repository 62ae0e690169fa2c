//! Structural analysis: minimal-support P- and T-invariants, the places they bound, and
//! the token sums they conserve.
//!
//! A P-invariant is a weighting `y ≥ 0` of places with `y·C = 0` (`C` the incidence
//! matrix): no firing changes `y·M`, so `y·M₀` is conserved and every place in its
//! support is bounded. A T-invariant is a firing count `x ≥ 0` with `C·x = 0`: firing
//! each transition that many times returns to the same marking.
//!
//! [`p_invariants`] and [`t_invariants`] compute the minimal-support ones (every other
//! semi-positive invariant is a non-negative combination of them) with the Farkas
//! algorithm, in exact integers: a coefficient that would overflow is a typed
//! [`InvariantError`], never a wrap, and [`Limits::max_rows`] bounds the intermediate
//! rows, whose number can grow exponentially with the net. [`StructuralReport`] puts it
//! together.
//!
//! ```
//! use mycel_check::PtNet;
//! use mycel_check::invariants::{Limits, p_invariants};
//!
//! // A token shuttles between two places, two at a time one way, one back: p + 2q.
//! let mut b = PtNet::builder("shuttle");
//! let p = b.place("p", 2);
//! let q = b.place("q", 0);
//! let (go, back) = (b.transition("go"), b.transition("back"));
//! b.input(go, p, 2).output(go, q, 1).input(back, q, 1).output(back, p, 2);
//! let net = b.build()?;
//! let invariants = p_invariants(&net, &Limits::default())?;
//! assert_eq!(invariants.len(), 1);
//! assert_eq!(invariants[0].coefficients(), &[(0, 1), (1, 2)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod farkas;
mod invariant;
mod limits;
mod report;

pub use error::InvariantError;
pub use farkas::{p_invariants, t_invariants};
pub use invariant::Invariant;
pub use limits::Limits;
pub use report::StructuralReport;

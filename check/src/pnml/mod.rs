//! PNML (ISO/IEC 15909-2) for place/transition nets: [`import`] reads one into a
//! [`PtNet`](crate::PtNet), [`export`] writes one back.
//!
//! Import reads places with names and initial markings, transitions with names, arcs
//! with inscriptions (weights), and pages, nested pages being flattened into one net
//! (reference places and transitions become the node they refer to). Graphics and
//! tool-specific blocks are skipped. It streams the document, so memory grows with the
//! net, not with the file, and [`Limits`] bound the file's size, its nesting, and the
//! net's size, marking and weights.
//!
//! Anything else is a typed [`PnmlError`] that names the element, never a panic:
//! malformed XML, a coloured or other non-P/T net (refused, naming its type), a missing
//! id, a dangling arc, a number that does not fit, or a limit exceeded (with the limit).
//!
//! ```
//! use mycel_check::pnml::{self, Limits, PnmlError};
//!
//! let coloured = r#"<pnml><net id="ring"
//!     type="http://www.pnml.org/version-2009/grammar/symmetricnet"/></pnml>"#;
//! let err = pnml::import_str(coloured, &Limits::default()).unwrap_err();
//! assert!(matches!(err, PnmlError::UnsupportedNetType { .. }));
//! assert!(err.to_string().contains("symmetricnet"));
//! ```

mod error;
mod export;
mod import;
mod limits;

pub use error::PnmlError;
pub use export::{export, to_string};
pub use import::{import, import_str};
pub use limits::Limits;

/// The net type URI of P/T nets in PNML 2009, the only type [`import`] accepts.
pub const PT_NET_TYPE: &str = "http://www.pnml.org/version-2009/grammar/ptnet";

/// The PNML grammar namespace written by [`export`].
pub const PNML_NAMESPACE: &str = "http://www.pnml.org/version-2009/grammar/pnml";

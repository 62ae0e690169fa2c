//! Classic nets of the literature, built in code, with their published state counts:
//! for tests, benchmarks and examples.

mod fms;
mod kanban;
mod mutex;
mod philosophers;

pub use fms::{FlexibleManufacturing, flexible_manufacturing};
pub use kanban::kanban;
pub use mutex::mutual_exclusion;
pub use philosophers::philosophers;

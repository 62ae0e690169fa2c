//! Classic nets of the literature, built in code, with their published state counts:
//! for tests, benchmarks and examples.

mod kanban;
mod philosophers;

pub use kanban::kanban;
pub use philosophers::philosophers;

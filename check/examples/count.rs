//! Counts Kanban's states: `cargo run --release -p mycel-check --example count -- 5`.

use mycel_check::classic::kanban;
use mycel_check::explore::{Options, explore};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args().nth(1).map_or(Ok(3), |a| a.parse())?;
    let report = explore(&kanban(n), Options::new())?;
    println!(
        "Kanban N={n}: {} states, {} edges, depth {}, {} deadlocks, {:.2?}, {:.1} bytes/state, {} words",
        report.states,
        report.edges,
        report.depth,
        report.deadlock_count,
        report.elapsed,
        report.bytes_per_state(),
        report.words_per_state
    );
    Ok(())
}

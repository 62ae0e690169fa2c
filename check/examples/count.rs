//! Explores Kanban with `n` cards and prints one line: `n states edges seconds
//! states/s bytes/state`. `benches/explore-compare.sh` runs it beside the Python
//! search over the same net:
//!
//! ```text
//! cargo run --release -p mycel-check --example count -- 5
//! ```

use mycel_check::classic::kanban;
use mycel_check::explore::{Options, explore};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args().nth(1).map_or(Ok(3), |a| a.parse())?;
    // A second argument `parallel` generates successors on a second thread.
    let parallel = std::env::args().nth(2).as_deref() == Some("parallel");
    let report = explore(&kanban(n), Options::new().parallel(parallel))?;
    println!(
        "{n} {} {} {:.3} {:.0} {:.1}",
        report.states,
        report.edges,
        report.elapsed.as_secs_f64(),
        report.states_per_second(),
        report.bytes_per_state()
    );
    Ok(())
}

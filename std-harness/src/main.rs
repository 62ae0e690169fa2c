//! The `mycel` command line: simulator demo, scenarios and diagrams.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(mycel_harness::cli::main_with(std::env::args_os()))
}

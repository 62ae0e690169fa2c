//! The `mycel` command line: simulator demo, scenarios and diagrams.

fn main() {}

//! Arbitrary bytes given to the harness's scenario parser: an error that points into
//! the text, or a scenario that runs (bounded) to its report; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_harness::fuzz_scenario::{ScenarioFile, run};

fuzz_target!(|input: ScenarioFile| {
    let _ = run(&input);
});

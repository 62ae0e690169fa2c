//! Arbitrary bytes given to the PNML reader: a typed error with a message, or a net that
//! reads back identical from its own export; never a panic, never past the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_check::fuzz::pnml_import::{PnmlFile, run};

fuzz_target!(|input: PnmlFile| {
    let _ = run(&input);
});

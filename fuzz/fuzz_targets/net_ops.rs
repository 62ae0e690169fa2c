//! An arbitrary net definition and call sequence, run on the engine and the reference
//! interpreter in lockstep and checked against the invariants after every call.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_check::fuzz::net_ops::{NetOpsInput, run};

fuzz_target!(|input: NetOpsInput| {
    let _ = run(&input);
});

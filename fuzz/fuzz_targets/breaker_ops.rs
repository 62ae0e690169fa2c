//! An arbitrary breaker configuration (one in ten broken in one field) and call
//! sequence, run on the engine breaker and the reference breaker in lockstep and
//! checked against the invariants after every call.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_check::fuzz::breaker_ops::{BreakerOpsInput, run};

fuzz_target!(|input: BreakerOpsInput| {
    let _ = run(&input);
});

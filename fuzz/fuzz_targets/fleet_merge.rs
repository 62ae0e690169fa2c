//! Fleet views as a store could hold them, possibly impossible: refused with a typed
//! error, or merged as a join (commutative, associative, idempotent, never backwards).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_check::fuzz::fleet_merge::{FleetMergeInput, run};

fuzz_target!(|input: FleetMergeInput| {
    let _ = run(&input);
});

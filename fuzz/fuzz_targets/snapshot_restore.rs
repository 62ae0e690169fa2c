//! A breaker driven by arbitrary calls, saved as a snapshot, maybe damaged, restored
//! and driven on: a faithful restore, or a typed refusal, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mycel_check::fuzz::snapshot_restore::{SnapshotRestoreInput, run};

fuzz_target!(|input: SnapshotRestoreInput| {
    let _ = run(&input);
});

//! Failed checks, panics and HardFaults all end the run with a non-zero exit code.
//!
//! Under QEMU a fault must never hang: a `defmt::assert!` that fails has already
//! logged its message and exits directly; any other panic is logged by `panic-probe`,
//! which then raises a HardFault (`udf`), whose handler here logs and exits.

use crate::exit;
use cortex_m_rt::{ExceptionFrame, exception};

/// Called by `defmt::panic!` and failed `defmt::assert!`s after they logged their message.
#[defmt::panic_handler]
fn defmt_panic() -> ! {
    exit::failure()
}

/// Logs where the fault happened and exits with a failure code.
// cortex-m-rt requires a HardFault handler to be declared `unsafe fn`; the body
// performs no unsafe operation.
#[allow(unsafe_code)]
#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    defmt::error!("HardFault at pc {=u32:#010x}", frame.pc());
    exit::failure()
}

//! Failed checks, panics and HardFaults all end the run with a non-zero exit code.
//!
//! Under QEMU a fault must never hang: a `defmt::assert!` that fails has already
//! logged its message and exits directly; any other panic logs where it happened
//! (and its message when that is a plain string) and exits; a HardFault logs its PC
//! and exits.
//!
//! The panic handler does not format panic messages with `core::fmt`: that machinery
//! costs about 1.6 KiB of flash, and nothing in this firmware panics with a formatted
//! message (the engine never panics; its own checks go through defmt).

use crate::exit;
use core::panic::PanicInfo;
use cortex_m_rt::{ExceptionFrame, exception};

/// Called on any panic that does not go through defmt (e.g. in a dependency).
#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    let message = info
        .message()
        .as_str()
        .unwrap_or("(formatted message not shown)");
    match info.location() {
        Some(at) => defmt::error!(
            "panicked at {=str}:{=u32}: {=str}",
            at.file(),
            at.line(),
            message
        ),
        None => defmt::error!("panicked: {=str}", message),
    }
    exit::failure()
}

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

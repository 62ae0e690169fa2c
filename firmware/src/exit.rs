//! Leaving QEMU through semihosting with an exit code.
//!
//! QEMU's semihosting `SYS_EXIT` on 32-bit Arm ends the emulator with status 0 for
//! "application exit" and 1 for any other reason, so the firmware has two outcomes.

use cortex_m_semihosting::debug::{self, EXIT_FAILURE, EXIT_SUCCESS};

/// Ends the run with exit code 0: every check passed.
pub fn success() -> ! {
    exit_with(EXIT_SUCCESS)
}

/// Ends the run with a non-zero exit code: a check failed, or the firmware panicked
/// or faulted.
pub fn failure() -> ! {
    exit_with(EXIT_FAILURE)
}

fn exit_with(status: debug::ExitStatus) -> ! {
    debug::exit(status);
    // Only reached without a semihosting host (e.g. on hardware with no debugger).
    loop {
        cortex_m::asm::wfi();
    }
}

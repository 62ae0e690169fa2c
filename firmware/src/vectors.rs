//! The device part of the vector table: a single slot.
//!
//! Without a device crate, cortex-m-rt would fill the table with 240 device interrupt
//! slots on Armv7-M (about 1 KiB of flash). The firmware enables no device
//! interrupt (its only interrupt is SysTick, a core exception), so it declares the
//! one slot cortex-m-rt's linker script requires, pointing at the default handler.
// The vector table is found by the linker through this exported name and section.
#![allow(unsafe_code)]

unsafe extern "C" {
    /// cortex-m-rt's handler for any interrupt without one of its own.
    fn DefaultHandler();
}

/// The device interrupt slots of the vector table.
#[unsafe(link_section = ".vector_table.interrupts")]
#[unsafe(no_mangle)]
#[used]
static __INTERRUPTS: [unsafe extern "C" fn(); 1] = [DefaultHandler];

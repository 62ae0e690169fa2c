//! The thread-mode executor: embassy's raw executor, polled in a loop that sleeps in
//! `wfi` whenever no task is ready.
//!
//! embassy's own Cortex-M executor sleeps in `wfe`, which QEMU runs as a hint that
//! does not sleep: the core would spin, and under `-icount` the spinning would be
//! what moves the clock. `wfi` does sleep (and with `-icount ... sleep=off` QEMU jumps
//! straight to the next timer event), so this loop is the one place where the core
//! is idle, and only when nothing is pending.
//!
//! A task is woken either from an interrupt (the time driver's SysTick handler) or
//! from another task in thread mode (a channel send); both call the pender, which
//! raises [`PENDED`]. The loop checks the flag with interrupts masked before it sleeps,
//! so a wake-up between the poll and the `wfi` is never lost: a masked interrupt
//! still ends `wfi`, and its handler runs as soon as the mask is lifted.
// The executor's entry points are `unsafe` by contract (see each SAFETY note), and
// the pender must be exported under the name the executor links against.
#![allow(unsafe_code)]

use core::sync::atomic::{AtomicBool, Ordering};
use embassy_executor::{Spawner, raw};

/// Set when a task was woken since the loop last polled.
static PENDED: AtomicBool = AtomicBool::new(true);

/// Called by the executor whenever a task is woken, from any context.
// SAFETY: the executor declares `__pender` with exactly this signature, and nothing
// else in the program exports the name.
#[unsafe(export_name = "__pender")]
fn pender(_context: *mut ()) {
    PENDED.store(true, Ordering::Release);
}

/// Creates the executor, lets `init` spawn the tasks, and polls them forever,
/// sleeping whenever none is ready.
pub fn run(init: impl FnOnce(Spawner)) -> ! {
    let executor: &'static mut raw::Executor = defmt::unwrap!(
        cortex_m::singleton!(: raw::Executor = raw::Executor::new(core::ptr::null_mut()))
    );
    let executor: &'static raw::Executor = executor;
    init(executor.spawner());
    loop {
        PENDED.store(false, Ordering::Release);
        // SAFETY: `poll` must not run concurrently with itself or be re-entered: this
        // loop in thread mode is its only caller.
        unsafe { executor.poll() };
        critical_section::with(|_| {
            if !PENDED.load(Ordering::Acquire) {
                cortex_m::asm::wfi();
            }
        });
    }
}

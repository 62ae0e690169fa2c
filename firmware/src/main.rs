//! mycel on a Cortex-M core under QEMU.
//!
//! Boots with `cortex-m-rt`, logs through `defmt` over semihosting, runs the scripted
//! [`program`] against the request pipeline net with the circuit breaker inside on a
//! simulated clock, and leaves QEMU through semihosting: exit code 0 when every check
//! passed, 1 on a failed check, a panic or a HardFault (see [`fault`]). `run.sh` pipes
//! the output into `defmt-print`.
//!
//! The target picks the board (`build.rs`): `thumbv7m-none-eabi` runs on
//! `lm3s6965evb`, `thumbv7em-none-eabihf` on `mps2-an386` and `thumbv6m-none-eabi` on
//! `microbit`.
#![no_std]
#![no_main]

// Linked for what they provide, not called: the critical-section implementation
// (defmt's logger needs it) and the defmt global logger.
use cortex_m as _;
use defmt_semihosting as _;

mod backend;
mod breaker;
mod clock;
mod exit;
mod fault;
mod pipeline;
mod pipeline_net;
mod program;
mod request;
mod script;
mod stack;
mod stages;

use core::mem::MaybeUninit;

/// The QEMU board this build targets, chosen by `build.rs` from the target.
const BOARD: &str = env!("MYCEL_BOARD");

/// The most stack building or running may use. The smallest board (micro:bit, 16 KiB
/// of RAM) leaves about 14 KiB between the statics and the top of RAM; this keeps
/// over 4 KiB of it unused. There is no guard below the stack: an overflow would
/// silently run into the statics, so the margin matters.
const STACK_BUDGET: u32 = 10 * 1024;

#[cortex_m_rt::entry]
fn main() -> ! {
    // The net and the stages (breaker, backend) live in statics, so the linker counts
    // them in static RAM (`.bss`); cortex-m-rt hands `main` a `&'static mut` to each.
    static mut NET: MaybeUninit<pipeline_net::PipelineNet> = MaybeUninit::uninit();
    static mut STAGES: MaybeUninit<stages::Stages> = MaybeUninit::uninit();

    stack::paint();
    defmt::info!("mycel-firmware on {=str}", BOARD);
    let mut clock = clock::SimClock::new(clock::START);
    let mut pipeline = defmt::unwrap!(pipeline::Pipeline::build_into(NET, STAGES, clock.now()));
    // Building needs more stack than running (it moves the net by value a few times),
    // so each gets its own measurement.
    let building = stack::high_water_mark();
    stack::paint();
    program::run(&mut pipeline, &mut clock, &script::PHASES);
    let running = stack::high_water_mark();
    defmt::info!(
        "stack: high-water mark {=u32} B while building, {=u32} B while running, of {=u32} B",
        building,
        running,
        stack::reserved()
    );
    defmt::assert!(
        building.max(running) <= STACK_BUDGET,
        "stack use above its budget of {=u32} B",
        STACK_BUDGET
    );
    defmt::info!("all checks passed");
    exit::success()
}

//! mycel in an embassy application on a Cortex-M core under QEMU.
//!
//! Three tasks on embassy's executor, polled in thread mode ([`executor`]) and timed
//! by a SysTick time driver ([`time_driver`]): the arrival task releases scripted requests at their instants,
//! the backend task answers them (failing from 10 s to 17 s), and the engine task
//! owns the request pipeline net with the circuit breaker inside and sleeps until a
//! request or an answer arrives or until `next_deadline()`, whichever comes first.
//! The run ends through semihosting: exit code 0 when the demo's five beats happened
//! ([`story`]), 1 otherwise or on a panic or a HardFault (see [`fault`]). `run.sh`
//! pipes the defmt output into `defmt-print`.
//!
//! The target picks the board (`build.rs`): `thumbv7m-none-eabi` runs on
//! `lm3s6965evb`, `thumbv7em-none-eabihf` on `mps2-an386` and `thumbv6m-none-eabi` on
//! `microbit`.
#![no_std]
#![no_main]

// Linked for what they provide, not called: the critical-section implementation
// and the defmt global logger.
use cortex_m as _;
use defmt_semihosting as _;

mod arrivals;
mod backend;
mod breaker;
mod engine;
mod executor;
mod exit;
mod fault;
mod links;
mod mem;
// The README's copyable example, compiled (and linted) with the firmware so it stays
// correct; nothing spawns its task.
#[allow(dead_code)]
mod minimal_example;
mod pipeline;
mod pipeline_net;
mod request;
mod scenario;
mod stack;
mod stages;
mod story;
mod time_driver;
mod vectors;
mod wakeups;

/// The board this build is for: its name and core clock, from `build.rs`.
mod board {
    include!(concat!(env!("OUT_DIR"), "/board.rs"));
}

use embassy_time::Instant;

#[cortex_m_rt::entry]
fn main() -> ! {
    let core = defmt::unwrap!(cortex_m::Peripherals::take());
    time_driver::start(core.SYST);
    defmt::info!(
        "mycel-firmware on {=str}: embassy executor, SysTick time driver at {=u32} Hz",
        board::BOARD,
        board::CORE_HZ
    );
    let pipeline = defmt::unwrap!(pipeline::Pipeline::build(Instant::now()));
    pipeline.log_object_sizes();
    executor::run(|spawner| {
        spawner.spawn(defmt::unwrap!(engine::engine(pipeline)));
        spawner.spawn(defmt::unwrap!(backend::backend()));
        spawner.spawn(defmt::unwrap!(arrivals::arrivals()));
    })
}

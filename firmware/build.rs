//! Picks the board for the target being built and writes its `memory.x` and
//! `board.rs` to `OUT_DIR`.
//!
//! One target maps to one QEMU board, so the memory layout follows from `TARGET`
//! alone. The layout is written to `OUT_DIR` (never kept in the package root, where
//! it would shadow this one on the linker's search path). `board.rs` gives the crate
//! the board's name (for its logs) and its core clock (the SysTick time driver counts
//! core cycles).

use std::env;
use std::fs;
use std::path::PathBuf;

/// A QEMU board and the memory the firmware may use on it.
struct Board {
    name: &'static str,
    flash_origin: u32,
    flash_kib: u32,
    ram_origin: u32,
    ram_kib: u32,
    /// The core clock QEMU gives the board, which SysTick counts when it runs on the
    /// processor clock.
    core_hz: u32,
}

/// RAM the firmware claims on every board: the micro:bit's 16 KiB. The larger boards
/// could give more, but the stack is painted (and scanned) from the statics to the top
/// of RAM around every engine step, so a small region keeps that short, and the same
/// region everywhere makes the boards' stack numbers comparable.
const RAM_KIB: u32 = 16;

/// The board each supported target runs on.
fn board_for(target: &str) -> Option<Board> {
    match target {
        // Stellaris LM3S6965: 256 KiB flash, 64 KiB SRAM (16 KiB used).
        "thumbv7m-none-eabi" => Some(Board {
            name: "lm3s6965evb",
            flash_origin: 0x0000_0000,
            flash_kib: 256,
            ram_origin: 0x2000_0000,
            ram_kib: RAM_KIB,
            // QEMU's Stellaris model runs the core at 12 MHz out of reset.
            core_hz: 12_000_000,
        }),
        // MPS2 AN386 in QEMU: 4 MiB ZBT SSRAM1 at 0 holds the code, SSRAM2/3 at
        // 0x2000_0000 the data (QEMU's mps2.c maps AN385/AN386 alike).
        "thumbv7em-none-eabihf" => Some(Board {
            name: "mps2-an386",
            flash_origin: 0x0000_0000,
            flash_kib: 4096,
            ram_origin: 0x2000_0000,
            ram_kib: RAM_KIB,
            // SYSCLK of the MPS2 FPGA images.
            core_hz: 25_000_000,
        }),
        // micro:bit v1 (nRF51822): 256 KiB flash, 16 KiB RAM.
        "thumbv6m-none-eabi" => Some(Board {
            name: "microbit",
            flash_origin: 0x0000_0000,
            flash_kib: 256,
            ram_origin: 0x2000_0000,
            ram_kib: RAM_KIB,
            // The nRF51's 16 MHz HCLK.
            core_hz: 16_000_000,
        }),
        _ => None,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=memory.x");
    if fs::exists("memory.x")? {
        return Err(
            "remove firmware/memory.x: the layout comes from build.rs, and a memory.x \
                    in the package root would shadow it on the linker search path"
                .into(),
        );
    }
    let target = env::var("TARGET")?;
    let board = board_for(&target).ok_or_else(|| {
        format!(
            "no board for target `{target}`: build with --target thumbv7m-none-eabi, \
             thumbv7em-none-eabihf or thumbv6m-none-eabi"
        )
    })?;
    let out = PathBuf::from(env::var("OUT_DIR")?);
    let memory = format!(
        "/* {name}, written by build.rs for {target} */\n\
         MEMORY\n{{\n  FLASH : ORIGIN = {fo:#010x}, LENGTH = {fk}K\n  \
         RAM : ORIGIN = {ro:#010x}, LENGTH = {rk}K\n}}\n",
        name = board.name,
        fo = board.flash_origin,
        fk = board.flash_kib,
        ro = board.ram_origin,
        rk = board.ram_kib,
    );
    fs::write(out.join("memory.x"), memory)?;
    // cortex-m-rt's `device` feature includes a device.x that names the device's
    // interrupt handlers; the firmware has none (src/vectors.rs).
    fs::write(
        out.join("device.x"),
        "/* no device interrupt handlers: see src/vectors.rs */\n",
    )?;
    let constants = format!(
        "/// The QEMU board this build targets, chosen by `build.rs` from the target.\n\
         pub const BOARD: &str = {name:?};\n\
         /// The board's core clock in Hz: what SysTick counts on the processor clock.\n\
         pub const CORE_HZ: u32 = {hz};\n",
        name = board.name,
        hz = board.core_hz,
    );
    fs::write(out.join("board.rs"), constants)?;
    println!("cargo:rustc-link-search={}", out.display());
    Ok(())
}

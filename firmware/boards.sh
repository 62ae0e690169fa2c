# shellcheck shell=bash
# Sourced by the firmware scripts: the boards, their targets and their QEMU CPUs.
# One target runs on one board; build.rs writes the matching memory layout.

# shellcheck disable=SC2034  # used by the scripts that source this file
BOARDS=(lm3s6965evb mps2-an386 microbit)

# The Rust target a board's firmware is built for.
board_target() {
  case "$1" in
    lm3s6965evb) echo thumbv7m-none-eabi ;;
    mps2-an386) echo thumbv7em-none-eabihf ;;
    microbit) echo thumbv6m-none-eabi ;;
    *) echo "unknown board '$1' (known: ${BOARDS[*]})" >&2; return 2 ;;
  esac
}

# The CPU QEMU emulates on a board.
board_cpu() {
  case "$1" in
    lm3s6965evb) echo cortex-m3 ;;
    mps2-an386) echo cortex-m4 ;;
    microbit) echo cortex-m0 ;;
    *) echo "unknown board '$1' (known: ${BOARDS[*]})" >&2; return 2 ;;
  esac
}

# The board an ELF was built for, read from the target directory in its path.
board_for_elf() {
  local board
  for board in "${BOARDS[@]}"; do
    case "$1" in
      */"$(board_target "$board")"/*) echo "$board"; return 0 ;;
    esac
  done
  echo "cannot tell the board of '$1': expected target/<target>/<profile>/<elf>" >&2
  return 2
}

# The release ELF of a board's firmware (FIRMWARE_DIR is set by the sourcing script).
board_elf() {
  echo "$FIRMWARE_DIR/target/$(board_target "$1")/release/mycel-firmware"
}

#!/usr/bin/env bash
# Runs a firmware ELF under QEMU and prints the decoded defmt log on stdout.
#
#   qemu-run.sh <elf> [board]
#
# The board defaults to the one the ELF's target runs on (this is the cargo runner,
# so `cargo run --release --target T` works). Exit code: QEMU's, which the firmware
# sets through semihosting (0 only when every check passed; 124 on timeout), or
# defmt-print's if QEMU succeeded but decoding failed.
set -euo pipefail

FIRMWARE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=boards.sh
source "$FIRMWARE_DIR/boards.sh"

elf="${1:?usage: qemu-run.sh <elf> [board]}"
board="${2:-$(board_for_elf "$elf")}"
cpu="$(board_cpu "$board")"

# Deterministic time: `-icount` makes the virtual clock (which SysTick counts) advance
# by 2^ICOUNT_SHIFT ns per instruction instead of following the host's clock, and
# `sleep=off` jumps it to the next timer event while the core sleeps in `wfe`. So the
# same ELF always sees the same instants, and the 30 s timeline takes well under a
# second. Shift 3 (8 ns) is a few times faster than the boards' real cores.
# Level and message only: no timestamps or source locations, so logs are byte-stable
# across machines and runs.
set +e
timeout "${QEMU_TIMEOUT:-60}" \
  qemu-system-arm -cpu "$cpu" -machine "$board" -nographic \
    -icount "shift=${ICOUNT_SHIFT:-3},align=off,sleep=off" \
    -semihosting-config enable=on,target=native -kernel "$elf" </dev/null \
  | defmt-print -e "$elf" --log-format "{L} {s}"
status=("${PIPESTATUS[@]}")
set -e

qemu_status="${status[0]}"
decoder_status="${status[1]}"
if [[ "$qemu_status" -ne 0 ]]; then
  if [[ "$qemu_status" -eq 124 ]]; then
    echo "qemu-run: $board timed out after ${QEMU_TIMEOUT:-60}s" >&2
  else
    echo "qemu-run: $board exited with $qemu_status" >&2
  fi
  exit "$qemu_status"
fi
if [[ "$decoder_status" -ne 0 ]]; then
  echo "qemu-run: defmt-print failed with $decoder_status" >&2
  exit "$decoder_status"
fi

#!/usr/bin/env bash
# Builds the release firmware for a board and runs it under QEMU.
#
#   run.sh <lm3s6965evb|mps2-an386|microbit|all>
#
# The decoded log is shown and written to target/logs/<board>.log. Exit code: the
# run's (0 only when every check passed); with `all`, the first failing board's.
set -euo pipefail

FIRMWARE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=boards.sh
source "$FIRMWARE_DIR/boards.sh"

usage="usage: run.sh <${BOARDS[*]// /|}|all>"
choice="${1:?$usage}"
if [[ "$choice" == all ]]; then
  boards=("${BOARDS[@]}")
else
  board_target "$choice" >/dev/null || { echo "$usage" >&2; exit 2; }
  boards=("$choice")
fi

mkdir -p "$FIRMWARE_DIR/target/logs"
result=0
for board in "${boards[@]}"; do
  target="$(board_target "$board")"
  echo "== $board ($target)" >&2
  (cd "$FIRMWARE_DIR" && cargo build --release --quiet --target "$target")
  log="$FIRMWARE_DIR/target/logs/$board.log"
  if "$FIRMWARE_DIR/qemu-run.sh" "$(board_elf "$board")" "$board" | tee "$log"; then
    echo "== $board: passed" >&2
  else
    status=$?
    echo "== $board: FAILED (exit $status)" >&2
    if [[ "$result" -eq 0 ]]; then result="$status"; fi
  fi
done
exit "$result"

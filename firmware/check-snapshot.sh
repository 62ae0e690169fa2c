#!/usr/bin/env bash
# Runs the firmware on every board and compares each decoded log with its snapshot.
#
#   check-snapshot.sh            fail (with a diff) when a log differs from snapshots/<board>.log
#   check-snapshot.sh --update   rewrite the snapshots from fresh, passing runs
#
# Logs carry no timestamps or locations (see qemu-run.sh), so a difference means the
# program's behaviour or its messages changed. Time is deterministic too (qemu-run.sh
# runs QEMU with -icount). The stack line and the worst lateness are the exception:
# the high-water marks and the lateness follow the compiler's code generation (how
# many instructions a step takes), and the stack's size is what the statics leave of
# RAM, not the program's behaviour, so they are masked before comparing (the firmware
# checks them against its own bounds, and size-report.sh reports them). A board whose
# run fails is never snapshotted.
set -euo pipefail

FIRMWARE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=boards.sh
source "$FIRMWARE_DIR/boards.sh"

update=false
case "${1:-}" in
  "") ;;
  --update) update=true ;;
  *) echo "usage: check-snapshot.sh [--update]" >&2; exit 2 ;;
esac

# A log with the stack numbers and the worst lateness masked.
comparable() {
  sed -E \
    -e 's/^(INFO  stack: high-water mark )[0-9]+( B per engine step, )[0-9]+( B deepest from the top, of )[0-9]+ B/\1#\2#\3# B/' \
    -e 's/^(INFO  lateness: worst )[0-9]+( us)/\1#\2/' \
    "$1"
}

mkdir -p "$FIRMWARE_DIR/snapshots"
passed=0
failed=0
for board in "${BOARDS[@]}"; do
  log="$FIRMWARE_DIR/target/logs/$board.log"
  snapshot="$FIRMWARE_DIR/snapshots/$board.log"
  if ! "$FIRMWARE_DIR/run.sh" "$board" >/dev/null; then
    echo "snapshot: $board: the run failed; see $log" >&2
    failed=$((failed + 1))
    continue
  fi
  if $update; then
    cp "$log" "$snapshot"
    echo "snapshot: $board: updated $snapshot" >&2
    passed=$((passed + 1))
  elif [[ ! -f "$snapshot" ]]; then
    echo "snapshot: $board: no snapshot yet; run check-snapshot.sh --update" >&2
    failed=$((failed + 1))
  elif diff -u --label "$snapshot" --label "$log" <(comparable "$snapshot") <(comparable "$log"); then
    echo "snapshot: $board: matches" >&2
    passed=$((passed + 1))
  else
    echo "snapshot: $board: the log differs from $snapshot (diff above)" >&2
    failed=$((failed + 1))
  fi
done
echo "snapshots: $passed passed, $failed failed"
[[ "$failed" -eq 0 ]]

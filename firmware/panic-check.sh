#!/usr/bin/env bash
# Checks that no code of the mycel engine can panic, on the release ELF of every board.
#
#   panic-check.sh
#
# Disassembles each ELF and lists every function that calls (or tail-calls) one of
# core's panic entry points (`core::panicking::*`, index and unwrap failures,
# RefCell borrow failures). Fails when one of them is an engine function (`mycel::`).
# The other callers are listed for information: they are the firmware's and its
# dependencies' (a RefCell borrow in the time driver, an embassy future polled after
# it finished), and every panic there ends the run through semihosting (src/fault.rs).
#
# With fat LTO an engine function can be inlined into its caller; the check then sees
# the caller. The engine forbids panicking constructs in its own lints and tests;
# this check makes sure none reaches the ELF under an engine symbol.
set -euo pipefail

FIRMWARE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=boards.sh
source "$FIRMWARE_DIR/boards.sh"

objdump_tool() {
  if command -v llvm-objdump >/dev/null; then command -v llvm-objdump; return 0; fi
  find "$(rustc --print sysroot)/lib/rustlib" -path '*/bin/llvm-objdump' -type f -print -quit
}
OBJDUMP="$(objdump_tool)"
[[ -n "$OBJDUMP" ]] || { echo "panic-check: llvm-objdump not found" >&2; exit 1; }

PANIC_ENTRY='core::panicking::|core::cell::panic_|core::slice::index::|core::option::unwrap_failed|core::option::expect_failed|core::result::unwrap_failed|panic_bounds_check|core::str::slice_error_fail'

status=0
for board in "${BOARDS[@]}"; do
  target="$(board_target "$board")"
  (cd "$FIRMWARE_DIR" && cargo build --release --quiet --target "$target")
  elf="$(board_elf "$board")"
  callers="$("$OBJDUMP" -d --demangle --no-show-raw-insn "$elf" | awk -v entry="$PANIC_ENTRY" '
    /^[0-9a-f]+ <.*>:$/ { fn = substr($0, index($0, "<") + 1); sub(/>:$/, "", fn); next }
    $2 ~ /^b(l|\.w)?$/ && $0 ~ ("<(" entry ")") && fn !~ ("^(" entry ")") { print fn }
  ' | sort -u)"
  # An engine function's path starts with `mycel` (`mycel::...`, or `<mycel::T as ...>`,
  # which legacy mangling shows as `_$LT$mycel..T$u20$as$u20$...`).
  engine="$(grep -E '^(_\$LT\$|<)?mycel(::|\.\.)' <<<"$callers" || true)"
  if [[ -n "$engine" ]]; then
    echo "panic-check: $board: engine functions that can panic:" >&2
    sed 's/^/  /' <<<"$engine" >&2
    status=1
  else
    count="$(grep -c . <<<"$callers" || true)"
    echo "panic-check: $board: no engine function calls a panic ($count other callers, all ending the run through semihosting)"
  fi
done
exit "$status"

#!/usr/bin/env bash
# Prints the release footprint of every board as a Markdown table and checks the budget.
#
#   size-report.sh
#
# Per target: section sizes from the ELF (llvm-size -A), where
#   flash      = .vector_table + .text + .rodata + .data (initial values live in flash)
#   static RAM = .data + .bss + .uninit
# The stack is not counted: cortex-m-rt starts it at the end of RAM and reserves no
# fixed size for it; the firmware measures its high-water mark instead (stack.rs) and
# logs it. `.defmt` is not counted either: it holds the log format strings, which stay
# in the ELF on the host and are never flashed.
# Object sizes (`core::mem::size_of`), stack use, wake-ups and lateness come from each
# firmware's log; the sizes of the statics holding the net, the stages and the engine
# task come from the ELF's symbols.
#
# Fails when thumbv7em-none-eabihf needs more than FLASH_BUDGET (default 20480, the
# issue's limit) bytes of flash or RAM_BUDGET (default 2048) bytes of static RAM, or
# when a heap allocator is linked into any firmware.
set -euo pipefail

FIRMWARE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=boards.sh
source "$FIRMWARE_DIR/boards.sh"

BUDGET_TARGET=thumbv7em-none-eabihf
FLASH_BUDGET="${FLASH_BUDGET:-20480}"
RAM_BUDGET="${RAM_BUDGET:-2048}"

# An LLVM binutil: from PATH (Debian's `llvm`), else from rustup's llvm-tools.
llvm_tool() {
  local name="$1" found
  if found="$(command -v "$name")"; then echo "$found"; return 0; fi
  found="$(find "$(rustc --print sysroot)/lib/rustlib" -path "*/bin/$name" -type f -print -quit 2>/dev/null || true)"
  if [[ -n "$found" ]]; then echo "$found"; return 0; fi
  echo "size-report: $name not found (apt-get install -y llvm, or rustup component add llvm-tools)" >&2
  return 1
}
LLVM_SIZE="$(llvm_tool llvm-size)"
LLVM_NM="$(llvm_tool llvm-nm)"

# Size in bytes of one section of an ELF, 0 when absent.
section_size() {
  "$LLVM_SIZE" -A "$1" | awk -v name="$2" '$1 == name { print $2; found = 1 } END { if (!found) print 0 }'
}

# The statics that hold the pipeline and the engine task, as "NET 1208 B in .bss, ..."
# (from the symbol table, so the table shows the linker really counts them in static
# RAM).
static_objects() {
  local out="" addr size type name object section
  while read -r addr size type name; do
    case "$name" in
      *::NET | *::NET::h*) object=NET ;;
      *::STAGES | *::STAGES::h*) object=STAGES ;;
      *engine::engine::POOL | *engine::engine::POOL::h*) object="engine task" ;;
      *) continue ;;
    esac
    case "$type" in
      [bB]) section=.bss ;;
      [dD]) section=.data ;;
      *) continue ;;
    esac
    out+="${out:+, }$object $((16#$size)) B in $section"
  done < <("$LLVM_NM" -C -S "$1")
  echo "${out:-(not found)}"
}

status=0
allocator_boards=()
rows=()
objects=()
timing=()
for board in "${BOARDS[@]}"; do
  target="$(board_target "$board")"
  log="$FIRMWARE_DIR/target/logs/$board.log"
  # Runs (and so builds) the release firmware; its log carries the object sizes.
  "$FIRMWARE_DIR/run.sh" "$board" >/dev/null 2>&1 || {
    echo "size-report: $board: the firmware run failed; see $log" >&2
    status=1
  }
  elf="$(board_elf "$board")"
  vectors="$(section_size "$elf" .vector_table)"
  text="$(section_size "$elf" .text)"
  rodata="$(section_size "$elf" .rodata)"
  data="$(section_size "$elf" .data)"
  bss="$(section_size "$elf" .bss)"
  uninit="$(section_size "$elf" .uninit)"
  flash=$((vectors + text + rodata + data))
  ram=$((data + bss + uninit))
  rows+=("| \`$target\` | $board | $vectors | $text | $rodata | $data | $bss | $uninit | $flash | $ram |")
  sizes="$(sed -n 's/^INFO  size_of: //p' "$log" 2>/dev/null || true)"
  stack="$(sed -n 's/^INFO  stack: high-water mark //p' "$log" 2>/dev/null || true)"
  objects+=("| \`$target\` | ${sizes:-(no start-up log)} | $(static_objects "$elf") | ${stack:-(no stack line)} |")
  wakeups="$(sed -n 's/^INFO  wake-ups: //p' "$log" 2>/dev/null || true)"
  lateness="$(sed -n 's/^INFO  lateness: //p' "$log" 2>/dev/null || true)"
  timing+=("| \`$target\` | ${wakeups:-(no wake-up line)} | ${lateness:-(no lateness line)} |")

  # The allocator shim symbols exist only when a #[global_allocator] is linked.
  # Read all symbols first: `nm | grep -q` would fail under pipefail when grep stops early.
  symbols="$("$LLVM_NM" "$elf")"
  if grep -q -E '__rust_alloc|__rg_alloc|__rdl_alloc|handle_alloc_error' <<<"$symbols"; then
    allocator_boards+=("$board")
    status=1
  fi
  if [[ "$target" == "$BUDGET_TARGET" ]]; then
    budget_flash="$flash"
    budget_ram="$ram"
  fi
done

echo "| target | board | .vector_table | .text | .rodata | .data | .bss | .uninit | flash | static RAM |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "Sizes in bytes; release profile (opt-level \"z\", fat LTO, codegen-units 1, panic abort)."
echo
echo "| target | \`core::mem::size_of\` (start-up log) | statics (symbol table) | stack high-water mark (run log) |"
echo "|---|---|---|---|"
printf '%s\n' "${objects[@]}"
echo
echo "| target | wake-ups (run log) | lateness (run log) |"
echo "|---|---|---|"
printf '%s\n' "${timing[@]}"
echo
if [[ "$budget_flash" -gt "$FLASH_BUDGET" || "$budget_ram" -gt "$RAM_BUDGET" ]]; then
  echo "Budget ($BUDGET_TARGET): EXCEEDED: flash $budget_flash / $FLASH_BUDGET B, static RAM $budget_ram / $RAM_BUDGET B"
  status=1
else
  echo "Budget ($BUDGET_TARGET): ok: flash $budget_flash / $FLASH_BUDGET B, static RAM $budget_ram / $RAM_BUDGET B"
fi
if [[ "${#allocator_boards[@]}" -gt 0 ]]; then
  echo "Heap: FAILED: an allocator is linked on ${allocator_boards[*]}"
else
  echo "Heap: ok: no allocator linked on any board"
fi
exit "$status"

#!/usr/bin/env bash
# The firmware part of CI: installs what it needs (idempotently), lints, runs the
# firmware on every board against the log snapshots, checks that no engine code can
# panic, and checks the footprint budget.
#
#   ci.sh
#
# Called by the root .ci/run. Exits non-zero on the first failing stage.
set -euo pipefail

FIRMWARE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$FIRMWARE_DIR"

TARGETS=(thumbv6m-none-eabi thumbv7m-none-eabi thumbv7em-none-eabihf)

stage() { echo "== firmware: $*" >&2; }

stage "toolchain components and targets"
rustup component add rustfmt clippy >/dev/null
installed="$(rustup target list --installed)"
missing=()
for target in "${TARGETS[@]}"; do
  grep -qx "$target" <<<"$installed" || missing+=("$target")
done
if [[ "${#missing[@]}" -gt 0 ]]; then
  rustup target add "${missing[@]}"
fi

stage "host tools"
packages=()
command -v qemu-system-arm >/dev/null || packages+=(qemu-system-arm)
# llvm-size, llvm-nm and llvm-objdump for the footprint report and the panic check
# (Debian's llvm; rustup's llvm-tools also work).
if ! command -v llvm-size >/dev/null || ! command -v llvm-nm >/dev/null || ! command -v llvm-objdump >/dev/null; then
  if [[ -z "$(find "$(rustc --print sysroot)/lib/rustlib" -path '*/bin/llvm-size' -print -quit 2>/dev/null || true)" ]]; then
    packages+=(llvm)
  fi
fi
if [[ "${#packages[@]}" -gt 0 ]]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
fi
# defmt-print 1.x decodes the defmt 1.x wire format the firmware writes.
command -v defmt-print >/dev/null || cargo install defmt-print --locked --version '^1'

stage "format and lints"
cargo fmt --check
for target in "${TARGETS[@]}"; do
  cargo clippy --release --quiet --target "$target" -- -D warnings
done
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --document-private-items --quiet

stage "the README's example is the compiled one"
# The first rust block of the README must be src/minimal_example.rs, which the
# firmware compiles and lints; so the copyable example cannot rot.
readme_example="$(awk '/^```rust$/ { inside = 1; next } inside && /^```$/ { exit } inside' README.md)"
if ! diff -u --label README.md --label src/minimal_example.rs <(printf '%s\n' "$readme_example") src/minimal_example.rs; then
  echo "firmware: the README's example differs from src/minimal_example.rs (diff above)" >&2
  exit 1
fi
lines="$(wc -l <src/minimal_example.rs)"
if [[ "$lines" -gt 60 ]]; then
  echo "firmware: the README's example has $lines lines, more than 60" >&2
  exit 1
fi

stage "runs on every board, compared with the snapshots"
./check-snapshot.sh

stage "no panic path in the engine"
./panic-check.sh

stage "footprint"
# The issue's limits are 20 KiB of flash and 2 KiB of static RAM (size-report.sh's
# defaults). Both are met on thumbv7em (README, "Footprint": 19960 B of flash, 2000 B
# of static RAM). Static RAM is held to its limit; flash is held below it, at the
# measured size plus about 1 %, so that it cannot grow unnoticed.
FLASH_BUDGET="${FLASH_BUDGET:-20160}" RAM_BUDGET="${RAM_BUDGET:-2048}" ./size-report.sh

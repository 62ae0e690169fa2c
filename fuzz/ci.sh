#!/usr/bin/env bash
# Runs every cargo-fuzz target for FUZZ_SECONDS seconds (default 60), failing on any
# crash, then the engine's tests under Miri. Installs what it needs idempotently.
#
#   FUZZ_SECONDS=10 fuzz/ci.sh      # a quick pass
#   SKIP_MIRI=1 fuzz/ci.sh          # fuzzing only
#   SANITIZER=address fuzz/ci.sh    # with AddressSanitizer (cargo-fuzz's default)
#
# No sanitizer by default: the engine forbids unsafe code and the targets are safe Rust,
# where AddressSanitizer finds little and costs nine tenths of the throughput (see
# fuzz/README.md). Overflow checks and debug assertions stay on.
#
# Each target fuzzes into a scratch corpus seeded from the committed fuzz/corpus/<target>/,
# so a run leaves the committed seeds as they are. A crash is saved by libFuzzer under
# fuzz/artifacts/<target>/, where `cargo test --workspace` (tests/fuzz_corpus.rs) replays
# it on stable Rust.
set -euo pipefail
cd "$(dirname "$0")"

FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
SANITIZER="${SANITIZER:-none}"

step() { printf '\n==> %s\n' "$*"; }

step "toolchain: nightly, miri, rust-src, cargo-fuzz"
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
rustup +nightly component add miri rust-src >/dev/null 2>&1 || rustup +nightly component add miri rust-src
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

for target in $(cargo +nightly fuzz list); do
  step "fuzz $target for ${FUZZ_SECONDS}s"
  mkdir -p "$scratch/$target" "corpus/$target"
  log="$scratch/$target.log"
  if ! cargo +nightly fuzz run --release --debug-assertions --sanitizer "$SANITIZER" \
      "$target" "$scratch/$target" "corpus/$target" -- \
      -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target failed: see fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  echo "$target: ${runs:-?} executions, ${rate:-?} per second, no crash"
done

if [[ -z "${SKIP_MIRI:-}" ]]; then
  step "engine tests under miri"
  (cd .. && cargo +nightly miri test -p mycel)
fi

echo
echo "fuzz and miri passed"

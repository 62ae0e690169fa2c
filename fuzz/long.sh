#!/usr/bin/env bash
# Runs each cargo-fuzz target for a given time on every core, then reports per target
# the executions, the coverage reached (libFuzzer's `cov` edges and `ft` features), the
# corpus size, and the crashes found. Installs what it needs idempotently.
#
#   fuzz/long.sh 1800                    # every target, 30 minutes each
#   fuzz/long.sh 60 net_ops breaker_ops  # those two, one minute each
#   JOBS=1 fuzz/long.sh 600              # one core
#   SANITIZER=address fuzz/long.sh 600   # with AddressSanitizer (cargo-fuzz's default)
#
# Targets fuzz one after the other, each with JOBS libFuzzer processes (-fork=JOBS,
# default: the number of cores) into a scratch corpus seeded from the committed
# fuzz/corpus/<target>/, so a run leaves the committed seeds as they are; crashes go to
# fuzz/artifacts/<target>/ (replayed on stable by tests/fuzz_corpus.rs) and the run
# goes on after them. The report is a Markdown table on standard output (paste it into
# fuzz/README.md). Exits 1 if any target crashed.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:?usage: fuzz/long.sh SECONDS [TARGET...]}"
shift
jobs="${JOBS:-$(nproc)}"
# No sanitizer by default: the engine forbids unsafe code and the targets are safe Rust,
# so AddressSanitizer finds little here and costs a large share of the throughput.
# Overflow checks and debug assertions stay on (-a), as panics are what the targets hunt.
sanitizer="${SANITIZER:-none}"

rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
report="$scratch/report.md"
{
  echo "Fuzzed $(date -u +%Y-%m-%d) for ${seconds}s per target with $jobs processes on $(nproc) cores ($(uname -m)), sanitizer: $sanitizer."
  echo
  echo "| target | seconds | executions | per second | cov | ft | corpus | crashes |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} >"$report"

crashed=0
for target in "${targets[@]}"; do
  mkdir -p "$scratch/$target" "corpus/$target" "artifacts/$target"
  before="$(find "artifacts/$target" -type f | wc -l)"
  log="$scratch/$target.log"
  echo "==> $target: ${seconds}s with $jobs processes" >&2
  # -fork keeps going after a crash (-ignore_crashes) and merges what each process finds.
  flags=(--release --debug-assertions --sanitizer "$sanitizer")
  cargo +nightly fuzz build "${flags[@]}" "$target" >/dev/null 2>&1
  cargo +nightly fuzz run "${flags[@]}" "$target" "$scratch/$target" "corpus/$target" -- \
      -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$seconds" -artifact_prefix="artifacts/$target/" \
      >"$log" 2>&1 || true
  # The last status line: "#<execs>: cov: <c> ft: <f> corp: <n> exec/s: <r> ..." (fork mode).
  last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
  execs="$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")"
  cov="$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")"
  ft="$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")"
  corp="$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")"
  rate="$(sed -nE 's/.* exec\/s: ([0-9]+).*/\1/p' <<<"$last")"
  after="$(find "artifacts/$target" -type f | wc -l)"
  crashes=$((after - before))
  [[ $crashes -eq 0 ]] || crashed=1
  echo "| \`$target\` | $seconds | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $crashes |" >>"$report"
  if [[ -z "$last" ]]; then
    echo "no status line from $target; the end of its log:" >&2
    tail -n 30 "$log" >&2
  fi
done

echo
cat "$report"
exit "$crashed"

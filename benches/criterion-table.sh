#!/usr/bin/env bash
# Prints the latest criterion results under target/criterion as Markdown tables:
# median time per iteration, per unit (firing, request or call) and throughput, and for
# the breaker groups each peer's median relative to mycel's.
#
#   cargo bench -p mycel-suite --bench firing --bench breaker
#   benches/criterion-table.sh
#
# Needs jq. Criterion keeps the last run of each case, so run the benches first.
set -euo pipefail

cd "$(dirname "$0")/.."
root=target/criterion
[[ -d "$root" ]] || { echo "no criterion results: run cargo bench first" >&2; exit 1; }
command -v jq >/dev/null || { echo "criterion-table.sh needs jq" >&2; exit 1; }

# One line per case: full_id, elements per iteration, median ns per iteration.
cases() {
    find "$root" -path '*/new/benchmark.json' | sort | while read -r bench; do
        dir=$(dirname "$bench")
        jq -r --slurpfile e "$dir/estimates.json" \
            '[.full_id, (.throughput.Elements // 1), $e[0].median.point_estimate] | @tsv' "$bench"
    done
}

human_rate() {
    awk -v r="$1" 'BEGIN {
        if (r >= 1e9) printf "%.2f G/s", r / 1e9;
        else if (r >= 1e6) printf "%.2f M/s", r / 1e6;
        else printf "%.0f k/s", r / 1e3 }'
}

echo "| case | median per iteration | median per unit | throughput |"
echo "|---|---:|---:|---:|"
declare -A per_unit
while IFS=$'\t' read -r id elements median; do
    unit=$(awk -v m="$median" -v e="$elements" 'BEGIN { printf "%.2f", m / e }')
    per_unit[$id]=$unit
    rate=$(awk -v m="$median" -v e="$elements" 'BEGIN { printf "%.0f", e / m * 1e9 }')
    iter=$(awk -v m="$median" 'BEGIN { if (m >= 1000) printf "%.2f µs", m / 1000; else printf "%.2f ns", m }')
    echo "| $id | $iter | $unit ns | $(human_rate "$rate") |"
done < <(cases)

echo
echo "| breaker group | mycel | failsafe | recloser | failsafe / mycel | recloser / mycel |"
echo "|---|---:|---:|---:|---:|---:|"
for state in closed open; do
    for policy in consecutive count_window time_window; do
        g="breaker_${state}/${policy}"
        m=${per_unit[$g/mycel]:-}
        [[ -n "$m" ]] || continue
        f=${per_unit[$g/failsafe]:-0} r=${per_unit[$g/recloser]:-0}
        ratio() { awk -v p="$1" -v o="$m" 'BEGIN { printf "%.1fx", p / o }'; }
        echo "| $g | $m ns | $f ns | $r ns | $(ratio "$f") | $(ratio "$r") |"
    done
done

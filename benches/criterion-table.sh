#!/usr/bin/env bash
# Prints criterion results as Markdown tables: median time per iteration, per unit
# (firing, request or call) and throughput, and for the breaker groups each peer's
# median relative to mycel's.
#
#   cargo bench -p mycel-suite --bench firing --bench breaker
#   benches/criterion-table.sh                  # the latest run, from target/criterion
#   benches/criterion-table.sh run1 run2 run3   # copies of target/criterion from several
#                                               # runs: the lowest median of each case
#
# On a machine shared with other work a run's medians only go up with interference, so
# the lowest median over a few runs is the least disturbed measurement. Needs jq.
set -euo pipefail

roots=()
for arg in "$@"; do roots+=("$(realpath "$arg")"); done
cd "$(dirname "$0")/.."
((${#roots[@]})) || roots=(target/criterion)
for root in "${roots[@]}"; do
    [[ -d "$root" ]] || { echo "no criterion results in $root: run cargo bench first" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "criterion-table.sh needs jq" >&2; exit 1; }

# One line per case: full_id, elements per iteration, lowest median ns per iteration.
cases() {
    for root in "${roots[@]}"; do
        find "$root" -path '*/new/benchmark.json' | while read -r bench; do
            dir=$(dirname "$bench")
            jq -r --slurpfile e "$dir/estimates.json" \
                '[.full_id, (.throughput.Elements // 1), $e[0].median.point_estimate] | @tsv' "$bench"
        done
    done | sort -t$'\t' -k1,1 -k3,3g | awk -F'\t' '!seen[$1]++'
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

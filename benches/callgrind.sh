#!/usr/bin/env bash
# Counts instructions per firing, per request and per breaker call under callgrind and
# prints them as Markdown tables (the ones in benches/README.md).
#
#   benches/callgrind.sh            # every case
#   benches/callgrind.sh ring       # only cases whose name contains "ring"
#
# Each case runs twice, with R and 2R reps of its workload; instructions per unit are
# (Ir(2R) - Ir(R)) / (R * units per rep), so building the workload, process start-up and
# valgrind's own start cancel out. Instruction counts do not drift with machine load,
# so they are what to compare across commits. Needs valgrind (3.19 or newer) and jq.
set -euo pipefail

cd "$(dirname "$0")/.."
filter="${1:-}"

for tool in valgrind jq; do
    command -v "$tool" >/dev/null || { echo "callgrind.sh needs $tool" >&2; exit 1; }
done

driver=$(cargo bench --quiet --no-run -p mycel-suite --bench callgrind --message-format=json 2>/dev/null |
    jq -r 'select(.reason == "compiler-artifact" and .target.name == "callgrind") | .executable // empty' |
    tail -n 1)
[[ -x "$driver" ]] || { echo "could not build the callgrind driver" >&2; exit 1; }

# Total instructions of one run of the driver.
instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$driver" run "$1" "$2" 2>&1 |
        awk '/Collected :/ { print $NF }'
}

# Instructions per unit of case $1 with $2 units per rep, to one decimal.
per_unit() {
    local name=$1 units=$2 target=20000 reps one two
    reps=$(( (target + units - 1) / units ))
    one=$(instructions "$name" "$reps")
    two=$(instructions "$name" $((2 * reps)))
    awk -v a="$one" -v b="$two" -v r="$reps" -v u="$units" 'BEGIN { printf "%.1f", (b - a) / (r * u) }'
}

declare -A count
net_rows=()
while read -r name unit units; do
    [[ -z "$filter" || "$name" == *"$filter"* ]] || continue
    count[$name]=$(per_unit "$name" "$units")
    [[ "$unit" == call ]] || net_rows+=("$name $unit")
done < <("$driver" list)

echo "valgrind $(valgrind --version | sed 's/valgrind-//'), $(rustc --version | cut -d' ' -f1-2), $(uname -m)"
echo
if ((${#net_rows[@]})); then
    echo "| case | instructions per unit | unit |"
    echo "|---|---:|---|"
    for row in "${net_rows[@]}"; do
        read -r name unit <<<"$row"
        echo "| $name | ${count[$name]} | $unit |"
    done
    echo
fi

ratio() {
    awk -v peer="$1" -v ours="$2" 'BEGIN { if (ours > 0) printf "%.1fx", peer / ours; else print "-" }'
}

header=0
for state in closed open; do
    for policy in consecutive count_window time_window; do
        key="${state}_${policy}"
        [[ -n "${count[$key/mycel]:-}" ]] || continue
        if ((header == 0)); then
            echo "| breaker call | mycel | failsafe | recloser | failsafe / mycel | recloser / mycel |"
            echo "|---|---:|---:|---:|---:|---:|"
            header=1
        fi
        m=${count[$key/mycel]} f=${count[$key/failsafe]:-0} r=${count[$key/recloser]:-0}
        echo "| $state $policy | $m | $f | $r | $(ratio "$f" "$m") | $(ratio "$r" "$m") |"
    done
done

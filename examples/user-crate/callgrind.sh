#!/usr/bin/env bash
# Instructions per firing and per request of the user crate's nets under callgrind,
# as a Markdown table (the one in benches/README.md). Needs valgrind.
#
#   examples/user-crate/callgrind.sh
#
# Each case runs with R and 2R reps; (Ir(2R) - Ir(R)) / (R * units per rep) cancels
# building the net, process start-up and valgrind's own start.
set -euo pipefail
cd "$(dirname "$0")"
command -v valgrind >/dev/null || { echo "callgrind.sh needs valgrind" >&2; exit 1; }
cargo build --quiet --release --example callgrind
driver=target/release/examples/callgrind

instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$driver" run "$1" "$2" 2>&1 |
        awk '/Collected :/ { print $NF }'
}

echo "| case | instructions per unit | unit |"
echo "|---|---:|---|"
while read -r name unit units; do
    reps=$(( (20000 + units - 1) / units ))
    one=$(instructions "$name" "$reps")
    two=$(instructions "$name" $((2 * reps)))
    awk -v n="$name" -v u="$unit" -v a="$one" -v b="$two" -v r="$reps" -v k="$units" \
        'BEGIN { printf "| %s | %.1f | %s |\n", n, (b - a) / (r * k), u }'
done < <("$driver" list)

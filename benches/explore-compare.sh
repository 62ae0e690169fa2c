#!/usr/bin/env bash
# Kanban state-space exploration: mycel-check against a plain Python breadth-first
# search over the same net, in one run, and prints a Markdown table.
#
#   benches/explore-compare.sh            # N = 3 4 5
#   benches/explore-compare.sh 4          # only N = 4
#
# Both programs count every reachable marking and every enabled transition of each
# (edges), and print: N states edges seconds states/s [bytes/state]. Seconds are wall
# clock inside each program (start-up and net construction excluded); the CPU column is
# the process's user + system time from /usr/bin/time, which other load on the machine
# does not inflate.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-3 4 5}")
cargo build --release -q -p mycel-check --example count
rust=target/release/examples/count
cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | awk '{printf "%.2f", $1 + $2}'; }
echo "| N | states | edges | mycel-check s (CPU s) | states/s | bytes/state | Python s (CPU s) | Python states/s | speed-up (wall, CPU) |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in ${sizes[@]}; do
  read -r _ rs re rt rrate rbytes < <("$rust" "$n")
  rcpu=$(cpu "$rust" "$n")
  read -r _ ps pe pt prate < <(python3 benches/kanban_bfs.py "$n")
  pcpu=$(cpu python3 benches/kanban_bfs.py "$n")
  if [[ "$rs" != "$ps" || "$re" != "$pe" ]]; then
    echo "N=$n: the two searches disagree: $rs/$re against $ps/$pe" >&2
    exit 1
  fi
  speed=$(awk -v p="$pt" -v r="$rt" -v pc="$pcpu" -v rc="$rcpu" \
    'BEGIN { printf "%.0f×, %.0f×", p / r, pc / rc }')
  echo "| $n | $rs | $re | $rt ($rcpu) | $rrate | $rbytes | $pt ($pcpu) | $prate | $speed |"
done

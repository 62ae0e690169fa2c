#!/usr/bin/env python3
"""Instructions per unit of one callgrind case, split by the engine function they run in.

    python3 benches/phases.py ping_pong          # after benches/callgrind.sh built the driver
    python3 benches/phases.py pipeline --reps 500

Runs the callgrind driver under `valgrind --tool=callgrind --dump-instr=yes`, maps every
executed instruction to its chain of inlined frames (addr2line -i) and charges it to the
innermost frame that belongs to a named engine function, so inlined code is still split
by phase. Needs valgrind and binutils (addr2line). Prints a Markdown table.
"""
import argparse
import collections
import glob
import os
import re
import subprocess
import sys

# Engine functions to charge instructions to, most specific first.
PHASES = [
    "update_place", "pass_through", "is_structurally_enabled", "::recheck", "::schedule",
    "::unschedule", "promote_due", "IndexedHeap", "PoolView", "Firing<C>::emit",
    "Firing<C>::forward", "embed::", "BreakerMachine", "dispatch_into", "::inject",
    "Net<C,_,_,_,_>::take", "consume_inputs", "forward_inputs", "count_firing",
    "finish_firing", "::commit", "::undo", "::fire", "step_at", "run_observed", "try_acquire",
    "CircuitBreaker", "failsafe::", "recloser::",
]


def driver():
    paths = [p for p in glob.glob("target/release/deps/callgrind-*")
             if os.access(p, os.X_OK) and not p.endswith(".d")]
    if not paths:
        sys.exit("build the driver first: benches/callgrind.sh (or cargo bench --no-run)")
    return max(paths, key=os.path.getmtime)


def costs_by_address(out_file):
    """Self cost per instruction address from a callgrind file with positions `instr line`."""
    costs = collections.Counter()
    addr = 0
    skip_next = False
    with open(out_file) as f:
        for raw in f:
            raw = raw.rstrip("\n")
            if not raw or raw.startswith("#"):
                continue
            if raw[0].isalpha():
                skip_next = raw.startswith("calls=")
                continue
            parts = raw.split()
            tok = parts[0]
            if tok.startswith("0x"):
                addr = int(tok, 16)
            elif tok[0] in "+-":
                addr += int(tok)
            if skip_next:  # the inclusive cost of a call, not this instruction's own
                skip_next = False
                continue
            if len(parts) >= 3:
                costs[addr] += int(parts[-1])
    return costs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("--reps", type=int, default=None)
    args = ap.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    exe = driver()
    listing = subprocess.run([exe, "list"], capture_output=True, text=True, check=True).stdout
    units = {n: int(u) for n, _, u in (l.split() for l in listing.splitlines())}
    if args.case not in units:
        sys.exit(f"unknown case {args.case}")
    reps = args.reps or max(1, 100_000 // units[args.case])
    out = "/tmp/mycel-phases.callgrind"
    subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=yes",
                    f"--callgrind-out-file={out}", exe, "run", args.case, str(reps)],
                   capture_output=True, check=True)
    costs = costs_by_address(out)
    addrs = sorted(costs)
    a2l = subprocess.run(["addr2line", "-i", "-f", "-C", "-a", "-e", exe],
                         input="\n".join(hex(a) for a in addrs), capture_output=True,
                         text=True, check=True).stdout.splitlines()
    frames = collections.defaultdict(list)
    current = None
    i = 0
    while i < len(a2l):
        if a2l[i].startswith("0x"):
            current = int(a2l[i], 16)
            i += 1
        else:
            frames[current].append(a2l[i])
            i += 2
    per_phase = collections.Counter()
    for a in addrs:
        phase = "other (bench loop, std)"
        for fn in frames[a]:  # innermost first
            hit = next((p for p in PHASES if p in fn), None)
            if hit:
                phase = hit.strip(":")
                break
        per_phase[phase] += costs[a]
    # Setup runs once; with enough reps it is a small share, reported apart.
    total_units = reps * units[args.case]
    print(f"| {args.case}: phase | instructions per unit |")
    print("|---|---:|")
    for phase, c in per_phase.most_common():
        if c / total_units >= 0.5:
            print(f"| {phase} | {c / total_units:.1f} |")
    print(f"| total (incl. one-off setup) | {sum(per_phase.values()) / total_units:.1f} |")


if __name__ == "__main__":
    main()

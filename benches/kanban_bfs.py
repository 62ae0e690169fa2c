#!/usr/bin/env python3
"""Plain breadth-first search over the Kanban net, for comparison with mycel-check.

The same net as `mycel_check::classic::kanban` (Ciardo and Tilgner, 16 places, 16
transitions), the same search (every reachable marking once, every enabled transition
of every marking counted as an edge), written the plain way: markings as tuples, a set
of seen markings, a deque as the queue, and a parent dict for shortest traces.

    python3 benches/kanban_bfs.py 4      # prints: N states edges seconds states/s
"""

import sys
import time
from collections import deque


def kanban(n):
    """Places and transitions as (inputs, outputs) lists of (place, weight)."""
    places = []
    for i in range(1, 5):
        places += [f"Pm{i}", f"Pback{i}", f"Pout{i}", f"P{i}"]
    p = {name: k for k, name in enumerate(places)}
    t = [([(p["P1"], 1)], [(p["Pm1"], 1)])]  # tin1
    for i in range(1, 5):
        m, back, out = p[f"Pm{i}"], p[f"Pback{i}"], p[f"Pout{i}"]
        t.append(([(m, 1)], [(back, 1)]))  # tredo
        t.append(([(m, 1)], [(out, 1)]))  # tok
        t.append(([(back, 1)], [(m, 1)]))  # tback
    t.append((
        [(p["Pout1"], 1), (p["P2"], 1), (p["P3"], 1)],
        [(p["P1"], 1), (p["Pm2"], 1), (p["Pm3"], 1)],
    ))  # tsynch1_23
    t.append((
        [(p["Pout2"], 1), (p["Pout3"], 1), (p["P4"], 1)],
        [(p["P2"], 1), (p["P3"], 1), (p["Pm4"], 1)],
    ))  # tsynch4_23
    t.append(([(p["Pout4"], 1)], [(p["P4"], 1)]))  # tout4
    initial = tuple(n if name.startswith("P") and name[1].isdigit() else 0 for name in places)
    return initial, t


def explore(initial, transitions):
    parent = {initial: None}
    queue = deque([initial])
    edges = 0
    while queue:
        m = queue.popleft()
        for label, (ins, outs) in enumerate(transitions):
            if all(m[q] >= w for q, w in ins):
                edges += 1
                nxt = list(m)
                for q, w in ins:
                    nxt[q] -= w
                for q, w in outs:
                    nxt[q] += w
                nxt = tuple(nxt)
                if nxt not in parent:
                    parent[nxt] = (m, label)
                    queue.append(nxt)
    return len(parent), edges


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    initial, transitions = kanban(n)
    start = time.perf_counter()
    states, edges = explore(initial, transitions)
    seconds = time.perf_counter() - start
    print(f"{n} {states} {edges} {seconds:.3f} {states / seconds:.0f}")


if __name__ == "__main__":
    main()

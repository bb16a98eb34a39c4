#!/usr/bin/env python3
"""Restart latency: from a child's exit to its replacement running, with a restart policy of no delay.

The child (bench/kid.c, `kid restart`) stamps CLOCK_MONOTONIC as the first thing main() does and
again just before it exits (exit code 1, a crash) after living LIFE_MS. Latency of restart N =
start stamp of run N+1 - exit stamp of run N: the supervisor's reaping, bookkeeping and spawn,
plus the exec of a tiny static binary. Median over RESTARTS restarts (the first WARMUP dropped).

Target (tend): median <= 10 ms and below both peers' medians.
"""
import os
import sys
import tempfile
import time

from peers import (machine_note, Service, compile_kid, exit_code, fmt_ratio, is_value, measure_each, median,
                   percentile, ratio, table, wait_for, cell)

RESTARTS = int(os.environ.get("RESTARTS", "40"))
WARMUP = 2
LIFE_MS = int(os.environ.get("LIFE_MS", "200"))


def read_stamps(path):
    try:
        with open(path) as f:
            return [line.split() for line in f if line.endswith("\n")]
    except OSError:
        return []


def latencies(stamps):
    """Pairs each exit stamp with the next start stamp: milliseconds between them."""
    found, exited = [], None
    for kind, _, ns in stamps:
        if kind == "E":
            exited = int(ns)
        elif kind == "S" and exited is not None:
            found.append((int(ns) - exited) / 1e6)
            exited = None
    return found


def measure(supervisor, kid, work):
    stamps = os.path.join(work, f"stamps-{supervisor.name}")
    supervisor.start([Service("flap", [kid, "restart", stamps, str(LIFE_MS)])], wait=False)
    needed = RESTARTS + WARMUP + 1
    timeout = needed * (LIFE_MS / 1000 + 2) + 30
    try:
        wait_for(lambda: sum(1 for s in read_stamps(stamps) if s[0] == "S") >= needed, timeout, 0.2,
                 f"{needed} starts")
    except TimeoutError:
        pass  # report what was seen
    supervisor.track()
    values = latencies(read_stamps(stamps))[WARMUP:WARMUP + RESTARTS]
    if not values:
        raise RuntimeError("the child was never restarted")
    return {"median": median(values), "p90": percentile(values, 0.9), "min": min(values), "max": max(values),
            "count": len(values)}


def main():
    print(f"restart latency: a child that lives {LIFE_MS} ms and exits 1, restarted with no delay; "
          f"{RESTARTS} restarts each (exit stamp -> next start stamp) {machine_note()}")
    with tempfile.TemporaryDirectory(prefix="tend-bench-restart-") as work:
        kid = compile_kid(work)
        results = measure_each(work, lambda s: measure(s, kid, work))
    tend, sv, pm2 = (results.get(n) for n in ("tend", "supervisord", "pm2"))

    def get(r, key):
        return r.get(key) if is_value(r) and r is not None else None

    ms = lambda v: f"{v:.2f} ms"
    rows, verdicts = [], []
    for key, label in (("median", "median"), ("p90", "p90"), ("min", "min"), ("max", "max")):
        row = [label, cell(tend, key, ms), cell(sv, key, ms), cell(pm2, key, ms),
               fmt_ratio(ratio(get(tend, key), get(sv, key))), fmt_ratio(ratio(get(tend, key), get(pm2, key)))]
        if key == "median":
            t = get(tend, key)
            peers = [get(sv, key), get(pm2, key)]
            verdict = ("n/a" if t is None or None in peers
                       else "PASS" if t <= 10 and all(t < p for p in peers) else "FAIL")
            verdicts.append(verdict)
            row += ["<= 10 ms, < both peers", verdict]
        else:
            row += ["", ""]
        rows.append(row)
    rows.append(["restarts seen", cell(tend, "count", str), cell(sv, "count", str), cell(pm2, "count", str),
                 "", "", f">= 30 ({RESTARTS} asked)", ""])
    table("", rows)
    return exit_code(verdicts, {k: v for k, v in results.items() if v is not None})


if __name__ == "__main__":
    sys.exit(main())

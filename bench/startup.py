#!/usr/bin/env python3
"""tend validate / ls / graph on the backend.ai preset: median wall time and peak RSS of the native binary.

Target (issue 2): median under 30 ms, peak RSS under 30 MB. A native hello world (the floor set
by process start on this machine) is measured in the same run when one is given as HELLO_BIN.
"""
import os
import sys

from common import ROOT, measure, tend_binary, verdict

RUNS = int(os.environ.get("RUNS", "41"))


def main():
    tend = tend_binary()
    stack = os.path.join(ROOT, "examples", "backend.ai")
    print(f"binary: {tend} ({os.path.getsize(tend) / 1e6:.1f} MB), {RUNS} runs each, median wall / peak RSS")
    failed = False
    rows = []
    for verb in ("validate", "ls", "graph"):
        median, peak, codes, _ = measure([tend, verb], RUNS, cwd=stack)
        ok = median < 0.030 and (peak is None or peak < 30 * 1024) and codes == {0}
        failed |= not ok
        rows.append((f"tend {verb}", median, peak, ok))
    floor = os.environ.get("HELLO_BIN")
    if floor:
        median, peak, _, _ = measure([floor], RUNS)
        rows.append(("native hello world (floor)", median, peak, None))
    for name, median, peak, ok in rows:
        mark = "" if ok is None else f"  {verdict(ok)}"
        rss = "  n/a (install Debian's time package)" if peak is None else f"{peak / 1024:5.1f} MB"
        print(f"  {name:28} {median * 1000:6.1f} ms  {rss}{mark}")
    print("targets: < 30 ms median, < 30 MB peak RSS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""`status` latency with 50 services: median wall time of `tend status`, `supervisorctl status`,
`pm2 jlist` and `pm2 ls`, each run RUNS times (after 3 warm-up runs) against a daemon that
supervises 50 idle children. Wall time is the whole command, process start included: what a
person or a script waits for.

Target (tend): median <= 1/5 of supervisorctl's.
"""
import os
import sys
import tempfile

from common import run_once
from peers import (Service, compile_kid, exit_code, fmt_ratio, median, measure_each, percentile, ratio,
                   table)

SERVICES = int(os.environ.get("SERVICES", "50"))
RUNS = int(os.environ.get("RUNS", "21"))


def measure(supervisor, kid):
    supervisor.start([Service(f"idle{i:02d}", [kid, "idle"]) for i in range(SERVICES)])
    figures = {}
    for label, argv, env, cwd in supervisor.status_commands():
        for _ in range(3):
            run_once(argv, cwd, env)
        walls, codes = [], set()
        for _ in range(RUNS):
            wall, code = run_once(argv, cwd, env)
            walls.append(wall)
            codes.add(code)
        figures[label] = {"median": median(walls), "p90": percentile(walls, 0.9), "codes": codes}
    return figures


def main():
    print(f"status latency with {SERVICES} idle services: median wall time of {RUNS} runs")
    with tempfile.TemporaryDirectory(prefix="tend-bench-status-") as work:
        kid = compile_kid(work)
        results = measure_each(work, lambda s: measure(s, kid))

    def figure(name, label):
        r = results.get(name)
        return r.get(label) if isinstance(r, dict) else None

    def shown(name, label, key="median"):
        r = results.get(name)
        if r is None:
            return "-"
        if not isinstance(r, dict):
            return str(r) if type(r).__name__ == "Unavailable" else "error"
        f = r.get(label)
        if f is None:
            return "-"
        text = f"{f[key] * 1000:.1f} ms"
        return text if f["codes"] == {0} else f"{text} (exit {','.join(map(str, sorted(f['codes'])))})"

    tend = figure("tend", "tend status")
    sv = figure("supervisord", "supervisorctl status")
    jlist, ls = figure("pm2", "pm2 jlist"), figure("pm2", "pm2 ls")
    t = tend["median"] if tend else None
    s = sv["median"] if sv else None
    verdict = "n/a" if t is None or s is None else ("PASS" if t <= s / 5 and tend["codes"] == {0} else "FAIL")
    rows = [
        ["status, median", shown("tend", "tend status"),
         shown("supervisord", "supervisorctl status"), shown("pm2", "pm2 jlist"),
         fmt_ratio(ratio(t, s)), fmt_ratio(ratio(t, jlist["median"] if jlist else None)), "<= 1/5 of supervisorctl", verdict],
        ["p90", shown("tend", "tend status", "p90"), shown("supervisord", "supervisorctl status", "p90"),
         shown("pm2", "pm2 jlist", "p90"), "", "", "", ""],
        ["pm2 ls, median", "", "", shown("pm2", "pm2 ls"), "", fmt_ratio(ratio(t, ls["median"] if ls else None)), "", ""],
    ]
    table("", rows, ["commands: tend status | supervisorctl -c CONF status | pm2 jlist (and pm2 ls), PM2_HOME set; "
                     "tend/pm2 compares with the pm2 command of its row"])
    return exit_code([verdict], {k: v for k, v in results.items() if v is not None})


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""`status` latency with 50 services: median wall time of `tend status`, `supervisorctl status`,
`pm2 jlist` and `pm2 ls`, each run RUNS times (after 3 warm-up runs) against a daemon that
supervises 50 idle children. The three supervisors run side by side and their commands are
interleaved (run i of each, then run i+1), so that the machine's noise falls on all alike. Wall time is the whole command, process start included: what a
person or a script waits for.

Target (tend): median <= 1/5 of supervisorctl's.
"""
import os
import sys
import tempfile

from common import run_once
from peers import (Service, compile_kid, exit_code, fmt_ratio, machine_note, median, measure_together,
                   percentile, ratio, table)

SERVICES = int(os.environ.get("SERVICES", "50"))
RUNS = int(os.environ.get("RUNS", "21"))


def measure(supervisors):
    """Round-robin over every status command of every supervisor: run i of each, then run i+1."""
    commands = [(name, label, argv, env, cwd) for name, sup in supervisors.items()
                for label, argv, env, cwd in sup.status_commands()]
    for _ in range(3):
        for _, _, argv, env, cwd in commands:
            run_once(argv, cwd, env)
    walls = {(name, label): [] for name, label, *_ in commands}
    codes = {(name, label): set() for name, label, *_ in commands}
    for _ in range(RUNS):
        for name, label, argv, env, cwd in commands:
            wall, code = run_once(argv, cwd, env)
            walls[name, label].append(wall)
            codes[name, label].add(code)
    figures = {name: {} for name in supervisors}
    for (name, label), values in walls.items():
        figures[name][label] = {"median": median(values), "p90": percentile(values, 0.9), "codes": codes[name, label]}
    return figures


def main():
    print(f"status latency with {SERVICES} idle services: median wall time of {RUNS} runs, "
          f"the supervisors side by side and their commands interleaved {machine_note()}")
    with tempfile.TemporaryDirectory(prefix="tend-bench-status-") as work:
        kid = compile_kid(work)
        services = [Service(f"idle{i:02d}", [kid, "idle"]) for i in range(SERVICES)]
        results = measure_together(work, lambda s: s.start(services), measure)

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

#!/usr/bin/env python3
"""Daemon RSS with 50 idle services: VmRSS of the supervisor process itself (from /proc) once all
50 children (`kid idle`, a tiny static C program that sleeps for ever) are running and SETTLE
seconds have passed; the median of 5 readings half a second apart. Also the daemon's CPU over
the settled period, since a daemon should idle at 0% CPU.

Target (tend): RSS <= supervisord's. pm2 (a node daemon) is measured for reference.
"""
import os
import sys
import tempfile
import time

from peers import (machine_note, Service, cell, compile_kid, cpu_seconds, exit_code, fmt_ratio, is_value, measure_each,
                   median, ratio, rss_kb, table)

SERVICES = int(os.environ.get("SERVICES", "50"))
# Long enough for the daemon's memory trim (3 s after start-up's burst) to be a minute behind:
# the pages it let go that an idle daemon really uses have come back by then, so the reading is
# the working set, not the moment after a trim.
SETTLE = float(os.environ.get("SETTLE", "65"))


def measure(supervisor, kid):
    supervisor.start([Service(f"idle{i:02d}", [kid, "idle"]) for i in range(SERVICES)])
    pid = supervisor.daemon_pid()
    time.sleep(SETTLE)
    cpu_before, began = cpu_seconds(pid), time.monotonic()
    readings = []
    for _ in range(5):
        readings.append(rss_kb(pid))
        time.sleep(0.5)
    cpu = (cpu_seconds(pid) - cpu_before) / (time.monotonic() - began)
    running = len(supervisor.service_pids())
    return {"rss": median(readings), "cpu": cpu * 100, "running": running}


def main():
    print(f"daemon RSS with {SERVICES} idle services, after {SETTLE:.0f} s settled (VmRSS of the daemon process) {machine_note()}")
    with tempfile.TemporaryDirectory(prefix="tend-bench-idle-") as work:
        kid = compile_kid(work)
        results = measure_each(work, lambda s: measure(s, kid))
    tend, sv, pm2 = (results.get(n) for n in ("tend", "supervisord", "pm2"))

    def get(r, key):
        return r.get(key) if r is not None and is_value(r) else None

    t, s = get(tend, "rss"), get(sv, "rss")
    verdict = "n/a" if t is None or s is None else ("PASS" if t <= s else "FAIL")
    rows = [
        ["daemon RSS", *(cell(r, "rss", lambda v: f"{v / 1024:.1f} MB") for r in (tend, sv, pm2)),
         fmt_ratio(ratio(t, s)), fmt_ratio(ratio(t, get(pm2, "rss"))), "<= supervisord", verdict],
        ["daemon CPU, idle", *(cell(r, "cpu", lambda v: f"{v:.2f} %") for r in (tend, sv, pm2)), "", "", "", ""],
        ["services running", *(cell(r, "running", str) for r in (tend, sv, pm2)), "", "", str(SERVICES), ""],
    ]
    table("", rows)
    return exit_code([verdict], {k: v for k, v in results.items() if v is not None})


if __name__ == "__main__":
    sys.exit(main())

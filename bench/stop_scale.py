#!/usr/bin/env python3
"""Stopping at scale: SERVICES idle services (`kid idle`, 500 by default) stopped all at once,
on a host without and then with UNRELATED other processes (1,000 sleeping `kid idle`, started by
this script outside any supervisor and ended by PID).

Measured in the same run: tend with cgroups (each run in a cgroup of its own; `tend status --json`
says whether the machine allowed it), tend with `[stack] cgroups = false` (process groups, one
shared /proc scan per tick), and supervisord's `supervisorctl stop all`. Each of REPS rounds
starts everything (`tend up` / `supervisorctl start all`, then waits until every service runs)
and times the stop command's wall clock; the daemon's CPU over the stop is read from /proc.
Medians of REPS (3).

Target (tend): `tend down` <= 2 s, with and without the unrelated processes.
"""
import os
import subprocess
import sys
import tempfile
import time

from peers import (SUPERVISORS, Service, Unavailable, compile_kid, cpu_seconds, machine_note, median, run, selected,
                   start_time, wait_for)

SERVICES = int(os.environ.get("SERVICES", "500"))
UNRELATED = int(os.environ.get("UNRELATED", "1000"))
REPS = int(os.environ.get("REPS", "3"))
TARGET_S = 2.0


class Variant:
    """One supervisor set up one way: its label, how to stop and restart all, and what it says it uses."""

    def __init__(self, label, supervisor):
        self.label, self.s = label, supervisor

    def start(self, services):
        self.s.start(services)

    def stop_all(self):
        if self.s.name == "tend":
            run(self.s.tend("down"), cwd=self.s.stack, timeout=300)
        else:
            run(self.s.ctl("stop", "all"), timeout=300)

    def start_all(self):
        if self.s.name == "tend":
            run(self.s.tend("up"), cwd=self.s.stack, timeout=300)
        else:
            run(self.s.ctl("start", "all"), timeout=300)
        self.s.wait_running(timeout=300)

    def mode(self):
        if self.s.name != "tend":
            return ""
        stops = self.s.status_json().get("stops") or {}
        return stops.get("mode", "?")


def variants(work):
    """(label, supervisor) for each selected supervisor, tend twice; Unavailable ones as their reason."""
    found = []
    for name in selected():
        if name == "pm2":
            continue  # pm2 is not part of this comparison (the issue names supervisord as the peer)
        setups = [("tend (cgroups)", []), ("tend (cgroups = false)", ["cgroups = false"])] if name == "tend" else [(name, None)]
        for label, options in setups:
            supervisor = SUPERVISORS[name](os.path.join(work, label.replace(" ", "_").replace("(", "").replace(")", "").replace("=", "")))
            if options is not None:
                supervisor.stack_options = options
            try:
                supervisor.prepare()
            except Unavailable as why:
                found.append((label, why))
                continue
            found.append((label, Variant(label, supervisor)))
    return found


def measure(variant, services):
    print(f"  {variant.label}: starting {len(services)} services ...", file=sys.stderr)
    variant.start(services)
    mode = variant.mode()
    walls, cpus = [], []
    try:
        for rep in range(REPS):
            if rep > 0:
                variant.start_all()
            pid = variant.s.daemon_pid()
            cpu_before = cpu_seconds(pid)
            began = time.perf_counter()
            variant.stop_all()
            walls.append(time.perf_counter() - began)
            cpu_after = cpu_seconds(pid)
            if cpu_before is not None and cpu_after is not None:
                cpus.append(cpu_after - cpu_before)
            print(f"    stop {rep + 1}: {walls[-1]:.2f} s wall, daemon CPU {cpus[-1] if cpus else float('nan'):.2f} s", file=sys.stderr)
    finally:
        variant.s.stop()
    return {"wall": median(walls), "cpu": median(cpus), "mode": mode, "walls": walls}


def start_unrelated(kid, count):
    """COUNT sleeping processes outside any supervisor, each with its start time (to end them by PID only)."""
    processes = []
    for _ in range(count):
        p = subprocess.Popen([kid, "idle"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(p)
    return [(p, wait_for(lambda p=p: start_time(p.pid), 10, 0.01, "an unrelated process")) for p in processes]


def end_unrelated(processes):
    for p, started in processes:
        if start_time(p.pid) == started:
            p.kill()
    for p, _ in processes:
        p.wait()


def main():
    print(f"stop at scale: {SERVICES} idle services stopped at once, alone and beside {UNRELATED} unrelated "
          f"processes; median of {REPS} {machine_note()}")
    rows, failed, errored = [], False, False
    with tempfile.TemporaryDirectory(prefix="tend-bench-stop-") as work:
        kid = compile_kid(work)
        services = [Service(f"idle{i:03d}", [kid, "idle"]) for i in range(SERVICES)]
        for unrelated in (0, UNRELATED):
            others = start_unrelated(kid, unrelated) if unrelated else []
            try:
                for label, variant in variants(os.path.join(work, f"host{unrelated}")):
                    if not isinstance(variant, Variant):
                        rows.append((label, unrelated, str(variant), "", "", ""))
                        continue
                    try:
                        result = measure(variant, services)
                    except Exception as error:
                        errored = True
                        rows.append((label, unrelated, f"error: {error}", "", "", ""))
                        continue
                    verdict = ""
                    if label.startswith("tend"):
                        verdict = "PASS" if result["wall"] <= TARGET_S else "FAIL"
                        failed |= verdict == "FAIL"
                    rows.append((label, unrelated, f"{result['wall']:.2f} s",
                                 "-" if result["cpu"] is None else f"{result['cpu']:.2f} s", result["mode"], verdict))
            finally:
                end_unrelated(others)

    header = ("stop", "other processes", "wall (median)", "daemon CPU", "mode", f"<= {TARGET_S:.0f} s")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    print("  stop: `tend down` for tend, `supervisorctl stop all` for supervisord; mode: what `tend status --json` says")
    return 1 if failed or errored else 0


if __name__ == "__main__":
    sys.exit(main())

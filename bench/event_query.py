#!/usr/bin/env python3
"""Event queries on a long history: `tend events -n 100`, `tend events -c X -n 100` and `tend why X`
with EVENTS events (1,000,000 by default) in today's file and three older daily files of EVENTS/5
each, written in the daemon's own line shape. No daemon runs: the CLI reads the files, as it does
when the stack is down (with a daemon, the same reader runs in the daemon).

The history: 40 busy components restarting all day, and `rare`, with a handful of events early in
today's file and on an older day. The first query of a component may build the index kept beside
each file (`events-DAY.jsonl.idx`): it is measured apart (cold), then the median of RUNS (warm).
`tail -n 100` of today's file is the floor.

Targets (issue 10): `events -n 100` <= 20 ms and <= 30 MB; `why X` <= 50 ms whatever the history.
"""
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from common import peak_rss_kb, tend_binary, verdict
from peers import machine_note

EVENTS = int(os.environ.get("EVENTS", "1000000"))
RUNS = int(os.environ.get("RUNS", "7"))
BUSY = [f"busy{i:02d}" for i in range(40)]


def line(ts, kind, component, **fields):
    return json.dumps({"ts": ts, "event": kind, "component": component, **fields}, separators=(",", ":")) + "\n"


def write_day(path, day, count, rare_at):
    """COUNT events of DAY, spread over the day; `rare` events at the given indexes."""
    rng = random.Random(day.toordinal())
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.timezone.utc)
    step = 86_000 / max(count, 1)
    with open(path, "w") as f:
        for i in range(count):
            ts = (start + datetime.timedelta(seconds=i * step)).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
            if i in rare_at:
                f.write(line(ts, "component_exited", "rare", run=i, pid=4000 + i, exit_code=1, signal=None,
                             duration_ms=1200, log_tail=["connecting to db", "fatal: password authentication failed"]))
                continue
            component = rng.choice(BUSY)
            kind = ("component_starting", "component_started", "component_exited", "restart_scheduled")[i % 4]
            if kind == "component_starting":
                f.write(line(ts, kind, component, run=i, argv=["./worker", "--queue", component], cwd="/srv/app", attempt=i % 5))
            elif kind == "component_started":
                f.write(line(ts, kind, component, run=i, pid=10000 + i % 50000))
            elif kind == "component_exited":
                f.write(line(ts, kind, component, run=i, pid=10000 + i % 50000, exit_code=1, signal=None, duration_ms=900,
                             log_tail=["processing batch", "error: upstream timed out"]))
            else:
                f.write(line(ts, kind, component, delay_ms=0, attempt=i % 5, reason="exited 1"))


def timed(argv, cwd):
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return time.perf_counter() - started, result


def main():
    binary = tend_binary()
    print(f"event queries with {EVENTS:,} events today and {3 * (EVENTS // 5):,} on three older days, no daemon {machine_note()}")
    with tempfile.TemporaryDirectory(prefix="tend-bench-events-") as work:
        with open(os.path.join(work, "tend.toml"), "w") as f:
            f.write('[stack]\nname = "history"\n\n')
            for name in [*BUSY, "rare"]:
                f.write(f'[components.{name}]\ncommand = ["sleep", "600"]\n\n')
        events = os.path.join(work, ".tend", "events")
        os.makedirs(events)
        today = datetime.datetime.now(datetime.timezone.utc).date()
        began = time.perf_counter()
        for back in (3, 2, 1):
            day = today - datetime.timedelta(days=back)
            write_day(os.path.join(events, f"events-{day}.jsonl"), day, EVENTS // 5, {7, 8} if back == 3 else set())
        today_file = os.path.join(events, f"events-{today}.jsonl")
        write_day(today_file, today, EVENTS, {11, 12, 13})
        size = sum(os.path.getsize(os.path.join(events, n)) for n in os.listdir(events)) / 2**20
        print(f"  history written in {time.perf_counter() - began:.1f} s: {size:.0f} MiB")

        queries = [
            ("tail -n 100 (floor)", ["tail", "-n", "100", today_file], None),
            ("tend events -n 100", [binary, "events", "-n", "100"], ("<= 20 ms", 0.020)),
            ("tend events -c busy07 -n 100", [binary, "events", "-c", "busy07", "-n", "100"], None),
            ("tend events -c rare -n 100", [binary, "events", "-c", "rare", "-n", "100"], None),
            ("tend why busy07", [binary, "why", "busy07"], ("<= 50 ms", 0.050)),
            ("tend why rare", [binary, "why", "rare"], ("<= 50 ms", 0.050)),
        ]
        rows, verdicts = [], []
        for name, argv, target in queries:
            cold, result = timed(argv, work)
            if result.returncode not in (0, 1):
                print(f"  {name} failed ({result.returncode}): {result.stderr.decode()[-400:]}")
                verdicts.append("FAIL")
                continue
            walls = [timed(argv, work)[0] for _ in range(RUNS)]
            warm = statistics.median(walls)
            peak = peak_rss_kb(argv, cwd=work)
            ok = "" if target is None else verdict(warm <= target[1] and (name != "tend events -n 100" or (peak or 0) <= 30 * 1024))
            if ok:
                verdicts.append(ok)
            rows.append((name, f"{cold * 1000:.1f} ms", f"{warm * 1000:.1f} ms", f"{peak / 1024:.1f} MB" if peak else "-",
                         "" if target is None else target[0] + (", <= 30 MB" if name == "tend events -n 100" else ""), ok))
        widths = [max(len(str(r[i])) for r in [("query", "first", "median", "peak RSS", "target", "verdict"), *rows]) for i in range(6)]
        for r in [("query", "first", "median", "peak RSS", "target", "verdict"), *rows]:
            print("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
        print("  first: the first query (it may build the index beside each file); median: of the next runs")
    return 1 if "FAIL" in verdicts else 0


if __name__ == "__main__":
    sys.exit(main())

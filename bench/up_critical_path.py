#!/usr/bin/env python3
"""`tend up` of a 20-service graph against its critical path.

Each service is `kid listen PORT DELAY_MS`: it sleeps its delay (0.2 to 0.9 s), then listens on a
loopback port; its readiness probe is `tcp` on that port (interval $PROBE_INTERVAL, 50ms by
default), and it requires its dependencies to be healthy. The critical path is the largest sum of
delays along a requires-chain (db -> migrate -> api -> reports -> metrics -> alerts, 3.6 s): no
health-gated start can finish sooner. `tend up` blocks until everything is healthy; its wall time
is measured from cold (no daemon: its start counts) and warm (daemon already running), REPS times
each, with `tend down` between. Every service stamps (CLOCK_MONOTONIC) when it starts and when it
listens, so each run is also checked: no service started before all its dependencies listened,
and every port answered when `tend up` returned.

Target (tend): median cold `tend up` <= 1.1 x the critical path. supervisord and pm2 have no
health-gated ordering: they are not measured here.
"""
import os
import sys
import tempfile
import time

from peers import (machine_note, Service, Tend, Unavailable, compile_kid, free_ports, median, port_open, table, wait_for)

REPS = int(os.environ.get("REPS", "5"))

# name, delay in seconds, the services it requires (healthy)
GRAPH = [
    ("db", 0.8, ()),
    ("cache", 0.4, ()),
    ("queue", 0.3, ()),
    ("config", 0.2, ()),
    ("migrate", 0.6, ("db",)),
    ("auth", 0.5, ("db", "cache")),
    ("search", 0.7, ("config",)),
    ("notifier", 0.3, ("queue",)),
    ("docs", 0.2, ("config",)),
    ("api", 0.9, ("migrate", "auth")),
    ("worker", 0.6, ("queue", "migrate")),
    ("indexer", 0.4, ("search",)),
    ("mailer", 0.2, ("notifier", "auth")),
    ("gateway", 0.5, ("api",)),
    ("scheduler", 0.4, ("worker",)),
    ("reports", 0.8, ("indexer", "api")),
    ("admin", 0.3, ("auth", "docs")),
    ("web", 0.6, ("gateway",)),
    ("metrics", 0.2, ("scheduler", "reports")),
    ("alerts", 0.3, ("metrics",)),
]


def critical_path():
    """(seconds, chain): the longest sum of delays along a requires-chain."""
    delays = {name: delay for name, delay, _ in GRAPH}
    best = {}
    for name, delay, requires in GRAPH:  # GRAPH lists every service after what it requires
        before = max(requires, key=lambda r: best[r][0]) if requires else None
        best[name] = (delay + (best[before][0] if before else 0), (best[before][1] if before else []) + [name])
    total, chain = max(best.values(), key=lambda b: b[0])
    assert abs(total - sum(delays[n] for n in chain)) < 1e-9
    return total, chain


def read_stamps(path):
    stamps = {}
    try:
        with open(path) as f:
            for line in f:
                name, started, ready = line.split()
                stamps[name] = (int(started), int(ready))
    except OSError:
        pass
    return stamps


def one_up(tend, services, stamps_path, up_began_ns_box):
    open(stamps_path, "w").close()
    up_began_ns_box[0] = time.monotonic_ns()
    wall = tend.up()
    ready_at_return = all(port_open(s.tcp_port) for s in services)
    stamps = read_stamps(stamps_path)
    ordered = len(stamps) == len(services) and all(
        stamps[s.name][0] >= max((stamps[r][1] for r in s.requires), default=0) for s in services)
    first_start = min(v[0] for v in stamps.values()) if stamps else None
    last_ready = max(v[1] for v in stamps.values()) if stamps else None
    tend.down()
    wait_for(lambda: not any(port_open(s.tcp_port) for s in services), 20, 0.1, "the services to stop")
    return {
        "wall": wall,
        "ordered": ordered,
        "ready_at_return": ready_at_return,
        "to_first_start": None if first_start is None else (first_start - up_began_ns_box[0]) / 1e9,
        "span": None if first_start is None else (last_ready - first_start) / 1e9,
    }


def measure(work):
    tend = Tend(work)
    tend.prepare()
    try:
        kid = compile_kid(work)
        stamps = os.path.join(tend.work, "stamps")
        ports = dict(zip((g[0] for g in GRAPH), free_ports(len(GRAPH))))
        services = [Service(name, [kid, "listen", str(ports[name]), str(int(delay * 1000)), stamps, name],
                            tcp_port=ports[name], requires=requires) for name, delay, requires in GRAPH]
        tend.services = services
        tend.write_stack(services)
        box = [0]
        cold, warm = [], []
        for _ in range(REPS):
            if tend.daemon_pid():
                tend.daemon_stop()
            cold.append(one_up(tend, services, stamps, box))
            tend.track()
            warm.append(one_up(tend, services, stamps, box))
            tend.daemon_stop()
        return cold, warm
    finally:
        tend.stop()


def main():
    path, chain = critical_path()
    total_delay = sum(d for _, d, _ in GRAPH)
    print(f"tend up of a {len(GRAPH)}-service graph, readiness by tcp probe, {REPS} cold and {REPS} warm runs {machine_note()}")
    print(f"  critical path {path:.2f} s ({' -> '.join(chain)}); all delays one after another: {total_delay:.1f} s")
    with tempfile.TemporaryDirectory(prefix="tend-bench-up-") as work:
        try:
            cold, warm = measure(work)
        except Unavailable as why:
            print(f"  tend: {why}", file=sys.stderr)
            table("", [["tend up (cold), median", str(why), "no health-gated ordering", "no health-gated ordering",
                        "", "", f"<= 1.1 x {path:.2f} s", "n/a"]])
            return 0
        except Exception as error:
            print(f"  tend: error: {error}", file=sys.stderr)
            table("", [["tend up (cold), median", "error", "", "", "", "", f"<= 1.1 x {path:.2f} s", "FAIL"]])
            return 1
    cold_wall, warm_wall = median([r["wall"] for r in cold]), median([r["wall"] for r in warm])
    correct = all(r["ordered"] and r["ready_at_return"] for r in cold + warm)
    ok = cold_wall <= 1.1 * path and correct
    na = "no health-gated ordering"
    rows = [
        ["tend up (cold), median", f"{cold_wall:.3f} s", na, na, "", "", f"<= 1.1 x {path:.2f} s", "PASS" if ok else "FAIL"],
        ["  / critical path", f"{cold_wall / path:.3f}", "", "", "", "", "<= 1.1", ""],
        ["tend up (warm), median", f"{warm_wall:.3f} s", "", "", "", "", "", ""],
        ["  / critical path", f"{warm_wall / path:.3f}", "", "", "", "", "", ""],
        ["up began -> first start", f"{median([r['to_first_start'] for r in cold]) * 1000:.0f} ms cold, "
                                    f"{median([r['to_first_start'] for r in warm]) * 1000:.0f} ms warm", "", "", "", "", "", ""],
        ["first start -> last ready", f"{median([r['span'] for r in cold + warm]):.3f} s", "", "", "", "", f"{path:.2f} s at best", ""],
        ["order kept, all ready on return", f"{sum(r['ordered'] and r['ready_at_return'] for r in cold + warm)}/{len(cold + warm)} runs",
         "", "", "", "", "all", "" if correct else "FAIL"],
    ]
    walls = lambda runs: ", ".join(f"{r['wall']:.3f}" for r in runs)
    table("", rows, [f"runs (cold): {walls(cold)} s", f"runs (warm): {walls(warm)} s"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

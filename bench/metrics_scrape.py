#!/usr/bin/env python3
"""The cost of a Prometheus scrape of 50 components (`tend metrics`, the text GET /metrics serves).

A native daemon supervises SERVICES components: half of them idle, half listening with a TCP
health probe (so the scrape carries health and probe-duration histograms too). The figure is the
time the daemon spends building the exposition, which it reports in the next scrape as
`tend_scrape_duration_seconds`: the honest daemon-side measure, with no process start or socket
in it. Also printed, for scale: the wall time of `tend metrics` and of `tend status`, interleaved.

Target: median daemon-side scrape < 5 ms.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from common import run_once, verdict
from peers import Service, Tend, compile_kid, free_ports, machine_note

SERVICES = int(os.environ.get("SERVICES", "50"))
RUNS = int(os.environ.get("RUNS", "41"))
SCRAPE = re.compile(r"^tend_scrape_duration_seconds (\S+)$", re.MULTILINE)


def main():
    print(f"metrics scrape with {SERVICES} components (half with a TCP probe), {RUNS} scrapes {machine_note()}")
    with tempfile.TemporaryDirectory(prefix="tend-bench-metrics-") as work:
        kid = compile_kid(work)
        probed = SERVICES // 2
        ports = free_ports(probed)
        services = [Service(f"idle{i:02d}", [kid, "idle"]) for i in range(SERVICES - probed)]
        services += [Service(f"web{i:02d}", [kid, "listen", str(port), "0"], tcp_port=port) for i, port in enumerate(ports)]
        tend = Tend(work)
        tend.prepare()
        try:
            tend.start(services)
            time.sleep(1)  # a few probes in every histogram
            metrics = tend.tend("metrics")
            status = tend.tend("status")
            inside, walls, status_walls = [], [], []
            text = ""
            for _ in range(3):
                subprocess.run(metrics, cwd=tend.stack, capture_output=True, check=True)
            for _ in range(RUNS):
                start = time.perf_counter()
                text = subprocess.run(metrics, cwd=tend.stack, capture_output=True, text=True, check=True).stdout
                walls.append(time.perf_counter() - start)
                # The previous scrape's own duration, measured inside the daemon.
                inside.append(float(SCRAPE.search(text).group(1)))
                status_walls.append(run_once(status, cwd=tend.stack)[0])
        finally:
            tend.stop()

    series = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    median_inside = statistics.median(inside)
    print(f"  exposition: {series} series, {len(text.encode()) / 1024:.0f} KB")
    print(f"  daemon-side scrape (tend_scrape_duration_seconds): median {median_inside * 1000:.3f} ms, "
          f"max {max(inside) * 1000:.3f} ms")
    print(f"  wall time: `tend metrics` median {statistics.median(walls) * 1000:.1f} ms, "
          f"`tend status` median {statistics.median(status_walls) * 1000:.1f} ms (process start and socket included)")
    ok = median_inside < 0.005
    print(f"  target: daemon-side median < 5 ms: {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""What the HTTP face costs (issue 12), on a stack of 50 idle services (`kid idle`) sampled by the
monitor every MONITOR_INTERVAL (default 2 s, so the dashboards have something to show):

1. The daemon's RSS with the listener off, then on (after a first request to each route, once
   settled: SETTLE_ON seconds, default 65, as the daemon trims at most once a minute).
   Target: at or below supervisord's with the same 50 (measured by idle_rss.py; quoted there).
2. The daemon's CPU over WINDOW seconds with no dashboard, then with DASHBOARDS (default 10) open:
   each one as a browser has it, the page and its first reads (state, events, usage), then its two
   streams (state and events) held open and read. Target: <= 1 % of one core more.
3. One `/metrics` scrape of the 50 (when the daemon serves /metrics): median wall time of SCRAPES
   sequential requests over one kept-alive connection. Target: < 5 ms.
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from common import tend_binary
from peers import compile_kid, cpu_seconds, free_ports, machine_note, median, rss_kb

SERVICES = int(os.environ.get("SERVICES", "50"))
DASHBOARDS = int(os.environ.get("DASHBOARDS", "10"))
WINDOW = float(os.environ.get("WINDOW", "30"))
SCRAPES = int(os.environ.get("SCRAPES", "200"))
MONITOR_INTERVAL = os.environ.get("MONITOR_INTERVAL", "2s")


def write_stack(directory, kid):
    lines = ['[stack]', 'name = "web-bench"', '', '[monitor]', f'interval = "{MONITOR_INTERVAL}"', '']
    for i in range(SERVICES):
        lines += [f"[components.idle{i:02d}]", f'command = ["{kid}", "idle"]', 'min_uptime = "0s"', '']
    with open(os.path.join(directory, "tend.toml"), "w") as f:
        f.write("\n".join(lines))


def tend(binary, directory, *args):
    return subprocess.run([binary, *args], cwd=directory, capture_output=True, text=True, check=True, timeout=120)


def cpu_over(pid, seconds):
    before, began = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / (time.monotonic() - began) * 100


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


class Stream(threading.Thread):
    """One SSE stream, read as it comes until stopped."""

    def __init__(self, port, path):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.bytes = 0
        self.start()

    def run(self):
        try:
            while chunk := self.sock.recv(65536):
                self.bytes += len(chunk)
        except OSError:
            pass

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def open_dashboard(port):
    for path in ("/", "/api/v1/state", "/api/v1/events?last=100", "/api/v1/usage?minutes=30"):
        status, _ = get(port, path)
        assert status == 200, (path, status)
    _, events = get(port, "/api/v1/events?last=1")
    since = json.loads(events).get("next", "")
    return [Stream(port, "/api/v1/state/stream"), Stream(port, f"/api/v1/stream?since={since}")]


def scrape_median(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/metrics")
    first = connection.getresponse()
    first.read()
    if first.status != 200:
        return None
    times = []
    for _ in range(SCRAPES):
        began = time.perf_counter()
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        response.read()
        times.append(time.perf_counter() - began)
    connection.close()
    return median(times)


def main():
    binary = tend_binary()
    print(f"the HTTP face with {SERVICES} idle services, monitor every {MONITOR_INTERVAL} {machine_note()}")
    with tempfile.TemporaryDirectory(prefix="tend-bench-web-") as work:
        kid = compile_kid(work)
        directory = os.path.join(work, "stack")
        os.makedirs(directory)
        write_stack(directory, kid)
        tend(binary, directory, "up")
        try:
            with open(os.path.join(directory, ".tend", "daemon.pid")) as f:
                pid = int(f.read().strip())
            time.sleep(5)
            rss_off = median([rss_kb(pid) for _ in range(5) if time.sleep(0.2) is None])
            port = free_ports(1)[0]
            tend(binary, directory, "up", "--http", f"127.0.0.1:{port}")
            for path in ("/", "/healthz", "/api/v1/state", "/api/v1/events?last=100", "/api/v1/usage", "/api/v1/alerts", "/metrics"):
                get(port, path)
            # Settled: the daemon trims after 3 s without requests, at most once a minute.
            time.sleep(float(os.environ.get("SETTLE_ON", "65")))
            rss_on = median([rss_kb(pid) for _ in range(5) if time.sleep(0.2) is None])

            idle = cpu_over(pid, WINDOW)
            streams = [s for _ in range(DASHBOARDS) for s in open_dashboard(port)]
            time.sleep(2)
            watched = cpu_over(pid, WINDOW)
            received = sum(s.bytes for s in streams)
            for s in streams:
                s.close()
            scrape = scrape_median(port)
        finally:
            subprocess.run([binary, "down"], cwd=directory, capture_output=True, timeout=120)
            # The daemon keeps writing its samples in .tend until it is gone.
            subprocess.run([binary, "daemon", "stop"], cwd=directory, capture_output=True, timeout=120)

    extra = watched - idle
    print(f"  daemon RSS, listener off / on          {rss_off / 1024:6.1f} MB / {rss_on / 1024:.1f} MB")
    print(f"  daemon CPU, no dashboard / {DASHBOARDS} open    {idle:6.2f} % / {watched:.2f} % (+{extra:.2f} %, {received / 1024:.0f} KiB streamed)  {'PASS' if extra <= 1 else 'FAIL'} (target +1 %)")
    if scrape is None:
        print("  /metrics scrape                         n/a (this daemon has no /metrics)")
    else:
        print(f"  /metrics scrape of {SERVICES}, median            {scrape * 1000:6.2f} ms  {'PASS' if scrape < 0.005 else 'FAIL'} (target < 5 ms)")
    return 0 if extra <= 1 and (scrape is None or scrape < 0.005) else 1


if __name__ == "__main__":
    sys.exit(main())

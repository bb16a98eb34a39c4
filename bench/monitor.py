#!/usr/bin/env python3
"""What the monitor costs and whether it keeps quiet.

1. Idle daemon CPU with 50 idle services (`kid idle`) and sampling at the default 10 s, over
   IDLE_SECONDS; the same stack with sampling every hour as the baseline (sampling all but off),
   and supervisord with the same 50 as the peer's idle figure. Target: <= 0.5 % of one core.
2. One sample's cost: the daemon's CPU with `[monitor] interval = "200ms"` minus the baseline,
   over the number of samples taken. Target: < 5 ms of CPU for 50 services.
3. Three `tend monitor` views open (each under `script`, a real pty) for VIEW_SECONDS: the
   daemon's CPU with them against without (pm2's monit is known to burn a core).
4. Soak: the quickstart stack up for SOAK_SECONDS (default 600), healthy: alerts fired (target 0),
   and the daemon's CPU and RSS over the soak (RSS must not grow: last minute vs first minute).

Figures are medians where repeated; these machines are noisy.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from common import tend_binary
from peers import Service, Supervisord, Unavailable, compile_kid, cpu_seconds, machine_note, median, rss_kb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = int(os.environ.get("SERVICES", "50"))
IDLE_SECONDS = float(os.environ.get("IDLE_SECONDS", "60"))
VIEW_SECONDS = float(os.environ.get("VIEW_SECONDS", "30"))
SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))


def write_stack(directory, kid, interval):
    lines = ['[stack]', 'name = "monitor-bench"', '', '[monitor]', f'interval = "{interval}"', '']
    for i in range(SERVICES):
        lines += [f"[components.idle{i:02d}]", f'command = ["{kid}", "idle"]', 'min_uptime = "0s"', '']
    with open(os.path.join(directory, "tend.toml"), "w") as f:
        f.write("\n".join(lines))


def daemon_pid(directory):
    with open(os.path.join(directory, ".tend", "daemon.pid")) as f:
        return int(f.read().strip())


def tend(binary, directory, *args, check=True):
    return subprocess.run([binary, *args], cwd=directory, capture_output=True, text=True, check=check, timeout=120)


def cpu_over(pid, seconds):
    before, began = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / (time.monotonic() - began)


def with_stack(binary, work, kid, interval, measure):
    directory = tempfile.mkdtemp(prefix="stack-", dir=work)
    write_stack(directory, kid, interval)
    try:
        tend(binary, directory, "up")
        time.sleep(3)
        return measure(daemon_pid(directory), directory)
    finally:
        tend(binary, directory, "daemon", "stop", check=False)


def idle_and_sample_cost(binary, work, kid):
    idle = with_stack(binary, work, kid, "10s", lambda pid, _: cpu_over(pid, IDLE_SECONDS))
    baseline = with_stack(binary, work, kid, "1h", lambda pid, _: cpu_over(pid, IDLE_SECONDS))
    fast_seconds = 20.0
    fast = with_stack(binary, work, kid, "200ms", lambda pid, _: cpu_over(pid, fast_seconds))
    samples = fast_seconds / 0.2
    per_sample_ms = max(0.0, (fast - baseline) * fast_seconds / samples * 1000)
    return idle, baseline, per_sample_ms


def supervisord_idle(work, kid):
    supervisor = Supervisord(tempfile.mkdtemp(prefix="sv-", dir=work))
    try:
        supervisor.prepare()
        supervisor.start([Service(f"idle{i:02d}", [kid, "idle"]) for i in range(SERVICES)])
        time.sleep(3)
        return cpu_over(supervisor.daemon_pid(), IDLE_SECONDS)
    except Unavailable as why:
        return str(why)
    finally:
        supervisor.stop()


def viewers(binary, work, kid):
    def measure(pid, directory):
        alone = cpu_over(pid, VIEW_SECONDS)
        views = [subprocess.Popen(["script", "-qc", f"{binary} monitor", "/dev/null"], cwd=directory, stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True) for _ in range(3)]
        try:
            time.sleep(2)
            watched = cpu_over(pid, VIEW_SECONDS)
        finally:
            for v in views:
                os.killpg(v.pid, 15)
                v.wait()
        return alone, watched

    return with_stack(binary, work, kid, "10s", measure)


def soak(binary, work):
    directory = os.path.join(work, "quickstart")
    shutil.copytree(os.path.join(ROOT, "examples", "quickstart"), directory, ignore=shutil.ignore_patterns(".tend"))
    # The fix the quickstart teaches (its web's pre-flight names it): the config copied from its sample.
    shutil.copy(os.path.join(directory, "config", "web.sample.toml"), os.path.join(directory, "config", "web.toml"))
    try:
        tend(binary, directory, "up")
        pid = daemon_pid(directory)
        began, cpu_began = time.monotonic(), cpu_seconds(pid)
        rss = []
        while time.monotonic() - began < SOAK_SECONDS:
            rss.append((time.monotonic() - began, rss_kb(pid)))
            time.sleep(5)
        cpu = (cpu_seconds(pid) - cpu_began) / (time.monotonic() - began)
        alerts = json.loads(tend(binary, directory, "alerts", "--json", check=False).stdout)
        fired = sum(1 for line in open_events(directory) if '"event":"alert_firing"' in line)
        first = median([kb for at, kb in rss if at < 60])
        last = median([kb for at, kb in rss if at >= SOAK_SECONDS - 60])
        return fired, len(alerts["firing"]), cpu, first, last
    finally:
        tend(binary, directory, "daemon", "stop", check=False)


def open_events(directory):
    events = os.path.join(directory, ".tend", "events")
    for name in sorted(os.listdir(events)):
        if name.startswith("events-") and name.endswith(".jsonl"):
            with open(os.path.join(events, name)) as f:
                yield from f


def main():
    binary = tend_binary()
    print(f"monitor cost with {SERVICES} idle services, and a {SOAK_SECONDS:.0f} s soak of the quickstart stack {machine_note()}")
    failures = []
    with tempfile.TemporaryDirectory(prefix="tend-bench-monitor-") as work:
        kid = compile_kid(work)
        idle, baseline, per_sample = idle_and_sample_cost(binary, work, kid)
        sv = supervisord_idle(work, kid)
        sv_text = f"{sv * 100:.2f} %" if isinstance(sv, float) else sv
        print(f"  idle daemon CPU, sampling every 10 s:   {idle * 100:.2f} % of one core (target <= 0.5 %: {'PASS' if idle <= 0.005 else 'FAIL'})")
        print(f"  idle daemon CPU, sampling every hour:   {baseline * 100:.2f} %   supervisord, same 50: {sv_text}")
        print(f"  CPU of one sample of {SERVICES} services:        {per_sample:.2f} ms (target < 5 ms: {'PASS' if per_sample < 5 else 'FAIL'})")
        failures += [] if idle <= 0.005 and per_sample < 5 else ["cost"]
        alone, watched = viewers(binary, work, kid)
        print(f"  daemon CPU with 3 `tend monitor` views: {watched * 100:.2f} % (without: {alone * 100:.2f} %)")
        fired, firing, cpu, first, last = soak(binary, work)
        grew = last > first * 1.10
        print(f"  soak, {SOAK_SECONDS:.0f} s of quickstart: {fired} alerts fired, {firing} firing at the end (target 0: {'PASS' if fired == 0 else 'FAIL'})")
        print(f"  soak daemon CPU {cpu * 100:.2f} %, RSS first minute {first / 1024:.1f} MB, last minute {last / 1024:.1f} MB ({'PASS' if not grew else 'FAIL: grew'})")
        failures += [] if fired == 0 and not grew else ["soak"]
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

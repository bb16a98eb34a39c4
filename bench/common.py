"""Helpers shared by the benchmarks: find the native tend, time a command, report medians."""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tend_binary():
    """The native binary: $TEND_BIN, else artifacts/tend-native/tend (built by `dotnet publish`)."""
    path = os.environ.get("TEND_BIN") or os.path.join(ROOT, "artifacts", "tend-native", "tend")
    if not os.path.exists(path):
        print(f"building the native tend into {os.path.dirname(path)} ...", file=sys.stderr)
        subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", "Tend.Cli"), "-c", "Release",
                        "-o", os.path.dirname(path), "--nologo", "-v", "quiet"], check=True)
    return path


def run_once(argv, cwd=None, env=None):
    """Runs argv once; returns (wall seconds, peak RSS in KB, exit code), RSS from wait4's rusage."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, process.returncode


def measure(argv, runs, warmup=3, cwd=None, env=None):
    for _ in range(warmup):
        run_once(argv, cwd, env)
    walls, rss, codes = [], [], set()
    for _ in range(runs):
        wall, peak, code = run_once(argv, cwd, env)
        walls.append(wall)
        rss.append(peak)
        codes.add(code)
    return statistics.median(walls), max(rss), codes, walls


def verdict(ok):
    return "PASS" if ok else "FAIL"

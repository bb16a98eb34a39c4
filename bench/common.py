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


GNU_TIME = "/usr/bin/time"


def run_once(argv, cwd=None, env=None):
    """Runs argv once; returns (wall seconds, exit code)."""
    start = time.perf_counter()
    code = subprocess.call(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, code


def peak_rss_kb(argv, cwd=None, env=None):
    """Peak RSS of one run, from GNU time (Debian's `time` package). Python's own rusage would count
    the interpreter's pages: a child forked from it carries them until it execs."""
    if not os.path.exists(GNU_TIME):
        return None
    result = subprocess.run([GNU_TIME, "-f", "%M", *argv], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(result.stderr.strip().splitlines()[-1])


def measure(argv, runs, warmup=3, cwd=None, env=None):
    """Median wall time over `runs`, the peak RSS of the largest of 5 runs, the exit codes seen, and every wall time."""
    for _ in range(warmup):
        run_once(argv, cwd, env)
    walls, codes = [], set()
    for _ in range(runs):
        wall, code = run_once(argv, cwd, env)
        walls.append(wall)
        codes.add(code)
    peaks = [peak_rss_kb(argv, cwd, env) for _ in range(5)]
    peak = None if None in peaks else max(peaks)
    return statistics.median(walls), peak, codes, walls


def verdict(ok):
    return "PASS" if ok else "FAIL"

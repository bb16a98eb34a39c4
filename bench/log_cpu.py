#!/usr/bin/env python3
"""Log capture CPU: supervisor CPU seconds per GiB of output captured from 8 children that write
numbered 100-byte lines as fast as they can (LOG_MB MiB each, 256 by default: 2 GiB in all).

Variants, from the environment: LOG_LINE bytes per line (100; 1000 for long lines), LOG_WRITE
bytes per write(2) (65536; 0 for one write per line), LOG_RATE lines per second per child (0:
flood; 2000 for the paced case, which runs LOG_SECONDS, 20 by default, instead of LOG_MB).

The children start, wait for a go file, then write; the supervisor's CPU time (utime + stime of the
daemon, all threads, plus any descendant that is not a workload child) is read from /proc before
the go and after every child has finished and the log files have stopped growing. Caps are set
high enough that nothing rotates away (1 GB a file, 10 kept), and every log file is then checked:
each numbered line must be found exactly once, whole.

Target (tend): CPU per GiB <= 1/3 of supervisord's, and no line lost, doubled or split.
pm2 is measured for reference.
"""
import os
import subprocess
import sys
import tempfile
import time

from peers import (machine_note, Service, cell, compile_kid, exit_code, fmt_ratio, is_value, measure_each, ratio,
                   run, supervisor_cpu, table, wait_for)

KIDS = 8
LOG_MB = int(os.environ.get("LOG_MB", "256"))
LINE = int(os.environ.get("LOG_LINE", "100"))
WRITE = int(os.environ.get("LOG_WRITE", "65536"))
RATE = int(os.environ.get("LOG_RATE", "0"))
SECONDS = int(os.environ.get("LOG_SECONDS", "20"))
LINES = RATE * SECONDS if RATE > 0 else LOG_MB * 2**20 // LINE
TOTAL_BYTES = KIDS * LINES * LINE
# The children (kid flood) and the checker (kid check) read their shape from these; every
# supervisor passes its environment on to its children.
os.environ.update(KID_LINE=str(LINE), KID_WRITE=str(WRITE), KID_RATE=str(RATE))


def peak_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None


def measure(supervisor, kid):
    go = os.path.join(supervisor.work, "go")
    done = [os.path.join(supervisor.work, f"done{i}") for i in range(KIDS)]
    names = [f"flood{i}" for i in range(KIDS)]
    supervisor.start([Service(names[i], [kid, "flood", str(i), str(LINES), go, done[i]], restart=False)
                      for i in range(KIDS)])
    time.sleep(1)
    pid = supervisor.daemon_pid()
    cpu_before = supervisor_cpu(pid, kid)
    began = time.monotonic()
    open(go, "w").close()
    wait_for(lambda: all(os.path.exists(d) for d in done), 1800, 0.05, "the children to finish writing")
    written = time.monotonic()

    def size():
        total = 0
        for name in names:
            for path in supervisor.log_files(name):
                try:
                    total += os.path.getsize(path)
                except OSError:
                    pass
        return total

    last, changed = size(), time.monotonic()
    while time.monotonic() - changed < 1.0:
        if time.monotonic() - written > 600:
            raise TimeoutError("log files still growing 600 s after the children finished")
        time.sleep(0.1)
        now = size()
        if now != last:
            last, changed = now, time.monotonic()
    cpu = supervisor_cpu(pid, kid) - cpu_before
    peak = peak_rss_kb(pid)
    # Lines are counted once the supervisor has stopped: whatever it still held has been written
    # (or lost) by then. Its own stop, then the children by PID, as at the end of every benchmark.
    supervisor.stop()
    files = [p for name in names for p in supervisor.log_files(name)]
    counts = dict(item.split("=") for item in
                  run([kid, "check", str(KIDS), str(LINES), *files], timeout=600).stdout.split())
    counts = {k: int(v) for k, v in counts.items()}
    return {
        **dropped_by_markers(files),
        "cpu": cpu,
        "cpu_per_gib": cpu / (TOTAL_BYTES / 2**30),
        "wall": changed - began,
        "writers_done": written - began,
        "throughput": TOTAL_BYTES / 2**20 / (changed - began),
        "peak_rss": peak,
        "files": len(files),
        "log_bytes": last,
        **counts,
    }


def dropped_by_markers(files):
    """Lines tend says it dropped past its backlog cap, from its own markers (0 for the peers, which have none)."""
    dropped = markers = 0
    for path in files:
        with open(path, "rb") as f:
            for line in f:
                at = line.find(b"[tend: dropped ")
                if at >= 0:
                    markers += 1
                    dropped += int(line[at + 15:].split(b" ")[0]) // LINE
    # The markers are lines of tend's own: `kid check` counts them as garbled.
    return {"dropped_lines": dropped, "marker_lines": markers}


def floor(work, kid, how="cat"):
    """CPU per GiB of the plainest capture there is: `kid | cat > file`, the kernel's share (pipe read,
    file write) that any capture pays, stamping or not; or `kid | kid splice file`, splice(2) from the
    pipe to the file with no pass in user space, the least a capture that stores the bytes can cost."""
    go = os.path.join(work, f"floor-{how}-go")
    procs = []
    for i in range(KIDS):
        path = os.path.join(work, f"floor{i}.out")
        out = open(path, "wb")
        producer = subprocess.Popen([kid, "flood", str(i), str(LINES), go, os.path.join(work, f"floor-{how}-done{i}")], stdout=subprocess.PIPE)
        consumer = subprocess.Popen(["cat"] if how == "cat" else [kid, "splice", path], stdin=producer.stdout, stdout=out)
        producer.stdout.close()
        procs.append((producer, consumer, out))
    time.sleep(0.5)
    open(go, "w").close()
    wait_for(lambda: all(os.path.exists(os.path.join(work, f"floor-{how}-done{i}")) for i in range(KIDS)), 600, 0.05, "the floor run")
    seconds = 0.0
    for producer, consumer, out in procs:
        producer.kill()
        producer.wait()
        _, _, usage = os.wait4(consumer.pid, 0)  # cat's own CPU, not the writers'
        consumer.returncode = 0
        seconds += usage.ru_utime + usage.ru_stime
        out.close()
    return seconds


def main():
    shape = f"numbered {LINE}-byte lines, {'one write per line' if WRITE == 0 or RATE > 0 else f'{WRITE // 1024} KiB writes'}"
    pace = f"{RATE} lines/s each for {SECONDS} s" if RATE > 0 else "as fast as they can"
    print(f"log capture CPU: {KIDS} children x {LINES * LINE / 2**20:.0f} MiB of {shape} "
          f"({TOTAL_BYTES / 2**30:.2f} GiB, {KIDS * LINES} lines), written {pace} {machine_note()}")
    with tempfile.TemporaryDirectory(prefix="tend-bench-logs-") as work:
        kid = compile_kid(work)
        results = measure_each(work, lambda s: measure(s, kid))
        floor_cpu = floor(work, kid)
        splice_cpu = floor(work, kid, "splice")
    tend, sv, pm2 = (results.get(n) for n in ("tend", "supervisord", "pm2"))

    def get(r, key):
        return r.get(key) if r is not None and is_value(r) else None

    rows, verdicts = [], []
    t, s = get(tend, "cpu_per_gib"), get(sv, "cpu_per_gib")
    verdict = "n/a" if t is None or s is None else ("PASS" if t <= s / 3 else "FAIL")
    verdicts.append(verdict)
    # Writer throughput: the children must not be slower under tend than under supervisord (paced children are as fast as their pace).
    tw, sw = get(tend, "writers_done"), get(sv, "writers_done")
    verdicts.append("n/a" if tw is None or sw is None or RATE > 0 else ("PASS" if tw <= sw * 1.05 else "FAIL"))
    rows.append(["CPU s per GiB", *(cell(r, "cpu_per_gib", lambda v: f"{v:.2f} s") for r in (tend, sv, pm2)),
                 fmt_ratio(ratio(t, s)), fmt_ratio(ratio(t, get(pm2, "cpu_per_gib"))), "<= 1/3 of supervisord", verdict])
    rows.append(["CPU s in all", *(cell(r, "cpu", lambda v: f"{v:.2f} s") for r in (tend, sv, pm2)), "", "", "", ""])
    rows.append(["capture wall time", *(cell(r, "wall", lambda v: f"{v:.1f} s") for r in (tend, sv, pm2)),
                 fmt_ratio(ratio(get(tend, "wall"), get(sv, "wall"))), fmt_ratio(ratio(get(tend, "wall"), get(pm2, "wall"))), "", ""])
    rows.append(["throughput", *(cell(r, "throughput", lambda v: f"{v:.0f} MiB/s") for r in (tend, sv, pm2)), "", "", "", ""])
    rows.append(["children's writing time", *(cell(r, "writers_done", lambda v: f"{v:.1f} s") for r in (tend, sv, pm2)),
                 fmt_ratio(ratio(tw, sw)), fmt_ratio(ratio(tw, get(pm2, "writers_done"))), "<= supervisord's", verdicts[-1]])
    rows.append(["daemon peak RSS", *(cell(r, "peak_rss", lambda v: f"{v / 1024:.1f} MB") for r in (tend, sv, pm2)), "", "", "", ""])
    rows.append(["lines found", *(cell(r, "lines", str) for r in (tend, sv, pm2)), "", "", f"{KIDS * LINES} written", ""])

    def lost(r):
        return None if r is None or not is_value(r) else r["missing"] + r["duplicates"] + r["garbled"]

    # Tend never blocks a child: output past its backlog cap is dropped and said so in a marker.
    # No line may be lost below the cap: every missing line must be one a marker accounts for.
    unaccounted = None if lost(tend) is None else lost(tend) - get(tend, "dropped_lines") - get(tend, "marker_lines")
    verdict = "n/a" if unaccounted is None else ("PASS" if unaccounted == 0 else "FAIL")
    verdicts.append(verdict)
    rows.append(["lines missing", *(cell(r, "missing", str) for r in (tend, sv, pm2)), "", "", "", ""])
    rows.append(["dropped past the cap (markers)", *(cell(r, "dropped_lines", str) for r in (tend, sv, pm2)), "", "", "", ""])
    rows.append(["lost below the cap", str(unaccounted) if unaccounted is not None else "-", "", "", "", "", "0", verdict])
    rows.append(["lines doubled", *(cell(r, "duplicates", str) for r in (tend, sv, pm2)), "", "", "0", ""])
    rows.append(["lines split/garbled", *(cell(r, "garbled", str) for r in (tend, sv, pm2)), "", "", "0", ""])
    rows.append(["  of which tend's markers", *(cell(r, "marker_lines", str) for r in (tend, sv, pm2)), "", "", "", ""])
    rows.append(["log files", *(cell(r, "files", str) for r in (tend, sv, pm2)), "", "", "", ""])
    rows.append(["floor: kid | cat > file", f"{floor_cpu / (TOTAL_BYTES / 2**30):.2f} s/GiB", "", "", "", "", "", ""])
    rows.append(["floor: kid | splice to file", f"{splice_cpu / (TOTAL_BYTES / 2**30):.2f} s/GiB", "", "", "", "", "", ""])
    table("", rows, ["CPU: utime+stime of the daemon (all threads) and of any non-workload descendant, from /proc"])
    return exit_code(verdicts, {k: v for k, v in results.items() if v is not None})


if __name__ == "__main__":
    sys.exit(main())

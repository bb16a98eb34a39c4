#!/usr/bin/env python3
"""Round overhead: what Tend itself costs per round of a command that exits at once.

A stack with one `kind = "rounds"` component whose command is /bin/true, `delay = "0s"`, run for
ROUNDS rounds with `tend up --detach --max-rounds ROUNDS` against a daemon started beforehand (so
its start-up is not counted), until the `rounds_max_reached` event. From the events file:

- cycle: (last round_started - first round_started) / (rounds - 1), start to start, after the
  first WARMUP rounds: one round's whole period, command included;
- gap: round_started of round k+1 - round_ended of round k (median): Tend's work between rounds,
  the next spawn included;
- in-round: round_ended - round_started (median, and the events' own `duration_ms`).

Baseline: the same exec chain Tend uses for a round (`setpriv --pdeathsig TERM -- setsid --
/bin/true`, output to a pipe read to its end, then reaped), spawned in a loop by this script,
both with subprocess.Popen and with os.posix_spawn, BASELINE_RUNS/2 times each just before and
again just after Tend's run (the two medians averaged, so that a change of load during the run
falls on both); the cheaper of the two ways is subtracted (the more conservative for Tend).
Tend's own time per round = cycle - baseline.

Daemon CPU: utime + stime of the daemon (all its threads, not its reaped children) from
/proc/PID/stat, before `tend up` and after the last round, divided by the rounds.

The whole measurement is repeated REPS times; medians of the repetitions are quoted. On a small
shared machine the wall figures move with the load by more than the target itself: read "own
time" from a quiet moment; daemon CPU is the steadier figure.

Target (issue 4): a round of a command that exits at once costs Tend < 5 ms of its own time
beyond the configured delay.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

from peers import Tend, Unavailable, cpu_seconds, machine_note, median, percentile, run, wait_for

ROUNDS = int(os.environ.get("ROUNDS", "200"))
REPS = int(os.environ.get("REPS", "3"))
WARMUP = int(os.environ.get("WARMUP", "5"))
BASELINE_RUNS = int(os.environ.get("BASELINE_RUNS", str(ROUNDS)))
TARGET_MS = 5.0
COMPONENT = "tick"
TRUE = "/bin/true"


def exec_chain():
    """The argv Tend's spawner builds for a round of /bin/true: setpriv and setsid when found."""
    chain = []
    if shutil.which("setpriv"):
        chain += [shutil.which("setpriv"), "--pdeathsig", "TERM", "--"]
    if shutil.which("setsid"):
        chain += [shutil.which("setsid"), "--"]
    return chain + [TRUE]


def spawn_popen(argv):
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    process.stdout.read()
    process.stdout.close()
    process.wait()


def spawn_posix(argv):
    read, write = os.pipe()
    actions = [(os.POSIX_SPAWN_DUP2, write, 1), (os.POSIX_SPAWN_DUP2, write, 2), (os.POSIX_SPAWN_CLOSE, read)]
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    os.close(write)
    while os.read(read, 65536):
        pass
    os.close(read)
    os.waitpid(pid, 0)


def baseline(spawn, argv, runs):
    """Median wall time of one spawn + read to EOF + reap, in ms (3 warm-up spawns first)."""
    for _ in range(3):
        spawn(argv)
    walls = []
    for _ in range(runs):
        began = time.perf_counter()
        spawn(argv)
        walls.append((time.perf_counter() - began) * 1e3)
    return median(walls)


def parse_ts(text):
    """Seconds since the epoch of an event's ts ("2026-11-23T17:00:14.2138342Z": 7 fractional digits)."""
    whole, _, fraction = text.rstrip("Z").partition(".")
    seconds = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
    return seconds + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)


def read_events(state):
    events = []
    for path in sorted(glob.glob(os.path.join(state, "events", "events-*.jsonl"))):
        with open(path) as f:
            for line in f:
                if line.endswith("\n"):
                    try:
                        events.append(json.loads(line))
                    except ValueError:
                        pass
    return events


class RoundsTend(Tend):
    """Tend with one rounds component; started against a daemon this script launches itself."""

    def write_rounds_stack(self, rounds):
        with open(os.path.join(self.stack, "tend.toml"), "w") as f:
            f.write("\n".join([
                "[stack]", 'name = "bench"', "",
                f"[components.{COMPONENT}]", 'kind = "rounds"', f'command = ["{TRUE}"]', "",
                f"[components.{COMPONENT}.rounds]", 'delay = "0s"', f"max_rounds = {rounds}", "",
            ]))

    def start_daemon(self):
        """`tend daemon run --detach` in its own session, as `tend up` starts it; returns its PID."""
        self.daemon = subprocess.Popen([self.bin, "daemon", "run", "--detach", "-f", "tend.toml"], cwd=self.stack,
                                       start_new_session=True, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: self.daemon_pid() == self.daemon.pid, 20, 0.05, "tend's daemon to write daemon.pid")
        wait_for(lambda: run(self.tend("daemon", "status"), cwd=self.stack, check=False).returncode == 0,
                 20, 0.1, "tend's daemon to answer")
        self.track()
        return self.daemon.pid

    def stop(self):
        super().stop()
        daemon = getattr(self, "daemon", None)
        if daemon is not None:
            try:
                daemon.wait(timeout=5)  # reap it: it is this script's child
            except subprocess.TimeoutExpired:
                pass


def measure_tend(work, rep):
    tend = RoundsTend(os.path.join(work, f"rep{rep}"))
    tend.prepare()
    try:
        tend.write_rounds_stack(ROUNDS)
        pid = tend.start_daemon()
        time.sleep(0.5)  # let the daemon's start-up settle: its CPU is not the rounds'
        cpu_before = cpu_seconds(pid)
        began = time.perf_counter()
        run(tend.tend("up", "--detach", "--max-rounds", str(ROUNDS)), cwd=tend.stack, timeout=60)

        def finished():
            # A substring test, not a JSON parse, each poll: this script shares the cores with the daemon.
            text = "".join(open(p).read() for p in glob.glob(os.path.join(tend.state, "events", "events-*.jsonl")))
            for kind in ("rounds_max_reached", "rounds_crash_loop", "component_start_failed", "rounds_stopped_by_rule"):
                if f'"event":"{kind}"' in text:
                    return "done" if kind == "rounds_max_reached" else kind
            return None

        ended = wait_for(finished, ROUNDS * 1.0 + 60, 0.1, f"{ROUNDS} rounds")
        elapsed = time.perf_counter() - began
        cpu_after = cpu_seconds(pid)
        tend.track()
        if ended != "done":
            raise RuntimeError(f"the rounds ended with {ended}")
    finally:
        tend.stop()

    events = [e for e in read_events(tend.state) if e.get("component") == COMPONENT]
    starts = {e["run"]: parse_ts(e["ts"]) for e in events if e["event"] == "round_started"}
    ends = {e["run"]: parse_ts(e["ts"]) for e in events if e["event"] == "round_ended"}
    durations = [e["duration_ms"] for e in events if e["event"] == "round_ended"]
    outcomes = {e.get("outcome") for e in events if e["event"] == "round_ended"}
    runs = sorted(r for r in starts if r in ends)
    if len(runs) != ROUNDS or outcomes != {"ok"}:
        raise RuntimeError(f"expected {ROUNDS} ok rounds, saw {len(runs)} with outcomes {sorted(map(str, outcomes))}")
    kept = runs[WARMUP:] if len(runs) > WARMUP + 1 else runs
    cycle = (starts[kept[-1]] - starts[kept[0]]) / (len(kept) - 1) * 1e3
    span = (ends[runs[-1]] - starts[runs[0]]) / (len(runs) - 1) * 1e3  # the brief's formula, for reference
    gaps = [(starts[b] - ends[a]) * 1e3 for a, b in zip(kept, kept[1:])]
    in_round = [(ends[r] - starts[r]) * 1e3 for r in kept]
    return {
        "cycle": cycle,
        "span": span,
        "gap": median(gaps),
        "gap_p90": percentile(gaps, 0.9),
        "in_round": median(in_round),
        "duration_ms": median(durations[WARMUP:] or durations),
        "cpu": (cpu_after - cpu_before) / ROUNDS * 1e3,
        "elapsed": elapsed,
    }


def main():
    print(f"round overhead: a rounds component running {TRUE} with delay 0s, {ROUNDS} rounds, "
          f"{REPS} repetitions {machine_note()}")
    probe = RoundsTend(tempfile.mkdtemp(prefix="tend-bench-rounds-probe-"))
    try:
        probe.prepare()
        helped = subprocess.run([probe.bin, "up", "--help"], capture_output=True, text=True).stdout
        if "--max-rounds" not in helped:
            raise Unavailable(f"not available yet ({probe.bin} has no `tend up --max-rounds`: "
                              "rebuild it, or point TEND_BIN at a newer one)")
    except Unavailable as why:
        print(f"  tend: {why}")
        print("  verdict: n/a")
        return 0
    finally:
        shutil.rmtree(os.path.dirname(probe.work), ignore_errors=True)
    print(f"  tend: {probe.bin}")

    chain = exec_chain()
    print(f"  exec chain of a round: {' '.join(chain)}")
    spawns = [(spawn_popen, chain), (spawn_posix, chain), (spawn_posix, [TRUE])]
    reps = []
    with tempfile.TemporaryDirectory(prefix="tend-bench-rounds-") as work:
        for rep in range(REPS):
            # The baselines bracket Tend's run, so that a change of load during it falls on both.
            before = [baseline(spawn, argv, BASELINE_RUNS // 2) for spawn, argv in spawns]
            result = measure_tend(work, rep)
            after = [baseline(spawn, argv, BASELINE_RUNS // 2) for spawn, argv in spawns]
            popen, posix, bare = ((b + a) / 2 for b, a in zip(before, after))
            result.update(popen=popen, posix=posix, bare=bare, base=min(popen, posix))
            result["own"] = result["cycle"] - result["base"]
            reps.append(result)
            print(f"  rep {rep + 1}: cycle {result['cycle']:.2f} ms, gap {result['gap']:.2f} ms, "
                  f"in-round {result['in_round']:.2f} ms, baseline {result['base']:.2f} ms, "
                  f"own {result['own']:.2f} ms, daemon CPU {result['cpu']:.2f} ms/round "
                  f"({ROUNDS} rounds in {result['elapsed']:.2f} s)")

    m = {key: median([r[key] for r in reps]) for key in reps[0]}
    rows = [
        ("wall per round (start to start)", m["cycle"], ""),
        ("  (last end - first start) / (N-1)", m["span"], ""),
        ("gap between rounds (end k -> start k+1)", m["gap"], f"p90 {m['gap_p90']:.2f} ms"),
        ("in-round, from the events' timestamps", m["in_round"], ""),
        ("in-round, round_ended duration_ms", m["duration_ms"], "whole ms"),
        ("baseline: exec chain, subprocess.Popen", m["popen"], ""),
        ("baseline: exec chain, os.posix_spawn", m["posix"], ""),
        ("  (bare /bin/true, os.posix_spawn)", m["bare"], "the chain's wrappers cost the rest"),
        ("tend's own time per round (wall - baseline)", m["own"], f"target < {TARGET_MS:g} ms"),
        ("daemon CPU per round (utime + stime)", m["cpu"], f"target < {TARGET_MS:g} ms"),
    ]
    width = max(len(label) for label, _, _ in rows)
    print(f"medians of {REPS} repetitions ({ROUNDS} rounds each, the first {WARMUP} left out of wall and gap):")
    for label, value, note in rows:
        print(f"  {label.ljust(width)}  {value:8.2f} ms  {note}".rstrip())
    own_ok = m["own"] < TARGET_MS
    cpu_ok = m["cpu"] < TARGET_MS
    verdict = "PASS" if own_ok and cpu_ok else "FAIL"
    print(f"  verdict: {verdict} (own time {m['own']:.2f} ms {'<' if own_ok else '>='} {TARGET_MS:g} ms, "
          f"daemon CPU {m['cpu']:.2f} ms {'<' if cpu_ok else '>='} {TARGET_MS:g} ms)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

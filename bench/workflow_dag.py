#!/usr/bin/env python3
"""`tend workflow run` of DAGs of sleeping steps against their critical path.

Two workflows of real processes (`sleep S`), written in the stack file's TOML
([[workflows.NAME.steps]] with id, run (argv), depends_on):
  diamond: a -> (b, c) -> d, each 0.5 s: critical path 1.5 s;
  wide:    start -> 20 steps side by side -> end, the middle ones 0.5 s, policy.parallel 20:
           critical path 0.5 s plus the two ends.
Each runs REPS times in the foreground (no daemon); the wall time of `tend workflow run`
includes tend's own start. Prints the median and the ratio to the critical path.

Target: ratio <= 1.1 (plus tend's start-up, a few tens of milliseconds).

The machine's floor is printed beside it: the same DAG run level by level by a few lines of
Python (subprocess.Popen of plain `sleep`, no log, no record, no process group), so a ratio
above 1.1 can be told apart from what starting 20 processes at once costs on this machine.
Needs the workflow readers (issue 14, point 1); until they land, `tend workflow run` says the
workflow cannot be read and this prints that.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import tend_binary

REPS = int(os.environ.get("REPS", "5"))
STEP = float(os.environ.get("STEP_SECONDS", "0.5"))


def step(id_, seconds, deps=()):
    lines = ["[[workflows.{wf}.steps]]", f'id = "{id_}"', f'run = ["sleep", "{seconds}"]']
    if deps:
        lines.append("depends_on = [" + ", ".join(f'"{d}"' for d in deps) + "]")
    return "\n".join(lines)


def diamond():
    steps = [step("a", STEP), step("b", STEP, ["a"]), step("c", STEP, ["a"]), step("d", STEP, ["b", "c"])]
    return "diamond", steps, 3 * STEP, None, [[STEP], [STEP, STEP], [STEP]]


def wide(width=20):
    middle = [f"m{i:02d}" for i in range(width)]
    steps = [step("start", 0.05)] + [step(m, STEP, ["start"]) for m in middle] + [step("end", 0.05, middle)]
    return "wide", steps, STEP + 0.1, width, [[0.05], [STEP] * width, [0.05]]


def floor(levels):
    """The DAG by level with bare Popen: what starting these processes costs here, with no bookkeeping."""
    start = time.perf_counter()
    for level in levels:
        children = [subprocess.Popen(["sleep", str(seconds)]) for seconds in level]
        for child in children:
            child.wait()
    return time.perf_counter() - start


def write_stack(directory, workflows):
    text = ['[stack]', 'name = "bench"', ""]
    for name, steps, _, parallel, _ in workflows:
        if parallel:
            text.append(f"[workflows.{name}.policy]\nparallel = {parallel}\n")
        text.extend(s.replace("{wf}", name) + "\n" for s in steps)
    with open(os.path.join(directory, "tend.toml"), "w") as f:
        f.write("\n".join(text))


def main():
    tend = tend_binary()
    workflows = [diamond(), wide()]
    with tempfile.TemporaryDirectory(prefix="tend-bench-wf-") as directory:
        write_stack(directory, workflows)
        print(f"{'workflow':10} {'critical path':>14} {'median wall':>12} {'ratio':>7} {'floor':>7} {'tend/floor':>11}")
        worst = 0.0
        for name, _, critical, _, levels in workflows:
            walls = []
            for _ in range(REPS):
                start = time.perf_counter()
                done = subprocess.run([tend, "workflow", "run", name], cwd=directory, capture_output=True, text=True)
                walls.append(time.perf_counter() - start)
                if done.returncode != 0:
                    print(f"{name}: tend workflow run exited {done.returncode}:\n{done.stdout}{done.stderr}", file=sys.stderr)
                    return 1
            wall = statistics.median(walls)
            bare = statistics.median(floor(levels) for _ in range(REPS))
            ratio = wall / critical
            worst = max(worst, ratio)
            print(f"{name:10} {critical:13.2f}s {wall:11.2f}s {ratio:7.2f} {bare:6.2f}s {wall / bare:11.2f}")
        print(f"worst ratio {worst:.2f} (target <= 1.1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

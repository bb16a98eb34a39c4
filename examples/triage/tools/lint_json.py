#!/usr/bin/env python3
"""Lints Python files and writes the findings as a JSON list (ruff's --output-format json shape).

Uses flake8 when it is installed (Debian: flake8), else python3 -m py_compile (syntax errors only).
Exits 0 when the report is written, whatever it found: the workflow's `when` reads the report.
Usage: lint_json.py --output artifacts/linting.json [GLOB...]
"""
import argparse
import glob
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys

# flake8's default format: path:row:col: CODE message
FLAKE8_LINE = re.compile(r"^(?P<file>.+?):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<message>.*)$")


def with_flake8(files):
    done = subprocess.run([shutil.which("flake8"), "--max-line-length=120", *files], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"flake8 failed (exit {done.returncode}): {done.stderr.strip()}")
    findings = []
    for line in done.stdout.splitlines():
        match = FLAKE8_LINE.match(line)
        if match:
            findings.append({
                "code": match["code"],
                "filename": match["file"],
                "location": {"row": int(match["row"]), "column": int(match["col"])},
                "message": match["message"],
                "tool": "flake8",
            })
    return findings


def with_py_compile(files):
    findings = []
    for path in files:
        try:
            py_compile.compile(path, doraise=True, cfile=os.devnull)
        except py_compile.PyCompileError as error:
            line = getattr(error.exc_value, "lineno", 1) or 1
            findings.append({
                "code": "E999",
                "filename": path,
                "location": {"row": line, "column": 1},
                "message": error.exc_type_name + ": " + str(error.exc_value),
                "tool": "py_compile",
            })
    return findings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", required=True)
    parser.add_argument("patterns", nargs="*", default=["**/*.py"])
    args = parser.parse_args()
    files = sorted({f for p in args.patterns for f in glob.glob(p, recursive=True) if not f.startswith("tools/")})
    findings = with_flake8(files) if shutil.which("flake8") else with_py_compile(files)
    os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(findings, out, indent=2)
    print(f"{len(findings)} finding(s) in {len(files)} file(s) -> {args.output}")


if __name__ == "__main__":
    main()

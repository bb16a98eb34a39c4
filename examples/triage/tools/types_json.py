#!/usr/bin/env python3
"""Type-checks Python files with mypy and writes JSON Lines, one diagnostic per line, as
`mypy -O json` prints them (Debian's mypy 1.0 predates -O json, so its text is converted).

Exits 0 when the report is written, whatever it found. Writes an empty file when mypy is missing.
Usage: types_json.py --output artifacts/typing.json [GLOB...]
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

# mypy --show-column-numbers: path:line:col: severity: message  [code]
MYPY_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<severity>error|note|warning): (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", required=True)
    parser.add_argument("patterns", nargs="*", default=["**/*.py"])
    args = parser.parse_args()
    files = sorted({f for p in args.patterns for f in glob.glob(p, recursive=True) if not f.startswith("tools/")})
    lines = []
    if shutil.which("mypy") and files:
        done = subprocess.run(
            [shutil.which("mypy"), "--show-column-numbers", "--no-error-summary", "--no-color-output", "--cache-dir", os.devnull, *files],
            capture_output=True, text=True)
        if done.returncode not in (0, 1):
            sys.exit(f"mypy failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
        for text in done.stdout.splitlines():
            match = MYPY_LINE.match(text)
            if match:
                lines.append({
                    "file": match["file"],
                    "line": int(match["line"]),
                    "column": int(match["col"] or 0),
                    "message": match["message"],
                    "hint": None,
                    "code": match["code"],
                    "severity": match["severity"],
                })
    else:
        print("mypy is not installed (Debian: mypy); the type report is empty", file=sys.stderr)
    os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        for entry in lines:
            out.write(json.dumps(entry) + "\n")
    print(f"{len(lines)} diagnostic(s) in {len(files)} file(s) -> {args.output}")


if __name__ == "__main__":
    main()

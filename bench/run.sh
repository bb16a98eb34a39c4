#!/usr/bin/env bash
# Runs every benchmark against the native binary (built if missing) and prints the figures.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
status=0
python3 "$here/startup.py" || status=1
echo
python3 "$here/preflight_concurrency.py" || status=1
exit $status

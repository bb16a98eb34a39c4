#!/usr/bin/env bash
# Runs every benchmark against the native binary (built if missing) and prints the figures.
# The supervisor benchmarks after the first two (but round_overhead, which is tend's alone) also
# measure supervisord and pm2 (stop_scale: supervisord only) in the same run, installing them if missing (Debian's supervisor;
# pm2 from bench/package-lock.json with npm ci).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
status=0
python3 "$here/startup.py" || status=1
echo
python3 "$here/preflight_concurrency.py" || status=1
echo
python3 "$here/event_query.py" || status=1
for bench in restart_latency log_cpu idle_rss status_latency up_critical_path round_overhead stop_scale monitor metrics_scrape web; do
  echo
  python3 "$here/$bench.py" || status=1
done
# The log capture's other shapes: long lines, one write per line, and a paced 8 x 2,000 lines/s.
echo; LOG_LINE=1000 python3 "$here/log_cpu.py" || status=1
echo; LOG_WRITE=0 LOG_MB=${LOG_MB:-64} python3 "$here/log_cpu.py" || status=1
echo; LOG_RATE=2000 python3 "$here/log_cpu.py" || status=1
exit $status

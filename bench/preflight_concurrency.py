#!/usr/bin/env python3
"""A pre-flight of 20 checks, one against a server that never answers (timeout 2 s).

Target (issue 2): total wall time at most 1.2 x the slowest check's 2 s, because checks run at
once, each bounded by its own timeout. Also prints the sum of all checks' own durations, which is
what running them one after another would cost.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import statistics
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from common import measure, tend_binary, verdict

RUNS = int(os.environ.get("RUNS", "7"))
TIMEOUT = 2.0


class Ok(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def silent_server():
    """Accepts connections and never says a word: every client waits for its own timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def accept():
        while True:
            connection, _ = listener.accept()
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def main():
    tend = tend_binary()
    http = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    http_port = http.server_address[1]
    silent_port = silent_server()
    with tempfile.TemporaryDirectory() as work:
        for i in range(5):
            with open(os.path.join(work, f"config{i}.toml"), "w") as f:
                f.write(f"value = {i}\n")
        checks = [f'{{ http = "http://127.0.0.1:{silent_port}/", timeout = "{int(TIMEOUT)}s", name = "never answers" }}']
        checks += [f'{{ http = "http://127.0.0.1:{http_port}/{i}", name = "http {i}" }}' for i in range(6)]
        checks += [f'{{ tcp = "127.0.0.1:{http_port}", name = "tcp {i}" }}' for i in range(3)]
        checks += [f'{{ file = "config{i}.toml", parse = "toml" }}' for i in range(5)]
        checks += ['{ command = "sh" }', '{ command = "python3", min_version = "3.0" }', '{ dir-writable = "." }',
                   '{ disk-space = "/" }', '{ exec = ["true"] }']
        assert len(checks) == 20, len(checks)
        with open(os.path.join(work, "tend.toml"), "w") as f:
            f.write('[components.app]\ncommand = ["./app"]\npreflight = [\n  ' + ",\n  ".join(checks) + ",\n]\n")

        median, _, codes, walls = measure([tend, "preflight", "app"], RUNS, warmup=1, cwd=work)
        report = json.loads(subprocess.run([tend, "preflight", "app", "--json"], cwd=work, capture_output=True, text=True).stdout)
    durations = [c["duration_ms"] / 1000 for c in report["checks"]]
    slowest = max(durations)
    ratio = median / TIMEOUT
    ok = ratio <= 1.2 and codes == {1}
    print(f"20 checks, one never answers (timeout {TIMEOUT:.0f} s), {RUNS} runs")
    print(f"  median wall time of tend preflight   {median:6.3f} s   (runs: {', '.join(f'{w:.3f}' for w in sorted(walls))})")
    print(f"  slowest check's own duration         {slowest:6.3f} s")
    print(f"  sum of every check's own duration    {sum(durations):6.3f} s   (what one-by-one would cost)")
    print(f"  ratio wall / 2 s timeout             {ratio:6.3f}    target <= 1.2  {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

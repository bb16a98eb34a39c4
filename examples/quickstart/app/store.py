#!/usr/bin/env python3
"""A tiny key-value store over HTTP: GET/PUT /kv/KEY, GET /kv, GET /health."""
import argparse
import json
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATA = {}


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self._send(200, {"ok": True, "keys": len(DATA)})
        elif self.path == "/kv":
            self._send(200, DATA)
        elif self.path.startswith("/kv/"):
            key = self.path[len("/kv/"):]
            if key in DATA:
                self._send(200, {"key": key, "value": DATA[key]})
            else:
                self._send(404, {"error": f"no key {key}"})
        else:
            self._send(404, {"error": "not found"})

    def do_PUT(self):
        if not self.path.startswith("/kv/"):
            self._send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length", "0"))
        DATA[self.path[len("/kv/"):]] = self.rfile.read(length).decode()
        self._send(200, {"ok": True})

    def log_message(self, fmt, *args):
        sys.stdout.write("store: " + fmt % args + "\n")
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=7301)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"store: listening on http://127.0.0.1:{args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    print("store: stopped", flush=True)


if __name__ == "__main__":
    main()

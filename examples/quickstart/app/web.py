#!/usr/bin/env python3
"""A web page over the store. Reads its settings from a TOML config file."""
import argparse
import json
import os
import signal
import sys
import tomllib
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def load_config(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        print(f"web: config {path} not found (copy config/web.sample.toml)", file=sys.stderr)
        sys.exit(78)
    except tomllib.TOMLDecodeError as error:
        print(f"web: config {path} is invalid: {error}", file=sys.stderr)
        sys.exit(78)


def render(config):
    port = int(os.environ.get("STORE_PORT", config.get("store_port", 7301)))
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/kv", timeout=5) as response:
        data = json.loads(response.read())
    rows = "".join(f"<li>{k}: {v}</li>" for k, v in sorted(data.items()))
    return f"<h1>{config.get('title', 'quickstart')}</h1><ul>{rows}</ul>"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args()
    config = load_config(args.config)
    if args.once:
        print(render(config))
        return

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/health":
                body, status = b"ok", 200
            else:
                try:
                    body, status = render(config).encode(), 200
                except OSError as error:
                    body, status = f"store unavailable: {error}".encode(), 503
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *a):
            print("web: " + fmt % a, flush=True)

    port = int(config.get("port", 7302))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"web: listening on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

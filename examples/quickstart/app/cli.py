#!/usr/bin/env python3
"""Commands over the store: stats, get KEY."""
import json
import os
import sys
import urllib.request

PORT = int(os.environ.get("STORE_PORT", "7301"))


def fetch(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=5) as response:
        return json.loads(response.read())


def main(argv):
    if not argv or argv[0] not in ("stats", "get"):
        print("usage: cli.py stats | get KEY", file=sys.stderr)
        return 2
    try:
        if argv[0] == "stats":
            data = fetch("/kv")
            print(f"{len(data)} keys")
            for key in sorted(data):
                print(f"  {key} = {data[key]}")
        else:
            if len(argv) < 2:
                print("usage: cli.py get KEY", file=sys.stderr)
                return 2
            print(fetch(f"/kv/{argv[1]}")["value"])
    except OSError as error:
        print(f"cannot reach the store on port {PORT}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

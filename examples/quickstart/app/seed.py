#!/usr/bin/env python3
"""Loads sample data into the store; fails with the reason if the store is not there."""
import os
import sys
import urllib.request

PORT = int(os.environ.get("STORE_PORT", "7301"))
SAMPLE = {"greeting": "hello from tend", "stack": "quickstart", "answer": "42"}

for key, value in SAMPLE.items():
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/kv/{key}", data=value.encode(), method="PUT")
    try:
        urllib.request.urlopen(request, timeout=5).read()
    except OSError as error:
        print(f"seed: cannot reach the store on port {PORT}: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"seed: {key} = {value}")
print(f"seed: loaded {len(SAMPLE)} keys")

#!/usr/bin/env python3
"""One round of the digest: count the store's keys, append a line to digest.log.

Run by tend in rounds (kind = "rounds"): TEND_ROUND numbers the round, and writing the done
sentinel in TEND_LOG_DIR would end the rounds; here max_rounds does.
"""
import datetime
import json
import os
import sys
import urllib.request

PORT = int(os.environ.get("STORE_PORT", "7301"))


def main():
    round_number = os.environ.get("TEND_ROUND", "?")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/kv", timeout=5) as response:
            keys = json.loads(response.read())
    except OSError as error:
        print(f"round {round_number}: cannot reach the store on port {PORT}: {error}", file=sys.stderr)
        return 1
    line = f"{datetime.datetime.now().isoformat(timespec='seconds')} round {round_number}: {len(keys)} keys"
    with open("digest.log", "a", encoding="utf-8") as digest:
        digest.write(line + "\n")
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

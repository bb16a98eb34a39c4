#!/usr/bin/env bash
# Builds the native tend, then walks through the bundled quickstart stack the way a new user
# would: scaffold it, look at it, check it, follow the diagnosis, run its commands.
# Needs the .NET SDK to build and Debian's python3 for the stack; nothing else.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/artifacts/tend-native/tend"
work=$(mktemp -d -t tend-quickstart-XXXXXX)
cleanup() {
  # Whatever happened, the daemon stops the stack before the directory goes.
  [ -x "$bin" ] && (cd "$work" && "$bin" daemon stop >/dev/null 2>&1) || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

tend() { "$bin" "$@"; }
bold() { if [ -t 1 ]; then printf '\n\033[1m%s\033[0m\n' "$*"; else printf '\n%s\n' "$*"; fi; }
step() { bold "\$ $*"; "$@"; }

bold "==> Building the native tend (dotnet publish -c Release, Native AOT)"
(cd "$root" && dotnet publish src/Tend.Cli -c Release -o artifacts/tend-native --nologo -v quiet)
echo "built $bin ($(du -h "$bin" | cut -f1))"

cd "$work"
step tend init --preset quickstart .
step tend validate
step tend ls
step tend graph

bold "==> Pre-flight of web before anything runs: expect two failures, each with its fix"
step tend preflight web || echo "(exit $?: as expected)"

bold "==> Following the diagnosis: copy the sample config, then bring the stack up"
step cp config/web.sample.toml config/web.toml
step tend up
step tend status
step tend run store stats
step tend run web render
step tend logs web -n 5
step tend events -n 12
step tend why seed
step tend events --kind 'round_*' -n 6
step cat digest.log

bold "==> Down: in reverse order, and nothing of the stack is left running"
step tend down
step tend daemon stop
bold "Done. The quickstart ran in $work (removed now); try it yourself with: $bin init --preset quickstart my-stack && cd my-stack && $bin up"

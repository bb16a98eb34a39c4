#!/usr/bin/env bash
# Builds the native tend, then walks through the bundled quickstart stack the way a new user
# would: scaffold it, look at it, check it, follow the diagnosis, run its commands.
# Needs the .NET SDK to build and Debian's python3 for the stack; nothing else.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/artifacts/tend-native/tend"
work=$(mktemp -d -t tend-quickstart-XXXXXX)
store_pid=""

cleanup() {
  if [ -n "$store_pid" ] && kill -0 "$store_pid" 2>/dev/null; then
    kill -TERM "$store_pid" 2>/dev/null || true   # tend forwards it to the store's process group
    wait "$store_pid" 2>/dev/null || true
  fi
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

bold "==> Following the diagnosis: copy the sample config, start the store"
step cp config/web.sample.toml config/web.toml
bold "\$ tend run store serve &   (a blocking command, here in the background)"
# Started from the binary itself, not the tend() function: a function in the background runs in
# a subshell, and a SIGTERM to that subshell would never reach tend.
"$bin" run store serve > store.log 2>&1 &
store_pid=$!
for _ in $(seq 1 50); do
  if tend health store > /dev/null 2>&1; then break; fi
  sleep 0.2
done

step tend health store
step tend run seed load
step tend preflight web
step tend run store stats
step tend run web render

bold "==> Stopping the store: SIGTERM to tend reaches the store's whole process group"
kill -TERM "$store_pid"
wait "$store_pid" || true
store_pid=""
tail -n 3 store.log
bold "Done. The quickstart ran in $work (removed now); try it yourself with: $bin init --preset quickstart DIR"

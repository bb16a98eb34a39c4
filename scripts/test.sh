#!/usr/bin/env bash
# Run Tend's whole test suite: install what is missing (Debian packages), start throw-away
# PostgreSQL, Redis and etcd on free loopback ports, publish the native binary, run `dotnet test`,
# and stop everything it started on the way out (success, failure, Ctrl+C).
#
#   scripts/test.sh [OPTIONS] [DOTNET-TEST-ARGS...]
#
#   --no-servers     skip install and start of the servers (quick unit runs)
#   --keep           leave the servers running afterwards and print an `export ...` block to reuse them
#   --servers-only   start the servers, print the exports, wait for Ctrl+C (run `dotnet test` by hand)
#   -h, --help       this text
#   --               everything after it goes to `dotnet test`
#
# Any other argument goes to `dotnet test` as is, e.g. scripts/test.sh --filter 'FullyQualifiedName~Toml'.
# Exit status: that of `dotnet test` (or of the step that failed before it).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/servers.sh
source "$REPO_ROOT/scripts/lib/servers.sh"

NO_SERVERS=0
KEEP=0
SERVERS_ONLY=0
TEST_ARGS=()
KEEPING=0 # set once --keep takes effect: the exit trap then leaves the servers up
CHILD_PID="" # the command the script is waiting for (publish, test, sleep)
declare -A SEEN=() # its process tree: pid -> start time
START_TIME=""

log() { printf '[test.sh] %s\n' "$*" >&2; }

# Run a command and wait for it in a way a signal can interrupt: bash runs a trap only once the
# foreground command ends, so the command runs in the background (same process group, so a Ctrl+C
# at the terminal still reaches it; `trap -` undoes the SIGINT-ignore bash gives background jobs)
# and the script waits for it. The exit trap stops it when the script is signalled first.
# While it runs, its process tree is noted every half second (PID and start time), so that a
# cancelled run's test host, which a cancelled `dotnet test` can orphan, is found and stopped too.
run_child() {
  local rc=0
  (
    trap - INT QUIT
    exec "$@"
  ) &
  CHILD_PID=$!
  SEEN=()
  while tend__alive "$CHILD_PID"; do
    note_tree
    sleep 0.5 >/dev/null 2>&1 &
    wait "$!" || true
  done
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

# Start time of a process (clock ticks since boot) into START_TIME, to tell it from a later
# process that reuses its PID. Fails when there is no such process.
# shellcheck disable=SC2317 # also called from the exit trap
start_time() {
  local stat
  local -a fields
  START_TIME=""
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  read -r -a fields <<<"${stat##*) }"
  START_TIME=${fields[19]}
}

# Note CHILD_PID and all its descendants in SEEN (pid -> start time). Walks the kernel's
# /proc/PID/task/TID/children lists: cheap enough to do twice a second, and needs no procps.
# shellcheck disable=SC2317 # also called from the exit trap
note_tree() {
  local pid f kids
  local -a queue=("$CHILD_PID")
  while ((${#queue[@]})); do
    pid=${queue[0]}
    queue=("${queue[@]:1}")
    if [[ -z ${SEEN[$pid]:-} ]] && start_time "$pid"; then SEEN[$pid]=$START_TIME; fi
    for f in /proc/"$pid"/task/*/children; do
      kids=""
      { read -r kids <"$f"; } 2>/dev/null || true # the task may have exited meanwhile
      # shellcheck disable=SC2206 # split the list on purpose
      queue+=($kids)
    done
  done
}

# Stop the command run_child is waiting for, then whatever it started that is still running.
# shellcheck disable=SC2317 # called from the exit trap
stop_child() {
  [[ -n $CHILD_PID ]] || return 0
  local pid leftovers=()
  if tend__alive "$CHILD_PID"; then
    note_tree
    # SIGINT: dotnet cancels the build or the test run (a Ctrl+C at the terminal sent it one too).
    kill -INT "$CHILD_PID" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while tend__alive "$CHILD_PID"; do
      if ((SECONDS >= deadline)); then
        log "pid $CHILD_PID did not stop on SIGINT within 30s: SIGKILL"
        kill -KILL "$CHILD_PID" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
  fi
  wait "$CHILD_PID" 2>/dev/null || true
  CHILD_PID=""
  for pid in "${!SEEN[@]}"; do
    if tend__alive "$pid" && start_time "$pid" && [[ $START_TIME == "${SEEN[$pid]}" ]]; then
      leftovers+=("$pid")
    fi
  done
  if ((${#leftovers[@]})); then
    log "stopping what the cancelled command left running: pids ${leftovers[*]}"
    kill -TERM "${leftovers[@]}" 2>/dev/null || true
    for pid in "${leftovers[@]}"; do tend__await_exit "$pid" 5 "pid $pid"; done
  fi
}

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

parse_args() {
  while (($#)); do
    case $1 in
      --no-servers) NO_SERVERS=1 ;;
      --keep) KEEP=1 ;;
      --servers-only) SERVERS_ONLY=1 ;;
      -h | --help)
        usage
        exit 0
        ;;
      --)
        shift
        TEST_ARGS+=("$@")
        break
        ;;
      *) TEST_ARGS+=("$1") ;;
    esac
    shift
  done
  if ((NO_SERVERS && SERVERS_ONLY)); then
    log "--no-servers and --servers-only contradict each other"
    exit 2
  fi
}

# shellcheck disable=SC2317 # trap handlers: invoked indirectly
on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  stop_child
  if ((KEEPING)); then
    log "servers left running (--keep); stop them with the commands printed above"
  else
    tend_servers_stop || rc=1
  fi
  exit "$rc"
}

# shellcheck disable=SC2317 # trap handler: invoked indirectly
on_signal() {
  log "caught SIG$1: stopping"
  # Leave through the EXIT trap, with the conventional 128+signal status.
  if [[ $1 == INT ]]; then exit 130; else exit 143; fi
}

install_servers() {
  local t0
  t0=$(tend__now_ms)
  tend_servers_install
  log "install check took $(tend__since "$t0")"
}

start_servers() {
  local t0
  t0=$(tend__now_ms)
  tend_servers_start
  log "servers started in $(tend__since "$t0")"
  tend_servers_summary
}

build() {
  local t0
  # Native AOT links with the system's C toolchain: clang, or gcc.
  if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
    tend_apt_install clang
  fi
  t0=$(tend__now_ms)
  log "dotnet publish src/Tend.Cli (native AOT) -> artifacts/tend-native"
  run_child dotnet publish "$REPO_ROOT/src/Tend.Cli" -c Release -o "$REPO_ROOT/artifacts/tend-native" --nologo
  export TEND_BIN="$REPO_ROOT/artifacts/tend-native/tend"
  log "published in $(tend__since "$t0"); TEND_BIN=$TEND_BIN"
}

# The offline Kubernetes schema validator of the export tests (tests/tools/kube-validate): its
# npm packages, installed from the lock file. Without node the tests skip it, except under CI=true.
install_kube_validator() {
  local dir="$REPO_ROOT/tests/tools/kube-validate"
  if ! command -v npm >/dev/null; then
    log "npm not found: the Kubernetes export tests will skip schema validation (a failure under CI=true)"
    return 0
  fi
  if [[ ! -d $dir/node_modules/kubernetes-models ]]; then
    log "npm ci in tests/tools/kube-validate"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || log "npm ci failed: the Kubernetes export tests will skip schema validation"
  fi
}

# One plain closing line from the TRX results: "tests: N passed, N failed, N skipped".
summarize_results() {
  local dir=$1
  command -v python3 >/dev/null || return 0
  python3 - "$dir" <<'PY' || true
import glob, os, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
files = glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True)
for f in files:
    for el in ET.parse(f).getroot().iter():
        if el.tag.endswith("UnitTestResult"):
            outcome = el.get("outcome", "")
            if outcome == "Passed":
                passed += 1
            elif outcome in ("NotExecuted", "Inconclusive", "Pending", "Disconnected", "Warning"):
                skipped += 1
            else:
                failed += 1
if files:
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
}

run_tests() {
  local t0 rc=0 results="$REPO_ROOT/artifacts/test-results"
  rm -rf "$results"
  t0=$(tend__now_ms)
  log "dotnet test Tend.sln ${TEST_ARGS[*]}"
  run_child dotnet test "$REPO_ROOT/Tend.sln" --nologo --logger trx --results-directory "$results" \
    "${TEST_ARGS[@]}" || rc=$?
  log "dotnet test exited $rc after $(tend__since "$t0")"
  summarize_results "$results"
  return "$rc"
}

main() {
  parse_args "$@"
  cd "$REPO_ROOT"
  trap on_exit EXIT
  trap 'on_signal INT' INT
  trap 'on_signal TERM' TERM

  if ((SERVERS_ONLY)); then
    install_servers
    start_servers
    printf '\n# Servers are up. In another shell:\n'
    tend_servers_exports
    if [[ -x $REPO_ROOT/artifacts/tend-native/tend ]]; then
      printf "export TEND_BIN='%s' # published by an earlier run, not rebuilt now\n" \
        "$REPO_ROOT/artifacts/tend-native/tend"
    fi
    printf '# Ctrl+C here stops them.\n'
    while tend_servers_alive; do
      run_child sleep 2 || true
    done
    log "a server stopped on its own"
    exit 1
  fi

  # Install first (python3 picks the ports); build before starting the servers, so a compile
  # error fails fast and the servers do not idle through the build.
  if ((!NO_SERVERS)); then install_servers; fi
  build
  install_kube_validator
  if ((!NO_SERVERS)); then start_servers; fi

  local rc=0
  run_tests || rc=$?

  if ((KEEP && !NO_SERVERS)); then
    KEEPING=1
    printf '\n# --keep: the servers are still up. To reuse them:\n'
    tend_servers_exports
    printf "export TEND_BIN='%s'\n" "$TEND_BIN"
  fi
  exit "$rc"
}

main "$@"

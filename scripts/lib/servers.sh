# shellcheck shell=bash
#
# Throw-away PostgreSQL, Redis and etcd servers on loopback, for the tests and benchmarks.
#
# Source this file, then:
#   tend_servers_install        install what is missing from Debian's packages (apt-get)
#   tend_apt_install PKG...     apt-get update + install, through sudo when not root
#   tend_servers_start          start all three in a fresh temp dir, export TEND_TEST_* for them
#   tend_servers_summary        one line a server: version, address, pid
#   tend_servers_exports        an `export ...` block that reuses the running servers
#   tend_servers_alive          0 while every started server is still running
#   tend_servers_stop           stop everything started, remove the temp dir (idempotent)
#
# Sourcing has no side effects: it only defines functions. Nothing here depends on systemd or on
# the distribution's default clusters/services (a default Redis on 6379 or PostgreSQL on 5432 is
# left alone and never used). Servers run as the current user; PostgreSQL's initdb refuses root,
# so as root the cluster runs as the `postgres` system user via runuser.
#
# Knobs (environment): TEND_SERVERS_TIMEOUT (seconds to wait for each server, default 60),
# TEND_SERVERS_TRIES (start attempts on a port clash, default 5).

TEND_SRV_DIR=""
TEND_SRV_PG_BIN=""
TEND_SRV_PG_DATA=""
TEND_SRV_PG_PID=""
TEND_SRV_PG_PORT=""
TEND_SRV_REDIS_PID=""
TEND_SRV_REDIS_PORT=""
TEND_SRV_ETCD_PID=""
TEND_SRV_ETCD_PORT=""
TEND_SRV_ETCD_PEER_PORT=""
TEND_SRV_AS_POSTGRES=()

tend__log() { printf '[servers] %s\n' "$*" >&2; }

tend__fail() {
  tend__log "error: $*"
  return 1
}

# Milliseconds since the epoch, for timings.
tend__now_ms() { date +%s%3N; }

# Seconds (one decimal) since the given tend__now_ms value.
tend__since() {
  local ms=$(($(tend__now_ms) - $1))
  printf '%d.%ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

# Print the last lines of a server's log, to tell why it did not come up.
tend__log_tail() {
  local name=$1 file=$2
  if [[ -f $file ]]; then
    tend__log "---- last lines of $name's log ($file) ----"
    tail -n 40 "$file" >&2 || true
    tend__log "---- end of $name's log ----"
  else
    tend__log "($name wrote no log at $file)"
  fi
}

# 0 when the process exists and is not a zombie (an exited child not yet reaped by `wait`).
tend__alive() {
  local pid=$1 stat rest
  [[ -n $pid && -r /proc/$pid/stat ]] || return 1
  read -r stat </proc/"$pid"/stat 2>/dev/null || return 1
  rest=${stat##*) }
  [[ ${rest%% *} != Z ]]
}

# Run a command in a session of its own, so a Ctrl+C at the terminal (SIGINT to the foreground
# process group) reaches the script and the tests but not the servers, which would otherwise shut
# themselves down under the script (Redis and etcd handle SIGINT even when started in the
# background); the script stops them itself, in order, by PID. Started with `&` from a shell
# without job control the child is not a group leader, so setsid execs in place and $! is the
# server's own PID.
tend__detached() {
  if command -v setsid >/dev/null; then
    exec setsid "$@"
  fi
  exec "$@"
}

# A random password: hex, so it needs no escaping in a URL or a shell.
tend__password() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# N distinct free loopback TCP ports, asked of the kernel (bind to port 0). Another process may
# take one between this and the server's own bind: the start functions retry on a clash.
tend__free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
}

# The newest PostgreSQL server bindir from Debian's packages (/usr/lib/postgresql/<ver>/bin).
tend__pg_bindir() {
  local dir best="" ver
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/pg_isready ]] || continue
    ver=${dir#/usr/lib/postgresql/}
    ver=${ver%/bin}
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$ver" | sort -V | tail -n 1) == "$ver" ]]; then
      best=$ver
    fi
  done
  [[ -n $best ]] || return 1
  printf '/usr/lib/postgresql/%s/bin\n' "$best"
}

# apt-get install the given Debian packages (apt-get update first), through sudo when not root.
tend_apt_install() {
  local sudo=() t0
  if ((EUID != 0)); then
    command -v sudo >/dev/null || tend__fail "need root or sudo to install: $*" || return 1
    sudo=(sudo)
  fi
  t0=$(tend__now_ms)
  tend__log "installing $* (apt-get)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || return 1
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "$@" >&2 || return 1
  tend__log "installed $* in $(tend__since "$t0")"
}

# Install the Debian packages whose programs are missing; apt-get update only when one is.
# The packages' scripts may start the distribution's default instances (through their init
# scripts, there being no systemd); those are left alone and never used.
tend_servers_install() {
  local missing=()
  tend__pg_bindir >/dev/null || missing+=(postgresql)
  { command -v redis-server && command -v redis-cli; } >/dev/null || missing+=(redis-server)
  command -v etcd >/dev/null || missing+=(etcd-server)
  # etcdctl: tend backup's etcd snapshots, and their restores, in the tests.
  command -v etcdctl >/dev/null || missing+=(etcd-client)
  command -v python3 >/dev/null || missing+=(python3)
  # The shells whose completion scripts the tests run.
  command -v zsh >/dev/null || missing+=(zsh)
  command -v fish >/dev/null || missing+=(fish)
  # The migration tool whose next steps the tests type, and its PostgreSQL driver.
  command -v alembic >/dev/null || missing+=(alembic)
  python3 -c 'import psycopg2' 2>/dev/null || missing+=(python3-psycopg2)
  # The browser the dashboard's tests drive through Playwright (no browser download).
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  # Prometheus: promtool checks `tend metrics` and `tend metrics rules`, and a server scrapes the daemon in a test.
  { command -v promtool && command -v prometheus; } >/dev/null || missing+=(prometheus)
  # systemd-analyze verifies the units of tend install (no systemd needs to run).
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  # The linters of examples/triage, the workflow the tests run end to end.
  command -v flake8 >/dev/null || missing+=(flake8)
  command -v mypy >/dev/null || missing+=(mypy)
  # sshd for tend --host: the remote tests start their own on a free loopback port.
  [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
  if ((${#missing[@]} == 0)); then
    tend__log "postgresql, redis-server, etcd-server, etcd-client, python3, zsh, fish, alembic, python3-psycopg2, chromium, prometheus, systemd-analyze, flake8, mypy and openssh-server are installed"
    return 0
  fi
  tend_apt_install "${missing[@]}" || return 1
  tend__pg_bindir >/dev/null || tend__fail "postgresql installed but no /usr/lib/postgresql/*/bin/initdb" || return 1
}

# Fresh temp dir for this run's servers. As root it must be traversable by `postgres`.
tend__make_dir() {
  TEND_SRV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tend-servers.XXXXXX") || return 1
  if ((EUID == 0)); then
    id -u postgres >/dev/null 2>&1 ||
      tend__fail "running as root, but there is no 'postgres' system user to run PostgreSQL as" || return 1
    chmod 711 "$TEND_SRV_DIR" || return 1
    if ! runuser -u postgres -- test -x "$TEND_SRV_DIR"; then
      # e.g. TMPDIR under /root: the postgres user cannot reach it; /tmp it can.
      rmdir "$TEND_SRV_DIR"
      TEND_SRV_DIR=$(mktemp -d /tmp/tend-servers.XXXXXX) || return 1
      chmod 711 "$TEND_SRV_DIR" || return 1
    fi
    TEND_SRV_AS_POSTGRES=(runuser -u postgres --)
  else
    TEND_SRV_AS_POSTGRES=()
  fi
}

# Run a PostgreSQL program as the cluster's user, from the temp dir (a caller's working
# directory, say under /root, may be closed to the postgres user).
tend__as_pg() {
  (cd "$TEND_SRV_DIR" && "${TEND_SRV_AS_POSTGRES[@]}" "$@")
}

tend__start_postgres() {
  local bin dir data log password try port rc t0
  t0=$(tend__now_ms)
  bin=$(tend__pg_bindir) || tend__fail "no PostgreSQL server in /usr/lib/postgresql/*/bin" || return 1
  dir=$TEND_SRV_DIR/pg
  data=$dir/data
  log=$dir/postgres.log
  password=$(tend__password)
  mkdir -m 700 "$dir" "$dir/sock" || return 1
  (umask 077 && printf '%s\n' "$password" >"$dir/pwfile") || return 1
  if ((EUID == 0)); then chown -R postgres: "$dir" || return 1; fi
  TEND_SRV_PG_BIN=$bin
  TEND_SRV_PG_DATA=$data
  if ! tend__as_pg "$bin/initdb" -D "$data" -U postgres --pwfile="$dir/pwfile" \
    --auth=scram-sha-256 -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    tend__log_tail initdb "$dir/initdb.log"
    tend__fail "initdb failed"
    return 1
  fi
  rm -f "$dir/pwfile"
  # Only loopback TCP and a socket in our own dir; durability is not wanted for a test cluster.
  cat >>"$data/postgresql.conf" <<EOF

# scripts/lib/servers.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
  for ((try = 1; try <= ${TEND_SERVERS_TRIES:-5}; try++)); do
    port=$(tend__free_ports 1) || return 1
    rc=0
    tend__as_pg "$bin/pg_ctl" -D "$data" -l "$log" -o "-p $port" \
      -w -t "${TEND_SERVERS_TIMEOUT:-60}" start >"$dir/pg_ctl.log" 2>&1 || rc=$?
    if ((rc == 0)); then
      break
    fi
    if grep -qE 'could not (bind|create listen socket)|already in use' "$log" 2>/dev/null &&
      ((try < ${TEND_SERVERS_TRIES:-5})); then
      tend__log "postgres: port $port taken, trying another"
      continue
    fi
    cat "$dir/pg_ctl.log" >&2 || true
    tend__log_tail postgres "$log"
    tend__fail "postgres did not start"
    return 1
  done
  TEND_SRV_PG_PORT=$port
  TEND_SRV_PG_PID=$(head -n 1 "$data/postmaster.pid")
  # pg_ctl -w waited for the postmaster; pg_isready confirms it answers on TCP.
  local deadline=$((SECONDS + ${TEND_SERVERS_TIMEOUT:-60}))
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres; do
    if ((SECONDS >= deadline)) || ! tend__alive "$TEND_SRV_PG_PID"; then
      tend__log_tail postgres "$log"
      tend__fail "postgres is not ready on 127.0.0.1:$port"
      return 1
    fi
    sleep 0.2
  done
  export TEND_TEST_POSTGRES_PASSWORD=$password
  export TEND_TEST_POSTGRES_URL="postgresql://postgres:$password@127.0.0.1:$port/postgres"
  tend__log "postgres up on 127.0.0.1:$port in $(tend__since "$t0") (initdb included)"
}

tend__start_redis() {
  local dir conf log password try port t0 deadline pid
  t0=$(tend__now_ms)
  dir=$TEND_SRV_DIR/redis
  log=$dir/redis.log
  conf=$dir/redis.conf
  password=$(tend__password)
  mkdir -m 700 "$dir" || return 1
  for ((try = 1; try <= ${TEND_SERVERS_TRIES:-5}; try++)); do
    port=$(tend__free_ports 1) || return 1
    # The password lives in a 0600 file, not on the command line, where `ps` would show it.
    (umask 077 && cat >"$conf" <<EOF
port $port
bind 127.0.0.1
requirepass $password
save ""
appendonly no
daemonize no
dir $dir
logfile $log
EOF
    )
    : >"$log"
    tend__detached redis-server "$conf" </dev/null >>"$log" 2>&1 &
    pid=$!
    TEND_SRV_REDIS_PID=$pid
    deadline=$((SECONDS + ${TEND_SERVERS_TIMEOUT:-60}))
    while :; do
      # Bounded: should the port be someone else's that accepts and never answers.
      if tend__alive "$pid" && [[ $(REDISCLI_AUTH=$password timeout 2 redis-cli -h 127.0.0.1 -p "$port" \
        ping 2>/dev/null) == PONG ]]; then
        TEND_SRV_REDIS_PORT=$port
        export TEND_TEST_REDIS_PASSWORD=$password
        export TEND_TEST_REDIS_URL="redis://:$password@127.0.0.1:$port"
        tend__log "redis up on 127.0.0.1:$port in $(tend__since "$t0")"
        return 0
      fi
      if ! tend__alive "$pid"; then
        wait "$pid" 2>/dev/null || true
        TEND_SRV_REDIS_PID=""
        if grep -qiE 'address already in use|could not create server tcp' "$log" &&
          ((try < ${TEND_SERVERS_TRIES:-5})); then
          tend__log "redis: port $port taken, trying another"
          continue 2
        fi
        tend__log_tail redis "$log"
        tend__fail "redis exited during start"
        return 1
      fi
      if ((SECONDS >= deadline)); then
        tend__log_tail redis "$log"
        tend__fail "redis did not answer PING on 127.0.0.1:$port within ${TEND_SERVERS_TIMEOUT:-60}s"
        return 1
      fi
      sleep 0.1
    done
  done
  tend__fail "redis: no free port after ${TEND_SERVERS_TRIES:-5} tries"
}

# 0 when etcd at the URL answers /health with health true.
tend__etcd_healthy() {
  python3 - "$1" <<'PY' 2>/dev/null
import json, sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/health", timeout=2) as r:
        sys.exit(0 if json.load(r).get("health") in ("true", True) else 1)
except Exception:
    sys.exit(1)
PY
}

tend__start_etcd() {
  local dir log try ports port peer t0 deadline pid url peer_url
  t0=$(tend__now_ms)
  dir=$TEND_SRV_DIR/etcd
  log=$dir/etcd.log
  mkdir -m 700 "$dir" || return 1
  # etcd 3.4 refuses to run on arm64 unless told it may.
  if [[ $(uname -m) == aarch64 ]]; then export ETCD_UNSUPPORTED_ARCH=arm64; fi
  for ((try = 1; try <= ${TEND_SERVERS_TRIES:-5}; try++)); do
    ports=$(tend__free_ports 2) || return 1
    port=${ports% *}
    peer=${ports#* }
    url=http://127.0.0.1:$port
    peer_url=http://127.0.0.1:$peer
    rm -rf "$dir/data"
    tend__detached etcd --name default --data-dir "$dir/data" \
      --listen-client-urls "$url" --advertise-client-urls "$url" \
      --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
      --initial-cluster "default=$peer_url" --initial-cluster-state new \
      </dev/null >"$log" 2>&1 &
    pid=$!
    TEND_SRV_ETCD_PID=$pid
    deadline=$((SECONDS + ${TEND_SERVERS_TIMEOUT:-60}))
    while :; do
      if tend__alive "$pid" && tend__etcd_healthy "$url"; then
        TEND_SRV_ETCD_PORT=$port
        TEND_SRV_ETCD_PEER_PORT=$peer
        export TEND_TEST_ETCD_URL=$url
        tend__log "etcd up on 127.0.0.1:$port (peer $peer) in $(tend__since "$t0")"
        return 0
      fi
      if ! tend__alive "$pid"; then
        wait "$pid" 2>/dev/null || true
        TEND_SRV_ETCD_PID=""
        if grep -qiE 'address already in use' "$log" && ((try < ${TEND_SERVERS_TRIES:-5})); then
          tend__log "etcd: port $port or $peer taken, trying others"
          continue 2
        fi
        tend__log_tail etcd "$log"
        tend__fail "etcd exited during start"
        return 1
      fi
      if ((SECONDS >= deadline)); then
        tend__log_tail etcd "$log"
        tend__fail "etcd is not healthy at $url within ${TEND_SERVERS_TIMEOUT:-60}s"
        return 1
      fi
      sleep 0.2
    done
  done
  tend__fail "etcd: no free ports after ${TEND_SERVERS_TRIES:-5} tries"
}

# Start PostgreSQL, Redis and etcd. On failure the caller's trap should call tend_servers_stop,
# which cleans up whatever did start.
tend_servers_start() {
  if [[ -n $TEND_SRV_DIR ]]; then
    tend__fail "servers already started in $TEND_SRV_DIR"
    return 1
  fi
  tend__make_dir || return 1
  tend__log "temp dir $TEND_SRV_DIR"
  tend__start_postgres || return 1
  tend__start_redis || return 1
  tend__start_etcd || return 1
}

tend_servers_summary() {
  local v
  v=$("$TEND_SRV_PG_BIN/postgres" --version 2>/dev/null | awk '{print $3}')
  local user
  user=$(id -un)
  ((${#TEND_SRV_AS_POSTGRES[@]} == 0)) || user=postgres
  printf 'postgres %s  127.0.0.1:%s  pid %s  (as user %s)\n' "$v" "$TEND_SRV_PG_PORT" "$TEND_SRV_PG_PID" "$user"
  v=$(redis-server --version 2>/dev/null | sed -n 's/.* v=\([^ ]*\).*/\1/p')
  printf 'redis    %s  127.0.0.1:%s  pid %s\n' "$v" "$TEND_SRV_REDIS_PORT" "$TEND_SRV_REDIS_PID"
  v=$(etcd --version 2>/dev/null | sed -n 's/^etcd Version: //p')
  printf 'etcd     %s  127.0.0.1:%s  pid %s  (peer port %s)\n' "$v" "$TEND_SRV_ETCD_PORT" \
    "$TEND_SRV_ETCD_PID" "$TEND_SRV_ETCD_PEER_PORT"
}

# An `export ...` block to reuse the running servers from another shell, and how to stop them.
tend_servers_exports() {
  local as_pg=""
  ((EUID == 0)) && as_pg="runuser -u postgres -- "
  cat <<EOF
export TEND_TEST_POSTGRES_URL='$TEND_TEST_POSTGRES_URL'
export TEND_TEST_POSTGRES_PASSWORD='$TEND_TEST_POSTGRES_PASSWORD'
export TEND_TEST_REDIS_URL='$TEND_TEST_REDIS_URL'
export TEND_TEST_REDIS_PASSWORD='$TEND_TEST_REDIS_PASSWORD'
export TEND_TEST_ETCD_URL='$TEND_TEST_ETCD_URL'
# to stop them:
#   ${as_pg}$TEND_SRV_PG_BIN/pg_ctl -D $TEND_SRV_PG_DATA -m fast stop; kill $TEND_SRV_REDIS_PID $TEND_SRV_ETCD_PID; rm -rf $TEND_SRV_DIR
EOF
}

# 0 while every server that was started still runs; names the first dead one otherwise.
tend_servers_alive() {
  tend__alive "$TEND_SRV_PG_PID" || { tend__log "postgres (pid $TEND_SRV_PG_PID) is gone"; return 1; }
  tend__alive "$TEND_SRV_REDIS_PID" || { tend__log "redis (pid $TEND_SRV_REDIS_PID) is gone"; return 1; }
  tend__alive "$TEND_SRV_ETCD_PID" || { tend__log "etcd (pid $TEND_SRV_ETCD_PID) is gone"; return 1; }
}

# Wait up to $2 seconds for pid $1 to end; SIGKILL it then. Reaps it when it is our child.
tend__await_exit() {
  local pid=$1 name=$3 deadline=$((SECONDS + $2))
  while tend__alive "$pid"; do
    if ((SECONDS >= deadline)); then
      tend__log "$name (pid $pid) still running after $2s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

# Stop everything tend_servers_start started, by recorded PID only; remove the temp dir.
# Safe to call twice, after a partial start, or when nothing was started.
tend_servers_stop() {
  [[ -n $TEND_SRV_DIR ]] || return 0
  local t0
  t0=$(tend__now_ms)
  if [[ -n $TEND_SRV_PG_DATA && -f $TEND_SRV_PG_DATA/postmaster.pid ]]; then
    [[ -n $TEND_SRV_PG_PID ]] || TEND_SRV_PG_PID=$(head -n 1 "$TEND_SRV_PG_DATA/postmaster.pid" 2>/dev/null || true)
    tend__as_pg "$TEND_SRV_PG_BIN/pg_ctl" -D "$TEND_SRV_PG_DATA" -m fast -w -t 30 \
      stop >/dev/null 2>&1 || true
  fi
  if tend__alive "$TEND_SRV_PG_PID"; then
    # pg_ctl could not stop it (or postmaster.pid was gone): SIGTERM is a smart shutdown.
    kill -TERM "$TEND_SRV_PG_PID" 2>/dev/null || true
    tend__await_exit "$TEND_SRV_PG_PID" 30 postgres
  fi
  local pid
  for pid in "$TEND_SRV_REDIS_PID" "$TEND_SRV_ETCD_PID"; do
    if [[ -n $pid ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  if [[ -n $TEND_SRV_REDIS_PID ]]; then tend__await_exit "$TEND_SRV_REDIS_PID" 15 redis; fi
  if [[ -n $TEND_SRV_ETCD_PID ]]; then tend__await_exit "$TEND_SRV_ETCD_PID" 15 etcd; fi
  rm -rf "$TEND_SRV_DIR"
  tend__log "stopped servers (pids ${TEND_SRV_PG_PID:--} ${TEND_SRV_REDIS_PID:--} ${TEND_SRV_ETCD_PID:--}) and removed $TEND_SRV_DIR in $(tend__since "$t0")"
  TEND_SRV_DIR=""
  TEND_SRV_PG_PID="" TEND_SRV_REDIS_PID="" TEND_SRV_ETCD_PID=""
  return 0
}

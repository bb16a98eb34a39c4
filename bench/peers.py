"""Shared by the supervisor benchmarks: the child program, the three supervisors behind one
interface (tend, supervisord, pm2), readings from /proc, and the result table.

Each supervisor runs as the current user in its own temporary directory, with its own config,
socket and logs. Everything it started is ended at the end: gracefully through its own CLI, then
by PID (the daemon and the descendants seen while it ran, each checked against its start time so
that a reused PID is never hit). Nothing is ever killed by name.
"""
import glob
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from common import ROOT, tend_binary

BENCH = os.path.dirname(os.path.abspath(__file__))
CLK_TCK = os.sysconf("SC_CLK_TCK")
PEER_NAMES = ("tend", "supervisord", "pm2")


# ---------------------------------------------------------------------------------------------
# The child program


def compile_kid(directory):
    """Compiles bench/kid.c into DIRECTORY/kid: static when the C library allows it (no dynamic
    loader at start), else dynamic."""
    out = os.path.join(directory, "kid")
    source = os.path.join(BENCH, "kid.c")
    for extra in (["-static"], []):
        result = subprocess.run(["gcc", "-O2", *extra, "-o", out, source], capture_output=True, text=True)
        if result.returncode == 0:
            return out
    raise RuntimeError(f"cannot compile {source}: {result.stderr.strip()}")


@dataclass
class Service:
    """One supervised program. `restart`: restart on any exit with no delay. `tcp_port` and
    `requires` are a readiness probe and health-gated dependencies (tend only: peers have none)."""
    name: str
    argv: list
    restart: bool = True
    tcp_port: int = None
    requires: tuple = ()


def free_ports(count):
    """COUNT distinct loopback ports that are free now."""
    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------
# /proc


def _stat_fields(pid):
    """Fields 3.. of /proc/PID/stat (after the command name), or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def start_time(pid):
    fields = _stat_fields(pid)
    return None if fields is None or fields[0] == "Z" else int(fields[19])


def cpu_seconds(pid):
    """utime + stime of the process (all its threads), in seconds."""
    fields = _stat_fields(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def exe_of(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def descendants(pid):
    """Every live descendant of PID (children, their children, ...)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(entry)
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid, started):
    return start_time(pid) == started


def supervisor_cpu(pid, kid_exe):
    """CPU seconds of the supervisor: the daemon and any live descendant that is not a workload
    child (a log helper, say), so that capture work done outside the daemon still counts."""
    total = cpu_seconds(pid) or 0.0
    for child in descendants(pid):
        if exe_of(child) != kid_exe:
            total += cpu_seconds(child) or 0.0
    return total


def wait_for(predicate, timeout, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def run(argv, timeout=60, check=True, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv[:3]))} ... exited {result.returncode}: "
                           f"{(result.stderr or result.stdout).strip()[-400:]}")
    return result


# ---------------------------------------------------------------------------------------------
# Supervisors


class Unavailable(Exception):
    """This supervisor cannot be measured here (not installed, or not written yet)."""


class Supervisor:
    name = "?"

    def __init__(self, work):
        self.work = os.path.join(work, self.name)
        os.makedirs(self.work, exist_ok=True)
        self._tracked = set()
        self.services = []
        self.stopped = False

    # To implement
    def prepare(self):
        """Installs what is missing; raises Unavailable when this supervisor cannot run here."""

    def start(self, services, wait=True):
        raise NotImplementedError

    def daemon_pid(self):
        raise NotImplementedError

    def service_pids(self):
        """{name: pid} of the services running now."""
        raise NotImplementedError

    def log_files(self, name):
        raise NotImplementedError

    def status_commands(self):
        """[(label, argv, env, cwd)] of the status commands to time."""
        raise NotImplementedError

    def _shutdown(self):
        raise NotImplementedError

    # Shared
    def wait_running(self, timeout=60):
        names = {s.name for s in self.services}

        def all_up():
            try:
                pids = self.service_pids()
            except Exception:
                return False
            return all(pids.get(n) and start_time(pids[n]) is not None for n in names)

        wait_for(all_up, timeout, interval=0.1, what=f"{self.name}'s {len(names)} services to run")
        self.track()

    def track(self):
        """Remembers the daemon and its descendants, to kill them by PID if a graceful stop fails."""
        try:
            pid = self.daemon_pid()
        except Exception:
            return
        if pid:
            for p in [pid, *descendants(pid)]:
                started = start_time(p)
                if started is not None:
                    self._tracked.add((p, started))

    def stop(self):
        """Stops the supervisor and everything it started (once: later calls do nothing)."""
        if self.stopped:
            return
        self.stopped = True
        self.track()
        try:
            self._shutdown()
        except Exception as error:
            print(f"  ({self.name}: graceful stop failed: {error})", file=sys.stderr)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(p, s) for p, s in self._tracked):
            time.sleep(0.1)
        left = [(p, s) for p, s in self._tracked if alive(p, s)]
        for pid, started in left:
            if alive(pid, started):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        if left:
            print(f"  ({self.name}: {len(left)} process(es) left after its stop, killed by PID)", file=sys.stderr)
        self._tracked.clear()


class Supervisord(Supervisor):
    name = "supervisord"

    def prepare(self):
        if not shutil.which("supervisord"):
            install_debian_package("supervisor")
        if not shutil.which("supervisord") or not shutil.which("supervisorctl"):
            raise Unavailable("not installed (Debian package supervisor)")
        self.conf = os.path.join(self.work, "supervisord.conf")
        self.proc = None

    def start(self, services, wait=True):
        self.services = services
        logs = os.path.join(self.work, "logs")
        os.makedirs(logs, exist_ok=True)
        w = self.work
        lines = [
            "[unix_http_server]", f"file={w}/supervisor.sock", "chmod=0700", "",
            "[supervisord]", f"logfile={w}/supervisord.log", f"pidfile={w}/supervisord.pid",
            f"childlogdir={logs}", "nodaemon=true", "minfds=4096", "",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface", "",
            "[supervisorctl]", f"serverurl=unix://{w}/supervisor.sock", "",
        ]
        for s in services:
            lines += [
                f"[program:{s.name}]",
                "command=" + " ".join(s.argv),
                f"directory={w}",
                "autostart=true",
                f"autorestart={'true' if s.restart else 'false'}",
                "startsecs=0",
                "startretries=1000000",
                "redirect_stderr=true",
                f"stdout_logfile={logs}/{s.name}.out.log",
                "stdout_logfile_maxbytes=1GB",
                "stdout_logfile_backups=10",
                "stopasgroup=true",
                "killasgroup=true",
                "",
            ]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines))
        self.proc = subprocess.Popen(["supervisord", "-c", self.conf], cwd=w, start_new_session=True,
                                     stdout=open(os.path.join(w, "supervisord.stdout"), "w"), stderr=subprocess.STDOUT)
        self._tracked.add((self.proc.pid, wait_for(lambda: start_time(self.proc.pid), 5, what="supervisord")))
        wait_for(lambda: run(self.ctl("pid"), check=False).returncode == 0, 30, 0.1, "supervisord's socket")
        if wait:
            self.wait_running()

    def ctl(self, *args):
        return ["supervisorctl", "-c", self.conf, *args]

    def daemon_pid(self):
        return self.proc.pid if self.proc else None

    def service_pids(self):
        pids = {}
        for line in run(self.ctl("status"), check=False).stdout.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[1] == "RUNNING" and parts[2] == "pid":
                pids[parts[0]] = int(parts[3].rstrip(","))
        return pids

    def log_files(self, name):
        return sorted(glob.glob(os.path.join(self.work, "logs", f"{name}.out.log*")))

    def status_commands(self):
        return [("supervisorctl status", self.ctl("status"), None, self.work)]

    def _shutdown(self):
        if self.proc and self.proc.poll() is None:
            run(self.ctl("shutdown"), check=False, timeout=30)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass


class Pm2(Supervisor):
    name = "pm2"

    def prepare(self):
        self.bin = os.path.join(BENCH, "node_modules", ".bin", "pm2")
        if not os.path.exists(self.bin):
            if not shutil.which("npm"):
                raise Unavailable("not installed (needs node and npm)")
            print("installing pm2 into bench/node_modules (npm ci) ...", file=sys.stderr)
            result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BENCH, capture_output=True, text=True)
            if result.returncode != 0 or not os.path.exists(self.bin):
                raise Unavailable(f"npm ci failed: {result.stderr.strip()[-300:]}")
        self.home = os.path.join(self.work, "pm2home")
        self.env = dict(os.environ, PM2_HOME=self.home)

    def pm2(self, *args):
        return [self.bin, *args]

    def start(self, services, wait=True):
        self.services = services
        logs = os.path.join(self.work, "logs")
        os.makedirs(logs, exist_ok=True)
        apps = [{
            "name": s.name,
            "script": s.argv[0],
            "args": s.argv[1:],
            "interpreter": "none",
            "exec_mode": "fork",
            "cwd": self.work,
            "autorestart": s.restart,
            "restart_delay": 0,
            "min_uptime": 100,          # the lowest pm2 accepts; the children live longer than this
            "max_restarts": 1000000,
            "out_file": f"{logs}/{s.name}.out.log",
            "error_file": f"{logs}/{s.name}.err.log",
            "merge_logs": True,
            "watch": False,
            "vizion": False,
            "treekill": True,
        } for s in services]
        ecosystem = os.path.join(self.work, "ecosystem.json")
        with open(ecosystem, "w") as f:
            json.dump({"apps": apps}, f, indent=1)
        run(self.pm2("start", ecosystem), env=self.env, cwd=self.work, timeout=120)
        self.track()
        if wait:
            self.wait_running()

    def daemon_pid(self):
        try:
            with open(os.path.join(self.home, "pm2.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def jlist(self):
        out = run(self.pm2("jlist"), env=self.env, cwd=self.work).stdout
        return json.loads(out[out.index("["):])

    def service_pids(self):
        return {app["name"]: app.get("pid") for app in self.jlist() if app["pm2_env"]["status"] == "online"}

    def log_files(self, name):
        return sorted(glob.glob(os.path.join(self.work, "logs", f"{name}.out*.log")))

    def status_commands(self):
        return [("pm2 jlist", self.pm2("jlist"), self.env, self.work),
                ("pm2 ls", self.pm2("ls"), self.env, self.work)]

    def _shutdown(self):
        if os.path.isdir(self.home):
            run(self.pm2("kill"), env=self.env, cwd=self.work, check=False, timeout=60)


class Tend(Supervisor):
    """Written against the supervisor's contract (bench/README.md); until `tend up` exists it is
    Unavailable("not available yet")."""
    name = "tend"
    probe_interval = os.environ.get("PROBE_INTERVAL", "50ms")

    def prepare(self):
        try:
            self.bin = tend_binary()
        except Exception as error:
            raise Unavailable(f"no native binary ({error})")
        # An unknown verb's --help prints the root help (exit 0): look for the verb's own usage line.
        result = subprocess.run([self.bin, "up", "--help"], capture_output=True, text=True)
        if result.returncode != 0 or "tend up" not in result.stdout:
            raise Unavailable("not available yet")
        self.stack = os.path.join(self.work, "stack")
        os.makedirs(self.stack, exist_ok=True)
        self.state = os.path.join(self.stack, ".tend")
        # min_uptime (a service without a probe counts as up once it stayed running that long,
        # 1 s by default) is set to 0 like supervisord's startsecs=0 above; a tend from before it
        # existed would refuse the key, so it is written only when this binary accepts it.
        probe = os.path.join(self.work, "probe")
        os.makedirs(probe, exist_ok=True)
        with open(os.path.join(probe, "tend.toml"), "w") as f:
            f.write('[components.p]\ncommand = ["true"]\nmin_uptime = "0s"\n')
        self.min_uptime = subprocess.run([self.bin, "validate"], cwd=probe, capture_output=True).returncode == 0

    def tend(self, *args):
        return [self.bin, *args]

    def write_stack(self, services):
        # TEND_STACK_OPTIONS: extra [stack] lines for an A/B run, e.g. "cgroups = false".
        extra = [o for o in os.environ.get("TEND_STACK_OPTIONS", "").split(";") if o.strip()]
        lines = ['[stack]', 'name = "bench"', *getattr(self, "stack_options", []), *extra, '']
        for s in services:
            lines += [f"[components.{s.name}]", 'kind = "service"', f"command = {json.dumps(s.argv)}"]
            if s.restart:
                # Like supervisord's startretries and pm2's max_restarts, set high: the benchmark restarts on purpose.
                lines.append('restart = { policy = "always", backoff = "0s..0s", budget = "1000000/1m" }')
            else:
                lines.append('restart = { policy = "no" }')
            lines.append('logs = { max_size = "1GB", keep = 10 }')
            if self.min_uptime:
                lines.append('min_uptime = "0s"')
            if s.tcp_port:
                lines.append(f'health = {{ tcp = "127.0.0.1:{s.tcp_port}", interval = "{self.probe_interval}" }}')
            if s.requires:
                lines.append("requires = { " + ", ".join(f'{r} = "healthy"' for r in s.requires) + " }")
            lines.append("")
        with open(os.path.join(self.stack, "tend.toml"), "w") as f:
            f.write("\n".join(lines))

    def start(self, services, wait=True):
        self.services = services
        self.write_stack(services)
        self.up(detach=not wait)
        self.track()
        if wait:
            self.wait_running()

    def up(self, detach=False, timeout=120):
        """`tend up` (blocking until everything is up) or `tend up --detach`; returns the wall time."""
        argv = self.tend("up", "--detach") if detach else self.tend("up")
        began = time.perf_counter()
        run(argv, cwd=self.stack, timeout=timeout)
        return time.perf_counter() - began

    def down(self):
        run(self.tend("down"), cwd=self.stack, timeout=60)

    def daemon_stop(self):
        self.track()
        run(self.tend("daemon", "stop"), cwd=self.stack, timeout=60, check=False)
        pid = self.daemon_pid()
        if pid:
            started = start_time(pid)
            wait_for(lambda: start_time(pid) != started, 20, what="tend's daemon to exit")

    def daemon_pid(self):
        try:
            with open(os.path.join(self.state, "daemon.pid")) as f:
                pid = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if start_time(pid) is not None else None

    def status_json(self):
        return json.loads(run(self.tend("status", "--json"), cwd=self.stack).stdout)

    def service_pids(self):
        return {c["name"]: c.get("pid") for c in self.status_json()["components"] if c.get("pid")}

    def log_files(self, name):
        # current.log is a symlink to the file being written: counting it would count lines twice.
        return sorted(p for p in glob.glob(os.path.join(self.state, "logs", name, "*.log")) if not os.path.islink(p))

    def status_commands(self):
        return [("tend status", self.tend("status"), None, self.stack)]

    def _shutdown(self):
        if self.daemon_pid():
            run(self.tend("down"), cwd=self.stack, timeout=60, check=False)
            self.daemon_stop()


SUPERVISORS = {"tend": Tend, "supervisord": Supervisord, "pm2": Pm2}


def selected():
    """The supervisors to measure: $PEERS (comma-separated), else all three."""
    names = [n.strip() for n in os.environ.get("PEERS", ",".join(PEER_NAMES)).split(",") if n.strip()]
    return [n for n in PEER_NAMES if n in names]


def install_debian_package(package):
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    print(f"installing Debian's {package} ...", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    argv = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", package]
    if subprocess.run(argv, env=env, capture_output=True).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update"], env=env, capture_output=True)
        subprocess.run(argv, env=env, capture_output=True)


def measure_each(work, body):
    """Runs BODY(supervisor) for each selected supervisor, one after another, and always stops it.
    Returns {name: result}, where a result is BODY's value or an Unavailable/Exception."""
    results = {}
    for name in selected():
        supervisor = SUPERVISORS[name](work)
        try:
            supervisor.prepare()
        except Unavailable as why:
            results[name] = why
            print(f"  {name}: {why}", file=sys.stderr)
            continue
        print(f"  measuring {name} ...", file=sys.stderr)
        try:
            results[name] = body(supervisor)
        except Exception as error:
            results[name] = error
            print(f"  {name}: error: {error}", file=sys.stderr)
        finally:
            supervisor.stop()
            shutil.rmtree(supervisor.work, ignore_errors=True)
    return results


def measure_together(work, start, body):
    """Prepares and STARTs every selected supervisor, all at once, then runs BODY({name:
    supervisor}) so that their measurements can be interleaved (the same machine noise for all),
    and always stops them. Returns {name: result}: BODY's value for a name, or why there is none."""
    running, results = {}, {}
    try:
        for name in selected():
            supervisor = SUPERVISORS[name](work)
            try:
                supervisor.prepare()
            except Unavailable as why:
                results[name] = why
                print(f"  {name}: {why}", file=sys.stderr)
                continue
            print(f"  starting {name} ...", file=sys.stderr)
            try:
                start(supervisor)
                running[name] = supervisor
            except Exception as error:
                results[name] = error
                print(f"  {name}: error: {error}", file=sys.stderr)
                supervisor.stop()
        if running:
            print(f"  measuring {', '.join(running)} interleaved ...", file=sys.stderr)
            try:
                results.update(body(running))
            except Exception as error:
                for name in running:
                    results[name] = error
                print(f"  error: {error}", file=sys.stderr)
    finally:
        for supervisor in running.values():
            supervisor.stop()
            shutil.rmtree(supervisor.work, ignore_errors=True)
    return results


# ---------------------------------------------------------------------------------------------
# Reporting


def machine_note():
    """The 1-minute load average and core count: these figures are only as quiet as the machine."""
    try:
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
    except OSError:
        load = "?"
    return f"(load average {load} on {os.cpu_count()} cores when it began)"


def median(values):
    return statistics.median(values) if values else None


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def is_value(result):
    return not isinstance(result, BaseException)


def cell(result, key, fmt):
    """The table cell of one supervisor's figure: formatted, or why there is none."""
    if isinstance(result, Unavailable):
        return str(result)
    if isinstance(result, BaseException):
        return "error"
    value = result.get(key) if isinstance(result, dict) else result
    return "-" if value is None else fmt(value)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def table(title, rows, notes=()):
    """Prints TITLE and ROWS: lists of cells under the fixed header."""
    header = ["metric", "tend", "supervisord", "pm2", "tend/sv", "tend/pm2", "target", "verdict"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    if title:
        print(title)
    for r in [header, *rows]:
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    for note in notes:
        print(f"  {note}")


def fmt_ratio(value):
    return "-" if value is None else f"{value:.2f}"


def exit_code(verdicts, results):
    """1 when a target failed or a supervisor that is installed could not be measured."""
    failed = any(v == "FAIL" for v in verdicts)
    errored = any(isinstance(r, BaseException) and not isinstance(r, Unavailable) for r in results.values())
    return 1 if failed or errored else 0

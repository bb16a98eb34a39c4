#!/usr/bin/env python3
"""A stand-in for Tend's supervisor, for testing the benchmark harness only: it implements the
slice of the contract that the benchmarks use (bench/README.md), slowly and simply, in Python.
Its figures mean nothing. Use:  TEND_BIN=bench/contract_stub.py python3 bench/restart_latency.py

  up [--detach] | down | daemon stop | status [--json] | up --help     (-f PATH or the current directory)
"""
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib


def parse_seconds(text):
    text = text.strip()
    for suffix, scale in (("ms", 0.001), ("s", 1), ("m", 60)):
        if text.endswith(suffix) and text[:-len(suffix)].replace(".", "").isdigit():
            return float(text[:-len(suffix)]) * scale
    return 1.0


class Component:
    def __init__(self, daemon, name, spec):
        self.daemon, self.name, self.spec = daemon, name, spec
        self.state, self.pid, self.restarts, self.healthy = "pending", None, 0, False
        self.proc, self.stopping, self.run = None, False, 0
        self.logs = os.path.join(daemon.state, "logs", name)
        os.makedirs(self.logs, exist_ok=True)

    def ready(self):
        return self.state == "running" and (self.healthy or "health" not in self.spec)

    def supervise(self):
        while not self.stopping and not all(self.daemon.components[r].ready() for r in self.spec.get("requires", {})):
            time.sleep(0.01)
        policy = self.spec.get("restart", {}).get("policy", "no")
        while not self.stopping:
            self.run += 1
            log = open(os.path.join(self.logs, f"run-{self.run:06d}.log"), "ab")
            self.proc = subprocess.Popen(self.spec["command"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
            self.pid, self.state, self.healthy = self.proc.pid, "running", False
            lock = threading.Lock()
            readers = [threading.Thread(target=self.copy, args=(stream, tag, log, lock), daemon=True)
                       for stream, tag in ((self.proc.stdout, b"o"), (self.proc.stderr, b"e"))]
            for r in readers:
                r.start()
            if "health" in self.spec:
                threading.Thread(target=self.probe, args=(self.proc,), daemon=True).start()
            code = self.proc.wait()
            for r in readers:
                r.join()
            log.close()
            self.pid, self.state = None, f"exited {code}"
            if self.stopping or policy == "no" or (policy == "on-failure" and code == 0):
                break
            self.restarts += 1
        if self.stopping:
            self.state = "stopped"

    def copy(self, stream, tag, log, lock):
        for line in stream:
            stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            with lock:
                log.write(stamp.encode() + b" " + tag + b" " + line.rstrip(b"\n") + b"\n")
                log.flush()

    def probe(self, proc):
        host, port = self.spec["health"]["tcp"].rsplit(":", 1)
        interval = parse_seconds(self.spec["health"].get("interval", "5s"))
        while proc.poll() is None and not self.stopping:
            try:
                socket.create_connection((host, int(port)), timeout=1).close()
                self.healthy = True
            except OSError:
                self.healthy = False
            time.sleep(interval)

    def stop(self):
        self.stopping = True
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except OSError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


class Daemon:
    def __init__(self, stack):
        self.stack, self.state = stack, os.path.join(stack, ".tend")
        self.components, self.lock = {}, threading.Lock()

    def up(self, detach):
        with self.lock:
            with open(os.path.join(self.stack, "tend.toml"), "rb") as f:
                specs = tomllib.load(f)["components"]
            for name, spec in specs.items():
                c = self.components.get(name)
                if c is None or c.stopping:
                    c = self.components[name] = Component(self, name, spec)
                    threading.Thread(target=c.supervise, daemon=True).start()
        while not detach and not all(c.ready() for c in self.components.values()):
            time.sleep(0.01)
        return {"ok": True}

    def down(self):
        with self.lock:
            for c in self.components.values():
                c.stop()
        return {"ok": True}

    def status(self):
        return {"components": [{"name": c.name, "state": c.state, "pid": c.pid, "restarts": c.restarts}
                               for c in self.components.values()]}

    def serve(self):
        path = os.path.join(self.state, "daemon.sock")
        if os.path.exists(path):
            os.unlink(path)
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen(16)
        with open(os.path.join(self.state, "daemon.pid"), "w") as f:
            f.write(f"{os.getpid()}\n")
        while True:
            conn, _ = server.accept()
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn):
        with conn:
            request = json.loads(conn.makefile().readline())
            verb = request["verb"]
            reply = (self.up(request.get("detach", False)) if verb == "up" else self.down() if verb == "down"
                     else self.status() if verb == "status" else {"ok": True})
            conn.sendall((json.dumps(reply) + "\n").encode())
            if verb == "stop":
                self.down()
                os.unlink(os.path.join(self.state, "daemon.pid"))
                os._exit(0)


def ask(state, request, start=False):
    path = os.path.join(state, "daemon.sock")
    for attempt in range(200):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            break
        except OSError:
            if not start:
                return None
            if attempt == 0:
                subprocess.Popen([sys.executable, os.path.abspath(__file__), "--daemon", os.path.dirname(state)],
                                 start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=open(os.path.join(state, "daemon.log"), "a"))
            time.sleep(0.02)
    else:
        raise SystemExit("tend: the daemon did not start")
    with s:
        s.sendall((json.dumps(request) + "\n").encode())
        return json.loads(s.makefile().readline())


def main(argv):
    if argv[:1] == ["--daemon"]:
        Daemon(argv[1]).serve()
        return 0
    stack = os.getcwd()
    if "-f" in argv:
        i = argv.index("-f")
        stack = os.path.dirname(os.path.abspath(argv[i + 1]))
        del argv[i:i + 2]
    state = os.path.join(stack, ".tend")
    os.makedirs(state, mode=0o700, exist_ok=True)
    if argv[:1] == ["up"] and "--help" in argv:
        print("Usage:\n  tend up [<component>...] [options]")
        return 0
    if argv[:1] == ["up"]:
        ask(state, {"verb": "up", "detach": "--detach" in argv}, start=True)
        return 0
    if argv[:1] == ["down"]:
        ask(state, {"verb": "down"})
        return 0
    if argv[:2] == ["daemon", "stop"]:
        ask(state, {"verb": "stop"})
        return 0
    if argv[:1] == ["status"]:
        reply = ask(state, {"verb": "status"}) or {"components": []}
        if "--json" in argv:
            print(json.dumps(reply))
        else:
            for c in reply["components"]:
                print(f"{c['name']:20} {c['state']:12} pid {c['pid']}  restarts {c['restarts']}")
        return 0
    print(f"tend (contract stub): unknown {' '.join(argv)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`make audit`: the attacks of issue 10 against one live `tau serve`, as a table.

Starts one server the way a hosted one runs: multi-user (`--multi-user`), sandboxed
(`TAU_SANDBOX=1`), a short wall-clock limit (`TAU_WALL_LIMIT=5`), a temporary projects
folder, loopback, and a descriptor limit of 1,024 (soft and hard, as under a service
manager's default; `--fd-limit 0` keeps this shell's). Then it runs attack categories,
each a list of cases scaled down from the issue's repros; a case is `held` or `broken`
(with the reason). After each category it checks that the server still serves a
stranger: `/healthz` within 2 s, and a fresh session's 5-step cartpole episode within
30 s; that check is a case of the category too.

Prints a table of category, cases, held, broken, then one line per broken case. Exits 0
whatever the cases say (it is a report); 2 when the server cannot start.

Every network call has a timeout and every case a time limit: a stalled case is
"timed out after N s", an exception in a case is a broken case with its reason, never
the end of the audit. A memory guard kills the largest process under the server when
the machine's available memory runs low (the memory attacks would otherwise take the
whole machine down), and the case that caused it is broken.

Usage: .venv/bin/python bench/audit.py .build/debug/tau [--only CATEGORY]... [--keep]
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

REPO = Path(__file__).resolve().parents[1]
WALL_LIMIT = 5  # TAU_WALL_LIMIT of the server under audit, in seconds
SESSION_SLOTS = 2  # TAU_SESSION_EPISODES' default
GIB = 1024**3
MIB = 1024**2
SMALL = {"width": 64, "height": 48}

def say(text: str) -> None:
    """Progress, on stderr (the table goes to stdout)."""
    print(text, file=sys.stderr, flush=True)


class Broken(Exception):
    """A case found the server's defence broken; the message says how."""


def need(condition, reason: str) -> None:
    if not condition:
        raise Broken(reason)


def short(value, limit: int = 160) -> str:
    """`value` on one line, at most `limit` characters."""
    if isinstance(value, bytes):
        text = value.decode(errors="replace")
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary: Path, workdir: Path, fd_limit: int):
        self.binary = binary
        self.workdir = workdir
        self.projects = workdir / "projects"
        self.projects.mkdir(parents=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.origin = self.base
        self.log_path = workdir / "server.log"
        self.fd_limit = fd_limit
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TAU_")}
        for key in ("PROJECTS_DIR", "PORT"):
            env.pop(key, None)
        env.update(TAU_SANDBOX="1", TAU_WALL_LIMIT=str(WALL_LIMIT), PROJECTS_DIR=str(self.projects))
        command = [
            str(self.binary), "serve", "--no-browser", "--multi-user", "--host", "127.0.0.1",
            "--port", str(self.port), "--projects-dir", str(self.projects),
        ]
        fd_limit = self.fd_limit

        def limit_descriptors():
            if fd_limit > 0:
                soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
                value = fd_limit if hard == resource.RLIM_INFINITY else min(fd_limit, hard)
                resource.setrlimit(resource.RLIMIT_NOFILE, (value, value))

        log = open(self.log_path, "wb")
        # A fresh working folder: no stray .env is read.
        self.proc = subprocess.Popen(
            command, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=limit_descriptors,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited with status {self.proc.returncode} before answering "
                    f"/healthz: {' '.join(command)}\n{self.log_tail()}")
            try:
                status, _, body = raw_request(self.port, "GET", "/healthz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f} s\n{self.log_tail()}")
            time.sleep(0.25)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except OSError:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
            proc.wait(timeout=10)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    def rss(self) -> int:
        """The server process's resident memory, in bytes."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0


def raw_request(port: int, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, timeout: float = 15, source: str | None = None):
    """(status, headers, body bytes) of one request on a fresh connection."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# -- a visitor: one session --------------------------------------------------------------


@dataclass
class Stream:
    """One /ws/sim conversation."""

    ws: object
    sent_at: float
    messages: list = field(default_factory=list)
    first_at: float | None = None
    done: dict | None = None
    done_at: float | None = None
    ended: str | None = None

    def send(self, message: dict) -> None:
        self.ws.send(json.dumps(message))

    def next(self, timeout: float) -> dict | None:
        """The next message (None when none came within `timeout`); raises ConnectionClosed."""
        try:
            raw = self.ws.recv(timeout=max(0.0, timeout))
        except TimeoutError:
            return None
        message = {"type": "<binary>", "bytes": len(raw)} if isinstance(raw, bytes) else json.loads(raw)
        if self.first_at is None:
            self.first_at = time.monotonic()
        self.messages.append(message)
        if message.get("type") == "done" and self.done is None:
            self.done, self.done_at = message, time.monotonic()
        return message

    def until(self, predicate: Callable[[dict], bool], timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                message = self.next(remaining)
            except ConnectionClosed as closed:
                self.ended = f"the server closed the socket: {closed}"
                return None
            if message is not None and predicate(message):
                return message
            if self.done is not None:
                return None

    def until_done(self, timeout: float) -> dict | None:
        if self.done is None:
            self.until(lambda m: m.get("type") == "done", timeout)
            if self.done is None and self.ended is None:
                self.ended = f"no done within {timeout:.0f} s"
        return self.done

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass

    def logs(self, level: str | None = None) -> list[str]:
        return [m.get("message", "") for m in self.messages
                if m.get("type") == "log" and (level is None or m.get("level") == level)]

    def frames(self) -> int:
        return sum(1 for m in self.messages if m.get("type") in ("frame", "<binary>"))

    def reason(self) -> str:
        return self.done.get("reason", "?") if self.done else f"no done ({self.ended})"

    def summary(self) -> str:
        errors = self.logs("error")
        text = f"ended: {self.reason()}, {self.frames()} frames"
        if errors:
            text += f", error: {short(errors[-1], 200)}"
        return text


class Visitor:
    """One browser: its own `tau_sid` session, same-origin requests."""

    #: Visitors are different browsers: each comes from an address of its own in
    #: 127.0.0.0/8 (the server limits new sessions per address).
    _next_address = 0

    def __init__(self, server: Server, source: str | None = None):
        self.server = server
        if source is None:
            Visitor._next_address += 1
            n = Visitor._next_address
            source = f"127.0.{1 + n // 250}.{1 + n % 250}"
        self.source = source
        self.sid: str | None = None
        status, _, body = self.request("GET", "/api/projects")
        need(status == 200, f"GET /api/projects for a new session: {status} {short(body)}")
        need(self.sid, "the first response set no tau_sid cookie")

    def request(self, method: str, path: str, body=None, *, raw: bytes | None = None,
                content_type: str | None = "application/json", timeout: float = 15,
                cookie: bool = True, headers: dict | None = None):
        """(status, headers, body): JSON bodies as the page sends them."""
        h = {"Accept": "application/json", "Origin": self.server.origin}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type:
            h["Content-Type"] = content_type
        if cookie and self.sid:
            h["Cookie"] = f"tau_sid={self.sid}"
        h.update(headers or {})
        status, answer_headers, answer = raw_request(
            self.server.port, method, path, data, h, timeout=timeout, source=self.source)
        for name, value in answer_headers.items():
            if name.lower() == "set-cookie" and cookie and self.sid is None:
                match = re.search(r"tau_sid=([0-9a-fA-F]+)", value)
                if match:
                    self.sid = match.group(1)
        return status, answer_headers, answer

    def json(self, method: str, path: str, body=None, **kw):
        status, _, answer = self.request(method, path, body, **kw)
        try:
            return status, json.loads(answer) if answer else None
        except json.JSONDecodeError:
            return status, answer.decode(errors="replace")

    def create_project(self, name: str = "audit", template: str | None = None) -> str:
        body = {"name": name} if template is None else {"name": name, "template": template}
        status, info = self.json("POST", "/api/projects", body)
        need(status == 200 and isinstance(info, dict) and info.get("id"),
             f"POST /api/projects: {status} {short(info)}")
        return info["id"]

    def project_dir(self, project: str) -> Path:
        path = self.server.projects / self.sid / project
        need(path.is_dir(), f"the project's folder is not at {path}")
        return path

    def read(self, project: str, path: str) -> str:
        status, answer = self.json("GET", f"/api/projects/{project}/file?path={urllib.parse.quote(path)}")
        need(status == 200, f"GET file {path}: {status} {short(answer)}")
        return answer["content"]

    def write(self, project: str, path: str, content: str) -> None:
        status, answer = self.json("PUT", f"/api/projects/{project}/file", {"path": path, "content": content})
        need(status == 200, f"PUT file {path}: {status} {short(answer)}")

    def open_stream(self, project: str, first: dict | None = None, open_timeout: float = 10) -> Stream:
        headers = {"Cookie": f"tau_sid={self.sid}"}
        ws = connect(f"ws://127.0.0.1:{self.server.port}/ws/sim/{project}", origin=self.server.origin,
                     additional_headers=headers, max_size=None, open_timeout=open_timeout,
                     close_timeout=2).__enter__()  # as a context manager would (no legacy warning)
        stream = Stream(ws, time.monotonic())
        if first is not None:
            stream.send(first)
        return stream

    def episode(self, project: str, first: dict, timeout: float = 30) -> Stream:
        stream = self.open_stream(project, first)
        try:
            stream.until_done(timeout)
        finally:
            stream.close()
        return stream

    def runs(self, project: str) -> list:
        status, runs = self.json("GET", f"/api/projects/{project}/runs")
        need(status == 200 and isinstance(runs, list), f"GET runs: {status} {short(runs)}")
        return runs


def with_env_code(visitor: Visitor, project: str, code: str) -> None:
    """Appends `code` to the project's env.py (the cartpole template's)."""
    original = visitor.read(project, "env.py")
    visitor.write(project, "env.py", original + "\n\n" + code.strip() + "\n")


# -- memory guard ----------------------------------------------------------------------


def mem_available() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def rss_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def command_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return short(f.read().replace(b"\0", b" ").decode(errors="replace"), 80)
    except OSError:
        return "?"


class MemoryGuard(threading.Thread):
    """Kills the largest process under the server (then the server itself) when the
    machine's available memory falls below `floor`, and remembers what it did."""

    def __init__(self, server: Server, floor: int = 3 * GIB):
        super().__init__(daemon=True)
        self.server = server
        self.floor = floor
        self.events: list[str] = []
        self.lowest = mem_available()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.1):
            try:
                available = mem_available()
                self.lowest = min(self.lowest, available)
                if available >= self.floor or not self.server.alive():
                    continue
                server_pid = self.server.proc.pid
                candidates = [(rss_of(pid), pid) for pid in descendants(server_pid)]
                candidates.append((rss_of(server_pid), server_pid))
                size, pid = max(candidates)
                os.kill(pid, signal.SIGKILL)
                self.events.append(
                    f"host memory ran low ({available / GIB:.1f} GiB left): the audit killed pid {pid} "
                    f"({command_of(pid)}, {size / GIB:.1f} GiB resident)")
                time.sleep(1)
            except Exception as error:  # the guard must never stop guarding
                self.events.append(f"memory guard error: {error}")
                time.sleep(1)


# -- cases and categories ----------------------------------------------------------------


@dataclass
class Case:
    name: str
    run: Callable[[], str | None]
    limit: float = 60


@dataclass
class Result:
    category: str
    case: str
    held: bool
    reason: str
    seconds: float


def once(function):
    """A memoised no-argument function; an exception is remembered and raised again."""
    state: dict = {}
    lock = threading.Lock()

    def wrapper():
        with lock:
            if "value" not in state and "error" not in state:
                try:
                    state["value"] = function()
                except BaseException as error:  # noqa: BLE001
                    state["error"] = error
            if "error" in state:
                error = state["error"]
                raise Broken(f"setup failed: {error}") if not isinstance(error, Broken) else error
            return state["value"]

    return wrapper


class Audit:
    def __init__(self, server: Server, guard: MemoryGuard):
        self.server = server
        self.guard = guard
        self.results: list[Result] = []

    def run_case(self, category: str, case: Case) -> Result:
        outcome: dict = {}
        events_before = len(self.guard.events)

        def target():
            try:
                outcome["note"] = case.run()
            except Broken as error:
                outcome["broken"] = str(error)
            except BaseException as error:  # noqa: BLE001: any failure is the case's
                outcome["broken"] = f"{type(error).__name__}: {error}"

        started = time.monotonic()
        thread = threading.Thread(target=target, daemon=True, name=case.name)
        thread.start()
        thread.join(case.limit)
        seconds = time.monotonic() - started
        if thread.is_alive():
            held, reason = False, f"timed out after {case.limit:.0f} s"
        elif "broken" in outcome:
            held, reason = False, outcome["broken"]
        else:
            held, reason = True, outcome.get("note") or ""
        events = self.guard.events[events_before:]
        if events:
            held, reason = False, "; ".join(events) + (f"; {reason}" if reason else "")
        if not self.server.alive():
            held = False
            reason = f"the server died (status {self.server.proc.returncode if self.server.proc else '?'})" + (
                f"; {reason}" if reason else "")
        result = Result(category, case.name, held, reason, seconds)
        mark = "held  " if held else "BROKEN"
        say(f"  [{mark}] {case.name} ({seconds:.1f} s){': ' + short(reason, 300) if reason else ''}")
        return result

    def run_category(self, name: str, cases: list[Case]) -> None:
        say(f"{name}:")
        for case in cases + [Case("still serves a stranger (healthz 2 s, episode 30 s)", self.stranger, 45)]:
            if not self.server.alive():
                self.results.append(Result(name, case.name, False, "the server is gone", 0))
                say(f"  [BROKEN] {case.name}: the server is gone")
                continue
            self.results.append(self.run_case(name, case))

    def stranger(self) -> str:
        """/healthz within 2 s, and a fresh session's short cartpole episode within 30 s."""
        started = time.monotonic()
        try:
            status, _, body = raw_request(self.server.port, "GET", "/healthz", timeout=2)
        except OSError as error:
            raise Broken(f"/healthz: no answer within 2 s ({error})")
        took = time.monotonic() - started
        need(status == 200 and took <= 2, f"/healthz: {status} after {took:.1f} s: {short(body)}")
        started = time.monotonic()
        visitor = Visitor(self.server)
        project = visitor.create_project("stranger")
        stream = visitor.episode(project, {"max_steps": 5, **SMALL}, timeout=30)
        took = time.monotonic() - started
        need(stream.done is not None, f"the episode: {stream.summary()} after {took:.1f} s")
        need(took <= 30, f"the episode took {took:.1f} s")
        need(stream.reason() == "max_steps", f"the episode: {stream.summary()}")
        return f"healthz and a 5-step episode in {took:.1f} s"


# -- 1-2: episodes that always end -----------------------------------------------------


def episodes_end(server: Server) -> list[Case]:
    def wall_limit(settings: dict):
        def case():
            visitor = Visitor(server)
            project = visitor.create_project("wall limit")
            stream = visitor.episode(project, settings, timeout=WALL_LIMIT + 40)
            need(stream.done is not None, f"done never came: {stream.summary()}")
            since_start = stream.done_at - (stream.first_at or stream.sent_at)
            need(since_start <= WALL_LIMIT + 3,
                 f"done came {since_start:.1f} s after the episode started (limit {WALL_LIMIT} s + 3): {stream.summary()}")
            return f"done {since_start:.1f} s after it started, {stream.summary()}"
        return case

    def escapee():
        visitor = Visitor(server)
        project = visitor.create_project("escapee")
        marker = visitor.project_dir(project) / "escapee-was-here"
        with_env_code(visitor, project, f"""
import os as _os, time as _time
_original_make_env = make_env

def make_env():
    if _os.fork() == 0:
        _os.setsid()
        _time.sleep(3)
        open({str(marker)!r}, "w").write("alive")
        _os._exit(0)
    return _original_make_env()
""")
        stream = visitor.episode(project, {"max_steps": 5, **SMALL}, timeout=40)
        need(stream.done is not None, f"done never came: {stream.summary()}")
        took = stream.done_at - stream.sent_at
        need(stream.reason() == "max_steps", f"the 5-step episode: {stream.summary()} after {took:.1f} s")
        need(took <= 15, f"the 5-step episode took {took:.1f} s to end")
        time.sleep(5)  # past the escapee's wake-up
        need(not marker.exists(), "the setsid escapee outlived its episode (it wrote its marker file)")
        return f"done in {took:.1f} s; the escapee never wrote"

    return [
        Case("wall limit during renders: max_steps 100000 at speed 0",
             wall_limit({"max_steps": 100000, "speed": 0}), 60),
        Case("wall limit during slow renders: 1920x1080 high at speed 0",
             wall_limit({"max_steps": 100000, "speed": 0, "width": 1920, "height": 1080, "render": "high"}), 60),
        Case("a setsid grandchild neither holds the episode nor outlives it", escapee, 60),
    ]


# -- 3: queued clients ----------------------------------------------------------------


def queued_clients(server: Server) -> list[Case]:
    # As much as one waiting client can send while the slot holders last (the 5 s wall
    # limit; the server reads ~13 MB/s on 2 cores, so ~50 MB): the server may keep 64 of
    # its messages (4 MiB); its RSS plateaus near 6 MiB above where it was.
    FLOOD_MESSAGES, PAD = 1000, 60_000
    GROWTH_BOUND = 16 * MIB

    @once
    def scenario():
        visitor = Visitor(server)
        project = visitor.create_project("queue")
        opened = time.monotonic()
        holders = [visitor.open_stream(project, {"max_steps": 100000, **SMALL}) for _ in range(SESSION_SLOTS)]
        try:
            time.sleep(0.3)  # admitted (the holders' workers start meanwhile)
            waiter = visitor.open_stream(project, {"max_steps": 100000, **SMALL})
            place = waiter.until(lambda m: m.get("type") == "log", 10)
            need(place is not None and place.get("message", "").startswith("queued"),
                 f"the third client was not queued: {waiter.summary()}")
            before = server.rss()
            peak = [before]
            sampling = threading.Event()

            def sample():
                while not sampling.wait(0.02):
                    peak[0] = max(peak[0], server.rss())

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            filler = "x" * PAD
            started = time.monotonic()
            # Stop in time to leave while the holders still hold the slots.
            deadline = opened + WALL_LIMIT - 0.8
            sent = 0
            while sent < FLOOD_MESSAGES and time.monotonic() < deadline:
                waiter.send({"type": "pause", "pad": filler})
                sent += 1
            flood_seconds = time.monotonic() - started
            time.sleep(0.1)
            sampling.set()
            sampler.join()
            grown = peak[0] - before
            waiter.until(lambda m: False, 0.2)  # what the server said to it meanwhile
            waiter.close()
            admitted = [m for m in waiter.messages
                        if not (m.get("type") == "log" and m.get("message", "").startswith("queued"))]
            time.sleep(0.3)
            for holder in holders:
                framed = holder.until(lambda m: m.get("type") in ("frame", "<binary>"), 10)
                need(framed is not None, f"setup: a slot holder's episode did not run: {holder.summary()}")
            for holder in holders:
                try:
                    holder.send({"type": "stop"})
                except ConnectionClosed:
                    pass
            for holder in holders:
                holder.until_done(15)
        finally:
            for holder in holders:
                holder.close()
        need(not admitted, f"setup: the waiter was admitted before it left (the slot holders ended after "
                           f"{WALL_LIMIT} s?): {short([m.get('message', m.get('type')) for m in admitted[:2]])}")
        # Both slots again, at once: a waiter that kept its place would queue one of them.
        after = [visitor.open_stream(project, {"max_steps": 5, **SMALL}) for _ in range(SESSION_SLOTS)]
        try:
            for stream in after:
                stream.until_done(30)
        finally:
            for stream in after:
                stream.close()
        return {"sent": sent * PAD, "grown": grown, "flood_seconds": flood_seconds, "after": after}

    def flood_not_buffered():
        result = scenario()
        sent, grown = result["sent"], result["grown"]
        need(sent >= GROWTH_BOUND + 8 * MIB,
             f"setup: only {sent / MIB:.0f} MiB sent while queued, too little to tell a bound from none")
        need(grown < GROWTH_BOUND,
             f"the server grew by {grown / MIB:.0f} MiB while a queued client sent {sent / MIB:.0f} MiB "
             f"in {result['flood_seconds']:.1f} s")
        return f"server peak grew {grown / MIB:.1f} MiB for {sent / MIB:.0f} MiB sent in {result['flood_seconds']:.1f} s"

    def place_given_back():
        result = scenario()
        for stream in result["after"]:
            queued = [log for log in stream.logs() if log.startswith("queued")]
            need(not queued, f"a new episode was queued behind the client that left: {short(queued[:1])}")
            need(stream.done is not None and stream.reason() == "max_steps",
                 f"a new episode after the waiter left: {stream.summary()}")
            took = stream.done_at - stream.sent_at
            need(took <= 15, f"a new 5-step episode took {took:.1f} s")
        return "two new episodes started at once, neither queued"

    return [
        Case("a queued client's flood is not buffered (RSS)", flood_not_buffered, 90),
        Case("a queued client that leaves gives its place back", place_given_back, 90),
    ]


# -- 4: video export -----------------------------------------------------------------


def video_export(server: Server) -> list[Case]:
    @once
    def setup():
        visitor = Visitor(server)
        project = visitor.create_project("video")
        short_run = visitor.episode(project, {"max_steps": 150, "speed": 0, **SMALL}, timeout=30)
        need(short_run.reason() == "max_steps", f"recording a 150-step run: {short_run.summary()}")
        runs = visitor.runs(project)
        need(runs, "no run was recorded")
        return visitor, project, runs[0]["id"]

    def too_large():
        visitor, project, run = setup()
        status, answer = visitor.json(
            "GET", f"/api/projects/{project}/runs/{run}/video?width=1920&height=1080", timeout=60)
        need(400 <= status < 500, f"a 1920x1080 export: {status} {short(answer)}")
        return f"{status} {short(answer, 100)}"

    def too_many_frames():
        visitor, project, _ = setup()
        long_run = visitor.episode(
            project, {"max_steps": 6000, "speed": 0, "latest": True, "width": 16, "height": 16},
            timeout=WALL_LIMIT + 30)
        need(long_run.done is not None, f"recording a long run: {long_run.summary()}")
        runs = visitor.runs(project)
        longest = max(runs, key=lambda r: r.get("steps", 0))
        need(longest.get("steps", 0) > 3600,
             f"setup: the longest run recorded only {longest.get('steps')} steps in the {WALL_LIMIT} s wall limit")
        started = time.monotonic()
        status, answer = visitor.json(
            "GET", f"/api/projects/{project}/runs/{longest['id']}/video", timeout=120)
        took = time.monotonic() - started
        need(400 <= status < 500,
             f"an export of a {longest['steps']}-step run: {status} after {took:.1f} s {short(answer)}")
        return f"{longest['steps']} steps: {status} {short(answer, 100)}"

    def second_export():
        visitor, project, run = setup()
        first: dict = {}

        def export():
            try:
                first["status"], _, body = visitor.request(
                    "GET", f"/api/projects/{project}/runs/{run}/video?width=1280&height=720&render=high",
                    timeout=180)
                first["bytes"] = len(body)
            except Exception as error:  # noqa: BLE001
                first["error"] = repr(error)
            first["at"] = time.monotonic()

        thread = threading.Thread(target=export, daemon=True)
        thread.start()
        time.sleep(1.0)
        sent = time.monotonic()
        status, answer = visitor.json("GET", f"/api/projects/{project}/runs/{run}/video", timeout=180)
        thread.join(180)
        overlapped = "at" not in first or first["at"] > sent
        need(overlapped or status == 429,
             f"setup: the first export ended before the second was sent ({first}); nothing was tested")
        need(status == 429, f"a second export of the session while one runs: {status} {short(answer)}")
        return f"429 {short(answer, 100)}; the first: {first.get('status', first.get('error'))}"

    def leaves_mid_export():
        visitor, project, run = setup()
        ffmpegs = lambda: [pid for pid in descendants(server.proc.pid) if "ffmpeg" in command_of(pid)]
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        sock.sendall((f"GET /api/projects/{project}/runs/{run}/video?width=1280&height=720 HTTP/1.1\r\n"
                      f"Host: 127.0.0.1:{server.port}\r\nCookie: tau_sid={visitor.sid}\r\n\r\n").encode())
        progress_path = f"/api/projects/{project}/runs/{run}/video/progress"
        seen = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status, answer = visitor.json("GET", progress_path)
            if status == 200 and answer.get("frames", 0) >= 3:
                seen = answer
                break
            time.sleep(0.1)
        need(seen is not None, "no progress was reported for a running export")
        sock.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            status, _ = visitor.json("GET", progress_path)
            if status == 404 and not ffmpegs():
                return f"progress {seen['frames']}/{seen['total']}; ended {5 - (deadline - time.monotonic()):.1f} s after the client left"
            time.sleep(0.1)
        need(False, f"the export went on after its client left (ffmpeg: {ffmpegs()})")

    return [
        Case("an export shows progress and ends when its client leaves", leaves_mid_export, 60),
        Case("an export larger than the cap (1920x1080) is refused", too_large, 60),
        Case("an export of more frames than the cap is refused", too_many_frames, 150),
        Case("a second concurrent export in a session gets 429", second_export, 200),
    ]


# -- 5: the sandbox's reach -----------------------------------------------------------


def sandbox_reach(server: Server) -> list[Case]:
    planted = Path.home() / f".tau-audit-probe-{uuid.uuid4().hex}"

    @once
    def probes():
        other = Visitor(server)
        other_project = other.create_project("someone else's")
        other_file = other.project_dir(other_project) / "env.py"
        targets = {
            "/etc/shadow": "/etc/shadow",
            "a file in the server's $HOME": str(planted),
            "tau-sim's Package.swift": str(REPO / "Package.swift"),
            "another session's env.py": str(other_file),
        }
        planted.write_text("the server's own secret\n")
        try:
            visitor = Visitor(server)
            project = visitor.create_project("reach")
            with_env_code(visitor, project, f"""
for _target in {list(targets.values())!r}:
    try:
        with open(_target, "rb") as _f:
            _data = _f.read()
        print("PROBE reached", _target, len(_data), "bytes")
    except OSError as _error:
        print("PROBE blocked", _target, type(_error).__name__)
""")
            stream = visitor.episode(project, {"max_steps": 3, **SMALL}, timeout=30)
        finally:
            planted.unlink(missing_ok=True)
        return targets, stream

    def read_fails(label: str):
        def case():
            targets, stream = probes()
            target = targets[label]
            lines = [line for line in stream.logs() if line.startswith("PROBE") and f" {target} " in line + " "]
            need(lines, f"no probe line for {target} (the env did not run?): {stream.summary()}")
            need(all(line.startswith("PROBE blocked") for line in lines), f"sandboxed code: {lines[0]}")
            return lines[0]
        return case

    def render_worker_view():
        targets, stream = probes()
        need(stream.frames() > 0, f"the episode rendered nothing: {stream.summary()}")
        workers = [pid for pid in descendants(server.proc.pid)
                   if " worker " in command_of(pid) + " " and command_of(pid).split(" ")[0].endswith("/tau")]
        need(workers, "no render worker runs")
        seen = {pid: [label for label, target in targets.items()
                      if os.path.exists(f"/proc/{pid}/root{target}")] for pid in workers}
        leaking = {pid: labels for pid, labels in seen.items() if labels}
        need(not leaking, f"render workers see {leaking}")
        return f"{len(workers)} render worker(s); none sees {', '.join(targets)}"

    return [Case(f"sandboxed code cannot read {label}", read_fails(label), 60) for label in (
        "/etc/shadow", "a file in the server's $HOME", "tau-sim's Package.swift", "another session's env.py")] + [
        Case("render workers see none of those either", render_worker_view, 60)]


# -- 7: memory ------------------------------------------------------------------------


def memory(server: Server) -> list[Case]:
    def big_allocation():
        available = mem_available()
        need(available >= 12 * GIB,
             f"not run: the machine has {available / GIB:.1f} GiB available, too little to let an env "
             "allocate 8 GiB safely")
        visitor = Visitor(server)
        project = visitor.create_project("8 GiB")
        with_env_code(visitor, project, """
import resource as _resource
print("AUDIT RLIMIT_AS", _resource.getrlimit(_resource.RLIMIT_AS))
_hog = bytearray(8 << 30)
print("AUDIT allocated 8 GiB")
""")
        stream = visitor.episode(project, {"max_steps": 30, **SMALL}, timeout=WALL_LIMIT + 30)
        logs = stream.logs()
        limit = next((line for line in logs if line.startswith("AUDIT RLIMIT_AS")), "RLIMIT_AS not printed")
        need(stream.done is not None, f"done never came: {stream.summary()}")
        need(not any(line.startswith("AUDIT allocated") for line in logs),
             f"the env allocated 8 GiB ({limit}); {stream.summary()}")
        need(stream.reason() == "error", f"{stream.summary()}")
        need(any("MemoryError" in line or "memory" in line.lower() for line in stream.logs("error")),
             f"no memory error ({limit}; the allocation ran until something else stopped it): {stream.summary()}")
        return f"{limit}; {stream.summary()}"

    def huge_heightfield():
        visitor = Visitor(server)
        project = visitor.create_project("height field")
        scene = visitor.read(project, "scene.xml")
        need("<asset>" in scene, "the template's scene has no <asset>")
        visitor.write(project, "scene.xml", scene.replace(
            "<asset>", '<asset>\n    <hfield name="h" nrow="20000" ncol="20000" size="1 1 1 1"/>', 1))
        stream = visitor.episode(project, {"max_steps": 30, **SMALL}, timeout=WALL_LIMIT + 40)
        need(stream.done is not None, f"done never came: {stream.summary()}")
        errors = stream.logs("error")
        need(stream.reason() == "error", f"a 20000x20000 height field was accepted: {stream.summary()}")
        need(not any("wall-clock limit" in line for line in errors),
             f"not refused: only the wall-clock limit stopped it: {stream.summary()}")
        return stream.summary()

    return [
        Case("an env allocating 8 GiB ends with a memory error", big_allocation, 60),
        Case("a 20000x20000 height field ends with a clear error", huge_heightfield, 70),
    ]


# -- 8-9: quotas ----------------------------------------------------------------------


def quotas(server: Server) -> list[Case]:
    def deep_put():
        visitor = Visitor(server)
        project = visitor.create_project("deep")
        path = "/".join(["d"] * 40) + "/deep.txt"
        status, answer = visitor.json("PUT", f"/api/projects/{project}/file", {"path": path, "content": "x"})
        need(400 <= status < 500, f"PUT of a file 40 folders deep: {status} {short(answer)}")
        need(not (visitor.project_dir(project) / path).exists(), "the file is on disk")
        return f"{status} {short(answer, 120)}"

    def env_writes():
        visitor = Visitor(server)
        project = visitor.create_project("quota")
        with_env_code(visitor, project, """
_chunk = bytes(1 << 20)
for _i in range(3):
    with open(f"big{_i}.bin", "wb") as _f:
        for _ in range(100):
            _f.write(_chunk)
    print("AUDIT wrote", f"big{_i}.bin")
""")
        stream = visitor.episode(project, {"max_steps": 60, **SMALL}, timeout=WALL_LIMIT + 30)
        folder = visitor.project_dir(project)
        on_disk = sum(p.stat().st_size for p in folder.glob("big*.bin"))
        written = [line for line in stream.logs() if line.startswith("AUDIT wrote")]
        told = [line for line in stream.logs() if not line.startswith("AUDIT")
                and re.search(r"quota|200 MiB|project (size|limit)", line, re.I)]
        for path in folder.glob("big*.bin"):
            path.unlink()
        need(told, f"the env wrote {len(written)} files of 100 MiB ({on_disk / MIB:.0f} MiB on disk) and the "
                   f"episode said nothing of the project quota: {stream.summary()}")
        return f"{short(told[0])}; {stream.summary()}"

    def deep_zip():
        visitor = Visitor(server)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a/" * 300 + "deep.txt", "hidden")
            archive.writestr("env.py", "# nothing\n")
        status, answer = visitor.json(
            "POST", "/api/projects/import/zip?name=deep", raw=buffer.getvalue(),
            content_type="application/zip", timeout=30)
        need(400 <= status < 500, f"a zip with an entry 300 folders deep: {status} {short(answer)}")
        return f"{status} {short(answer, 120)}"

    return [
        Case("a file PUT 40 folders deep is refused", deep_put, 30),
        Case("an env writing 3 x 100 MiB is stopped or told of the 200 MiB quota", env_writes, 60),
        Case("a zip entry 300 folders deep is refused", deep_zip, 30),
    ]


# -- 10: sessions and the trash --------------------------------------------------------


def sessions_and_trash(server: Server) -> list[Case]:
    def trash_bound():
        visitor = Visitor(server)
        refused = None
        for i in range(200):
            status, info = visitor.json("POST", "/api/projects", {"name": f"cycle {i}"})
            if status != 200:
                refused = f"create {i} refused: {status} {short(info)}"
                break
            status, answer = visitor.json("DELETE", f"/api/projects/{info['id']}")
            need(status == 200, f"delete {i}: {status} {short(answer)}")
        status, trash = visitor.json("GET", "/api/trash")
        need(status == 200 and isinstance(trash, list), f"GET /api/trash: {status} {short(trash)}")
        folder = server.projects / visitor.sid / ".trash"
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
        # The bound taken: the session's quota of 100 projects, trash counted in it.
        need(len(trash) <= 100,
             f"200 create/delete cycles left {len(trash)} projects in the trash ({size / MIB:.1f} MiB)"
             + (f"; {refused}" if refused else ""))
        return f"{len(trash)} in the trash ({size / MIB:.1f} MiB)" + (f"; {refused}" if refused else "")

    def cookieless_creates():
        visitor = Visitor(server, source="127.0.0.9")
        statuses: dict[int, int] = {}
        first_refusal = None
        for i in range(300):
            status, answer = visitor.json("POST", "/api/projects", {"name": f"drive-by {i}"}, cookie=False)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 429:
                first_refusal = f"429 at request {i + 1}: {short(answer, 100)}"
                break
        need(first_refusal, f"300 cookieless POST /api/projects from one address: {statuses}, never 429")
        stranger = Visitor(server)
        need(stranger.sid, "a client from another address got no session after the flood")
        return first_refusal

    return [
        Case("200 create/delete cycles leave a bounded trash", trash_bound, 120),
        Case("300 cookieless POST /api/projects get 429 at some point", cookieless_creates, 120),
    ]


# -- 11: connections ------------------------------------------------------------------


def connections(server: Server) -> list[Case]:
    def open_idle(count: int, sources: list[str]) -> tuple[list[socket.socket], int]:
        sockets, failed = [], 0
        for i in range(count):
            try:
                s = socket.socket()
                s.settimeout(3)
                s.bind((sources[i % len(sources)], 0))
                s.connect(("127.0.0.1", server.port))
                sockets.append(s)
            except OSError:
                failed += 1
                s.close()
        return sockets, failed

    def healthz_from(source: str) -> tuple[int, float, bytes]:
        started = time.monotonic()
        status, _, body = raw_request(server.port, "GET", "/healthz", timeout=2, source=source)
        return status, time.monotonic() - started, body

    def idle_from_one_address():
        sockets, failed = open_idle(300, ["127.0.0.1"])
        try:
            time.sleep(0.5)
            try:
                status, took, body = healthz_from("127.0.0.2")
            except OSError as error:
                raise Broken(f"with {len(sockets)} idle connections open, /healthz: no answer in 2 s ({error})")
            need(status == 200 and took <= 2,
                 f"with {len(sockets)} idle connections open, /healthz: {status} after {took:.1f} s {short(body)}")
            return f"{len(sockets)} open ({failed} failed to connect); /healthz 200 in {took:.2f} s"
        finally:
            for s in sockets:
                s.close()

    def past_descriptor_limit():
        with open(f"/proc/{server.proc.pid}/limits") as f:
            line = next(l for l in f if l.startswith("Max open files"))
        soft = int(line.split()[3])
        count = soft + 100
        need(count <= 5000, f"setup: the server may hold {soft} descriptors; too many to exhaust from here")
        # From many addresses, as a crowd would: a per-address cap alone does not stop it.
        sources = [f"127.0.1.{i}" for i in range(1, 1 + (count + 99) // 100)]
        sockets, failed = open_idle(count, sources)
        try:
            time.sleep(0.5)
            try:
                status, took, body = healthz_from("127.0.0.2")
            except OSError as error:
                raise Broken(f"{len(sockets)} idle connections under a {soft}-descriptor limit: /healthz gave "
                             f"no answer in 2 s ({error})")
            need(took <= 2, f"/healthz took {took:.1f} s")
            return (f"{len(sockets)} idle connections from {len(sources)} addresses ({failed} failed) under a "
                    f"{soft}-descriptor limit; /healthz {status} in {took:.2f} s {short(body, 80)}")
        finally:
            for s in sockets:
                s.close()

    return [
        Case("300 idle connections from one address; /healthz still answers in 2 s", idle_from_one_address, 60),
        Case("idle connections past the descriptor limit; /healthz answers in 2 s (200, or 503 naming a limit)", past_descriptor_limit, 90),
    ]


# -- 12-13: small holes ---------------------------------------------------------------


ABSOLUTE_PATH = re.compile(r"(?<![\w.~-])/(?:tmp|home|root|work|var|usr|etc|opt|srv|mnt|run)/")


def small_holes(server: Server) -> list[Case]:
    def text_plain():
        visitor = Visitor(server)
        status, answer = visitor.json(
            "POST", "/api/projects", raw=b'{"name": "planted", "template": "empty"}', content_type="text/plain")
        need(status == 415, f"a text/plain body to POST /api/projects: {status} {short(answer)}")
        return f"{status} {short(answer, 100)}"

    def bidi_name():
        visitor = Visitor(server)
        project = visitor.create_project("bidi")
        status, answer = visitor.json(
            "PUT", f"/api/projects/{project}/file", {"path": "evil\u202eyp.txt", "content": "x"})
        need(status == 400, f"PUT of a file named with U+202E: {status} {short(answer)}")
        return f"{status} {short(answer, 100)}"

    def hard_link():
        visitor = Visitor(server)
        project = visitor.create_project("hard link")
        secret = server.workdir / "outside-secret.txt"
        secret.write_text("the server's secret\n")
        os.link(secret, visitor.project_dir(project) / "linked.txt")
        status, answer = visitor.json("GET", f"/api/projects/{project}/file?path=linked.txt")
        need(not (status == 200 and "secret" in json.dumps(answer)),
             f"GET of a planted hard link read the file outside: {status} {short(answer)}")
        return f"{status} {short(answer, 100)}"

    def leaks(text: str, visitor: Visitor, project: str) -> list[str]:
        found = []
        for needle, what in ((str(server.projects), "the projects folder"), (str(server.workdir), "the audit folder"),
                             (visitor.sid, "the session id"), (project, "the project id")):
            if needle and needle in text:
                found.append(what)
        if ABSOLUTE_PATH.search(text):
            found.append("an absolute path")
        return found

    MISSING_MESH = ('<mujoco><asset><mesh name="m" file="missing.stl"/></asset>'
                    '<worldbody><geom type="mesh" mesh="m"/></worldbody></mujoco>')

    @once
    def broken_project():
        visitor = Visitor(server)
        project = visitor.create_project("error paths")
        recorded = visitor.episode(project, {"max_steps": 3, **SMALL}, timeout=30)
        need(recorded.reason() == "max_steps", f"recording a run: {recorded.summary()}")
        run = visitor.runs(project)[0]["id"]
        visitor.write(project, "scene.xml", MISSING_MESH)
        return visitor, project, run

    def frame_error():
        visitor, project, run = broken_project()
        status, answer = visitor.json("GET", f"/api/projects/{project}/runs/{run}/frame?step=1", timeout=60)
        need(status >= 400, f"a recorded frame of a model with a missing mesh: {status}")
        text = json.dumps(answer)
        found = leaks(text, visitor, project)
        need(not found, f"the render worker's error names {', '.join(found)}: {status} {short(text, 300)}")
        return f"{status} {short(text, 120)}"

    def snapshot_error():
        visitor, project, _ = broken_project()
        status, answer = visitor.json("POST", f"/api/projects/{project}/snapshot", {"steps": 1}, timeout=60)
        need(status >= 400, f"a snapshot of a model with a missing mesh: {status}")
        text = json.dumps(answer)
        found = leaks(text, visitor, project)
        need(not found, f"the snapshot's error names {', '.join(found)}: {status} {short(text, 300)}")
        return f"{status} {short(text, 120)}"

    def stream_error():
        visitor, project, _ = broken_project()
        stream = visitor.episode(project, {"max_steps": 3, **SMALL}, timeout=30)
        need(stream.done is not None, f"done never came: {stream.summary()}")
        errors = stream.logs("error") + stream.logs("warning")
        need(errors, f"no error for a missing mesh: {stream.summary()}")
        for line in errors:
            found = leaks(line, visitor, project)
            need(not found, f"the stream's error names {', '.join(found)}: {short(line, 300)}")
        return short(errors[0], 120)

    return [
        Case("a text/plain body to a JSON route gets 415", text_plain, 30),
        Case("a file name with U+202E is refused with 400", bidi_name, 30),
        Case("a planted hard link is not read through GET file", hard_link, 30),
        Case("a render worker's error names no server path (recorded frame)", frame_error, 90),
        Case("a snapshot's error names no server path", snapshot_error, 90),
        Case("a stream's error names no server path", stream_error, 60),
    ]


CATEGORIES = [
    ("episodes end", episodes_end),
    ("queued clients", queued_clients),
    ("video export", video_export),
    ("sandbox reach", sandbox_reach),
    ("memory", memory),
    ("quotas", quotas),
    ("sessions and trash", sessions_and_trash),
    ("connections", connections),
    ("small holes", small_holes),
]


def table(results: list[Result], categories: list[str]) -> str:
    width = max([len("category"), len("total")] + [len(c) for c in categories]) + 2
    lines = [f"{'category':<{width}}{'cases':>5}{'held':>6}{'broken':>8}"]
    for name in categories:
        mine = [r for r in results if r.category == name]
        held = sum(r.held for r in mine)
        lines.append(f"{name:<{width}}{len(mine):>5}{held:>6}{len(mine) - held:>8}")
    held = sum(r.held for r in results)
    lines.append(f"{'total':<{width}}{len(results):>5}{held:>6}{len(results) - held:>8}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tau", help="the tau binary, e.g. .build/debug/tau")
    parser.add_argument("--only", action="append", default=[], metavar="CATEGORY",
                        help="run only this category (repeatable)")
    parser.add_argument("--fd-limit", type=int, default=1024,
                        help="the server's descriptor limit, soft and hard (0: this shell's)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server log, projects)")
    args = parser.parse_args()

    names = [name for name, _ in CATEGORIES]
    for name in args.only:
        if name not in names:
            parser.error(f"no category {name!r}; the categories: {', '.join(names)}")
    chosen = [(n, f) for n, f in CATEGORIES if not args.only or n in args.only]

    binary = Path(args.tau).resolve()
    if not os.access(binary, os.X_OK):
        say(f"audit: no tau binary at {binary} (build it: swift build --product tau)")
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="tau-audit-"))
    server = Server(binary, workdir, args.fd_limit)
    started = time.monotonic()
    try:
        try:
            server.start()
        except Exception as error:  # noqa: BLE001
            say(f"audit: the server could not start: {error}")
            return 2
        say(f"audit: tau serve --multi-user on {server.base} (TAU_SANDBOX=1, TAU_WALL_LIMIT={WALL_LIMIT}, "
            f"descriptor limit {args.fd_limit or 'inherited'}), projects in {server.projects}")
        guard = MemoryGuard(server)
        guard.start()
        audit = Audit(server, guard)
        for name, make in chosen:
            try:
                cases = make(server)
            except Exception as error:  # noqa: BLE001
                def failed(error=error):
                    raise Broken(f"setup: {error}")
                cases = [Case("setup", failed)]
            audit.run_category(name, cases)
        guard.stopped.set()
        if not server.alive():
            say(f"audit: the server died (status {server.proc.returncode if server.proc else '?'}):\n{server.log_tail()}")
    finally:
        server.stop()
        if args.keep:
            say(f"audit: kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(table(audit.results, [n for n, _ in chosen]))
    broken = [r for r in audit.results if not r.held]
    if broken:
        print()
    for r in broken:
        print(f"broken: {r.category}: {r.case}: {short(r.reason, 400)}")
    print(f"\n{time.monotonic() - started:.0f} s; lowest available memory {guard.lowest / GIB:.1f} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

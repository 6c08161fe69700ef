"""A live `tau serve`, and a client that talks to it as the original's browser did.

`TAU_ORIGINAL_CLIENT_SERVER` picks the server the tests talk to:
- `ours` (the default): `.build/debug/tau serve` of this repository (build it first:
  `make test` does, as does `swift build --product tau`);
- `original`: the original tau-sim 0.1.0 from `.venv-bench/bin/tau` (`scripts/bench-setup`
  installs it), to check that the tests encode the original's behaviour. Never needed by
  `make test` or CI.

Both are started the same way: loopback, a free port, a temporary projects folder, no
browser, single-user (no token, no session cookie). HTTP goes through urllib; the stream
through the `websockets` library, with the same-origin `Origin` a browser sends.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

REPO = Path(__file__).resolve().parents[2]
KINDS = ("ours", "original")

#: Pass as `first` to send no first message at all.
NO_FIRST_MESSAGE = object()


def server_kind() -> str:
    kind = os.environ.get("TAU_ORIGINAL_CLIENT_SERVER", "").strip() or "ours"
    if kind not in KINDS:
        raise RuntimeError(f"TAU_ORIGINAL_CLIENT_SERVER must be one of {KINDS}, not {kind!r}")
    return kind


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerMissing(RuntimeError):
    pass


@dataclass
class Message:
    """One message of the stream: a text message's JSON, or a binary message."""

    json: dict
    binary: bytes | None = None

    @property
    def type(self) -> str:
        return self.json.get("type", "") if self.binary is None else "<binary>"

    @property
    def level(self) -> str:
        return self.json.get("level", "")

    @property
    def text(self) -> str:
        return self.json.get("message", "")

    def jpeg(self) -> bytes:
        return base64.b64decode(self.json["jpeg_b64"], validate=True)

    def brief(self) -> str:
        """A short description for assertion messages."""
        if self.binary is not None:
            return f"<binary {len(self.binary)} bytes>"
        if self.type == "frame":
            return f"frame {self.json.get('step')}"
        if self.type == "log":
            return f"log {self.level}: {self.text[:160]!r}"
        fields = {k: v for k, v in self.json.items() if k != "jpeg_b64"}
        return json.dumps(fields)[:200]


@dataclass
class Conversation:
    """What one stream sent: every message up to `done`, and whatever came after it."""

    messages: list[Message]
    after_done: list[Message] = field(default_factory=list)
    #: Why reading stopped before a `done` (None when a `done` came).
    ended: str | None = None

    def summary(self) -> str:
        shown = [m.brief() for m in self.messages]
        if len(shown) > 14:
            shown = shown[:6] + [f"... {len(shown) - 12} more ..."] + shown[-6:]
        extra = f"; after done: {[m.brief() for m in self.after_done]}" if self.after_done else ""
        ended = f"; ended without done: {self.ended}" if self.ended else ""
        return "[" + ", ".join(shown) + "]" + extra + ended


class LiveServer:
    def __init__(self, kind: str, workdir: Path):
        self.kind = kind
        self.workdir = workdir
        self.projects_dir = workdir / "projects"
        self.projects_dir.mkdir(parents=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.origin = self.base
        self.log_path = workdir / "server.log"
        self.proc: subprocess.Popen | None = None

        if kind == "ours":
            executable = REPO / ".build" / "debug" / "tau"
            if not os.access(executable, os.X_OK):
                raise ServerMissing(
                    f"the tau binary is missing: {executable} (build it first with "
                    "`swift build --product tau`; `make test` builds it before pytest)"
                )
            self.command = [
                str(executable), "serve", "--no-browser", "--host", "127.0.0.1",
                "--port", str(self.port), "--projects-dir", str(self.projects_dir),
            ]
            #: The Python that runs a project's env.py (the server's env worker).
            self.python = REPO / ".venv" / "bin" / "python"
        else:
            executable = REPO / ".venv-bench" / "bin" / "tau"
            if not os.access(executable, os.X_OK):
                raise ServerMissing(
                    f"the original tau-sim is missing: {executable} (run scripts/bench-setup)"
                )
            self.command = [
                str(executable), "--no-browser", "--host", "127.0.0.1",
                "--port", str(self.port), "--projects-dir", str(self.projects_dir),
                "--mujoco-gl", os.environ.get("MUJOCO_GL") or "osmesa",
            ]
            self.python = REPO / ".venv-bench" / "bin" / "python"

    # -- process -------------------------------------------------------------------------

    def start(self, timeout: float = 90.0, environment: dict[str, str] | None = None) -> None:
        """Starts the server; `environment` adds to (or overrides) this process's."""
        env = dict(os.environ)
        # The defaults of a plain `tau` on a user's machine: single user, no sandbox, no
        # settings of another run leaking in.
        for key in ("TAU_SINGLE_USER", "TAU_SANDBOX", "TAU_TOKEN", "PROJECTS_DIR", "PORT",
                    "TAU_HOME", "TAU_WEB_DIR", "TAU_ALLOWED_HOSTS", "TAU_ORIGINAL_CLIENT_SERVER"):
            env.pop(key, None)
        env.update(environment or {})
        log = open(self.log_path, "wb")
        # The working folder is a fresh one, so no stray `.env` is read.
        self.proc = subprocess.Popen(
            self.command, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.kind} server exited with status {self.proc.returncode} before "
                    f"answering /healthz: {' '.join(self.command)}\n{self.log_tail()}"
                )
            try:
                status, body = self.request("GET", "/healthz", timeout=2)
                if status == 200 and body == {"ok": True}:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"{self.kind} server did not answer /healthz within {timeout:.0f} s\n"
                    f"{self.log_tail()}"
                )
            time.sleep(0.2)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    # -- HTTP ----------------------------------------------------------------------------

    def request(self, method: str, path: str, body=None, timeout: float = 30):
        """(status, decoded JSON) of one request, sent as the page would send it."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if method != "GET" or path.startswith("/api/"):
            headers["Origin"] = self.origin
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return status, raw.decode(errors="replace")

    def create_project(self, template: str = "cartpole", name: str = "original client") -> dict:
        status, info = self.request("POST", "/api/projects", {"name": name, "template": template})
        assert status == 200, f"POST /api/projects: {status} {info}"
        assert isinstance(info, dict) and info.get("id"), info
        return info

    def write_file(self, project: str, path: str, content: str) -> None:
        status, answer = self.request(
            "PUT", f"/api/projects/{project}/file", {"path": path, "content": content}
        )
        assert status == 200 and answer == {"ok": True}, f"PUT {path}: {status} {answer}"

    def read_file(self, project: str, path: str) -> str:
        status, answer = self.request(
            "GET", f"/api/projects/{project}/file?path={urllib.request.quote(path)}"
        )
        assert status == 200, f"GET {path}: {status} {answer}"
        return answer["content"]

    # -- the stream ----------------------------------------------------------------------

    def stream(self, project: str, first=NO_FIRST_MESSAGE, timeout: float = 60.0,
               linger: float = 1.0) -> Conversation:
        """Opens /ws/sim/{project}, sends `first` (a dict, sent as JSON) unless it is
        NO_FIRST_MESSAGE, and reads every message until `done`, then for `linger` seconds
        more (or until the server closes) to catch anything sent after `done`.
        `timeout` bounds the whole conversation."""
        url = f"ws://127.0.0.1:{self.port}/ws/sim/{project}"
        messages: list[Message] = []
        after: list[Message] = []
        deadline = time.monotonic() + timeout
        with connect(url, origin=self.origin, max_size=None, open_timeout=15,
                     close_timeout=2) as ws:
            if first is not NO_FIRST_MESSAGE:
                ws.send(json.dumps(first))
            target = messages
            while True:
                now = time.monotonic()
                if target is after:
                    remaining = min(deadline, linger_until) - now
                    if remaining <= 0:
                        break
                else:
                    remaining = deadline - now
                    if remaining <= 0:
                        return Conversation(messages, ended=f"no done within {timeout:.0f} s")
                try:
                    raw = ws.recv(timeout=remaining)
                except TimeoutError:
                    if target is after:
                        break
                    return Conversation(messages, ended=f"no done within {timeout:.0f} s")
                except ConnectionClosed as closed:
                    if target is after:
                        break
                    return Conversation(messages, ended=f"the server closed the socket: {closed}")
                message = (
                    Message({}, binary=raw) if isinstance(raw, bytes) else Message(json.loads(raw))
                )
                target.append(message)
                if target is messages and message.type == "done":
                    target = after
                    linger_until = time.monotonic() + linger
        return Conversation(messages, after_done=after)


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a JPEG, from its SOF marker."""
    assert data[:2] == b"\xff\xd8", "not a JPEG (no SOI marker)"
    index = 2
    while index + 4 <= len(data):
        assert data[index] == 0xFF, f"bad JPEG marker at byte {index}"
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            index += 2
            continue
        length = int.from_bytes(data[index + 2:index + 4], "big")
        # SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[index + 5:index + 7], "big")
            width = int.from_bytes(data[index + 7:index + 9], "big")
            return width, height
        index += 2 + length
    raise AssertionError("no SOF marker in the JPEG")

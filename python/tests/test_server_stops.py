"""A browser tab that vanishes mid-episode (its TCP socket closes without a WebSocket
close frame) ends its episode promptly, and `tau serve` still stops within seconds on
SIGTERM or SIGINT, taking every worker it started with it."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import struct
import time
from pathlib import Path

import pytest

from live_server import LiveServer

LINGER_RESET = struct.pack("ii", 1, 0)  # close() sends RST at once: a killed browser


def open_raw_stream(server: LiveServer, project: str) -> socket.socket:
    """A WebSocket handshake by hand, so the test can drop the socket the way a
    vanished tab does, with no close frame."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws/sim/{project} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\nOrigin: {server.origin}\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        assert chunk, f"the server closed during the handshake: {answer!r}"
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 101"), answer[:200]
    payload = json.dumps({"max_steps": 3000, "fps": 30, "width": 160, "height": 120}).encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)
    # Read until frames flow: the episode is running.
    received = b""
    deadline = time.monotonic() + 30
    while b'"type":"frame"' not in received and time.monotonic() < deadline:
        received += sock.recv(65536)
    assert b'"type":"frame"' in received, "no frame came before the drop"
    return sock


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (workers and their children), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("drop", ["fin", "reset"])
@pytest.mark.parametrize("wait_for_the_episode", [True, False])
def test_server_stops_after_a_client_vanished(tmp_path, drop, signal_number, wait_for_the_episode):
    server = LiveServer("ours", tmp_path)
    server.start()
    try:
        project = server.create_project()["id"]
        warm = wait_for_python_workers(server)
        sock = open_raw_stream(server, project)
        if drop == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
        sock.close()
        workers = descendants(server.proc.pid)

        # The vanished client's episode ends: the worker that ran it (the warm one it
        # took) goes within seconds.
        deadline = time.monotonic() + (10 if wait_for_the_episode else 0)
        while time.monotonic() < deadline and any(alive(pid) for pid in warm):
            time.sleep(0.1)
        if wait_for_the_episode:
            assert not any(alive(pid) for pid in warm), (
                "the episode of the vanished client is still running\n" + server.log_tail()
            )

        started = time.monotonic()
        server.proc.send_signal(signal_number)
        try:
            server.proc.wait(timeout=10)
        except Exception:
            pytest.fail(f"tau serve still runs 10 s after {signal_number.name}\n{server.log_tail()}")
        took = time.monotonic() - started
        assert took < 5, f"tau serve took {took:.1f} s to stop"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(alive(pid) for pid in workers):
            time.sleep(0.1)
        left = [pid for pid in workers if alive(pid)]
        assert not left, f"workers outlived the server: {[_cmdline(pid) for pid in left]}"
    finally:
        server.stop()


def wait_for_python_workers(server: LiveServer) -> set[int]:
    """The warm python workers once there are any (the next episode takes one)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = {pid for pid in descendants(server.proc.pid) if "tau_env_worker" in _cmdline(pid)}
        if found:
            return found
        time.sleep(0.1)
    pytest.fail("the server keeps no warm python worker")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""

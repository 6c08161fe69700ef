"""A test-side client for the env worker: spawns it and speaks its frames."""

import json
import math
import os
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

PYTHON_DIR = Path(__file__).resolve().parents[1]
WORKER = PYTHON_DIR / "tau_env_worker.py"


def encode(header, payload=b""):
    head = json.dumps(header).encode()
    return struct.pack("<II", 4 + len(head) + len(payload), len(head)) + head + payload


class Worker:
    def __init__(self):
        # A clean environment, as the server gives it.
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
        self.proc = subprocess.Popen(
            [sys.executable, "-s", "-B", str(WORKER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        self._buffer = b""
        self.frames = []  # (header, payload), every frame received
        # Drained as the server drains it: a full stderr pipe would block the worker.
        self.stderr = []
        self._stderr_reader = threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True)
        self._stderr_reader.start()

    def send(self, header):
        self.proc.stdin.write(encode(header))
        self.proc.stdin.flush()

    def start(self, project_dir, **job):
        job = {"type": "job", "project_dir": str(project_dir), "max_steps": 20, "fps": 30, "speed": 0, **job}
        self.send(job)

    def next_frame(self, timeout=20):
        """The next frame; fails the test when none comes in time."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            if len(self._buffer) >= 8:
                length, head_length = struct.unpack("<II", self._buffer[:8])
                assert 4 <= length and head_length <= length - 4, "corrupt frame"
                if len(self._buffer) >= 4 + length:
                    body = self._buffer[8 : 4 + length]
                    self._buffer = self._buffer[4 + length :]
                    frame = _with_state_numbers(json.loads(body[:head_length]), body[head_length:])
                    self.frames.append(frame)
                    return frame
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no frame within {timeout} s; got {[h['type'] for h, _ in self.frames]}"
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 1 << 20)
                assert chunk, f"worker closed stdout; stderr: {b''.join(self.stderr).decode()[-2000:]}"
                self._buffer += chunk

    def until(self, kind, timeout=20):
        """Frames up to and including the first of type kind."""
        got = []
        while True:
            header, payload = self.next_frame(timeout)
            got.append((header, payload))
            if header["type"] == kind:
                return got

    def run_to_end(self, timeout=30):
        """All frames up to `done`; checks the worker then exits cleanly."""
        frames = self.until("done", timeout)
        assert self.proc.wait(timeout=10) == 0
        assert self._buffer == b"" and self.proc.stdout.read() == b"", "bytes after done"
        return frames

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._stderr_reader.join(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            stream.close()


def of_type(frames, kind):
    return [header for header, _ in frames if header["type"] == kind]


def logs(frames, level=None):
    return [h["message"] for h in of_type(frames, "log") if level is None or h["level"] == level]


def _with_state_numbers(header, payload):
    """A state frame's numbers (the head of its payload) put into its header under their
    names, NaN as None, and taken off the payload, so tests read a state as one dict."""
    if header.get("type") != "state":
        return header, payload
    obs_size, action_size = header.get("obs_size"), header.get("action_size")
    count = 3 + (obs_size or 0) + (action_size or 0)
    values = [None if math.isnan(v) else v for v in struct.unpack_from(f"<{count}d", payload)]
    header.update(reward=values[0], total_reward=values[1], time=values[2])
    if obs_size is not None:
        header["obs"] = values[3 : 3 + obs_size]
    if action_size is not None:
        header["action"] = values[3 + (obs_size or 0) : count]
    return header, payload[8 * count :]


def state_vector(payload):
    return np.frombuffer(payload, dtype="<f8")

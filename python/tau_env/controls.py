"""Server messages during an episode (pause, resume, step, reset, stop,
speed), read by a background thread so the episode loop can poll them
between control steps and block on them while paused."""

import queue
import sys
import threading

from .frames import ProtocolError
from .messages import END_OF_INPUT


class ControlChannel:
    def __init__(self, reader):
        self._reader = reader
        self._queue = queue.Queue()
        threading.Thread(target=self._read_all, name="tau-controls", daemon=True).start()

    def poll(self):
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def wait(self, timeout=None):
        """The next message, or None when timeout seconds pass first."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def _read_all(self):
        try:
            while (frame := self._reader.read()) is not None:
                self._queue.put(frame[0])
        except (ProtocolError, OSError) as e:
            # sys.__stderr__ is fd 2, the server's log of this worker, not the user's.
            print(f"tau env worker: control input failed: {e}", file=sys.__stderr__, flush=True)
        self._queue.put(END_OF_INPUT)

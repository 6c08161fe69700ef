"""User output (print, warnings, logging) as `log` frames, one per line.

A print flood must neither corrupt the protocol nor eat memory: lines are
cut at MAX_LINE_CHARS and at most MAX_LINES_PER_SECOND are sent; the rest
are counted and reported as one line when the next second starts.
"""

import io
import threading
import time

from . import messages

MAX_LINES_PER_SECOND = 200
MAX_LINE_CHARS = 64 * 1024


class LogSink:
    def __init__(self, writer):
        self._writer = writer
        self._lock = threading.Lock()
        self._window_start = time.monotonic()
        self._sent_in_window = 0
        self._dropped = 0

    def line(self, level, text):
        with self._lock:
            now = time.monotonic()
            if now - self._window_start >= 1.0:
                self._report_dropped()
                self._window_start, self._sent_in_window = now, 0
            if self._sent_in_window >= MAX_LINES_PER_SECOND:
                self._dropped += 1
                return
            self._sent_in_window += 1
            self._writer.send(messages.log(level, text))

    def report_dropped(self):
        with self._lock:
            self._report_dropped()

    def _report_dropped(self):
        if self._dropped:
            message = f"… {self._dropped} lines of output dropped"
            self._writer.send(messages.log("warning", message))
            self._dropped = 0


class LineStream(io.TextIOBase):
    """A sys.stdout/sys.stderr stand-in that hands complete lines to a LogSink."""

    def __init__(self, sink, level, name):
        super().__init__()
        self._sink = sink
        self._level = level
        self._name = name
        self._lock = threading.Lock()
        self._pieces = []
        self._length = 0
        self._cut = 0

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        with self._lock:
            *complete, rest = text.split("\n")
            for piece in complete:
                self._append(piece)
                self._emit()
            self._append(rest)
        return len(text)

    def flush_partial(self):
        """Sends a line still waiting for its newline (print(..., end=""))."""
        with self._lock:
            if self._pieces or self._cut:
                self._emit()

    def _append(self, piece):
        room = MAX_LINE_CHARS - self._length
        if len(piece) > room:
            self._cut += len(piece) - room
            piece = piece[:room]
        if piece:
            self._pieces.append(piece)
            self._length += len(piece)

    def _emit(self):
        line = "".join(self._pieces).rstrip("\r")
        if self._cut:
            line += f" … ({self._cut} characters cut)"
        self._pieces, self._length, self._cut = [], 0, 0
        self._sink.line(self._level, line)

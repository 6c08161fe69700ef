"""How an episode ends: an optional error log, then `done`, then exit."""

import math
import os
from dataclasses import dataclass

from . import messages


class EpisodeEnd(Exception):
    """Ends the episode. reason: finished, max_steps, stopped or error."""

    def __init__(self, reason, error=None):
        super().__init__(reason, error)
        self.reason = reason
        self.error = error


@dataclass
class Progress:
    steps: int = 0
    total_reward: float = 0.0


def finite_or_none(value):
    """JSON has no NaN or infinity; such a number goes out as null."""
    value = float(value)
    return value if math.isfinite(value) else None


class Reporter:
    """The worker's own frames: its messages to the user are not rate limited
    like the user's output."""

    def __init__(self, writer, sink, streams):
        self._writer = writer
        self._sink = sink
        self._streams = streams

    def send(self, header, payload=b""):
        self._writer.send(header, payload)

    def log(self, level, message):
        self._writer.send(messages.log(level, message))

    def finish(self, reason, progress, error=None, flush_user_output=True):
        """Sends the last frames and exits; user threads cannot keep the
        process alive. A signal handler passes flush_user_output=False: it
        may have interrupted the very code that buffers user output."""
        if flush_user_output:
            for stream in self._streams:
                stream.flush_partial()
            self._sink.report_dropped()
        if error:
            self.log("error", error)
        self._writer.send(messages.done(reason, progress.steps, finite_or_none(progress.total_reward)))
        os._exit(0)

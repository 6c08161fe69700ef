"""Running the project's code, and describing its failures in terms of the
user's files.

A description's first line reads `env.py:14: ZeroDivisionError: division by
zero (in step)`; the traceback below it keeps only the project's frames,
named project-relative (the worker, numpy and mujoco are not the user's).
"""

import os
import traceback

from .calling import call_with_available
from .reporting import EpisodeEnd

MAX_MESSAGE_CHARS = 64 * 1024
MAX_FRAMES = 20  # deep recursion: keep the innermost frames, count the rest


class UserCode:
    """Calls into the project; whatever it raises ends the episode with an error."""

    def __init__(self, root, mem_limit_mb):
        self._root = root
        self._mem_limit_mb = mem_limit_mb

    def call(self, context, fn, *args):
        """context says when, for the message: "in step", "while importing env.py"."""
        try:
            return fn(*args)
        except BaseException as e:  # SystemExit from user code ends the episode too
            raise EpisodeEnd("error", describe_exception(e, self._root, context, self._mem_limit_mb)) from None

    def call_contract(self, context, method, **available):
        return self.call(context, call_with_available, method, available)


def clip(text, limit=MAX_MESSAGE_CHARS):
    return text if len(text) <= limit else text[:limit] + f" … ({len(text) - limit} characters cut)"


def project_relative(root, filename):
    """filename relative to the project folder, or None if it is outside."""
    if not filename or filename.startswith("<"):
        return None
    relative = os.path.relpath(os.path.realpath(filename), os.path.realpath(root))
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    return relative.replace(os.sep, "/")


def describe_exception(exc, root, context, mem_limit_mb=None):
    if isinstance(exc, MemoryError):
        # Let go of what the failing code held before formatting needs memory.
        traceback.clear_frames(exc.__traceback__)
    frames = [
        (relative, frame.lineno, frame.name, frame.line)
        for frame in traceback.extract_tb(exc.__traceback__)
        if (relative := project_relative(root, frame.filename))
    ]
    where = f"{frames[-1][0]}:{frames[-1][1]}" if frames else None
    if isinstance(exc, MemoryError):
        limit = f" (limit {mem_limit_mb} MB)" if mem_limit_mb else ""
        what = f"the episode ran out of memory{limit}"
    elif isinstance(exc, SyntaxError):
        what = f"{type(exc).__name__}: {exc.msg}"  # str(exc) would name the absolute path
        relative = project_relative(root, exc.filename)
        if relative:
            where = f"{relative}:{exc.lineno}"
    else:
        message = str(exc)
        what = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    lines = [f"{where}: {what} ({context})" if where else f"{what} ({context})"]
    if isinstance(exc, SyntaxError) and exc.text:
        lines.append("    " + exc.text.rstrip("\n"))
    if frames:
        lines.append("Traceback (project files only, most recent call last):")
        lines += _frame_lines(frames)
    return clip("\n".join(lines))


def _frame_lines(frames):
    """Runs of one frame repeated (recursion) shown once with a count; of
    the rest, the innermost MAX_FRAMES."""
    runs = []
    for frame in frames:
        if runs and runs[-1][0] == frame:
            runs[-1][1] += 1
        else:
            runs.append([frame, 1])
    lines = []
    if len(runs) > MAX_FRAMES:
        lines.append(f"  … {sum(count for _, count in runs[:-MAX_FRAMES])} earlier frames")
        runs = runs[-MAX_FRAMES:]
    for (relative, lineno, name, code), count in runs:
        lines.append(f"  {relative}:{lineno} in {name}")
        if code:
            lines.append(f"    {code}")
        if count > 1:
            lines.append(f"  [the frame above repeated {count - 1} more times]")
    return lines

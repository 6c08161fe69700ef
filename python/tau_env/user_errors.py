"""Turning an exception from the user's code into a message about their files.

First line: `env.py:14: ZeroDivisionError: division by zero (in step)`;
then the traceback with only the project's frames, named project-relative.
"""

import os
import traceback

MAX_MESSAGE_CHARS = 64 * 1024
MAX_FRAMES = 20  # deep recursion: keep the innermost frames, count the rest


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
    """context says when it happened: "in step", "while importing env.py"."""
    if isinstance(exc, MemoryError):
        # Free what the failing code held before formatting needs memory.
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
        what = f"{type(exc).__name__}: {exc.msg}"
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
        if len(frames) > MAX_FRAMES:
            lines.append(f"  … {len(frames) - MAX_FRAMES} earlier frames")
            frames = frames[-MAX_FRAMES:]
        for relative, lineno, name, code in frames:
            lines.append(f"  {relative}:{lineno} in {name}")
            if code:
                lines.append(f"    {code}")
    return clip("\n".join(lines))

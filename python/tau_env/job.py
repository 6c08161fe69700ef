"""The `job` message: what to run and under which limits, checked before use."""

import math
import os
from dataclasses import dataclass

DEFAULT_FSIZE_MB = 100
# The job's bounds, the same as the stream's (EpisodeSettings.stepRange and fpsRange in
# Sources/Simulation/Episode/EpisodeSettings.swift; a Swift test holds the two equal).
MAX_STEPS_RANGE = (1, 100_000)
FPS_RANGE = (1, 240)


class JobError(ValueError):
    pass


@dataclass(frozen=True)
class Job:
    project_dir: str
    max_steps: int
    fps: float
    speed: float
    paused: bool
    cpu_s: int | None
    mem_mb: int | None
    fsize_mb: int
    sandbox: bool
    # Poses of the moving bodies with each state, for a browser's 3D view.
    poses: bool = False


def parse_job(header):
    project_dir = header.get("project_dir")
    if not isinstance(project_dir, str) or not os.path.isabs(project_dir):
        raise JobError("job.project_dir must be an absolute path")
    if not os.path.isdir(project_dir):
        raise JobError(f"the project folder {project_dir} does not exist")
    limits = header.get("limits") or {}
    if not isinstance(limits, dict):
        raise JobError("job.limits must be an object")
    fsize_mb = _positive_int_or_none(limits, "fsize_mb")
    return Job(
        project_dir=project_dir,
        max_steps=_number(header, "max_steps", *MAX_STEPS_RANGE, None, integer=True),
        fps=_number(header, "fps", *FPS_RANGE, None),
        speed=_number(header, "speed", 0, math.inf, 1.0),
        paused=_bool(header, "paused"),
        cpu_s=_positive_int_or_none(limits, "cpu_s"),
        mem_mb=_positive_int_or_none(limits, "mem_mb"),
        fsize_mb=DEFAULT_FSIZE_MB if fsize_mb is None else fsize_mb,
        sandbox=_bool(header, "sandbox"),
        poses=_bool(header, "poses"),
    )


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number(obj, key, low, high, default, integer=False):
    value = obj.get(key, default)
    if value is None or not _is_number(value) or not low <= value <= high or (integer and value != int(value)):
        kind = "an integer" if integer else "a number"
        bound = f"from {low} to {high}" if high != math.inf else f">= {low}"
        raise JobError(f"job.{key} must be {kind} {bound}, not {value!r}")
    return int(value) if integer else float(value)


def _positive_int_or_none(obj, key):
    value = obj.get(key)
    if value is None:
        return None
    if not _is_number(value) or value != int(value) or value < 1:
        raise JobError(f"job.limits.{key} must be a positive integer or null, not {value!r}")
    return int(value)


def _bool(obj, key):
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise JobError(f"job.{key} must be true or false, not {value!r}")
    return value

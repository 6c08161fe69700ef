"""The worker's protocol messages, both directions, spelled once: the other end is
Sources/Workers/Protocol/PythonWorkerMessages.swift. Frames carry them (frames.py)."""

import math
import struct

# From the server.
JOB = "job"
PAUSE = "pause"
RESUME = "resume"
STEP = "step"
RESET = "reset"
STOP = "stop"
SPEED = "speed"
PERTURB = "perturb"


def kind(header):
    """The name of a server message."""
    return header.get("type")


# What the control loop sees when the server closes stdin: the same as being stopped.
END_OF_INPUT = {"type": STOP, "end_of_input": True}


# To the server.
def hello(python, mujoco, numpy, pid):
    return {"type": "hello", "python": python, "mujoco": mujoco, "numpy": numpy, "pid": pid}


def started(entry, xml_path, model_fields, sandbox):
    """model_fields: what the episode runs with (nq, nv, nu, timestep, substeps, ...)."""
    return {"type": "started", "entry": entry, "xml_path": xml_path, **model_fields, "sandbox": sandbox}


def log(level, message):
    """level: info, warning or error."""
    return {"type": "log", "level": level, "message": message}


def state(step, done, obs_size=None, action_size=None, pose_bytes=0, moved=False):
    """The header of a state frame. Its payload: the step's numbers (float64 LE: reward,
    total reward, time, then obs and action when sent), the integration state (float64 LE),
    then, when the job asked for poses, `pose_bytes` of poses (poses.py). A number that is
    not finite is NaN; obs and action are sent when short, their sizes in the header.
    (Numbers, not JSON text: the server reads 60 states a second for a live view, and
    parsing their text was a good part of a step's cost there.)"""
    header = {"type": "state", "step": step, "done": done}
    if obs_size is not None:
        header["obs_size"] = obs_size
    if action_size is not None:
        header["action_size"] = action_size
    if pose_bytes:
        header["pose_bytes"] = pose_bytes
    if moved:
        # The same step's state again, moved by a drag while paused: not a new step.
        header["moved"] = True
    return header


def state_numbers(reward, total_reward, time, obs=None, action=None):
    """The numbers that open a state frame's payload (see `state`)."""
    values = [reward, total_reward, time] + list(obs if obs is not None else []) + list(
        action if action is not None else [])
    return struct.pack(f"<{len(values)}d", *(math.nan if v is None else v for v in values))


def done(reason, steps, total_reward):
    """reason: finished, max_steps, stopped or error."""
    return {"type": "done", "reason": reason, "steps": steps, "total_reward": total_reward}

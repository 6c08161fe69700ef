"""The worker's protocol messages, both directions, spelled once: the other end is
Sources/Workers/Protocol/PythonWorkerMessages.swift. Frames carry them (frames.py)."""

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


def state(step, reward, total_reward, time, done, obs=None, action=None, pose_bytes=0, moved=False):
    """The header of a state frame; its payload is the integration state (float64 LE),
    then, when the job asked for poses, `pose_bytes` of poses (poses.py).
    total_reward and time may be None (not finite); obs and action are sent when short."""
    header = {
        "type": "state",
        "step": step,
        "reward": reward,
        "total_reward": total_reward,
        "time": time,
        "done": done,
    }
    if obs is not None:
        header["obs"] = obs
    if action is not None:
        header["action"] = action
    if pose_bytes:
        header["pose_bytes"] = pose_bytes
    if moved:
        # The same step's state again, moved by a drag while paused: not a new step.
        header["moved"] = True
    return header


def done(reason, steps, total_reward):
    """reason: finished, max_steps, stopped or error."""
    return {"type": "done", "reason": reason, "steps": steps, "total_reward": total_reward}

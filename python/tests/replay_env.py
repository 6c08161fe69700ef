"""Runs a project's env.py the way the original's episode loop did, without rendering, and
prints the rewards of its control steps as JSON: the reference for the live stream's frames.

Usage: replay_env.py PROJECT_FOLDER MAX_STEPS FPS
"""

import importlib.util
import inspect
import json
import sys
from pathlib import Path

import mujoco


def call(fn, available):
    """Calls fn with the named arguments it accepts (all with **kwargs), else positionally."""
    try:
        params = inspect.signature(fn).parameters
        if any(p.kind == inspect.Parameter.VAR_KEYWORD for p in params.values()):
            return fn(**available)
        return fn(**{k: v for k, v in available.items() if k in params})
    except (TypeError, ValueError):
        return fn(*available.values())


def main():
    root = Path(sys.argv[1]).resolve()
    max_steps, fps = int(sys.argv[2]), int(sys.argv[3])
    sys.path.insert(0, str(root))
    spec = importlib.util.spec_from_file_location("replayed_env", root / "env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    env = module.make_env()
    model = mujoco.MjModel.from_xml_path(str(root / getattr(env, "xml_path", "scene.xml")))
    data = mujoco.MjData(model)
    obs = call(env.reset, {"model": model, "data": data})
    mujoco.mj_forward(model, data)
    substeps = max(1, int(round(1.0 / (model.opt.timestep * fps))))
    rewards, done_at = [], None
    for step in range(max_steps):
        action = env.policy(obs)
        obs, reward, done = call(env.step, {"model": model, "data": data, "action": action})
        for _ in range(substeps):
            mujoco.mj_step(model, data)
        rewards.append(float(reward))
        if done:
            done_at = step
            break
    print(json.dumps({"rewards": rewards, "done_at": done_at, "substeps": substeps}))


if __name__ == "__main__":
    main()

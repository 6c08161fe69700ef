"""Runs a project's env.py the way tau's runner does (fps 30) and prints a JSON summary.

Usage: run_env.py PROJECT_FOLDER [STEPS]
"""
import importlib.util, inspect, json, os, sys
import mujoco
import numpy as np

def call(fn, **named):
    params = inspect.signature(fn).parameters
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return fn(**named)
    if all(name in named for name in params):
        return fn(**{name: named[name] for name in params})
    return fn(*[named[k] for k in ("model", "data") if k in named][: len(params)])

folder = os.path.abspath(sys.argv[1]); steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
fps = 30
sys.path.insert(0, folder)
spec = importlib.util.spec_from_file_location("env", os.path.join(folder, "env.py"))
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
env = module.make_env()
model = mujoco.MjModel.from_xml_path(os.path.join(folder, getattr(env, "xml_path", "scene.xml")))
data = mujoco.MjData(model)
obs = call(env.reset, model=model, data=data)
n_sub = max(1, round(1 / (model.opt.timestep * fps)))
total = 0.0; max_abs = [0.0] * (2 * model.nv); done_at = None
for step in range(steps):
    action = np.asarray(env.policy(obs), dtype=float).reshape(-1)
    assert action.shape == (model.nu,), action.shape
    obs, reward, done = call(env.step, model=model, data=data, action=action)
    for _ in range(n_sub):
        mujoco.mj_step(model, data)
    total += float(reward)
    state = np.concatenate([data.qpos, data.qvel])
    max_abs = [max(a, abs(float(b))) for a, b in zip(max_abs, state)]
    if done:
        done_at = step
        break
print(json.dumps({"steps": step + 1, "done_at": done_at, "total_reward": total,
                  "max_abs_state": max_abs, "substeps": n_sub,
                  "final_state": [float(v) for v in np.concatenate([data.qpos, data.qvel])]}))

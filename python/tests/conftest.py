import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from worker_client import Worker  # noqa: E402

CARTPOLE_XML = """\
<mujoco model="cartpole">
  <option timestep="0.01"/>
  <worldbody>
    <light pos="0 0 3"/>
    <geom name="floor" type="plane" size="5 5 0.1"/>
    <body name="cart" pos="0 0 0.5">
      <joint name="slider" type="slide" axis="1 0 0" limited="true" range="-2 2"/>
      <geom name="cart" type="box" size="0.2 0.1 0.05" mass="1"/>
      <body name="pole">
        <joint name="hinge" type="hinge" axis="0 1 0"/>
        <geom name="pole" type="capsule" fromto="0 0 0 0 0 0.6" size="0.03" mass="0.1"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor joint="slider" gear="50" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
"""

CARTPOLE_ENV = """\
import numpy as np


class CartPoleEnv:
    xml_path = "scene.xml"

    def reset(self, model, data):
        data.qpos[:] = 0.0
        data.qpos[1] = 0.1
        data.qvel[:] = 0.0
        return self._obs(data)

    def step(self, model, data, action):
        data.ctrl[:] = np.clip(action, -1.0, 1.0)
        obs = self._obs(data)
        x, theta = data.qpos
        reward = float(np.cos(theta) - 0.01 * x * x)
        done = bool(abs(theta) > 1.2)
        return obs, reward, done

    def policy(self, obs):
        x, theta, xdot, thetadot = obs
        return np.array([10.0 * theta + 1.0 * thetadot + 0.1 * x + 0.2 * xdot])

    def _obs(self, data):
        return np.concatenate([data.qpos, data.qvel]).copy()


def make_env():
    return CartPoleEnv()
"""


@pytest.fixture
def project(tmp_path):
    """A cartpole project folder; returns a function writing more files into it."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "scene.xml").write_text(CARTPOLE_XML)
    (root / "env.py").write_text(CARTPOLE_ENV)

    def write(name, text):
        (root / name).write_text(text)
        return root

    write.root = root
    return write


@pytest.fixture
def worker():
    w = Worker()
    yield w
    w.close()

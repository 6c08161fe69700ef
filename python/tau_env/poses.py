"""Poses for a browser's 3D view: the position and orientation of every body that can
move, and the position and direction of every light that can, computed from the
episode's state on a data of its own (the env's data is never touched), packed as
float32 for the stream (docs/STREAM.md, "3D view").

A body moves when it is not welded to the world (`body_weldid != 0`) or is a mocap body;
a light moves when it is on such a body or follows one (any mode but fixed)."""

import mujoco
import numpy as np


class PoseWriter:
    def __init__(self, model):
        self._model = model
        self._data = mujoco.MjData(model)
        self.bodies = np.array(
            [b for b in range(1, model.nbody) if model.body_weldid[b] != 0 or model.body_mocapid[b] >= 0],
            dtype=np.int64,
        )
        moving = set(self.bodies.tolist())
        self.lights = np.array(
            [i for i in range(model.nlight) if model.light_bodyid[i] in moving or model.light_mode[i] != 0],
            dtype=np.int64,
        )

    def pack(self, state):
        """Bodies' pos (3) and quat w,x,y,z (4), then lights' pos (3) and dir (3), float32 LE."""
        data = self._data
        mujoco.mj_setState(self._model, data, state, mujoco.mjtState.mjSTATE_INTEGRATION)
        mujoco.mj_kinematics(self._model, data)
        if self.lights.size:
            mujoco.mj_camlight(self._model, data)
        bodies = np.concatenate([data.xpos[self.bodies], data.xquat[self.bodies]], axis=1)
        lights = np.concatenate([data.light_xpos[self.lights], data.light_xdir[self.lights]], axis=1)
        return bodies.astype("<f4").tobytes() + lights.astype("<f4").tobytes()

"""A 3D view's drag on a body, applied with MuJoCo's own perturbation, as `simulate` does:
mjv_initPerturb when a drag starts (on a scene of its own, so the spring's scale and the
body's local mass are MuJoCo's), then while running mjv_applyPerturbPose and
mjv_applyPerturbForce before each physics step, and while paused mjv_applyPerturbPose
with mj_forward. mjv_applyPerturbForce writes the selected body's xfrc_applied: the env's
own force on that body is added back for the step and left in place after it."""

import math

import mujoco
import numpy as np


class Perturbation:
    def __init__(self, model):
        self._model = model
        self._pert = mujoco.MjvPerturb()
        self._scene = None
        self.body = None

    @property
    def active(self):
        return self.body is not None

    def set(self, message, data):
        """Starts, moves or ends the drag from a server `perturb` message. False when the
        message is not a drag of a body of this model."""
        body = message.get("body")
        if body is None:
            self.body = None
            self._pert.active = 0
            self._pert.select = 0
            return True
        if not isinstance(body, int) or not 1 <= body < self._model.nbody:
            return False
        local = _point(message.get("local", [0, 0, 0]))
        target = _point(message.get("target"))
        if local is None or target is None:
            return False
        if body != self.body:
            self._start(body, local, data)
        # Move the reference so the selected point follows the target (simulate's move).
        shift = target - np.array(self._pert.refselpos)
        self._pert.refselpos[:] = target
        self._pert.refpos[:] = np.array(self._pert.refpos) + shift
        return True

    def _start(self, body, local, data):
        if self._scene is None:
            self._scene = mujoco.MjvScene(self._model, maxgeom=max(100, self._model.ngeom + 10))
        camera = mujoco.MjvCamera()
        option = mujoco.MjvOption()
        # mjv_initPerturb needs a scene whose camera frustum is set.
        mujoco.mjv_updateScene(self._model, data, option, None, camera, mujoco.mjtCatBit.mjCAT_ALL, self._scene)
        self._pert.select = body
        self._pert.skinselect = -1
        self._pert.localpos[:] = local
        mujoco.mjv_initPerturb(self._model, data, self._scene, self._pert)
        self._pert.active = mujoco.mjtPertBit.mjPERT_TRANSLATE
        self.body = body

    def step(self, data, substep):
        """Runs `substep` (one mj_step) with the spring applied, the env's force kept."""
        if not self.active:
            substep()
            return
        own = data.xfrc_applied[self.body].copy()
        mujoco.mjv_applyPerturbPose(self._model, data, self._pert, 0)
        mujoco.mjv_applyPerturbForce(self._model, data, self._pert)
        data.xfrc_applied[self.body] += own
        try:
            substep()
        finally:
            data.xfrc_applied[self.body] = own

    def move_paused(self, data):
        """While paused: the body (a free root or a mocap body) moves to the target."""
        if self.active:
            mujoco.mjv_applyPerturbPose(self._model, data, self._pert, 1)
            mujoco.mj_forward(self._model, data)


def _point(value):
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        return None
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in value):
        return None
    return np.array(value, dtype=np.float64)

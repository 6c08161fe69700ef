"""The env.py an imported robot starts with: it resets to a keyframe and holds that pose."""

import mujoco

TEMPLATE = '''"""{display_name} from MuJoCo Menagerie ({license}), holding its {pose} pose.

What to edit:
- HOLD_KEYFRAME: the keyframe the robot starts from and holds (None: the model's qpos0).
- policy(): return your own controls (one per actuator, within each one's ctrlrange).
- step(): compute a reward and say when an episode is done.

Observation: qpos then qvel. Action: the actuators' controls. Reward: 0.
"""
import mujoco
import numpy as np

HOLD_KEYFRAME = {keyframe!r}
# How stiff the hold of motor and general actuators is: the natural frequency in Hz of the
# PD law on each joint (its gains scale with the joint's effective inertia), critically damped.
HOLD_FREQUENCY_HZ = 2.0


class HoldPoseEnv:
    xml_path = {xml_path!r}

    def reset(self, model, data):
        key = _keyframe(model, HOLD_KEYFRAME)
        if key is None:
            mujoco.mj_resetData(model, data)
        else:
            mujoco.mj_resetDataKeyframe(model, data, key)
        mujoco.mj_forward(model, data)
        self._hold = HoldPolicy(model, data, key)
        return self._obs(data)

    def step(self, model, data, action):
        data.ctrl[:] = action
        return self._obs(data), 0.0, False

    def policy(self, obs):
        return self._hold()

    @staticmethod
    def _obs(data):
        return np.concatenate([data.qpos, data.qvel])


class HoldPolicy:
    """Controls that keep the pose the episode started in.

    Position actuators get their keyframe control (or the joint's start position);
    motor and general actuators on a joint get a PD law toward the start pose, plus the
    gravity and Coriolis forces of the moment, clipped to their ctrlrange; others keep
    their keyframe control."""

    def __init__(self, model, data, key):
        self.model, self.data = model, data
        self.ctrl0 = model.key_ctrl[key].copy() if key is not None and model.nu else np.zeros(model.nu)
        self.q0 = data.qpos.copy()
        omega = 2 * np.pi * HOLD_FREQUENCY_HZ
        self.pd = []  # (actuator, qpos address, dof address, kp, kd, force per unit control)
        for i in range(model.nu):
            joint = model.actuator_trnid[i, 0]
            if model.actuator_trntype[i] != mujoco.mjtTrn.mjTRN_JOINT or joint < 0:
                continue
            if model.jnt_type[joint] not in (mujoco.mjtJoint.mjJNT_HINGE, mujoco.mjtJoint.mjJNT_SLIDE):
                continue
            qadr, dadr = model.jnt_qposadr[joint], model.jnt_dofadr[joint]
            gear = model.actuator_gear[i, 0]
            gain = model.actuator_gainprm[i, 0]
            if _is_position(model, i):
                if key is None or not model.nu:
                    self.ctrl0[i] = gear * self.q0[qadr]
                continue
            inertia = 1.0 / max(model.dof_invweight0[dadr], 1e-9)
            per_control = gear * gain
            if per_control == 0:
                continue
            self.pd.append((i, qadr, dadr, inertia * omega**2, 2 * inertia * omega, per_control))

    def __call__(self):
        ctrl = self.ctrl0.copy()
        data = self.data
        for i, qadr, dadr, kp, kd, per_control in self.pd:
            force = kp * (self.q0[qadr] - data.qpos[qadr]) - kd * data.qvel[dadr] + data.qfrc_bias[dadr]
            ctrl[i] = force / per_control
        limited = self.model.actuator_ctrllimited.astype(bool)
        low, high = self.model.actuator_ctrlrange[:, 0], self.model.actuator_ctrlrange[:, 1]
        ctrl[limited] = np.clip(ctrl[limited], low[limited], high[limited])
        return ctrl


def _is_position(model, i):
    """A position servo: force = kp * (ctrl - length) - kv * velocity."""
    kp = model.actuator_gainprm[i, 0]
    return (
        model.actuator_gaintype[i] == mujoco.mjtGain.mjGAIN_FIXED
        and model.actuator_biastype[i] == mujoco.mjtBias.mjBIAS_AFFINE
        and kp > 0
        and abs(model.actuator_biasprm[i, 1] + kp) <= 1e-9 * max(1.0, kp)
    )


def _keyframe(model, name):
    if name is None or model.nkey == 0:
        return None
    key = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_KEY, name)
    return key if key >= 0 else 0


def make_env():
    return HoldPoseEnv()
'''


def keyframe_name(model):
    """`home` when the model has it, else keyframe 0's name (or index), else None."""
    if model.nkey == 0:
        return None
    if mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_KEY, "home") >= 0:
        return "home"
    return mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_KEY, 0) or "0"


def write(model, display_name, license, xml_path):
    key = keyframe_name(model)
    pose = f"'{key}' keyframe" if key else "initial (qpos0)"
    return TEMPLATE.format(
        display_name=display_name, license=license, pose=pose, keyframe=key, xml_path=xml_path)

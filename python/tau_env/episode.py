"""The episode loop: policy → step → mj_step × substeps → state, paced in
wall time and steered by the server's control messages."""

import math
import sys
import time

import mujoco
import numpy as np

from . import messages
from .perturb import Perturbation
from .reporting import EpisodeEnd, finite_or_none
from .user_code import clip

SMALL_VECTOR = 32  # obs and action go into `state` headers up to this length
MAX_LAG_S = 0.25  # behind real time by more than this: give up catching up


class Pacer:
    """Control step k (counted from 1) is due at t0 + (k - 1) / (fps * speed)
    wall seconds: the first step right away, so the first frame is not a
    frame period late; speed 0 runs as fast as possible. Restarted after
    pause, resume, reset and speed changes, so that no burst of steps
    follows them."""

    def __init__(self, fps, speed):
        self._fps = fps
        self._speed = speed
        self.restart(0)

    def restart(self, step):
        self._t0 = time.monotonic()
        self._k0 = step

    def set_speed(self, speed, step):
        self._speed = speed
        self.restart(step)

    def seconds_until(self, step):
        if self._speed == 0:
            return 0.0
        delay = self._t0 + (step - self._k0 - 1) / (self._fps * self._speed) - time.monotonic()
        if delay < -MAX_LAG_S:
            self.restart(step - 1)  # too slow for real time: run late, not in a burst
            return 0.0
        return delay


class Episode:
    def __init__(self, job, prepared, substeps, user_code, controls, reporter, streams, progress, physics_warnings,
                 poses=None):
        self._job = job
        self._env = prepared.env
        self._model = prepared.model
        self._data = prepared.data
        self._substeps = substeps
        self._user_code = user_code
        self._controls = controls
        self._reporter = reporter
        self._streams = streams
        self._progress = progress
        self._physics_warnings = physics_warnings
        self._pacer = Pacer(job.fps, job.speed)
        self._paused = job.paused
        self._obs = None
        self._state = np.empty(mujoco.mj_stateSize(self._model, mujoco.mjtState.mjSTATE_INTEGRATION))
        self._poses = poses
        self._perturbation = Perturbation(self._model)

    def run(self):
        """Runs until the episode ends; always raises EpisodeEnd."""
        self._reset()
        while self._progress.steps < self._job.max_steps:
            if self._paused:
                message = self._controls.wait()
            else:
                delay = self._pacer.seconds_until(self._progress.steps + 1)
                message = self._controls.wait(delay) if delay > 0 else self._controls.poll()
            if message is not None:
                self._handle(message)
            elif not self._paused:
                self._control_step()
        raise EpisodeEnd("max_steps")

    def _handle(self, message):
        kind = messages.kind(message)
        if kind == messages.PAUSE:
            self._paused = True
        elif kind == messages.RESUME:
            self._paused = False
            self._pacer.restart(self._progress.steps)
        elif kind == messages.STEP:
            if self._paused:
                self._control_step()
        elif kind == messages.RESET:
            self._reset()
        elif kind == messages.STOP:
            raise EpisodeEnd("stopped")
        elif kind == messages.SPEED and _is_speed(message.get("value")):
            self._pacer.set_speed(float(message["value"]), self._progress.steps)
        elif kind == messages.PERTURB and self._perturbation.set(message, self._data):
            if self._paused and self._perturbation.active:
                # Paused: the body goes to the target now, and the view sees it there.
                self._perturbation.move_paused(self._data)
                self._send_state(0.0, False, None, moved=True)
        else:
            print(f"tau env worker: ignored control message {clip(str(message), 200)}", file=sys.__stderr__, flush=True)

    def _reset(self):
        mujoco.mj_resetData(self._model, self._data)
        self._obs = self._user_code.call_contract("in reset", self._env.reset, model=self._model, data=self._data)
        self._progress.steps = 0
        self._progress.total_reward = 0.0
        self._after_step(0.0, False)
        self._pacer.restart(0)

    def _control_step(self):
        step = self._progress.steps + 1
        raw_action = self._user_code.call_contract("in policy", self._env.policy, obs=self._obs)
        action = self._check_action(raw_action)
        result = self._user_code.call_contract("in step", self._env.step, model=self._model, data=self._data, action=action)
        obs, reward, done = _check_step_result(result, step)
        try:
            for _ in range(self._substeps):
                self._perturbation.step(self._data, lambda: mujoco.mj_step(self._model, self._data))
        except Exception as e:  # mujoco.FatalError, e.g. out of stack memory
            raise EpisodeEnd("error", clip(f"MuJoCo failed at step {step}: {e}")) from None
        self._obs = obs
        self._progress.steps = step
        self._progress.total_reward += reward
        self._after_step(reward, done, action)
        if done:
            raise EpisodeEnd("finished")

    def _check_action(self, raw):
        nu = self._model.nu
        if raw is None and nu == 0:
            return np.zeros(0)
        try:
            action = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            raise EpisodeEnd("error", f"policy returned {_show(raw)}, not an action of nu={nu} numbers") from None
        if action.size != nu:
            raise EpisodeEnd("error", f"policy returned an action of shape {action.shape} but the model has nu={nu} actuators")
        return action.reshape(nu)

    def _after_step(self, reward, done, action=None):
        """Reports what the step left behind: physics warnings, the user's
        unfinished output lines, then the state to render."""
        step = self._progress.steps
        if not (np.isfinite(self._data.qpos).all() and np.isfinite(self._data.qvel).all()):
            self._physics_warnings.add("qpos or qvel holds NaN or infinity: the simulation diverged")
        for message in self._physics_warnings.take():
            self._reporter.log("warning", f"physics warning at step {step}: {message}")
        for stream in self._streams:
            stream.flush_partial()
        self._send_state(reward, done, action)

    def _send_state(self, reward, done, action, moved=False):
        """The state as it is now, with its pose when the job asked for poses."""
        step = self._progress.steps
        mujoco.mj_getState(self._model, self._data, self._state, mujoco.mjtState.mjSTATE_INTEGRATION)
        poses = self._poses.pack(self._state) if self._poses is not None and np.isfinite(self._state).all() else b""
        obs, action = _small_vector(self._obs), _small_vector(action)
        header = messages.state(
            step,
            done,
            obs_size=None if obs is None else len(obs),
            action_size=None if action is None else len(action),
            pose_bytes=len(poses),
            moved=moved,
        )
        numbers = messages.state_numbers(
            reward, finite_or_none(self._progress.total_reward), finite_or_none(self._data.time), obs, action)
        self._reporter.send(header, numbers + self._state.astype("<f8", copy=False).tobytes() + poses)


def _check_step_result(result, step):
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise EpisodeEnd("error", f"step must return (obs, reward, done), but it returned {_show(result)} at step {step}")
    obs, reward, done = result
    try:
        reward = float(reward)
    except (TypeError, ValueError):
        raise EpisodeEnd("error", f"step returned a reward that is not a number: {_show(reward)} at step {step}") from None
    if not math.isfinite(reward):
        raise EpisodeEnd("error", f"step returned a non-finite reward ({reward}) at step {step}")
    try:
        done = bool(done)
    except (TypeError, ValueError):
        raise EpisodeEnd("error", f"step returned done = {_show(done)} at step {step}; expected True or False") from None
    return obs, reward, done


def _is_speed(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def _small_vector(value):
    """value as a list of floats (null for non-finite) if it is a short vector, else None."""
    if value is None:
        return None
    try:
        array = np.asarray(value, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return None
    if array.size > SMALL_VECTOR:
        return None
    return [float(x) if math.isfinite(x) else None for x in array]


def _show(value):
    text = clip(repr(value), 200)
    if value is None:
        return "None"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items: {text}"
    return f"a {type(value).__name__}: {text}"

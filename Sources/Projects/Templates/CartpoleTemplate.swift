extension ProjectTemplate {
  /// A cart on a rail balancing a pole: the default project. Its policy is a discrete LQR
  /// design that holds the pole up for a whole episode (see the comment in `env.py`).
  public static let cartpole = ProjectTemplate(
    name: "cartpole",
    summary: "Balance a pole on a cart (LQR policy)",
    files: [
      File(path: "scene.xml", content: cartpoleScene),
      File(path: "env.py", content: cartpoleEnv),
    ]
  )
}

private let cartpoleScene = #"""
  <mujoco model="cartpole">
    <option timestep="0.01"/>
    <visual>
      <global offwidth="1280" offheight="720"/>
    </visual>
    <asset>
      <texture name="checker" type="2d" builtin="checker" rgb1="0.32 0.34 0.36" rgb2="0.22 0.24 0.26"
               width="512" height="512"/>
      <material name="floor" texture="checker" texrepeat="8 8" reflectance="0.1"/>
    </asset>
    <worldbody>
      <light name="sun" pos="0 -1 4" dir="0 0.25 -1" diffuse="0.9 0.9 0.9"/>
      <geom name="floor" type="plane" size="4 4 0.1" material="floor"/>
      <geom name="rail" type="capsule" fromto="-2.2 0 1 2.2 0 1" size="0.015" rgba="0.6 0.6 0.6 1"
            contype="0" conaffinity="0"/>
      <camera name="side" pos="0 -4.5 1.4" xyaxes="1 0 0 0 0.2 1"/>
      <body name="cart" pos="0 0 1">
        <joint name="slider" type="slide" axis="1 0 0" limited="true" range="-2 2" damping="0.05"/>
        <geom name="cart" type="box" size="0.2 0.12 0.08" mass="1" rgba="0.35 0.45 0.6 1"
              contype="0" conaffinity="0"/>
        <body name="pole">
          <joint name="hinge" type="hinge" axis="0 1 0" damping="0.01"/>
          <geom name="pole" type="capsule" fromto="0 0 0 0 0 1" size="0.04" mass="0.1"
                rgba="0.9 0.6 0.1 1" contype="0" conaffinity="0"/>
        </body>
      </body>
    </worldbody>
    <actuator>
      <motor name="push" joint="slider" gear="50" ctrllimited="true" ctrlrange="-1 1"/>
    </actuator>
  </mujoco>
  """#

private let cartpoleEnv = #"""
  """Cart-pole: keep a pole upright by pushing the cart along its rail.

  Observation: [x, theta, xdot, thetadot] (cart position in m, pole angle from upright in rad).
  Action: one number in [-1, 1], the push (the motor's gear turns it into up to 50 N).
  """
  import mujoco
  import numpy as np

  # Feedback gains for action = -K @ obs. They are a discrete-time LQR design: scene.xml
  # linearised about the upright pose with mujoco.mjd_transitionFD, one control step = 3 physics
  # steps of 0.01 s (the runner's default at 30 fps), weights Q = diag(1, 10, 0.1, 0.1) and R = 1,
  # gains from iterating the discrete Riccati equation to convergence. Edit Q and R and recompute,
  # or replace the policy with your own.
  K = np.array([-0.5741, -3.6268, -0.6555, -0.7928])


  class CartPoleEnv:
      xml_path = "scene.xml"

      def reset(self, model, data):
          mujoco.mj_resetData(model, data)
          data.qpos[1] = 0.1  # start with the pole tilted a little
          mujoco.mj_forward(model, data)
          return self._obs(data)

      def step(self, model, data, action):
          data.ctrl[:] = np.clip(action, -1.0, 1.0)
          obs = self._obs(data)
          x, theta = obs[0], obs[1]
          reward = float(np.cos(theta) - 0.01 * x * x)
          done = bool(abs(theta) > 1.2)
          return obs, reward, done

      def policy(self, obs):
          return np.clip(-K @ obs, -1.0, 1.0).reshape(1)

      def _obs(self, data):
          return np.concatenate([data.qpos, data.qvel]).astype(np.float64)


  def make_env():
      return CartPoleEnv()
  """#

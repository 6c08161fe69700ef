extension ProjectTemplate {
  /// A pendulum whose motor is too weak to lift it straight up: the policy pumps energy in with
  /// swings, then balances it upright.
  public static let pendulum = ProjectTemplate(
    name: "pendulum",
    summary: "Swing a pendulum up with a weak motor and balance it",
    files: [
      File(path: "scene.xml", content: pendulumScene),
      File(path: "env.py", content: pendulumEnv),
    ]
  )
}

private let pendulumScene = #"""
  <mujoco model="pendulum">
    <option timestep="0.01">
      <flag energy="enable"/>
    </option>
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
      <geom name="floor" type="plane" size="3 3 0.1" material="floor"/>
      <geom name="post" type="cylinder" fromto="0 0.1 0 0 0.1 1.2" size="0.03" rgba="0.5 0.5 0.55 1"/>
      <camera name="front" pos="0 -3.5 1.2" xyaxes="1 0 0 0 0 1"/>
      <body name="arm" pos="0 0 1.2">
        <joint name="hinge" type="hinge" axis="0 1 0" damping="0.02"/>
        <geom name="arm" type="capsule" fromto="0 0 0 0 0 0.6" size="0.035" mass="1"
              rgba="0.2 0.7 0.5 1" contype="0" conaffinity="0"/>
        <geom name="tip" type="sphere" pos="0 0 0.6" size="0.07" mass="0.2" rgba="0.9 0.3 0.3 1"
              contype="0" conaffinity="0"/>
      </body>
    </worldbody>
    <actuator>
      <motor name="torque" joint="hinge" gear="2" ctrllimited="true" ctrlrange="-1 1"/>
    </actuator>
  </mujoco>
  """#

private let pendulumEnv = #"""
  """Pendulum swing-up: a weak motor must pump energy in to lift the pendulum, then balance it.

  The motor gives at most 2 N m, less than gravity's pull on the arm, so it cannot lift the arm
  straight up: it has to swing back and forth. Observation: [angle, angular velocity], where the
  angle is 0 upright and pi hanging down. Action: one number in [-1, 1] (the motor's torque).
  Reward: cos(angle), 1 when upright, -1 hanging down.
  """
  import mujoco
  import numpy as np


  def wrap(angle):
      """Angle in (-pi, pi]."""
      return (angle + np.pi) % (2 * np.pi) - np.pi


  class PendulumEnv:
      xml_path = "scene.xml"

      def reset(self, model, data):
          # What the swing-up needs to know about the arm: its inertia about the hinge and the
          # height its weight rises from hanging to upright (as m * g * l, from MuJoCo's energy).
          mujoco.mj_resetData(model, data)
          mujoco.mj_forward(model, data)
          mass_matrix = np.zeros((model.nv, model.nv))
          mujoco.mj_fullM(model, data, mass_matrix)
          self.inertia = float(mass_matrix[0, 0])
          upright = float(data.energy[0])
          data.qpos[0] = np.pi
          mujoco.mj_forward(model, data)
          self.mgl = (upright - float(data.energy[0])) / 2
          data.qpos[0] = np.pi - 0.05  # hanging down, nudged so it can start swinging
          mujoco.mj_forward(model, data)
          return self._obs(data)

      def step(self, model, data, action):
          data.ctrl[:] = np.clip(action, -1.0, 1.0)
          obs = self._obs(data)
          return obs, float(np.cos(obs[0])), False

      def policy(self, obs):
          angle, velocity = obs
          if abs(angle) < 0.4:
              # Near the top: a PD controller holds the pendulum upright.
              return np.clip([-(8.0 * angle + 1.5 * velocity)], -1.0, 1.0)
          # Elsewhere: pump energy in (or take it out) by pushing along (or against) the swing.
          energy = 0.5 * self.inertia * velocity**2 + self.mgl * (np.cos(angle) - 1.0)
          missing = -energy  # the upright pose at rest has energy 0
          direction = np.sign(velocity) if abs(velocity) > 1e-3 else 1.0
          return np.clip([2.0 * missing * direction], -1.0, 1.0)

      def _obs(self, data):
          return np.array([wrap(data.qpos[0]), data.qvel[0]])


  def make_env():
      return PendulumEnv()
  """#

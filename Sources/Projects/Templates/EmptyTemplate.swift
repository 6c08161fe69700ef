extension ProjectTemplate {
  /// An empty world and an `env.py` that says what to write: a blank page.
  public static let empty = ProjectTemplate(
    name: "empty",
    summary: "An empty world to start from scratch",
    files: [
      File(path: "scene.xml", content: emptyScene),
      File(path: "env.py", content: emptyEnv),
    ]
  )
}

private let emptyScene = #"""
  <mujoco model="empty">
    <option timestep="0.01"/>
    <worldbody>
      <light name="sun" pos="0 0 4" dir="0 0 -1"/>
      <geom name="floor" type="plane" size="4 4 0.1" rgba="0.3 0.32 0.35 1"/>
    </worldbody>
  </mujoco>
  """#

private let emptyEnv = #"""
  """Your environment goes here.

  make_env() must return an object with:
    xml_path                 the MJCF file to load (default "scene.xml")
    reset(model, data)       set the initial state, return the observation
    step(model, data, action)  apply the action (e.g. data.ctrl[:] = action),
                             return (observation, reward, done)
    policy(obs)              return an action with model.nu numbers

  The runner calls mujoco.mj_step itself after each step(). Ask the assistant to
  write one for you, or start from the cartpole template.
  """


  def make_env():
      raise NotImplementedError("this project has no environment yet: write make_env() in env.py")
  """#

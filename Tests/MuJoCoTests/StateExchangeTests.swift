import Foundation
import MuJoCo
import TestSupport
import Testing

@Suite("States made by the Python worker reproduce in Swift")
struct StateExchangeTests {
  /// Steps a model 500 times with random controls in .venv's Python, then
  /// writes mj_getState(mjSTATE_INTEGRATION) and geom_xpos as float64 files.
  static let pythonStepper = """
    import sys, mujoco, numpy as np
    model = mujoco.MjModel.from_xml_path(sys.argv[1])
    data = mujoco.MjData(model)
    if model.nkey > 0:
        mujoco.mj_resetDataKeyframe(model, data, 0)
    rng = np.random.default_rng(7)
    low, high = model.actuator_ctrlrange[:, 0], model.actuator_ctrlrange[:, 1]
    for _ in range(500):
        data.ctrl[:] = rng.uniform(low, high) if model.nu else []
        mujoco.mj_step(model, data)
    mujoco.mj_forward(model, data)
    sig = mujoco.mjtState.mjSTATE_INTEGRATION
    state = np.empty(mujoco.mj_stateSize(model, sig))
    mujoco.mj_getState(model, data, state, sig)
    state.astype('<f8').tofile(sys.argv[2])
    np.ascontiguousarray(data.geom_xpos).astype('<f8').tofile(sys.argv[3])
    """

  static var scenes: [URL] {
    get throws {
      [
        try TestPaths.cartpoleScene(),
        TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml"),
      ]
    }
  }

  @Test("Geom positions are bit-identical to Python's", arguments: try scenes)
  func bitIdenticalPoses(scene: URL) async throws {
    let folder = try TestPaths.temporaryFolder()
    let stateFile = folder.appendingPathComponent("state.f64")
    let xposFile = folder.appendingPathComponent("xpos.f64")
    let result = try await ProcessRunner.python(
      Self.pythonStepper, [scene.path, stateFile.path, xposFile.path])
    try #require(result.status == 0, "python failed: \(result.stderr)")

    let model = try Model(contentsOf: scene.path)
    let data = SimulationData(model: model)
    try data.setState(SimulationState(values: try Self.doubles(stateFile)))
    data.forward()
    let expected = try Self.doubles(xposFile)
    let actual = Array(data.geomPositions)
    #expect(actual.count == expected.count)
    #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern))
    #expect(data.time > 4.9 * model.timestep * 100)
  }

  @Test("A state of the wrong size is refused with both sizes named")
  func wrongSizeRefused() async throws {
    let model = try Model(contentsOf: try TestPaths.cartpoleScene().path)
    let data = SimulationData(model: model)
    let error = #expect(throws: StateSizeError.self) {
      try data.setState(SimulationState(values: [1, 2, 3]))
    }
    #expect(error?.received == 3)
    #expect(error?.expected == SimulationState.size(for: model))
  }

  static func doubles(_ url: URL) throws -> [Double] {
    let bytes = try Data(contentsOf: url)
    return bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
  }
}

import Foundation
import MuJoCo

enum StepBench {
  /// Steps per second of a plain mj_step loop, over about a second.
  static func swiftStepsPerSecond(scene: URL) throws -> Double {
    let model = try Model(contentsOf: scene.path)
    let data = SimulationData(model: model)
    for _ in 0..<1000 { data.step() }
    var steps = 0
    let start = Date()
    while Date().timeIntervalSince(start) < 1.0 {
      for _ in 0..<1000 { data.step() }
      steps += 1000
      if data.isDiverged { data.reset() }
    }
    return Double(steps) / Date().timeIntervalSince(start)
  }

  /// The same loop in .venv's Python with the mujoco bindings.
  static func pythonStepsPerSecond(scene: URL, python: String) throws -> Double {
    let script = """
      import sys, time, mujoco
      m = mujoco.MjModel.from_xml_path(sys.argv[1]); d = mujoco.MjData(m)
      for _ in range(1000): mujoco.mj_step(m, d)
      steps, t0 = 0, time.perf_counter()
      while time.perf_counter() - t0 < 1.0:
          for _ in range(1000): mujoco.mj_step(m, d)
          steps += 1000
      print(steps / (time.perf_counter() - t0))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script, scene.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: output, as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    return Double(text) ?? .nan
  }
}

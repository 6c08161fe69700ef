import Foundation
import MuJoCo
import Rendering
import TestSupport

// `make bench`: speed figures of the foundation, printed as tables.
// Not a test: nothing here passes or fails.

let root = TestPaths.packageRoot
let cartpole = try TestPaths.cartpoleScene()
let panda = root.deletingLastPathComponent().appendingPathComponent(
  "shared/menagerie/franka_emika_panda/scene.xml")

print(
  "tau-sim bench — MuJoCo \(MuJoCoLibrary.loadedVersion), \(ProcessInfo.processInfo.activeProcessorCount) cores\n"
)

print("Physics steps per second (same libmujoco.so for both)")
print(BenchTable.row(["model", "Swift loop", "Python loop", "Swift/Python"]))
for (name, scene) in [("cartpole", cartpole), ("panda", panda)] {
  let swift = try StepBench.swiftStepsPerSecond(scene: scene)
  let python = try StepBench.pythonStepsPerSecond(scene: scene, python: TestPaths.python)
  print(
    BenchTable.row([
      name, BenchTable.number(swift), BenchTable.number(python),
      String(format: "%.1fx", swift / python),
    ]))
}

/// MUJOCO_GL when it names an offscreen platform, else the best that works here.
let benchPlatform =
  ProcessInfo.processInfo.environment["MUJOCO_GL"].flatMap { GLPlatform(rawValue: $0.lowercased()) }
  ?? .best
print("\nRender + encode frames per second (\(benchPlatform))")
print(BenchTable.row(["model", "size", "preset", "JPEG fps", "PNG fps"]))
let platform = benchPlatform
let gl = try GLContext.shared(platform: platform)
for (name, scene) in [("cartpole", cartpole), ("panda", panda)] {
  for (width, height) in [(480, 360), (1280, 720)] {
    for quality in SceneRenderer.Quality.allCases {
      let figures = try RenderBench.framesPerSecond(
        scene: scene, quality: quality, width: width, height: height, gl: gl)
      print(
        BenchTable.row([
          name, "\(width)x\(height)", quality.rawValue, String(format: "%.1f", figures.jpeg),
          String(format: "%.1f", figures.png),
        ]))
    }
  }
}

import ArgumentParser
import Foundation
import Rendering

/// `--mujoco-gl`, shared by every command that renders: the flag, else
/// `MUJOCO_GL`, else EGL with a GPU and OSMesa without.
struct GLOptions: ParsableArguments {
  @Option(name: .customLong("mujoco-gl"), help: "Offscreen GL backend: egl or osmesa.")
  var mujocoGL: String?

  func platform() throws -> GLPlatform {
    try GLPlatform.choose(requested: mujocoGL ?? ProcessInfo.processInfo.environment["MUJOCO_GL"])
  }
}

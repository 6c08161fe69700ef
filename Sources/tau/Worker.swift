import ArgumentParser
import Foundation
import ModelWorker
import Rendering

/// `tau worker`: a long-lived process that compiles, inspects and renders
/// models for its parent over the worker protocol (stdin/stdout).
struct Worker: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve model requests over the worker protocol (started by tau itself).",
    shouldDisplay: false
  )

  @Option(name: .customLong("mujoco-gl"), help: "Offscreen GL backend: egl or osmesa.")
  var mujocoGL: String?

  func run() throws {
    let platform = try GLPlatform.choose(
      requested: mujocoGL ?? ProcessInfo.processInfo.environment["MUJOCO_GL"])
    ModelWorkerMain.run(platform: platform)
  }
}

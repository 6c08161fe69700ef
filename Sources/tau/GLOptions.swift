import ArgumentParser
import Foundation
import Rendering
import Workers

/// `--mujoco-gl`, shared by every command that renders: the flag, else
/// `MUJOCO_GL`, else EGL with a GPU and OSMesa without.
struct GLOptions: ParsableArguments {
  @Option(name: .customLong("mujoco-gl"), help: "Offscreen GL backend: egl, osmesa or glfw.")
  var mujocoGL: MuJoCoGL?

  func platform() throws -> GLPlatform {
    try MuJoCoGL.resolve(flag: mujocoGL, environment: ProcessInfo.processInfo.environment)
  }
}

/// The values of `--mujoco-gl` and `MUJOCO_GL`, as the original takes them.
enum MuJoCoGL: String, CaseIterable, ExpressibleByArgument {
  case egl, osmesa
  /// A window system's GL: tau renders offscreen only, so this picks the best offscreen
  /// platform (accepted so that a setting written for the original still works).
  case glfw

  /// The platform to render with: the flag, else `MUJOCO_GL`, else the best that works here.
  static func resolve(flag: MuJoCoGL?, environment: [String: String]) throws -> GLPlatform {
    let value =
      try flag
      ?? environment["MUJOCO_GL"].flatMap { $0.isEmpty ? nil : $0 }.map {
        guard let value = MuJoCoGL(rawValue: $0.lowercased()) else {
          throw RenderError.unsupportedPlatform($0)
        }
        return value
      }
    switch value {
    case .egl: return .egl
    case .osmesa: return .osmesa
    case .glfw, nil: return .best
    }
  }
}

// The CLI's own reading of the render presets (`--quality high|fast`).
extension RenderOptions.Quality: ExpressibleByArgument {}

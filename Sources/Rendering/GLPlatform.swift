import CGLPlatform
import Foundation

/// The offscreen OpenGL platform a process renders with.
public enum GLPlatform: String, Sendable, CaseIterable, CustomStringConvertible {
  /// Mesa's software renderer; works everywhere, uses the CPU.
  case osmesa
  /// EGL: a GPU when one is exposed as an EGL device, else Mesa's
  /// surfaceless platform.
  case egl

  public var description: String { rawValue }

  /// The best that works here: EGL when a GPU device or render node exists, OSMesa
  /// otherwise.
  public static var best: GLPlatform { hasGPU ? .egl : .osmesa }

  static var hasGPU: Bool {
    let devices = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
    if devices.contains(where: { $0.hasPrefix("nvidia") && $0 != "nvidia-modeset" }) { return true }
    let dri = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/dri")) ?? []
    return dri.contains { $0.hasPrefix("renderD") }
  }

  var cValue: tau_gl_platform { self == .egl ? TAU_GL_EGL : TAU_GL_OSMESA }
}

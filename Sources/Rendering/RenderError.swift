/// Why an image could not be made.
public enum RenderError: Error, Equatable, CustomStringConvertible {
  case unsupportedPlatform(String)
  case contextFailed(platform: String, reason: String)
  case unknownCamera(String, available: [String])
  case invalidSize(width: Int, height: Int)
  case encodingFailed(String)

  public var description: String {
    switch self {
    case .unsupportedPlatform(let name):
      return "unknown render backend '\(name)'; use egl or osmesa"
    case .contextFailed(let platform, let reason):
      return "cannot create a \(platform) OpenGL context: \(reason)"
    case .unknownCamera(let name, let available):
      let list =
        available.isEmpty
        ? "the model has no cameras" : "cameras: " + available.joined(separator: ", ")
      return "no camera named '\(name)' (\(list))"
    case .invalidSize(let width, let height):
      return
        "image size \(width)x\(height) is outside 1x1...\(SceneRenderer.maximumWidth)x\(SceneRenderer.maximumHeight)"
    case .encodingFailed(let reason): return reason
    }
  }
}

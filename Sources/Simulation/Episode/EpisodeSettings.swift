import Foundation
import Workers

/// What a client asks of one episode: the stream's first message, checked.
///
/// The original's fields (`max_steps`, `fps`, `width`, `height`) keep their
/// names and defaults; the rest are ours. Every number is bounded, so no
/// request can divide by zero, allocate a giant frame or run forever.
public struct EpisodeSettings: Sendable, Equatable {
  public static let stepRange = 1...100_000
  public static let fpsRange = 1...240
  public static let widthRange = RenderOptions.requestWidths
  public static let heightRange = RenderOptions.requestHeights
  public static let jpegQualityRange = RenderOptions.requestJPEGQualities

  public var maxSteps = 1000
  public var fps = 30
  public var width = RenderOptions.stream.width
  public var height = RenderOptions.stream.height
  public var jpegQuality = RenderOptions.stream.jpegQuality
  /// JPEGs as binary WebSocket messages (a JSON header, then the image).
  public var binary = false
  /// Real-time factor; 0 runs as fast as possible.
  public var speed = 1.0
  /// Render preset. `fast` by default: at 480x360 on 2 cores OSMesa renders
  /// about 80 frames/s with it against 25 with `high`, and only `fast`
  /// keeps up with 30 fps real time while the worker simulates.
  public var quality = RenderOptions.stream.quality
  public var camera: CameraChoice = .free
  /// Start paused. Pair it with `resetFrames` to see the initial state before the first step.
  public var paused = false
  /// Send the picture of the state after each reset as a `reset` message (ours; the
  /// original sends no picture before the first control step).
  public var resetFrames = false
  /// Drop a waiting frame when a newer one is ready, to stay current in real time (ours;
  /// the original never drops a frame, so by default rendering paces the episode).
  public var latest = false
  /// Render frames; off for headless runs, which stream telemetry only.
  public var renderFrames = true
  /// What the client views: the server's JPEG frames (the original's), or a 3D view in
  /// the browser that gets the moving bodies' poses and no JPEG at all (`"view": "3d"`).
  public var view = View.image

  public enum View: String, Sendable, Equatable {
    case image
    case threeD = "3d"
  }

  public init() {}

  /// Reads the first client message. Unknown fields are ignored, as the
  /// original did; a field of the wrong type or out of range is an error
  /// that names it.
  public init(message: [String: JSONValue]) throws {
    self.init()
    maxSteps = try Self.integer(message, "max_steps", in: Self.stepRange) ?? maxSteps
    fps = try Self.integer(message, "fps", in: Self.fpsRange) ?? fps
    width = try Self.integer(message, "width", in: Self.widthRange) ?? width
    height = try Self.integer(message, "height", in: Self.heightRange) ?? height
    jpegQuality =
      try Self.integer(message, "jpeg_quality", in: Self.jpegQualityRange)
      ?? Self.integer(message, "quality", in: Self.jpegQualityRange) ?? jpegQuality
    binary = try Self.flag(message, "binary") ?? binary
    paused = try Self.flag(message, "paused") ?? paused
    resetFrames = try Self.flag(message, "reset_frames") ?? resetFrames
    latest = try Self.flag(message, "latest") ?? latest
    if let value = message["speed"] {
      speed = try Self.speed(value)
    }
    if let value = message["render"] ?? message["preset"] {
      guard let name = value.stringValue, let preset = RenderOptions.Quality(rawValue: name) else {
        throw SettingsError("render preset must be \"fast\" or \"high\"")
      }
      quality = preset
    }
    if let value = message["camera"] {
      camera = try Self.camera(value)
    }
    if let value = message["view"] {
      guard let name = value.stringValue, let view = View(rawValue: name) else {
        throw SettingsError("view must be \"image\" (the server's frames) or \"3d\" (poses)")
      }
      self.view = view
      // Poses come from the physics side: nothing is rendered on the server.
      if view == .threeD { renderFrames = false }
    }
  }

  /// `speed` as a client sends it: a number >= 0 (0: as fast as possible).
  public static func speed(_ value: JSONValue) throws -> Double {
    guard let number = value.doubleValue, number.isFinite, number >= 0, number <= 1000 else {
      throw SettingsError("speed must be a number from 0 (as fast as possible) to 1000")
    }
    return number
  }

  /// A camera as a client names it: a string (a camera of the model), or an
  /// object with azimuth/elevation/distance/lookat, or `{"name": ...}`.
  public static func camera(_ value: JSONValue) throws -> CameraChoice {
    if let name = value.stringValue {
      return name.isEmpty || name == "free" ? .free : .named(name)
    }
    guard let fields = value.objectValue else {
      throw SettingsError("camera must be a camera name or {azimuth, elevation, distance, lookat}")
    }
    if let name = fields["name"]?.stringValue { return .named(name) }
    let lookat = try fields["lookat"].map { value -> [Double] in
      guard let numbers = value.arrayValue?.compactMap(\.doubleValue), numbers.count == 3 else {
        throw SettingsError("camera lookat must be 3 numbers")
      }
      return numbers
    }
    let choice = CameraChoice.orbit(
      azimuth: fields["azimuth"]?.doubleValue, elevation: fields["elevation"]?.doubleValue,
      distance: fields["distance"]?.doubleValue, lookat: lookat)
    do {
      try RenderOptions(camera: choice).validate()
    } catch {
      throw SettingsError(String(describing: error))
    }
    return choice
  }

  private static func flag(_ message: [String: JSONValue], _ key: String) throws -> Bool? {
    guard let value = message[key] else { return nil }
    guard let flag = value.boolValue else { throw SettingsError("\(key) must be true or false") }
    return flag
  }

  private static func integer(
    _ message: [String: JSONValue], _ key: String, in range: ClosedRange<Int>
  ) throws -> Int? {
    guard let value = message[key], value != .null else { return nil }
    guard let number = value.doubleValue, number.isFinite, number.rounded() == number else {
      throw SettingsError(
        "\(key) must be a whole number within \(range.lowerBound)...\(range.upperBound)")
    }
    guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
      // Printed as a Double: `Int(number)` traps for values beyond Int's range.
      throw SettingsError(
        "\(key) = \(number) is outside \(range.lowerBound)...\(range.upperBound)")
    }
    return Int(number)
  }

  /// The render options of this episode's frames.
  public var renderOptions: RenderOptions {
    RenderOptions(
      width: width, height: height, format: .jpeg, quality: quality, jpegQuality: jpegQuality,
      camera: camera)
  }
}

/// A stream setting the server refuses, with the reason.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

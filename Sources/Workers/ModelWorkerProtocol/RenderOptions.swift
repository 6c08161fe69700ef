import Rendering

/// What an image of a model state should look like.
public struct RenderOptions: Codable, Sendable, Equatable {
  public enum Format: String, Codable, Sendable { case jpeg, png }

  /// `high` keeps the model's own visual settings; `fast` turns off
  /// multisampling and uses a small shadow map (about 3x the frame rate).
  public typealias Quality = SceneRenderer.Quality

  public static let maximumWidth = SceneRenderer.maximumWidth
  public static let maximumHeight = SceneRenderer.maximumHeight

  /// The live stream's pictures (docs/STREAM.md: `fast` keeps up at 30 fps on 2 cores).
  public static let stream = RenderOptions(
    width: 480, height: 360, format: .jpeg, quality: .fast, jpegQuality: 75)
  /// One picture at a time (snapshots, a run's frames, filmstrips): the model's own looks.
  public static let still = RenderOptions(
    width: 480, height: 360, format: .jpeg, quality: .high, jpegQuality: 85)

  /// What a client may ask for: 16...1920 x 16...1080, JPEG quality 10...95.
  public static let requestWidths = 16...maximumWidth
  public static let requestHeights = 16...maximumHeight
  public static let requestJPEGQualities = 10...95

  public var width: Int
  public var height: Int
  public var format: Format
  public var quality: Quality
  /// JPEG quality 1...100 (ignored for PNG).
  public var jpegQuality: Int
  public var camera: CameraChoice

  public init(
    width: Int = RenderOptions.stream.width, height: Int = RenderOptions.stream.height,
    format: Format = .jpeg, quality: Quality = .fast,
    jpegQuality: Int = RenderOptions.stream.jpegQuality, camera: CameraChoice = .free
  ) {
    self.width = width
    self.height = height
    self.format = format
    self.quality = quality
    self.jpegQuality = jpegQuality
    self.camera = camera
  }

  enum CodingKeys: String, CodingKey {
    case width, height, format, quality, camera
    case jpegQuality = "jpeg_quality"
  }

  /// Throws a message naming the bad field when the options are out of range.
  public func validate() throws {
    guard (1...Self.maximumWidth).contains(width), (1...Self.maximumHeight).contains(height) else {
      throw WorkerRequestError(
        "image size \(width)x\(height) is outside 1x1...\(Self.maximumWidth)x\(Self.maximumHeight)")
    }
    guard (1...100).contains(jpegQuality) else {
      throw WorkerRequestError("JPEG quality \(jpegQuality) is outside 1...100")
    }
    try camera.validate()
  }
}

/// The camera an image is taken from (the renderer's own choice of cameras).
public typealias CameraChoice = SceneRenderer.Camera

extension CameraChoice {
  func validate() throws {
    if case .orbit(let azimuth, let elevation, let distance, let lookat) = self {
      let numbers = [azimuth, elevation, distance].compactMap { $0 } + (lookat ?? [])
      guard numbers.allSatisfy(\.isFinite) else {
        throw WorkerRequestError("camera numbers must be finite")
      }
      if let distance, distance <= 0 {
        throw WorkerRequestError("camera distance must be positive")
      }
      if let lookat, lookat.count != 3 {
        throw WorkerRequestError("camera lookat needs 3 numbers, got \(lookat.count)")
      }
    }
  }
}

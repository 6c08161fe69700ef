/// What an image of a model state should look like.
public struct RenderOptions: Codable, Sendable, Equatable {
  public enum Format: String, Codable, Sendable { case jpeg, png }

  /// `high` keeps the model's own visual settings; `fast` turns off
  /// multisampling and uses a small shadow map (about 3x the frame rate).
  public enum Quality: String, Codable, Sendable, CaseIterable { case high, fast }

  public static let maximumWidth = 1920
  public static let maximumHeight = 1080

  public var width: Int
  public var height: Int
  public var format: Format
  public var quality: Quality
  /// JPEG quality 1...100 (ignored for PNG).
  public var jpegQuality: Int
  public var camera: CameraChoice

  public init(
    width: Int = 480, height: Int = 360, format: Format = .jpeg, quality: Quality = .fast,
    jpegQuality: Int = 80, camera: CameraChoice = .free
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

/// The camera an image is taken from.
public enum CameraChoice: Codable, Sendable, Equatable {
  /// MuJoCo's default free camera, framing the whole model.
  case free
  /// A camera the model defines, by name.
  case named(String)
  /// The free camera moved: angles in degrees; nil keeps the default.
  case orbit(azimuth: Double?, elevation: Double?, distance: Double?, lookat: [Double]?)

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

/// A project's id: a short random lowercase hex string, also its folder name.
///
/// Anything else (`.`, `..`, `%2E`, names with `/`, upper case) is not one of ours and is refused
/// before it gets near the file system.
public struct ProjectID: Hashable, Sendable, CustomStringConvertible {
  /// Length of new ids (the original's ids have ten hex digits too).
  public static let length = 10

  public let rawValue: String

  /// Accepts 6 to 32 lowercase hex digits; throws `ProjectError.invalidProjectID` otherwise.
  public init(_ text: String) throws {
    guard (6...32).contains(text.utf8.count), text.utf8.allSatisfy(\.isLowerHexDigit) else {
      throw ProjectError.invalidProjectID(text)
    }
    rawValue = text
  }

  private init(unchecked: String) { rawValue = unchecked }

  /// A fresh random id.
  public static func random() -> ProjectID {
    ProjectID(unchecked: randomHex(bytes: length / 2))
  }

  public var description: String { rawValue }
}

/// In JSON a project id is its string; one that is not ours does not decode.
extension ProjectID: Codable {
  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do {
      try self.init(text)
    } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "invalid project id \(text)"))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

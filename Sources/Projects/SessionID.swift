/// Whose projects a request may see: `local` for the single-user CLI, otherwise a random
/// 128-bit id (32 lowercase hex digits) that a browser holds in the `tau_sid` cookie.
///
/// It doubles as a folder name under the projects folder, so only these two shapes exist.
public struct SessionID: Hashable, Sendable, CustomStringConvertible {
  /// The folder name, and the cookie value.
  public let rawValue: String

  /// The session of a single-user server.
  public static let local = SessionID(unchecked: "local")

  /// Accepts `local` or 32 lowercase hex digits; nil for anything else.
  public init?(_ text: String) {
    guard text == "local" || Self.isRandomID(text) else { return nil }
    rawValue = text
  }

  private init(unchecked: String) { rawValue = unchecked }

  /// A fresh random session (128 bits from the system's secure generator).
  public static func random() -> SessionID {
    SessionID(unchecked: randomHex(bytes: 16))
  }

  /// Whether `text` has the shape of a random session id (not `local`).
  public static func isRandomID(_ text: String) -> Bool {
    text.utf8.count == 32 && text.utf8.allSatisfy(\.isLowerHexDigit)
  }

  public var description: String { rawValue }
}

extension UInt8 {
  var isLowerHexDigit: Bool {
    (0x30...0x39).contains(self) || (0x61...0x66).contains(self)
  }
}

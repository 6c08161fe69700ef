import Foundation

/// Where a change to a file came from, kept in the file history with the version it
/// replaced: a proposal of the assistant (provider, model and whether the simulator's check
/// passed), a person's answer in the manual queue, an MCP client, a Menagerie import.
/// Every field is bounded: it comes with a request.
public struct ChangeSource: Codable, Sendable, Equatable {
  /// `assistant`, `manual`, `mcp`, `import`, `restore`, or a client's own word.
  public var kind: String
  public var provider: String?
  public var model: String?
  /// Whether the simulator's check of the proposal passed.
  public var checkOK: Bool?
  /// Who (an MCP client's name).
  public var client: String?

  public static let maximumFieldLength = 200

  public init(
    kind: String, provider: String? = nil, model: String? = nil, checkOK: Bool? = nil,
    client: String? = nil
  ) {
    self.kind = kind
    self.provider = provider
    self.model = model
    self.checkOK = checkOK
    self.client = client
  }

  enum CodingKeys: String, CodingKey {
    case kind, provider, model, client
    case checkOK = "check_ok"
  }

  /// Throws a message naming the field when one is empty, too long or not plain text.
  public func validated() throws -> ChangeSource {
    for (name, value) in [
      ("kind", kind), ("provider", provider), ("model", model), ("client", client),
    ] {
      guard let value else { continue }
      guard !value.isEmpty, value.count <= Self.maximumFieldLength,
        !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
      else {
        throw ProjectError.invalidRequest(
          "source.\(name) must be 1 to \(Self.maximumFieldLength) characters of plain text")
      }
    }
    return self
  }
}

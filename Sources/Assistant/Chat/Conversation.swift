import Foundation

/// A project's conversation as stored with it (`.tau/chat.json`): it survives a reload and
/// a restart, and can be cleared. Read back as untrusted (the project's code could have
/// written it): what does not decode is an empty conversation.
public struct Conversation: Codable, Sendable, Equatable {
  public struct Turn: Codable, Sendable, Equatable {
    public var role: ChatMessage.Role
    public var content: String
    public var time: Double
    public var provider: ProviderID?
    public var model: String?
    public var proposals: [Proposal]?
    public var check: CheckReport?
    public var usage: TokenUsage?
  }

  public var turns: [Turn] = []
  /// Older turns go once there are more (the file stays small).
  public static let maximumTurns = 200

  public init() {}

  public static func decode(_ data: Data?) -> Conversation {
    guard let data, let conversation = try? JSONDecoder().decode(Conversation.self, from: data)
    else { return Conversation() }
    return conversation
  }

  public func encoded() throws -> Data { try JSONEncoder().encode(self) }

  public mutating func append(_ turn: Turn) {
    turns.append(turn)
    if turns.count > Self.maximumTurns { turns.removeFirst(turns.count - Self.maximumTurns) }
  }
}

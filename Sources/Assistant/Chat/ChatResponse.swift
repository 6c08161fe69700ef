import Foundation

/// One proposed file: its whole new content (the original's shape).
public struct Proposal: Codable, Sendable, Equatable {
  public var path: String
  public var newContent: String
  public var rationale: String

  public init(path: String, newContent: String, rationale: String = "") {
    self.path = path
    self.newContent = newContent
    self.rationale = rationale
  }

  enum CodingKeys: String, CodingKey {
    case path, rationale
    case newContent = "new_content"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    path = try c.decode(String.self, forKey: .path)
    newContent = try c.decode(String.self, forKey: .newContent)
    rationale = try c.decodeIfPresent(String.self, forKey: .rationale) ?? ""
  }
}

/// The answer to a chat request: the original's `reply`, `proposals`, `pending_id`, then
/// ours (which an original client ignores).
public struct ChatResponse: Codable, Sendable, Equatable {
  public var reply: String
  public var proposals: [Proposal]
  public var pendingID: String?
  /// The simulator's check of the proposals (nil when there are none or it was off).
  public var check: CheckReport?
  /// Proposals refused before any check (a path outside the project, a binary file).
  public var refused: [RefusedProposal]
  /// What the repair rounds fixed, in words (empty when none ran).
  public var repairs: [String]
  public var provider: ProviderID?
  public var model: String?
  /// This answer's tokens, all rounds together, and the session's totals.
  public var usage: TokenUsage
  public var sessionUsage: TokenUsage

  public init(
    reply: String, proposals: [Proposal] = [], pendingID: String? = nil,
    check: CheckReport? = nil, refused: [RefusedProposal] = [], repairs: [String] = [],
    provider: ProviderID? = nil, model: String? = nil, usage: TokenUsage = TokenUsage(),
    sessionUsage: TokenUsage = TokenUsage()
  ) {
    self.reply = reply
    self.proposals = proposals
    self.pendingID = pendingID
    self.check = check
    self.refused = refused
    self.repairs = repairs
    self.provider = provider
    self.model = model
    self.usage = usage
    self.sessionUsage = sessionUsage
  }

  enum CodingKeys: String, CodingKey {
    case reply, proposals, check, refused, repairs, provider, model, usage
    case pendingID = "pending_id"
    case sessionUsage = "session_usage"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(reply, forKey: .reply)
    try c.encode(proposals, forKey: .proposals)
    // The original always sends the key, null when nothing is pending.
    try c.encode(pendingID, forKey: .pendingID)
    try c.encodeIfPresent(check, forKey: .check)
    try c.encode(refused, forKey: .refused)
    try c.encode(repairs, forKey: .repairs)
    try c.encodeIfPresent(provider, forKey: .provider)
    try c.encodeIfPresent(model, forKey: .model)
    try c.encode(usage, forKey: .usage)
    try c.encode(sessionUsage, forKey: .sessionUsage)
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    reply = try c.decode(String.self, forKey: .reply)
    proposals = try c.decodeIfPresent([Proposal].self, forKey: .proposals) ?? []
    pendingID = try c.decodeIfPresent(String.self, forKey: .pendingID)
    check = try c.decodeIfPresent(CheckReport.self, forKey: .check)
    refused = try c.decodeIfPresent([RefusedProposal].self, forKey: .refused) ?? []
    repairs = try c.decodeIfPresent([String].self, forKey: .repairs) ?? []
    provider = try c.decodeIfPresent(ProviderID.self, forKey: .provider)
    model = try c.decodeIfPresent(String.self, forKey: .model)
    usage = try c.decodeIfPresent(TokenUsage.self, forKey: .usage) ?? TokenUsage()
    sessionUsage = try c.decodeIfPresent(TokenUsage.self, forKey: .sessionUsage) ?? TokenUsage()
  }
}

/// A proposal the server would not check or show as applicable, and why.
public struct RefusedProposal: Codable, Sendable, Equatable {
  public var path: String
  public var reason: String
}

import Foundation
import Projects

/// Requests for a person (or another tool) to answer, per session: a session sees and
/// answers only its own; a request not answered within `lifetime` expires.
public actor ManualQueue {
  /// One request as the answerer reads it (the original's `request.json` fields).
  public struct Request: Codable, Sendable, Equatable {
    public var id: String
    public var projectID: String
    public var time: Double
    public var system: String
    public var messages: [ChatMessage]

    enum CodingKeys: String, CodingKey {
      case id, time, system, messages
      case projectID = "project_id"
    }
  }

  /// The person's answer: the original's body.
  public struct Answer: Decodable, Sendable {
    public var reply: String
    public var proposals: [Proposal]

    enum CodingKeys: String, CodingKey { case reply, proposals }

    public init(reply: String, proposals: [Proposal]) {
      self.reply = reply
      self.proposals = proposals
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      reply = try c.decodeIfPresent(String.self, forKey: .reply) ?? ""
      proposals = try c.decodeIfPresent([Proposal].self, forKey: .proposals) ?? []
    }
  }

  private struct Entry {
    var session: SessionID
    var request: Request
    var response: ChatResponse?
    var expires: ContinuousClock.Instant
  }

  public let lifetime: Duration
  public let maximumPerSession = 50
  private var entries: [String: Entry] = [:]

  public init(lifetime: Duration = .seconds(3600)) { self.lifetime = lifetime }

  /// Queues a request; throws when the session already has too many waiting.
  public func enqueue(
    session: SessionID, projectID: String, system: String, messages: [ChatMessage]
  ) throws -> Request {
    expire()
    let waiting = entries.values.filter { $0.session == session && $0.response == nil }.count
    guard waiting < maximumPerSession else {
      throw ProviderError(
        .rateLimited, provider: .manual,
        "this session already has \(waiting) requests waiting in the manual queue")
    }
    let request = Request(
      id: UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        .description,
      projectID: projectID, time: Date().timeIntervalSince1970, system: system,
      messages: messages)
    entries[request.id] = Entry(
      session: session, request: request, response: nil, expires: .now + lifetime)
    return request
  }

  /// The session's requests not answered yet, oldest first.
  public func pending(session: SessionID) -> [Request] {
    expire()
    return entries.values.filter { $0.session == session && $0.response == nil }
      .map(\.request).sorted { $0.time < $1.time }
  }

  /// One of the session's requests (answered or not); nil when it has none of that id.
  public func request(_ id: String, session: SessionID) -> Request? {
    expire()
    guard let entry = entries[id], entry.session == session else { return nil }
    return entry.request
  }

  /// Records the answer; false when the session has no such request waiting.
  public func respond(_ id: String, session: SessionID, with response: ChatResponse) -> Bool {
    expire()
    guard var entry = entries[id], entry.session == session, entry.response == nil else {
      return false
    }
    entry.response = response
    entry.expires = .now + lifetime
    entries[id] = entry
    return true
  }

  /// Nil: no such request; `.some(nil)`: still pending.
  public func result(_ id: String, session: SessionID) -> ChatResponse?? {
    expire()
    guard let entry = entries[id], entry.session == session else { return nil }
    return .some(entry.response)
  }

  private func expire() {
    let now = ContinuousClock.now
    entries = entries.filter { $0.value.expires > now }
  }
}

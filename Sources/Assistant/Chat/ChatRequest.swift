import Foundation

/// A turn of the conversation as a client sends it (the original's shape).
public struct ChatMessage: Codable, Sendable, Equatable {
  public enum Role: String, Codable, Sendable { case user, assistant, system }
  public var role: Role
  public var content: String

  public init(role: Role, content: String) {
    self.role = role
    self.content = content
  }
}

/// `POST /api/chat` and `/api/chat/stream`: the original's fields, then ours (all optional,
/// so an original client's request means what it meant).
public struct ChatRequest: Decodable, Sendable {
  public var projectID: String
  public var messages: [ChatMessage]
  /// Nil: the first provider with a server key, else `manual`.
  public var provider: ProviderID?
  public var model: String?
  /// The user's own key for this request (wins over the server's). Never stored or logged.
  public var apiKey: String?
  /// False: a conversation about the project with no proposals asked for.
  public var proposeDiff: Bool

  /// Ours: the vendor's base URL for this request; single-user mode only.
  public var baseURL: String?
  /// Ours: which project files go with the message (paths; nil = the default selection).
  public var include: [String]?
  public var exclude: [String]?
  /// Ours: attach the last run's summary, and the error logs the client saw.
  public var attachRun: Bool
  public var runLogs: [String]
  /// Ours: pictures (base64 PNG or JPEG), and a snapshot or filmstrip of the project.
  public var images: [ChatImage]
  public var attachSnapshot: Bool
  public var attachFilmstrip: Bool
  /// Ours: checking proposals (on by default).
  public var check: CheckOptions

  public init(projectID: String, messages: [ChatMessage], provider: ProviderID? = nil) {
    self.projectID = projectID
    self.messages = messages
    self.provider = provider
    proposeDiff = true
    attachRun = false
    runLogs = []
    images = []
    attachSnapshot = false
    attachFilmstrip = false
    check = CheckOptions()
  }

  enum CodingKeys: String, CodingKey {
    case messages, provider, model, include, exclude, images, check
    case projectID = "project_id"
    case apiKey = "api_key"
    case proposeDiff = "propose_diff"
    case baseURL = "base_url"
    case attachRun = "attach_run"
    case runLogs = "run_logs"
    case attachSnapshot = "attach_snapshot"
    case attachFilmstrip = "attach_filmstrip"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    projectID = try c.decode(String.self, forKey: .projectID)
    messages = try c.decode([ChatMessage].self, forKey: .messages)
    if let name = try c.decodeIfPresent(String.self, forKey: .provider), !name.isEmpty {
      guard let id = ProviderID(rawValue: name) else {
        throw DecodingError.dataCorruptedError(
          forKey: .provider, in: c,
          debugDescription: "unknown provider \(String(reflecting: name)); use one of "
            + ProviderID.allCases.map(\.rawValue).joined(separator: ", "))
      }
      provider = id
    }
    model = try c.decodeIfPresent(String.self, forKey: .model).flatMap { $0.isEmpty ? nil : $0 }
    apiKey = try c.decodeIfPresent(String.self, forKey: .apiKey).flatMap {
      $0.isEmpty ? nil : $0
    }
    proposeDiff = try c.decodeIfPresent(Bool.self, forKey: .proposeDiff) ?? true
    baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL).flatMap {
      $0.isEmpty ? nil : $0
    }
    include = try c.decodeIfPresent([String].self, forKey: .include)
    exclude = try c.decodeIfPresent([String].self, forKey: .exclude)
    attachRun = try c.decodeIfPresent(Bool.self, forKey: .attachRun) ?? false
    runLogs = Array((try c.decodeIfPresent([String].self, forKey: .runLogs) ?? []).suffix(50))
    images = try c.decodeIfPresent([ChatImage].self, forKey: .images) ?? []
    attachSnapshot = try c.decodeIfPresent(Bool.self, forKey: .attachSnapshot) ?? false
    attachFilmstrip = try c.decodeIfPresent(Bool.self, forKey: .attachFilmstrip) ?? false
    check = try c.decodeIfPresent(CheckOptions.self, forKey: .check) ?? CheckOptions()
  }
}

/// A picture a client attaches: `{"media_type": "image/png", "data": BASE64}`.
public struct ChatImage: Decodable, Sendable {
  public var mediaType: String
  public var data: String

  enum CodingKeys: String, CodingKey {
    case data
    case mediaType = "media_type"
  }
}

/// How proposals are checked: N control steps of a smoke run, K episodes compared, R rounds
/// of repair. Bounded so no request can make the server simulate for long.
public struct CheckOptions: Codable, Sendable, Equatable {
  public static let stepRange = 1...5000
  public static let episodeRange = 0...5
  public static let roundRange = 0...4

  public var enabled = true
  public var steps = 200
  public var episodes = 1
  public var repairRounds = 2

  public init() {}

  enum CodingKeys: String, CodingKey {
    case enabled, steps, episodes
    case repairRounds = "repair_rounds"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
    steps = try Self.bounded(c, .steps, Self.stepRange) ?? 200
    episodes = try Self.bounded(c, .episodes, Self.episodeRange) ?? 1
    repairRounds = try Self.bounded(c, .repairRounds, Self.roundRange) ?? 2
  }

  static func bounded(
    _ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ range: ClosedRange<Int>
  ) throws -> Int? {
    guard let value = try c.decodeIfPresent(Int.self, forKey: key) else { return nil }
    guard range.contains(value) else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: c,
        debugDescription:
          "check.\(key.stringValue) must be within \(range.lowerBound)...\(range.upperBound)")
    }
    return value
  }
}

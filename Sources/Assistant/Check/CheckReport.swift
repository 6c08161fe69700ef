import Foundation

/// What the simulator found in a set of proposals, before the user reads them.
public struct CheckReport: Codable, Sendable, Equatable {
  /// The scene compiled, the Python loaded, and the smoke run ended without an error, a
  /// wrong action shape or a non-finite state.
  public var ok: Bool
  public var errors: [CheckIssue]
  public var warnings: [String]
  /// The project as it is, and with the proposals, over the same episodes.
  public var before: BehaviourReport?
  public var after: BehaviourReport?

  public init(
    ok: Bool, errors: [CheckIssue] = [], warnings: [String] = [], before: BehaviourReport? = nil,
    after: BehaviourReport? = nil
  ) {
    self.ok = ok
    self.errors = errors
    self.warnings = warnings
    self.before = before
    self.after = after
  }
}

/// One problem, with where it is when the simulator said.
public struct CheckIssue: Codable, Sendable, Equatable {
  public enum Stage: String, Codable, Sendable {
    /// The MJCF scene does not compile.
    case scene
    /// The env's Python does not load or raises.
    case python
    /// The episode ran but went wrong (action shape, NaN, a limit).
    case run
    /// A proposal was refused before any check.
    case proposal
  }

  public var stage: Stage
  public var message: String
  public var file: String?
  public var line: Int?

  public init(stage: Stage, message: String, file: String? = nil, line: Int? = nil) {
    self.stage = stage
    self.message = message
    self.file = file
    self.line = line
  }

  /// As the model reads it in a repair request, and a user in a reply.
  public var text: String {
    let place = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
    return place.isEmpty
      ? "\(stage.rawValue): \(message)" : "\(stage.rawValue) \(place): \(message)"
  }
}

/// How the project behaves over the compared episodes.
public struct BehaviourReport: Codable, Sendable, Equatable {
  public var episodes: [EpisodeFigures]

  public init(episodes: [EpisodeFigures]) { self.episodes = episodes }
}

/// One episode's figures, side by side before and after.
public struct EpisodeFigures: Codable, Sendable, Equatable {
  public var totalReward: Double
  public var steps: Int
  /// Why it ended (`max_steps`, `finished`, `error`, ...).
  public var reason: String
  /// The root body's height at the start and the end, and how far it travelled in the plane.
  public var rootHeightStart: Double?
  public var rootHeightEnd: Double?
  public var travel: Double?
  /// A state went NaN or infinite.
  public var diverged: Bool
  /// The first error, when it ended in one.
  public var error: String?

  enum CodingKeys: String, CodingKey {
    case steps, reason, travel, diverged, error
    case totalReward = "total_reward"
    case rootHeightStart = "root_height_start"
    case rootHeightEnd = "root_height_end"
  }
}

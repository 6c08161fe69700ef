import Foundation
import Workers

/// K pictures evenly spaced over a short run, and numbers that say how the
/// run went: what a vision model needs to judge a change.
public struct Filmstrip: Encodable, Sendable {
  public struct Frame: Encodable, Sendable {
    public var step: Int
    public var jpegBase64: String

    enum CodingKeys: String, CodingKey {
      case step
      case jpegBase64 = "jpeg_b64"
    }
  }

  public struct Metrics: Encodable, Sendable {
    public var steps: Int
    public var totalReward: Double
    public var reason: EndReason
    public var rootHeightStart: Double?
    public var rootHeightEnd: Double?
    public var rootHeightMin: Double?
    public var rootHeightMax: Double?
    /// Distance in the ground plane from the root's first to last position.
    public var horizontalTravel: Double?
    /// Whether any state held a NaN or an infinity (the physics diverged).
    public var diverged: Bool

    enum CodingKeys: String, CodingKey {
      case steps, reason, diverged
      case totalReward = "total_reward"
      case rootHeightStart = "root_height_start"
      case rootHeightEnd = "root_height_end"
      case rootHeightMin = "root_height_min"
      case rootHeightMax = "root_height_max"
      case horizontalTravel = "horizontal_travel"
    }

    init(result: HeadlessEpisode.Result, rootPositions: [[Double]]) {
      steps = result.summary.steps
      totalReward = result.summary.totalReward
      reason = result.summary.reason
      let finite = rootPositions.filter { $0.allSatisfy(\.isFinite) }
      let heights = finite.map { $0[2] }
      rootHeightStart = heights.first
      rootHeightEnd = heights.last
      rootHeightMin = heights.min()
      rootHeightMax = heights.max()
      if let first = finite.first, let last = finite.last {
        horizontalTravel =
          ((last[0] - first[0]) * (last[0] - first[0]) + (last[1] - first[1]) * (last[1] - first[1]))
          .squareRoot()
      }
      diverged =
        finite.count != rootPositions.count
        || result.states.contains { $0.contains { !$0.isFinite } }
    }
  }

  public var frames: [Frame]
  public var metrics: Metrics
  public var logs: [String]

  /// `count` indices spread over `total` items, first and last included.
  static func evenlySpaced(count: Int, of total: Int) -> [Int] {
    guard total > 0 else { return [] }
    guard count > 1, total > 1 else { return [total - 1] }
    let picks = (0..<count).map {
      Int((Double($0) * Double(total - 1) / Double(count - 1)).rounded())
    }
    return Array(Set(picks)).sorted()
  }
}

import Foundation
import Synchronization
import Workers

/// How many fresh sessions one client address may be given: `perWindow` within `window`
/// (a token bucket, so a burst of a whole window's worth is allowed, then one per
/// `window / perWindow`). Every session may make projects, so without it one client could
/// mint sessions, and fill the disk with their projects, as fast as it can ask.
final class NewSessionLimiter: Sendable {
  let perWindow: Int
  let window: Duration
  /// Addresses remembered at most.
  static let capacity = 10_000

  private struct Bucket {
    var tokens: Double
    var at: ContinuousClock.Instant
  }

  private let buckets = Mutex<[String: Bucket]>([:])

  init(perWindow: Int, window: Duration = .seconds(600)) {
    self.perWindow = max(1, perWindow)
    self.window = window
  }

  /// Takes one session for `address`: nil when granted, else how long until the next.
  func take(_ address: String) -> Duration? {
    let now = ContinuousClock.now
    let perSecond = Double(perWindow) / window.seconds
    return buckets.withLock { buckets in
      var bucket = buckets[address] ?? Bucket(tokens: Double(perWindow), at: now)
      bucket.tokens = min(Double(perWindow), bucket.tokens + (now - bucket.at).seconds * perSecond)
      bucket.at = now
      defer {
        buckets[address] = bucket
        if buckets.count > Self.capacity { Self.forgetOldest(&buckets) }
      }
      guard bucket.tokens >= 1 else { return .seconds((1 - bucket.tokens) / perSecond) }
      bucket.tokens -= 1
      return nil
    }
  }

  /// Forgets the addresses seen longest ago (they have refilled the most), down to half.
  private static func forgetOldest(_ buckets: inout [String: Bucket]) {
    let oldest = buckets.sorted { $0.value.at < $1.value.at }.prefix(buckets.count - capacity / 2)
    for (address, _) in oldest { buckets[address] = nil }
  }
}

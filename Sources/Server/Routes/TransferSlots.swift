import Hummingbird
import Synchronization

/// How many large transfers (zip uploads and downloads, each held whole in memory) may run
/// at once; one more is refused with a 503 and `Retry-After`, so a burst of them cannot
/// exhaust the server's memory.
final class TransferSlots: Sendable {
  let capacity: Int
  private let inUse = Mutex(0)

  init(capacity: Int) { self.capacity = capacity }

  /// Runs `body` in a slot, or throws a 503 when all are taken.
  func run<T>(_ body: () async throws -> T) async throws -> T {
    guard tryAcquire() else {
      throw HTTPError(
        .serviceUnavailable, headers: [.retryAfter: "2"],
        message: "\(capacity) zip transfers are already running; try again in a moment")
    }
    defer { release() }
    return try await body()
  }

  func tryAcquire() -> Bool {
    inUse.withLock { count in
      guard count < capacity else { return false }
      count += 1
      return true
    }
  }

  func release() { inUse.withLock { $0 -= 1 } }
}

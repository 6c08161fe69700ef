import Hummingbird
import Projects
import Synchronization

/// Checks that may run at once: one per session, a few in the server (each runs episodes
/// and compiles). One more is a 429 that says which limit.
final class CheckSlots: Sendable {
  let perSession: Int
  let total: Int
  private let running = Mutex<[SessionID: Int]>([:])

  init(perSession: Int = 1, total: Int = 3) {
    self.perSession = perSession
    self.total = total
  }

  func run<T>(session: SessionID, _ body: () async throws -> T) async throws -> T {
    let refusal: String? = running.withLock { running in
      if running[session, default: 0] >= perSession {
        return "this session is already checking a change; wait for it to finish"
      }
      if running.values.reduce(0, +) >= total {
        return "\(total) checks are already running; try again in a moment"
      }
      running[session, default: 0] += 1
      return nil
    }
    if let refusal {
      throw HTTPError(.tooManyRequests, headers: [.retryAfter: "5"], message: refusal)
    }
    defer {
      running.withLock { running in
        running[session, default: 1] -= 1
        if running[session] == 0 { running[session] = nil }
      }
    }
    return try await body()
  }
}

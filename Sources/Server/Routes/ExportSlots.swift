import Hummingbird
import Projects
import Synchronization

/// How many video exports may run at once: one per session, a few in the server. Each holds
/// a render worker and an ffmpeg for as long as it takes; one more is refused with a 429 that
/// says which limit.
final class ExportSlots: Sendable {
  let perSession: Int
  let total: Int
  private let running = Mutex<[SessionID: Int]>([:])

  init(perSession: Int = 1, total: Int = 2) {
    self.perSession = perSession
    self.total = total
  }

  /// Runs `body` in a slot of `session`, or throws a 429 when none is free.
  func run<T>(session: SessionID, _ body: () async throws -> T) async throws -> T {
    try acquire(session)
    defer { release(session) }
    return try await body()
  }

  func acquire(_ session: SessionID) throws {
    let refusal: String? = running.withLock { running in
      if running[session, default: 0] >= perSession {
        return "this session is already exporting a video; wait for it to finish"
      }
      if running.values.reduce(0, +) >= total {
        return "\(total) video exports are already running; try again in a moment"
      }
      running[session, default: 0] += 1
      return nil
    }
    if let refusal {
      throw HTTPError(.tooManyRequests, headers: [.retryAfter: "5"], message: refusal)
    }
  }

  func release(_ session: SessionID) {
    running.withLock { running in
      running[session, default: 1] -= 1
      if running[session] == 0 { running[session] = nil }
    }
  }
}

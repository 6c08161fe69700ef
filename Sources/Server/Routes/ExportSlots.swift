import Hummingbird
import Projects
import Synchronization

/// How many video exports may run at once: one per session, a few in the server. Each holds
/// a render worker and an ffmpeg for as long as it takes; one more is refused with a 429 that
/// says which limit. The slots also keep each export's progress, for the progress route.
final class ExportSlots: Sendable {
  let perSession: Int
  let total: Int
  private let running = Mutex<[SessionID: Int]>([:])
  private let progress = Mutex<[ExportProgress.Key: ExportProgress]>([:])

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

  /// Runs `body` in a slot of `session` for `run` of `project`, its progress kept while it
  /// runs: `body` reports frames done through the function it is given.
  func run<T>(
    session: SessionID, project: ProjectID, run: String,
    _ body: (@escaping @Sendable (_ done: Int, _ total: Int) -> Void) async throws -> T
  ) async throws -> T {
    let key = ExportProgress.Key(session: session, project: project, run: run)
    return try await self.run(session: session) {
      progress.withLock { $0[key] = ExportProgress(frames: 0, total: 0) }
      defer { progress.withLock { $0[key] = nil } }
      return try await body { [self] done, total in
        progress.withLock { $0[key] = ExportProgress(frames: done, total: total) }
      }
    }
  }

  /// The progress of the export of `run` of `project` in `session`, nil when none runs.
  func progress(session: SessionID, project: ProjectID, run: String) -> ExportProgress? {
    progress.withLock { $0[ExportProgress.Key(session: session, project: project, run: run)] }
  }

  func release(_ session: SessionID) {
    running.withLock { running in
      running[session, default: 1] -= 1
      if running[session] == 0 { running[session] = nil }
    }
  }
}

/// How far one export is: frames rendered and encoded of the run's total (0 while its states
/// are read).
struct ExportProgress: Codable, Equatable, Sendable {
  var frames: Int
  var total: Int

  struct Key: Hashable, Sendable {
    let session: SessionID
    let project: ProjectID
    let run: String
  }
}

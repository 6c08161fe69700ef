/// Admission of episodes: at most `perSession` at once in a session and
/// `total` in the server; the rest wait in arrival order and are told
/// their place.
public actor EpisodeScheduler {
  public let perSession: Int
  public let total: Int
  private var running: [String: Int] = [:]
  private var runningTotal = 0
  private var queue: [Waiter] = []

  private struct Waiter {
    let id: Int
    let session: String
    let continuation: CheckedContinuation<Void, Error>
  }
  private var nextID = 0

  public init(perSession: Int = 2, total: Int = 4) {
    self.perSession = max(1, perSession)
    self.total = max(1, total)
  }

  /// Waits for a slot. `queued` is called with the 1-based place in the
  /// queue when the episode has to wait. Cancellation leaves the queue.
  public func acquire(session: String, queued: @Sendable (Int) async -> Void) async throws {
    if queue.isEmpty && canStart(session) {
      start(session)
      return
    }
    let id = nextID
    nextID += 1
    let place = queue.filter { $0.session == session || !canStart($0.session) }.count + 1
    await queued(place)
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<Void, Error>) in
        if Task.isCancelled {
          continuation.resume(throwing: CancellationError())
        } else {
          queue.append(Waiter(id: id, session: session, continuation: continuation))
          admit()
        }
      }
    } onCancel: {
      Task { await self.leave(id) }
    }
  }

  /// Frees the slot of a finished episode of `session`.
  public func release(session: String) {
    running[session, default: 1] -= 1
    if running[session] == 0 { running[session] = nil }
    runningTotal -= 1
    admit()
  }

  public var counts: (running: Int, waiting: Int) { (runningTotal, queue.count) }

  private func canStart(_ session: String) -> Bool {
    runningTotal < total && running[session, default: 0] < perSession
  }

  private func start(_ session: String) {
    running[session, default: 0] += 1
    runningTotal += 1
  }

  private func admit() {
    var index = 0
    while index < queue.count {
      let waiter = queue[index]
      if canStart(waiter.session) {
        queue.remove(at: index)
        start(waiter.session)
        waiter.continuation.resume()
      } else {
        index += 1
      }
    }
  }

  private func leave(_ id: Int) {
    guard let index = queue.firstIndex(where: { $0.id == id }) else { return }
    queue.remove(at: index).continuation.resume(throwing: CancellationError())
  }
}

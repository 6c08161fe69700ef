/// A queue whose reader can wait for the next element with a time limit.
///
/// Racing an `AsyncStream`'s `next()` against a timer does not work: when the
/// timer wins, cancelling the waiting `next()` ends the whole stream. Here a
/// time-out only ends that one wait.
///
/// With a `capacity`, at most that many elements wait: a new one beyond it drops the
/// oldest, so a sender nobody reads (a client waiting for its episode's turn) cannot fill
/// the server's memory.
public actor TimedQueue<Element: Sendable> {
  private let capacity: Int
  private var buffer: [Element] = []
  private var finished = false
  private var waiter: (id: Int, continuation: CheckedContinuation<Element?, Never>)?
  private var nextWaiterID = 0
  private var endWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
  /// Elements dropped because `capacity` were waiting.
  public private(set) var dropped = 0

  public init(capacity: Int = .max) {
    self.capacity = max(1, capacity)
  }

  /// Feeds the queue from `stream` until it ends; then the queue ends too.
  public init(draining stream: AsyncStream<Element>, capacity: Int = .max) {
    self.init(capacity: capacity)
    Task { [self] in
      for await element in stream { await push(element) }
      await finish()
    }
  }

  public func push(_ element: Element) {
    if let waiter {
      self.waiter = nil
      waiter.continuation.resume(returning: element)
    } else {
      if buffer.count >= capacity {
        buffer.removeFirst()
        dropped += 1
      }
      buffer.append(element)
    }
  }

  public func finish() {
    finished = true
    let ends = endWaiters.values
    endWaiters = [:]
    ends.forEach { $0.resume() }
    if let waiter {
      self.waiter = nil
      waiter.continuation.resume(returning: nil)
    }
  }

  /// The next element; nil at the end, or when `timeout` passes first.
  public func next(timeout: Duration? = nil) async -> Element? {
    if !buffer.isEmpty { return buffer.removeFirst() }
    if finished { return nil }
    let id = nextWaiterID
    nextWaiterID += 1
    if let timeout {
      Task { [self] in
        try? await Task.sleep(for: timeout)
        expire(id)
      }
    }
    return await withCheckedContinuation { waiter = (id, $0) }
  }

  /// Returns once the queue has ended (its source is gone), without taking any element;
  /// at once when cancelled.
  public func untilFinished() async {
    if finished { return }
    let id = nextWaiterID
    nextWaiterID += 1
    await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        if finished || Task.isCancelled {
          continuation.resume()
        } else {
          endWaiters[id] = continuation
        }
      }
    } onCancel: {
      Task { await self.stopWaitingForEnd(id) }
    }
  }

  private func stopWaitingForEnd(_ id: Int) {
    endWaiters.removeValue(forKey: id)?.resume()
  }

  private func expire(_ id: Int) {
    guard let waiter, waiter.id == id else { return }
    self.waiter = nil
    waiter.continuation.resume(returning: nil)
  }
}

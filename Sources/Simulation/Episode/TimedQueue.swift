/// A queue whose reader can wait for the next element with a time limit.
///
/// Racing an `AsyncStream`'s `next()` against a timer does not work: when the
/// timer wins, cancelling the waiting `next()` ends the whole stream. Here a
/// time-out only ends that one wait.
public actor TimedQueue<Element: Sendable> {
  private var buffer: [Element] = []
  private var finished = false
  private var waiter: (id: Int, continuation: CheckedContinuation<Element?, Never>)?
  private var nextWaiterID = 0

  public init() {}

  /// Feeds the queue from `stream` until it ends; then the queue ends too.
  public init(draining stream: AsyncStream<Element>) {
    self.init()
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
      buffer.append(element)
    }
  }

  public func finish() {
    finished = true
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

  private func expire(_ id: Int) {
    guard let waiter, waiter.id == id else { return }
    self.waiter = nil
    waiter.continuation.resume(returning: nil)
  }
}

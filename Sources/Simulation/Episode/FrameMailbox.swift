import Foundation
import Workers

/// What the worker reader hands the renderer, in the order the worker said it:
/// logs and states to render. Logs travel with the states so that a client
/// reads them where they happened (an error log after the last frame, never
/// before it).
///
/// Bounded either way. By default (`lossless`) a full mailbox makes the
/// reader wait, which stops it reading the worker's pipe, which stops the
/// worker: every frame is shown, at the pace rendering and the client allow,
/// as the original's clients expect. When a client asks for the latest frame
/// only, a state beyond `capacity` drops the oldest waiting state, so the
/// picture stays current; the last state of an episode and every log are
/// kept (a log flood makes the reader wait instead).
actor FrameMailbox {
  enum Item: Sendable {
    case log(level: LogLevel, message: String)
    case state([Double], StepTelemetry, poses: Data?)
    case started(EpisodeStart)
  }

  /// Logs that may wait behind slow frames before the reader must wait too.
  static let logCapacity = 256

  private let capacity: Int
  private let lossless: Bool
  private var items: [Item] = []
  private var states = 0
  private var producers: [CheckedContinuation<Void, Never>] = []
  private var finished = false
  private var waiter: CheckedContinuation<Item?, Never>?

  init(capacity: Int = 2, lossless: Bool = true) {
    self.capacity = max(1, capacity)
    self.lossless = lossless
  }

  func put(_ item: Item) async {
    if finished { return }
    if let waiter, items.isEmpty {
      self.waiter = nil
      waiter.resume(returning: item)
      return
    }
    while isFull(for: item) && !finished {
      await withCheckedContinuation { producers.append($0) }
    }
    if finished { return }
    items.append(item)
    if case .state = item {
      states += 1
      if states > capacity, let oldest = items.firstIndex(where: \.isState) {
        items.remove(at: oldest)
        states -= 1
      }
    }
    // The renderer may have begun waiting while this producer waited for room: it gets
    // the oldest item, never this one ahead of those before it.
    if let waiter {
      self.waiter = nil
      let first = items.removeFirst()
      if first.isState { states -= 1 }
      wakeProducers()
      waiter.resume(returning: first)
    }
  }

  /// Drops every waiting state (after a reset, old poses are stale); logs stay.
  func clear() {
    items.removeAll(where: \.isState)
    states = 0
    wakeProducers()
  }

  /// No more items: the reader and the renderer stop waiting on each other.
  /// Items already waiting are still taken.
  func finish() {
    finished = true
    wakeProducers()
    if let waiter {
      self.waiter = nil
      waiter.resume(returning: nil)
    }
  }

  /// The episode is stopped (its limit): no more items, and the waiting states are not worth
  /// rendering; the logs stay for `remainingLogs`.
  func stop() {
    items.removeAll(where: \.isState)
    states = 0
    finish()
  }

  /// The logs still waiting, in order; the mailbox is empty afterwards.
  func remainingLogs() -> [(level: LogLevel, message: String)] {
    defer {
      items = []
      states = 0
    }
    return items.compactMap {
      if case .log(let level, let message) = $0 { return (level, message) }
      return nil
    }
  }

  /// The next item; nil once finished and empty.
  func take() async -> Item? {
    if !items.isEmpty {
      let item = items.removeFirst()
      if item.isState { states -= 1 }
      wakeProducers()
      return item
    }
    if finished { return nil }
    return await withCheckedContinuation { waiter = $0 }
  }

  private func isFull(for item: Item) -> Bool {
    if lossless { return items.count >= capacity }
    return !item.isState && items.count - states >= Self.logCapacity
  }

  private func wakeProducers() {
    let waiting = producers
    producers = []
    waiting.forEach { $0.resume() }
  }
}

extension FrameMailbox.Item {
  var isState: Bool {
    if case .state = self { return true }
    return false
  }
}

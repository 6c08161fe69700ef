/// States waiting to be rendered, between the worker reader and the renderer.
///
/// Bounded either way. When `lossless` is off (episodes paced in real
/// time), a full mailbox drops its oldest state, so the picture stays
/// current; the last state of an episode is never dropped. When it is on
/// (speed 0: as fast as possible), a full mailbox makes the reader wait,
/// which stops it reading the worker's pipe, which stops the worker: every
/// frame is shown, at the pace rendering and the client allow.
actor FrameMailbox {
  struct Item: Sendable {
    var state: [Double]
    var telemetry: StepTelemetry
  }

  private let capacity: Int
  private let lossless: Bool
  private var items: [Item] = []
  private var producers: [CheckedContinuation<Void, Never>] = []
  private var finished = false
  private var waiter: CheckedContinuation<Item?, Never>?

  init(capacity: Int = 2, lossless: Bool = false) {
    self.capacity = capacity
    self.lossless = lossless
  }

  func put(_ item: Item) async {
    if let waiter {
      self.waiter = nil
      waiter.resume(returning: item)
      return
    }
    while lossless && items.count >= capacity && !finished {
      await withCheckedContinuation { producers.append($0) }
    }
    items.append(item)
    if items.count > capacity {
      items.removeFirst()
    }
  }

  /// Drops every waiting state (after a reset, old poses are stale).
  func clear() {
    items.removeAll()
    wakeProducers()
  }

  func finish() {
    finished = true
    wakeProducers()
    if let waiter {
      self.waiter = nil
      waiter.resume(returning: nil)
    }
  }

  /// The next state to render; nil once finished and empty.
  func take() async -> Item? {
    if !items.isEmpty {
      wakeProducers()
      return items.removeFirst()
    }
    if finished { return nil }
    return await withCheckedContinuation { waiter = $0 }
  }

  private func wakeProducers() {
    let waiting = producers
    producers = []
    waiting.forEach { $0.resume() }
  }
}

/// States waiting to be rendered, between the worker reader and the renderer.
///
/// Bounded: when rendering (or a slow client behind it) falls behind, the
/// oldest waiting state is dropped, so memory stays flat and the picture
/// stays current. The last state of an episode is never dropped.
actor FrameMailbox {
  struct Item: Sendable {
    var state: [Double]
    var telemetry: StepTelemetry
  }

  private let capacity: Int
  private var items: [Item] = []
  private var finished = false
  private var waiter: CheckedContinuation<Item?, Never>?
  private(set) var dropped = 0

  init(capacity: Int = 2) { self.capacity = capacity }

  func put(_ item: Item) {
    if let waiter {
      self.waiter = nil
      waiter.resume(returning: item)
      return
    }
    items.append(item)
    if items.count > capacity {
      items.removeFirst()
      dropped += 1
    }
  }

  /// Drops every waiting state (after a reset, old poses are stale).
  func clear() { items.removeAll() }

  func finish() {
    finished = true
    if let waiter {
      self.waiter = nil
      waiter.resume(returning: nil)
    }
  }

  /// The next state to render; nil once finished and empty.
  func take() async -> Item? {
    if !items.isEmpty { return items.removeFirst() }
    if finished { return nil }
    return await withCheckedContinuation { waiter = $0 }
  }
}

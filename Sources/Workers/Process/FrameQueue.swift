import Synchronization

/// The frames a worker sent that nobody has taken yet, for one consumer at a time (a worker's
/// hello is read by one, its episode by the next).
///
/// Not an `AsyncStream`: a live 3D view's 60 steps a second each went through the stream's
/// generic storage on the event loop, about a tenth of the step's cost on the server. This is
/// the same contract with concrete types: frames are taken in order; after `finish` those
/// waiting are still taken, then nil; a consumer whose task is cancelled gets nil, and the
/// queue ends there, its frames dropped. `onEnd` runs once the queue ends either way.
final class FrameQueue: Sendable {
  typealias Item = (frame: Frame, size: Int)

  private struct State {
    /// Taken slots are nil up to `head`; emptied once all are taken.
    var items: [Item?] = []
    var head = 0
    var ended = false
    var waiter: UnsafeContinuation<Item?, Never>?

    mutating func pop() -> Item? {
      guard head < items.count else { return nil }
      defer {
        head += 1
        if head == items.count {
          items.removeAll(keepingCapacity: true)
          head = 0
        } else if head >= 64, head * 2 >= items.count {
          // A consumer that never catches up (the budget keeps frames waiting) must not
          // leave a taken slot behind for every frame of the episode.
          items.removeFirst(head)
          head = 0
        }
      }
      let item = items[head]
      items[head] = nil
      return item
    }
  }

  private let state = Mutex(State())
  private let onEnd: @Sendable () -> Void

  init(onEnd: @escaping @Sendable () -> Void) {
    self.onEnd = onEnd
  }

  /// Adds a frame for the consumer; dropped once the queue has ended.
  func push(_ item: Item) {
    let waiter = state.withLock { state -> UnsafeContinuation<Item?, Never>? in
      guard !state.ended else { return nil }
      if let waiter = state.waiter {
        state.waiter = nil
        return waiter
      }
      state.items.append(item)
      return nil
    }
    waiter?.resume(returning: item)
  }

  /// No more frames come: the consumer takes those waiting, then nil.
  func finish() {
    end(dropping: false)
  }

  /// The next frame; nil at the end, or when the consumer's task is cancelled.
  func next() async -> Item? {
    await withTaskCancellationHandler {
      await withUnsafeContinuation { (continuation: UnsafeContinuation<Item?, Never>) in
        let ready = state.withLock { state -> Item?? in
          if let item = state.pop() { return .some(item) }
          if state.ended { return .some(nil) }
          precondition(state.waiter == nil, "a worker's frames were read by two tasks at once")
          state.waiter = continuation
          return nil
        }
        if let ready { continuation.resume(returning: ready) }
      }
    } onCancel: {
      end(dropping: true)
    }
  }

  private func end(dropping: Bool) {
    let (waiter, first) = state.withLock { state in
      defer {
        state.ended = true
        state.waiter = nil
        if dropping { state.items = [] }
      }
      return (state.waiter, !state.ended)
    }
    waiter?.resume(returning: nil)
    if first { onEnd() }
  }
}

import Foundation

/// The frames a worker sent, in order, with only a bounded number waiting in memory.
///
/// Past `FrameBudget`'s limits the worker's reader thread stops reading its pipe, so a worker
/// that outruns whoever consumes its frames (a flood of log lines, states faster than they are
/// rendered at speed 0) blocks on its own writes instead of filling the server's memory.
public struct WorkerFrames: AsyncSequence, Sendable {
  public typealias Element = Frame

  let queue: FrameQueue
  let budget: FrameBudget

  public struct AsyncIterator: AsyncIteratorProtocol {
    let queue: FrameQueue
    let budget: FrameBudget

    public mutating func next() async -> Frame? {
      guard let (frame, size) = await queue.next() else { return nil }
      budget.taken(size)
      return frame
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(queue: queue, budget: budget)
  }
}

/// How many frames (and bytes) of one worker may wait unconsumed; the reader thread blocks
/// until a frame fits. Once the worker is being killed, frames are discarded instead, so the
/// reader reaches the end of the pipe and reaps the worker.
///
/// Unchecked Sendable: its counters are touched only inside `condition`, which the reader
/// thread also waits on (a `Mutex` cannot wait).
final class FrameBudget: @unchecked Sendable {
  static let maximumFrames = 64
  static let maximumBytes = 64 * 1024 * 1024

  private let condition = NSCondition()
  private var frames = 0
  private var bytes = 0
  private var discarding = false
  /// A reader that cannot wait (`count`), to call once there is room again.
  private var onRoom: (@Sendable () -> Void)?

  /// Blocks until a frame of `size` bytes fits (an empty buffer takes any one frame); false
  /// when frames are being discarded.
  func admit(_ size: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while !discarding, frames > 0,
      frames >= Self.maximumFrames || bytes + size > Self.maximumBytes
    {
      condition.wait()
    }
    guard !discarding else { return false }
    frames += 1
    bytes += size
    return true
  }

  /// For a reader that cannot wait (an event loop's): counts in a frame it read, whatever the
  /// limits, unless frames are being discarded (`admitted` false). `room` false: the limits
  /// are reached, so read no more until `onRoom` is called.
  func count(_ size: Int, onRoom: @escaping @Sendable () -> Void) -> (admitted: Bool, room: Bool) {
    condition.lock()
    defer { condition.unlock() }
    guard !discarding else { return (false, true) }
    frames += 1
    bytes += size
    guard hasRoom else {
      self.onRoom = onRoom
      return (true, false)
    }
    return (true, true)
  }

  private var hasRoom: Bool { frames < Self.maximumFrames && bytes < Self.maximumBytes }

  func taken(_ size: Int) {
    condition.lock()
    frames -= 1
    bytes -= size
    condition.signal()
    let resume = hasRoom ? onRoom : nil
    if resume != nil { onRoom = nil }
    condition.unlock()
    resume?()
  }

  /// From now on nothing waits: frames are dropped (the worker is dying, or nobody listens).
  func discard() {
    condition.lock()
    discarding = true
    condition.broadcast()
    let resume = onRoom
    onRoom = nil
    condition.unlock()
    resume?()
  }
}

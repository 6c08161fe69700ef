import Foundation
import Synchronization

/// Reads a worker's output (its stdout's frames) somewhere other than the worker's own reader
/// thread: a server's event loop, where the frames' consumer runs and writes to its socket.
///
/// A live 3D view's step went from the worker's pipe to a reader thread, from it to the event
/// loop, and out to the socket: two threads woken a step where one does (docs/BENCH.md).
/// `WorkerProcess.handOverOutput(to:)` stops the thread between two frames and gives the pipe
/// to a reader of this kind.
public protocol WorkerOutputReader: Sendable {
  /// Reads frames from `descriptor` (its owner from now on, to close at the end) into `sink`.
  func read(descriptor: Int32, into sink: WorkerOutputSink)
}

/// Where a `WorkerOutputReader` puts what it reads: the worker's `frames`, with their budget,
/// and the worker's end.
public final class WorkerOutputSink: Sendable {
  private let process: WorkerProcess
  private let queue: FrameQueue
  private let budget: FrameBudget
  private let ended = Mutex(false)

  init(
    process: WorkerProcess, queue: FrameQueue, budget: FrameBudget
  ) {
    self.process = process
    self.queue = queue
    self.budget = budget
  }

  /// A whole frame read, `size` bytes on the wire. False: the frames waiting are at their
  /// budget, so stop reading until `onRoom` is called (once).
  public func deliver(_ frame: Frame, size: Int, onRoom: @escaping @Sendable () -> Void) -> Bool {
    let (admitted, room) = budget.count(size, onRoom: onRoom)
    if admitted { queue.push((frame, size)) }
    return room
  }

  /// The output is not frames: the worker is broken, and is stopped so that it is replaced.
  public func broken() {
    process.kill()
  }

  /// The output ended and its descriptor is closed: reaps the worker (on a thread of its own,
  /// as that waits), then ends `frames`. Only the first call does anything.
  public func finished() {
    guard
      ended.withLock({ ended in
        defer { ended = true }
        return !ended
      })
    else { return }
    let process = process
    let queue = queue
    Thread.detachNewThread {
      process.child.waitUntilExited()
      process.reap()
      queue.finish()
    }
  }
}

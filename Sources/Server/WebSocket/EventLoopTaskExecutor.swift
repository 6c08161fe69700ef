import NIOCore

/// A connection's event loop as a Swift task executor: a task that prefers it runs its jobs
/// on the loop's thread, between the loop's reads and writes.
///
/// For work that is short and ends in the connection's socket (a live 3D view's steps): its
/// writes then need no hop to the loop, and the task wakes no thread of the cooperative pool.
/// Never for work that blocks: the loop serves other connections too.
final class EventLoopTaskExecutor: TaskExecutor {
  let eventLoop: any EventLoop

  init(_ eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    eventLoop.execute { job.runSynchronously(on: executor) }
  }
}

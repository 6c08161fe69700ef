import CProcess
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A running worker: frames go in on its stdin and come back on its stdout.
///
/// Two threads of its own read its stdout (frames) and stderr (kept as a
/// short tail for error messages), so nothing here blocks Swift's
/// cooperative pool or an event loop. `frames` ends when the worker exits;
/// when too many wait unconsumed, the stdout reader waits (`WorkerFrames`).
///
/// Unchecked Sendable: the child's stdin is written only on `writeQueue` (serial), and the
/// stderr tail, the exit status and its waiters only inside `lock`; the rest is immutable.
public final class WorkerProcess: @unchecked Sendable {
  public let child: ChildProcess
  public let frames: WorkerFrames
  private let queue: FrameQueue
  private let budget = FrameBudget()
  private let writeQueue: DispatchQueue
  private let lock = NSLock()
  /// Who reads stdout (inside `lock`); `handOver` is the pipe that stops the reader thread.
  private var output = OutputReading.thread
  private let handOver: (read: Int32, write: Int32)
  private var stderrTail = Data()
  private var exitStatus: ExitStatus?
  private var exitWaiters: [CheckedContinuation<ExitStatus, Never>] = []
  private static let stderrTailLimit = 8192

  /// A write to a worker that just died must fail with EPIPE, not kill the
  /// parent with SIGPIPE.
  private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

  public var pid: pid_t { child.pid }

  public init(
    executable: String, arguments: [String], environment: [String: String],
    workingDirectory: String? = nil
  ) throws {
    var ends: [Int32] = [-1, -1]
    let failure = tau_pipe_cloexec(&ends)
    guard failure == 0 else {
      throw WorkerError.spawnFailed(executable, String(cString: strerror(failure)))
    }
    let stopPipe = (read: ends[0], write: ends[1])
    do {
      child = try ChildProcess.spawn(
        executable: executable, arguments: arguments, environment: environment,
        workingDirectory: workingDirectory)
    } catch {
      close(stopPipe.read)
      close(stopPipe.write)
      throw error
    }
    _ = Self.ignoreBrokenPipes
    // A consumer that stops listening (its task cancelled) must not leave the reader waiting.
    queue = FrameQueue(onEnd: { [budget] in budget.discard() })
    frames = WorkerFrames(queue: queue, budget: budget)
    writeQueue = DispatchQueue(label: "tau.worker.\(child.pid).write")
    handOver = stopPipe
    startReaders()
  }

  deinit {
    closeInputNow()
  }

  private enum OutputReading {
    /// The reader thread reads it.
    case thread
    /// The thread is to stop between two frames and hand the pipe to this reader.
    case handingOver(any WorkerOutputReader)
    /// Another reader has it.
    case handedOver
    /// The output ended (the thread reaps the worker).
    case ended
  }

  /// Gives the worker's output to `reader` (a server's event loop, where its frames are
  /// consumed): the reader thread stops between two frames, and `frames` goes on, in order,
  /// with what `reader` reads from there. Returns at once: the thread may first have to wait
  /// for room for a frame it read, which only the frames' consumer makes. False when the
  /// output is no longer the thread's (it ended, or was handed over already).
  @discardableResult
  public func handOverOutput(to reader: any WorkerOutputReader) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard case .thread = output else { return false }
    output = .handingOver(reader)
    var byte: UInt8 = 1
    _ = write(handOver.write, &byte, 1)
    return true
  }

  /// The reader thread stopped, asked to (`handOverOutput`) or at the output's end: the pipe
  /// goes to the reader that asked for it, if any (true then). Once.
  private func outputStopped(atEnd: Bool) -> Bool {
    lock.lock()
    let reader: (any WorkerOutputReader)?
    switch output {
    case .handingOver(let next) where !atEnd: reader = next
    case .thread, .handingOver: reader = nil
    case .handedOver, .ended:
      lock.unlock()
      return false
    }
    output = reader == nil ? .ended : .handedOver
    close(handOver.write)
    close(handOver.read)
    lock.unlock()
    reader?.read(
      descriptor: child.stdout,
      into: WorkerOutputSink(process: self, queue: queue, budget: budget))
    return reader != nil
  }

  /// Sends a frame; throws when the worker has gone.
  public func send(_ frame: Frame) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
      writeQueue.async { [self] in
        // Once closed, the descriptor's number may belong to another file or socket.
        guard isInputOpen else {
          continuation.resume(throwing: WorkerError.crashed(message: "", status: "input closed"))
          return
        }
        do {
          try FrameStream(descriptor: child.stdin).write(frame)
          continuation.resume()
        } catch {
          continuation.resume(throwing: WorkerError.crashed(message: "", status: "pipe closed"))
        }
      }
    }
  }

  /// Closes the worker's stdin: a well-behaved worker exits when it reads EOF.
  public func closeInput() {
    writeQueue.async { [self] in closeInputNow() }
  }

  private var inputOpen = true

  private var isInputOpen: Bool {
    lock.lock()
    defer { lock.unlock() }
    return inputOpen
  }

  /// Closes stdin once, whoever asks first (a descriptor closed twice could
  /// close another file that reused its number).
  private func closeInputNow() {
    lock.lock()
    defer { lock.unlock() }
    if inputOpen {
      inputOpen = false
      close(child.stdin)
    }
  }

  /// Kills the worker and everything it started; nothing once it has been reaped (its pid
  /// may then belong to another process).
  public func kill() {
    budget.discard()
    lock.lock()
    defer { lock.unlock() }
    if exitStatus == nil { child.signalGroup(SIGKILL) }
  }

  /// The last lines the worker wrote to stderr.
  public var recentStderr: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: stderrTail, as: UTF8.self)
  }

  /// How the worker ended, once it has.
  public var status: ExitStatus? {
    lock.lock()
    defer { lock.unlock() }
    return exitStatus
  }

  /// Waits until the worker has exited.
  public func waitForExit() async -> ExitStatus {
    await withCheckedContinuation { continuation in
      lock.lock()
      if let exitStatus {
        lock.unlock()
        continuation.resume(returning: exitStatus)
      } else {
        exitWaiters.append(continuation)
        lock.unlock()
      }
    }
  }

  private func startReaders() {
    let child = self.child
    let queue = self.queue
    let budget = self.budget
    let stopSignal = handOver.read
    Thread.detachNewThread { [self] in
      let stream = FrameStream(descriptor: child.stdout)
      while true {
        // Between two frames: stop here when the output is handed over.
        guard Self.waitForOutput(child.stdout, orStop: stopSignal) else {
          if outputStopped(atEnd: false) { return }
          break
        }
        do {
          guard let (frame, size) = try stream.readSized() else { break }
          if budget.admit(size) { queue.push((frame, size)) }
        } catch {
          // A broken stream means a broken worker: stop it so it is replaced.
          child.signalGroup(SIGKILL)
          break
        }
      }
      _ = outputStopped(atEnd: true)
      close(child.stdout)
      child.waitUntilExited()
      self.reap()
      queue.finish()
    }
    Thread.detachNewThread { [self] in
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = read(child.stderr, &buffer, buffer.count)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        self.appendStderr(buffer[0..<count])
      }
      close(child.stderr)
    }
  }

  /// Blocks until `output` can be read (or has ended); false when `stop` is signalled first.
  private static func waitForOutput(_ output: Int32, orStop stop: Int32) -> Bool {
    var descriptors = [
      pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
      pollfd(fd: output, events: Int16(POLLIN), revents: 0),
    ]
    while poll(&descriptors, 2, -1) < 0 {
      if errno != EINTR { return true }
    }
    return descriptors[0].revents == 0
  }

  private func appendStderr(_ bytes: ArraySlice<UInt8>) {
    lock.lock()
    stderrTail.append(contentsOf: bytes)
    if stderrTail.count > Self.stderrTailLimit {
      stderrTail = stderrTail.suffix(Self.stderrTailLimit)
    }
    lock.unlock()
  }

  /// Reaps the exited worker, after killing what is left of its process group (the unreaped
  /// pid keeps the group's id from being reused), under the lock `kill()` takes.
  func reap() {
    lock.lock()
    child.signalGroup(SIGKILL)
    let status = child.waitForExit()
    exitStatus = status
    let waiters = exitWaiters
    exitWaiters = []
    lock.unlock()
    waiters.forEach { $0.resume(returning: status) }
  }
}

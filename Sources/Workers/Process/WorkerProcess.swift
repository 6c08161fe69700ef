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
  private let framesContinuation: AsyncStream<(frame: Frame, size: Int)>.Continuation
  private let budget = FrameBudget()
  private let writeQueue: DispatchQueue
  private let lock = NSLock()
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
    child = try ChildProcess.spawn(
      executable: executable, arguments: arguments, environment: environment,
      workingDirectory: workingDirectory)
    _ = Self.ignoreBrokenPipes
    let (stream, continuation) = AsyncStream.makeStream(of: (frame: Frame, size: Int).self)
    frames = WorkerFrames(stream: stream, budget: budget)
    framesContinuation = continuation
    // A consumer that stops listening (its task cancelled) must not leave the reader waiting.
    continuation.onTermination = { [budget] _ in budget.discard() }
    writeQueue = DispatchQueue(label: "tau.worker.\(child.pid).write")
    startReaders()
  }

  deinit {
    closeInputNow()
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
    let continuation = framesContinuation
    let budget = self.budget
    Thread.detachNewThread { [self] in
      let stream = FrameStream(descriptor: child.stdout)
      while true {
        do {
          guard let (frame, size) = try stream.readSized() else { break }
          if budget.admit(size) { continuation.yield((frame, size)) }
        } catch {
          // A broken stream means a broken worker: stop it so it is replaced.
          child.signalGroup(SIGKILL)
          break
        }
      }
      close(child.stdout)
      child.waitUntilExited()
      self.reap()
      continuation.finish()
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
  private func reap() {
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

import Foundation
import Workers

/// Python workers with mujoco and numpy already imported, one per episode.
///
/// A worker runs one episode and exits, so nothing leaks between projects
/// or sessions; the supply starts the next one while the current runs.
/// Sandboxed episodes get a fresh worker inside bubblewrap instead, since
/// its mounts depend on the project.
public actor PythonWorkerSupply {
  public let launcher: PythonWorkerLauncher
  private let warmCount: Int
  private var warm: [Task<ReadyWorker, Error>] = []

  public init(launcher: PythonWorkerLauncher, warmCount: Int = 1) {
    self.launcher = launcher
    self.warmCount = warmCount
  }

  /// A worker that has said hello, ready for one job.
  public func take(project: URL, sandbox: Bool) async throws -> ReadyWorker {
    if sandbox, let command = launcher.sandboxedCommand(project: project) {
      return try await Self.start(command)
    }
    guard !warm.isEmpty else { return try await Self.start(launcher.warmCommand()) }
    let next = warm.removeFirst()
    refill()
    do {
      return try await next.value
    } catch {
      // A warm worker that died waiting is replaced by a fresh start.
      return try await Self.start(launcher.warmCommand())
    }
  }

  /// Starts the warm workers now rather than at the first episode.
  public func warmUp() { refill() }

  public func shutdown() async {
    for task in warm {
      if let worker = try? await task.value { worker.process.kill() }
    }
    warm = []
  }

  private func refill() {
    while warm.count < warmCount {
      let command = launcher.warmCommand()
      warm.append(Task { try await Self.start(command) })
    }
  }

  static func start(_ command: WorkerCommand) async throws -> ReadyWorker {
    let process = try WorkerProcess(
      executable: command.executable, arguments: command.arguments,
      environment: command.environment, workingDirectory: command.workingDirectory)
    var frames = process.frames.makeAsyncIterator()
    guard let frame = await frames.next(),
      case .hello(let hello) = try? PythonWorkerMessage(frame: frame)
    else {
      process.kill()
      let status = await process.waitForExit()
      throw WorkerError.crashed(
        message: process.recentStderr.split(separator: "\n").suffix(5).joined(separator: "\n"),
        status: status.description)
    }
    return ReadyWorker(process: process, hello: hello)
  }
}

/// A started python worker and its hello.
public struct ReadyWorker: Sendable {
  public let process: WorkerProcess
  public let hello: PythonWorkerHello
}

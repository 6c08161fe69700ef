/// A worker that answers one request at a time, as the pool hands it out.
///
/// Unchecked Sendable: its frame iterator is touched only by the one request that holds
/// it checked out of the pool, and the models it served only on the pool's actor.
final class PooledWorker: @unchecked Sendable {
  let process: WorkerProcess
  private var iterator: WorkerFrames.AsyncIterator
  /// The models this worker compiled lately, newest last (its cache holds as many).
  private var servedModels: [ModelSource] = []
  private static let servedCapacity = 8

  func noteServed(_ model: ModelSource) {
    servedModels.removeAll { $0 == model }
    servedModels.append(model)
    if servedModels.count > Self.servedCapacity { servedModels.removeFirst() }
  }

  func recentlyServed(_ model: ModelSource) -> Bool { servedModels.contains(model) }

  init(command: WorkerCommand) throws {
    process = try WorkerProcess(
      executable: command.executable, arguments: command.arguments,
      environment: command.environment, workingDirectory: command.workingDirectory)
    iterator = process.frames.makeAsyncIterator()
  }

  /// Waits for the worker's `hello`, which it sends once it is ready.
  func awaitHello(timeout: Duration) async throws {
    guard case .hello = try await next(timeout: timeout) else {
      process.kill()
      throw WorkerError.protocolViolation("expected hello")
    }
  }

  /// Sends `request` and returns the worker's answer.
  func exchange(_ request: ModelWorkerRequest, timeout: Duration) async throws -> ModelWorkerReply {
    try await process.send(request.frame)
    return try await next(timeout: timeout)
  }

  /// The next message, or a typed error when the worker dies, is too slow or speaks
  /// something else.
  func next(timeout: Duration) async throws -> ModelWorkerReply {
    let frame = try await withThrowingTaskGroup(of: Frame?.self) { group in
      group.addTask { [self] in await self.nextFrame() }
      group.addTask {
        try await Task.sleep(for: timeout)
        throw WorkerError.timedOut(seconds: timeout.seconds)
      }
      defer { group.cancelAll() }
      do {
        return try await group.next() ?? nil
      } catch {
        process.kill()
        throw error
      }
    }
    guard let frame else {
      // No frame: the worker closed its output, or this request was cancelled (which ends
      // the frame stream while the worker may still be busy). Either way it is done for:
      // never wait for the exit of a worker that is still working.
      process.kill()
      if Task.isCancelled { throw CancellationError() }
      throw await crashError()
    }
    let reply: ModelWorkerReply
    do {
      reply = try ModelWorkerReply(frame: frame)
    } catch {
      process.kill()
      throw error
    }
    if case .fatal(let message) = reply {
      // The worker reports a fatal error, then exits: it is not reusable.
      let status = await process.waitForExit()
      throw WorkerError.crashed(message: message, status: status.description)
    }
    return reply
  }

  var isAlive: Bool { process.status == nil }

  private func nextFrame() async -> Frame? { await iterator.next() }

  private func crashError() async -> WorkerError {
    let status = await process.waitForExit()
    let tail = process.recentStderr.split(separator: "\n").suffix(5).joined(separator: "\n")
    return .crashed(message: tail, status: status.description)
  }
}

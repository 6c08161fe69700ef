import Logging

/// Worker processes of one kind, kept warm and replaced when they die.
///
/// Each request gets a worker to itself for its duration and a time limit;
/// a worker that crashes or runs over is killed and never reused, and the
/// pool starts a fresh one so the next request finds one warm.
public actor WorkerPool {
  public let command: WorkerCommand
  public let maximumWorkers: Int
  private let warmWorkers: Int
  private let startTimeout: Duration
  private var idle: [PooledWorker] = []
  private var starting = 0
  private var busy = 0
  /// Requests waiting for a worker of a full pool, first come first served.
  private var waiters: [(id: Int, continuation: CheckedContinuation<PooledWorker, Error>)] = []
  private var nextWaiterID = 0
  private var isShutDown = false
  private let logger = Logger(label: "tau.workers")

  public init(
    command: WorkerCommand, maximumWorkers: Int = 2, warmWorkers: Int = 1,
    startTimeout: Duration = .seconds(30)
  ) {
    self.command = command
    self.maximumWorkers = max(1, maximumWorkers)
    self.warmWorkers = min(warmWorkers, max(1, maximumWorkers))
    self.startTimeout = startTimeout
  }

  /// Sends `request` to a worker and returns its answer. A `failed` answer
  /// becomes `WorkerError.failed`; a death or a time-out becomes
  /// `.crashed` or `.timedOut`.
  ///
  /// An idle worker that served the request's model recently is preferred: it holds
  /// that model compiled, with its renderers.
  public func request(
    _ request: ModelWorkerRequest, timeout: Duration = .seconds(60)
  ) async throws -> ModelWorkerReply {
    let model = request.model
    let worker = try await checkout(preferring: model)
    if Task.isCancelled {
      // Cancelled while waiting in line: give the worker back unused.
      checkin(worker)
      throw CancellationError()
    }
    do {
      let reply = try await worker.exchange(request, timeout: timeout)
      if let model { worker.noteServed(model) }
      checkin(worker)
      if case .failed(let failure) = reply { throw WorkerError.failed(failure) }
      return reply
    } catch let error as WorkerError {
      if case .failed = error { throw error }
      discard(worker)
      throw error
    } catch {
      discard(worker)
      throw error
    }
  }

  /// Starts the warm workers now rather than on the first request.
  public func warmUp() {
    refill()
  }

  /// Stops every worker; later requests fail with `.shutDown`.
  public func shutdown() async {
    isShutDown = true
    let workers = idle
    idle = []
    for waiter in waiters { waiter.continuation.resume(throwing: WorkerError.shutDown) }
    waiters = []
    for worker in workers {
      worker.process.closeInput()
      worker.process.kill()
      _ = await worker.process.waitForExit()
    }
  }

  public var statistics: (idle: Int, busy: Int, starting: Int) { (idle.count, busy, starting) }

  private func checkout(preferring model: ModelSource?) async throws -> PooledWorker {
    if isShutDown { throw WorkerError.shutDown }
    if let model, let index = idle.lastIndex(where: { $0.isAlive && $0.recentlyServed(model) }) {
      let worker = idle.remove(at: index)
      busy += 1
      refill()
      return worker
    }
    while let worker = idle.popLast() {
      if worker.isAlive {
        busy += 1
        refill()
        return worker
      }
    }
    if busy + starting < maximumWorkers {
      busy += 1
      do {
        let worker = try await start()
        refill()
        return worker
      } catch {
        busy -= 1
        throw error
      }
    }
    return try await waitForWorker()
  }

  /// Waits for a busy worker to come back. A cancelled request (its episode ended) leaves
  /// the line at once instead of holding it until a worker frees.
  private func waitForWorker() async throws -> PooledWorker {
    let id = nextWaiterID
    nextWaiterID += 1
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        if Task.isCancelled {
          continuation.resume(throwing: CancellationError())
        } else {
          waiters.append((id, continuation))
        }
      }
    } onCancel: {
      Task { await self.leave(id) }
    }
  }

  private func leave(_ id: Int) {
    guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
    waiters.remove(at: index).continuation.resume(throwing: CancellationError())
  }

  private func checkin(_ worker: PooledWorker) {
    if let waiter = waiters.first, worker.isAlive {
      waiters.removeFirst()
      waiter.continuation.resume(returning: worker)
      return
    }
    busy -= 1
    if isShutDown || !worker.isAlive {
      worker.process.kill()
    } else {
      idle.append(worker)
    }
    refill()
  }

  private func discard(_ worker: PooledWorker) {
    worker.process.kill()
    busy -= 1
    refill()
    // A waiter blocked on a full pool can start a replacement now.
    if let waiter = waiters.first, busy + starting < maximumWorkers {
      waiters.removeFirst()
      busy += 1
      Task {
        do { waiter.continuation.resume(returning: try await self.start()) } catch {
          self.release()
          waiter.continuation.resume(throwing: error)
        }
      }
    }
  }

  private func release() { busy -= 1 }

  /// Keeps `warmWorkers` idle workers ready, within the pool's maximum.
  private func refill() {
    guard !isShutDown else { return }
    while idle.count + starting < warmWorkers, busy + idle.count + starting < maximumWorkers {
      starting += 1
      Task {
        do {
          let worker = try await self.start()
          self.warmed(worker)
        } catch {
          self.warmFailed(error)
        }
      }
    }
  }

  private func warmed(_ worker: PooledWorker) {
    starting -= 1
    if let waiter = waiters.first {
      waiters.removeFirst()
      busy += 1
      waiter.continuation.resume(returning: worker)
    } else if isShutDown {
      worker.process.kill()
    } else {
      idle.append(worker)
    }
  }

  private func warmFailed(_ error: Error) {
    starting -= 1
    logger.error("could not start a warm worker: \(error)")
  }

  private func start() async throws -> PooledWorker {
    let worker = try PooledWorker(command: command)
    try await worker.awaitHello(timeout: startTimeout)
    return worker
  }
}

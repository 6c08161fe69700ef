/// Tau workers that each serve one project only, for hosted servers: each runs in a sandbox
/// that shows it that project alone (the command comes from `command(project)`), so a
/// project's models, whatever they make the worker do, only ever see that project.
///
/// One pool of one worker per project in use. At most `maximumIdle` pools are kept once
/// their work is done, the least recently used shut down first; pools in use are never
/// shut down, so their number is bounded by the episodes, pictures and exports that may run
/// at once.
public actor ProjectWorkerPools {
  public let maximumIdle: Int
  private let command: @Sendable (String) -> WorkerCommand
  private var pools: [String: (pool: WorkerPool, lastUsed: ContinuousClock.Instant)] = [:]
  private var isShutDown = false

  public init(maximumIdle: Int = 2, command: @escaping @Sendable (String) -> WorkerCommand) {
    self.maximumIdle = max(1, maximumIdle)
    self.command = command
  }

  /// The pool of `project` (its folder's path), started on first use.
  public func pool(for project: String) async throws -> WorkerPool {
    if isShutDown { throw WorkerError.shutDown }
    let now = ContinuousClock.now
    if let existing = pools[project] {
      pools[project] = (existing.pool, now)
      return existing.pool
    }
    let pool = WorkerPool(command: command(project), maximumWorkers: 1, warmWorkers: 0)
    pools[project] = (pool, now)
    await trim(keeping: project)
    return pool
  }

  /// Shuts down the least recently used idle pools past `maximumIdle`.
  private func trim(keeping kept: String) async {
    var idle: [(project: String, lastUsed: ContinuousClock.Instant)] = []
    for (project, entry) in pools where project != kept {
      let statistics = await entry.pool.statistics
      if statistics.busy == 0 && statistics.starting == 0 {
        idle.append((project, entry.lastUsed))
      }
    }
    guard idle.count > maximumIdle else { return }
    for entry in idle.sorted(by: { $0.lastUsed < $1.lastUsed }).prefix(idle.count - maximumIdle) {
      guard let pool = pools.removeValue(forKey: entry.project)?.pool else { continue }
      await pool.shutdown()
    }
  }

  /// The projects with a pool now, for tests.
  public var projects: [String] { Array(pools.keys) }

  public func shutdown() async {
    isShutDown = true
    let all = pools.values.map(\.pool)
    pools = [:]
    for pool in all { await pool.shutdown() }
  }
}

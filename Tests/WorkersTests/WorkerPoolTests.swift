import Foundation
import TestSupport
import Testing
import Workers

#if canImport(Glibc)
  import Glibc
#endif

/// What the pool's counters say while real `tau worker` processes come, serve and go.
@Suite("The worker pool's counters")
struct WorkerPoolTests {
  static func pool(maximumWorkers: Int = 1) -> WorkerPool {
    WorkerPool(
      command: WorkerCommand(
        executable: TestPaths.tauExecutable, arguments: ["worker", "--mujoco-gl", "osmesa"],
        environment: ["PATH": "/usr/bin:/bin"]),
      maximumWorkers: maximumWorkers)
  }

  static let panda = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml")

  /// Whether `condition` holds within `limit`, checked every 20 ms.
  static func eventually(
    within limit: Duration = .seconds(20), _ condition: () async -> Bool
  ) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      if await condition() { return true }
      try await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
  }

  /// The most workers the pool counted at once while `work` ran.
  static func largestCount<T: Sendable>(
    of pool: WorkerPool, during work: () async throws -> T
  ) async throws -> (result: T, largest: Int) {
    let sampler = Task {
      var largest = 0
      while !Task.isCancelled {
        let statistics = await pool.statistics
        largest = max(largest, statistics.idle + statistics.busy + statistics.starting)
        try? await Task.sleep(for: .milliseconds(2))
      }
      return largest
    }
    do {
      let result = try await work()
      sampler.cancel()
      return (result, await sampler.value)
    } catch {
      sampler.cancel()
      throw error
    }
  }

  static func pings(_ count: Int, through pool: WorkerPool) async throws -> [Int] {
    let client = ModelWorkerClient(pool: pool, timeout: .seconds(30))
    return try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<count { group.addTask { try await client.ping() } }
      return try await group.reduce(into: []) { $0.append($1) }
    }
  }

  @Test("After warm-up one worker waits idle, even when the pool may hold more")
  func warmUp() async throws {
    let pool = Self.pool(maximumWorkers: 2)
    await pool.warmUp()
    let early = await pool.statistics
    #expect(early.idle + early.starting == 1 && early.busy == 0)
    let ready = try await Self.eventually {
      let statistics = await pool.statistics
      return statistics.idle == 1 && statistics.starting == 0
    }
    #expect(ready, "the warm worker never became idle")
    let statistics = await pool.statistics
    #expect(statistics.idle == 1 && statistics.busy == 0 && statistics.starting == 0)
    await pool.shutdown()
  }

  @Test("Once requests finish none is busy, and the pool never counts more than its maximum")
  func countsAfterRequests() async throws {
    let pool = Self.pool(maximumWorkers: 2)
    let (pids, largest) = try await Self.largestCount(of: pool) {
      try await Self.pings(8, through: pool)
    }
    #expect(pids.count == 8)
    #expect(Set(pids).count <= 2)
    #expect(largest <= 2)
    let after = await pool.statistics
    #expect(after.busy == 0)
    #expect(after.idle + after.busy + after.starting <= 2)
    let settled = try await Self.eventually {
      let statistics = await pool.statistics
      return statistics.starting == 0 && statistics.idle >= 1
    }
    #expect(settled, "no worker was left idle")
    let settledCounts = await pool.statistics
    #expect(settledCounts.busy == 0 && settledCounts.idle <= 2)
    await pool.shutdown()
  }

  @Test("Requests beyond the maximum wait their turn and are all served by the one worker")
  func requestsWait() async throws {
    let pool = Self.pool(maximumWorkers: 1)
    let (pids, largest) = try await Self.largestCount(of: pool) {
      try await Self.pings(5, through: pool)
    }
    #expect(pids.count == 5)
    #expect(Set(pids).count == 1)
    #expect(largest <= 1)
    let statistics = await pool.statistics
    #expect(statistics.busy == 0 && statistics.idle == 1 && statistics.starting == 0)
    await pool.shutdown()
  }

  @Test("A worker that runs past its time limit is stopped and replaced, and none stays busy")
  func timedOutWorkerIsReplaced() async throws {
    let pool = Self.pool()
    let client = ModelWorkerClient(pool: pool, timeout: .seconds(30))
    let before = try await client.ping()
    let error = await #expect(throws: WorkerError.self) {
      _ = try await ModelWorkerClient(pool: pool, timeout: .milliseconds(300)).step(
        .file(path: Self.panda.path), steps: 1_000_000)
    }
    #expect(error == .timedOut(seconds: 0.3))
    #expect(await pool.statistics.busy == 0)
    let after = try await client.ping()
    #expect(after != before)
    #expect(await pool.statistics.busy == 0)
    // The stopped worker is gone, not left running beside its replacement.
    let gone = try await Self.eventually { kill(pid_t(before), 0) != 0 }
    #expect(gone, "worker \(before) still runs after its time-out")
    await pool.shutdown()
  }

  @Test("After shutdown a request is refused with shutDown and no worker is kept")
  func shutdownRefuses() async throws {
    let pool = Self.pool()
    let client = ModelWorkerClient(pool: pool, timeout: .seconds(30))
    let pid = try await client.ping()
    await pool.shutdown()
    await #expect(throws: WorkerError.shutDown) { _ = try await client.ping() }
    let statistics = await pool.statistics
    #expect(statistics.idle == 0 && statistics.busy == 0)
    let gone = try await Self.eventually { kill(pid_t(pid), 0) != 0 }
    #expect(gone, "worker \(pid) still runs after shutdown")
  }

  @Test("A request waiting for a busy worker is answered with shutDown when the pool stops")
  func shutdownAnswersWaiters() async throws {
    let pool = Self.pool()
    let blocker = Task {
      try await ModelWorkerClient(pool: pool, timeout: .seconds(2)).step(
        .file(path: Self.panda.path), steps: 1_000_000)
    }
    let busy = try await Self.eventually { await pool.statistics.busy == 1 }
    #expect(busy)
    let waiter = Task { try await ModelWorkerClient(pool: pool, timeout: .seconds(30)).ping() }
    try await Task.sleep(for: .milliseconds(100))
    await pool.shutdown()
    await #expect(throws: WorkerError.shutDown) { _ = try await waiter.value }
    // The busy worker runs out its time and is not put back.
    await #expect(throws: WorkerError.self) { _ = try await blocker.value }
    let statistics = await pool.statistics
    #expect(statistics.idle == 0 && statistics.busy == 0 && statistics.starting == 0)
  }
}

import Foundation
import TestSupport
import Testing
import Workers

/// The real `tau worker` processes behind a pool, as the server uses them.
@Suite("tau workers in a pool")
struct ModelWorkerPoolTests {
  static func pool(maximumWorkers: Int = 1, platform: String = "osmesa") -> WorkerPool {
    WorkerPool(
      command: WorkerCommand(
        executable: TestPaths.tauExecutable, arguments: ["worker", "--mujoco-gl", platform],
        environment: ["PATH": "/usr/bin:/bin"]),
      maximumWorkers: maximumWorkers)
  }

  static func pid(_ pool: WorkerPool) async throws -> Int? {
    try await ModelWorkerClient(pool: pool, timeout: .seconds(30)).ping()
  }

  /// A model that compiles but overflows its 6 KB arena on the first step,
  /// so MuJoCo raises a fatal error (which calls exit() by default). Since
  /// MuJoCo 4 a full arena mostly drops contacts with a warning (8 KB does); at
  /// 6 KB the contacts' stack still overflows (mj_instantiateContact).
  static let arenaOverflow: String = {
    let boxes = (0..<6).map { i in
      "<body pos=\"\(Double(i) * 0.05) 0 \(0.1 + Double(i) * 0.2)\"><freejoint/>"
        + "<geom type=\"box\" size=\"0.1 0.1 0.1\"/></body>"
    }.joined()
    return "<mujoco><size memory=\"6K\"/><worldbody><geom type=\"plane\" size=\"5 5 0.1\"/>"
      + boxes + "</worldbody></mujoco>"
  }()

  @Test("A MuJoCo fatal error is a clear error, and a fresh worker serves the next request")
  func fatalErrorCostsOneWorker() async throws {
    let pool = Self.pool()
    let client = ModelWorkerClient(pool: pool)
    let before = try await Self.pid(pool)
    let error = await #expect(throws: WorkerError.self) {
      _ = try await client.step(.xml(Self.arenaOverflow, assetsDirectory: nil), steps: 10)
    }
    guard case .crashed(let message, _) = error else {
      Issue.record("expected a crash report, got \(String(describing: error))")
      return
    }
    #expect(message.contains("mj_stackAlloc: out of memory"))
    let after = try await Self.pid(pool)
    #expect(after != nil && after != before)
    let summary = try await client.load(.file(path: try TestPaths.cartpoleScene().path))
    #expect(summary.nu == 1)
    await pool.shutdown()
  }

  @Test("A bad request gets an error answer and the worker lives on")
  func badRequestKeepsWorker() async throws {
    let pool = Self.pool()
    let before = try await Self.pid(pool)
    await #expect(throws: WorkerError.self) {
      _ = try await ModelWorkerClient(pool: pool).step(
        .file(path: try TestPaths.cartpoleScene().path), steps: 0)
    }
    let compile = await #expect(throws: WorkerError.self) {
      _ = try await ModelWorkerClient(pool: pool).load(
        .xml("<mujoco><oops/></mujoco>", assetsDirectory: nil))
    }
    if case .failed(let failure) = compile {
      #expect(failure.message.contains("oops"))
      #expect(failure.kind == .compile)
    } else {
      Issue.record("expected a compile error, got \(String(describing: compile))")
    }
    #expect(try await Self.pid(pool) == before)
    await pool.shutdown()
  }

  @Test("A request past its time limit is stopped and the next one is served")
  func timeout() async throws {
    let pool = Self.pool()
    let panda = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml")
    let error = await #expect(throws: WorkerError.self) {
      _ = try await ModelWorkerClient(pool: pool, timeout: .milliseconds(300)).step(
        .file(path: panda.path), steps: 1_000_000)
    }
    #expect(error == .timedOut(seconds: 0.3))
    #expect(try await Self.pid(pool) != nil)
    await pool.shutdown()
  }

  @Test("Rendering through the pool returns a PNG of the asked size")
  func rendersThroughPool() async throws {
    let pool = Self.pool()
    let client = ModelWorkerClient(pool: pool)
    let png = try await client.render(
      .file(path: try TestPaths.cartpoleScene().path),
      options: RenderOptions(width: 300, height: 200, format: .png, quality: .fast))
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    // PNG's IHDR holds width and height, big-endian, at bytes 16..<24.
    let size = png[16..<24].reduce(into: [UInt8]()) { $0.append($1) }
    #expect(Int(size[2]) << 8 | Int(size[3]) == 300)
    #expect(Int(size[6]) << 8 | Int(size[7]) == 200)
    await #expect(throws: WorkerError.self) {
      _ = try await client.render(
        .file(path: try TestPaths.cartpoleScene().path),
        options: RenderOptions(width: 5000, height: 200))
    }
    await pool.shutdown()
  }

  @Test("Each GL platform renders in its own worker process", arguments: ["osmesa", "egl"])
  func platforms(platform: String) async throws {
    let pool = Self.pool(platform: platform)
    let info = try await ModelWorkerClient(pool: pool, timeout: .seconds(30)).glInfo()
    #expect(info.platform == platform)
    #expect(info.renderer.isEmpty == false)
    let jpeg = try await ModelWorkerClient(pool: pool).render(
      .file(path: try TestPaths.cartpoleScene().path),
      options: RenderOptions(width: 160, height: 120, quality: .high))
    #expect(jpeg.starts(with: [0xFF, 0xD8]))
    await pool.shutdown()
  }

  @Test("Concurrent requests share a bounded pool")
  func concurrentRequests() async throws {
    let pool = Self.pool(maximumWorkers: 2)
    let client = ModelWorkerClient(pool: pool)
    let scene = try TestPaths.cartpoleScene().path
    let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<6 {
        group.addTask {
          try await client.render(.file(path: scene), options: RenderOptions(width: 64, height: 48))
            .count
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(sizes.count == 6 && sizes.allSatisfy { $0 > 100 })
    let statistics = await pool.statistics
    #expect(statistics.idle + statistics.busy + statistics.starting <= 2)
    await pool.shutdown()
  }
}

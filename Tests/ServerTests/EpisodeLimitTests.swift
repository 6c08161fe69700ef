import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing
import Workers

/// A hostile or unlucky episode cannot hold its slot or a render worker past its
/// wall-clock limit, whatever the renderer is doing when the limit fires.
@Suite("Episodes end at their wall-clock limit", .serialized)
struct EpisodeLimitTests {
  static func limits(seconds: Double) -> EpisodeLimits {
    var limits = EpisodeLimits()
    limits.wallSeconds = seconds
    return limits
  }

  actor Counter {
    private(set) var value = 0
    func add() { value += 1 }
  }

  /// Whether the episode's slot is given back (just after its `done`) within two seconds.
  static func slotsFree(_ services: SimulationServices) async throws -> Bool {
    for _ in 0..<40 {
      if await services.stream.scheduler.counts.running == 0 { return true }
      try await Task.sleep(for: .milliseconds(50))
    }
    return false
  }

  @Test("A limit that fires while every render worker is busy ends the episode at once")
  func limitWhileWaitingForARenderWorker() async throws {
    try await TestServer().testWithSimulation(limits: Self.limits(seconds: 3), renderWorkers: 1) {
      client, services in
      let port = try #require(client.port)
      let project = try await client.createProject()
      // The one render worker busy for longer than the limit (some seconds of physics).
      let panda = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml")
      let hogsDone = Counter()
      let hogs = [
        Task {
          _ = try? await services.renderer.step(.file(path: panda.path), steps: 500_000)
          await hogsDone.add()
        }
      ]
      defer { hogs.forEach { $0.cancel() } }
      try await Task.sleep(for: .milliseconds(500))

      let started = ContinuousClock.now
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 1000])
        return await stream.untilDone(timeout: .seconds(60))
      }
      let took = ContinuousClock.now - started
      // Done while the worker was still busy: the episode did not wait for it.
      #expect(await hogsDone.value == 0, "done came only after the render worker was free")
      #expect(messages.last?.type == "done")
      #expect(messages.last?.json["reason"] as? String == "error")
      #expect(messages.contains { $0.level == "error" && $0.message.contains("wall-clock limit") })
      #expect(!messages.contains { $0.message.contains("rendering failed") })
      #expect(took < .seconds(60), "done came after \(took)")
      #expect(try await Self.slotsFree(services))
      #expect(try await client.send(.get, "/healthz").status == .ok)
    }
  }

  @Test("A limit that fires inside slow renders ends the episode, and the next one runs")
  func limitInsideRenders() async throws {
    // 8 s: long enough that the second, normal episode starts and ends within it even under
    // a full parallel test run; the first never ends by itself.
    try await TestServer().testWithSimulation(limits: Self.limits(seconds: 8)) {
      client, services in
      let port = try #require(client.port)
      let project = try await client.createProject()
      do {
        let started = ContinuousClock.now
        let messages = try await withStream(port: port, project: project.id) { stream in
          try await stream.send([
            "max_steps": 100_000, "speed": 0, "width": 1920, "height": 1080, "render": "high",
          ])
          return await stream.untilDone(timeout: .seconds(60))
        }
        let took = ContinuousClock.now - started
        #expect(messages.last?.type == "done")
        #expect(
          messages.contains { $0.level == "error" && $0.message.contains("wall-clock limit") })
        #expect(!messages.contains { $0.message.contains("rendering failed") })
        #expect(took < .seconds(60), "done came after \(took)")
        #expect(try await Self.slotsFree(services))
      }
      // The render workers the limits stopped were replaced: a normal episode runs.
      let after = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 5, "width": 64, "height": 48])
        return await stream.untilDone(timeout: .seconds(60))
      }
      #expect(after.filter { $0.type == "frame" }.count == 5)
      #expect(after.last?.json["reason"] as? String == "max_steps")
    }
  }
}

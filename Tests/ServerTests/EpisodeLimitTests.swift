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
@Suite("Episodes end at their wall-clock limit")
struct EpisodeLimitTests {
  static func limits(seconds: Double) -> EpisodeLimits {
    var limits = EpisodeLimits()
    limits.wallSeconds = seconds
    return limits
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
    try await TestServer().testWithSimulation(limits: Self.limits(seconds: 3)) {
      client, services in
      let port = try #require(client.port)
      let project = try await client.createProject()
      // Both render workers busy for far longer than the limit (until their 30 s time-out).
      let panda = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml")
      let hogs = (0..<2).map { _ in
        Task { try await services.renderer.step(.file(path: panda.path), steps: 1_000_000) }
      }
      defer { hogs.forEach { $0.cancel() } }
      try await Task.sleep(for: .milliseconds(500))

      let started = ContinuousClock.now
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 1000])
        return await stream.untilDone(timeout: .seconds(60))
      }
      let took = ContinuousClock.now - started
      #expect(messages.last?.type == "done")
      #expect(messages.last?.json["reason"] as? String == "error")
      #expect(messages.contains { $0.level == "error" && $0.message.contains("wall-clock limit") })
      #expect(!messages.contains { $0.message.contains("rendering failed") })
      // Not the 30 s the busy workers take: the episode stopped waiting at its limit.
      #expect(took < .seconds(10), "done came after \(took)")
      #expect(try await Self.slotsFree(services))
      #expect(try await client.send(.get, "/healthz").status == .ok)
    }
  }

  @Test("A limit that fires inside slow renders ends the episode, and the next one runs")
  func limitInsideRenders() async throws {
    try await TestServer().testWithSimulation(limits: Self.limits(seconds: 3)) {
      client, services in
      let port = try #require(client.port)
      let project = try await client.createProject()
      for _ in 0..<2 {
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
        #expect(took < .seconds(10), "done came after \(took)")
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

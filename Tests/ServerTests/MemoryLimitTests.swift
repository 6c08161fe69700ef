import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

/// Issue 10.7, as the attacks on a hosted server: an env that asks for 8 GiB, and a scene
/// that declares a 20000x20000 height field.
@Suite("Memory limits of hosted episodes")
struct MemoryLimitTests {
  @Test("A hosted server limits every episode's memory by default; 0 lifts it")
  func defaults() {
    #expect(EpisodeLimits(environment: [:], multiUser: true).memoryMB == 4096)
    #expect(EpisodeLimits(environment: [:], multiUser: false).memoryMB == nil)
    #expect(EpisodeLimits(environment: ["TAU_MEM_LIMIT_MB": "0"], multiUser: true).memoryMB == nil)
    #expect(
      EpisodeLimits(environment: ["TAU_MEM_LIMIT_MB": "900"], multiUser: true).memoryMB == 900)
  }

  @Test("With the hosted defaults, an env asking for 8 GiB ends with an error; the server answers")
  func eightGigabytes() async throws {
    let limits = EpisodeLimits(environment: [:], multiUser: true)
    try await TestServer().testWithSimulation(limits: limits) { client, _ in
      let project = try await client.createProject()
      try await SimulationStreamTests.write(
        client, project: project.id, path: "env.py",
        endlessEnv(setup: "hoard = bytearray(8 * 1024 * 1024 * 1024)"))
      let messages = try await QuotaTests.run(client, project: project.id, steps: 5)
      #expect(messages.last?.json["reason"] as? String == "error")
      #expect(
        messages.contains { $0.level == "error" && $0.message.lowercased().contains("memory") },
        "\(messages.map(\.message))")
      #expect(try await client.send(.get, "/healthz").status == .ok)
    }
  }

  @Test("A scene declaring a 20000x20000 height field is refused before it is allocated")
  func hugeHeightField() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let project = try await client.createProject()
      let scene = try await client.readFile(project.id, "scene.xml")
      try await SimulationStreamTests.write(
        client, project: project.id, path: "scene.xml",
        scene.replacingOccurrences(
          of: "<worldbody>",
          with: #"<asset><hfield name="bomb" nrow="20000" ncol="20000" size="1 1 1 1"/></asset>"#
            + "<worldbody>"))
      let started = ContinuousClock.now
      let messages = try await QuotaTests.run(client, project: project.id, steps: 5)
      #expect(ContinuousClock.now - started < .seconds(30))
      #expect(messages.last?.json["reason"] as? String == "error")
      #expect(
        messages.contains {
          $0.message.contains("height field 'bomb' is 20000x20000 samples, over the limit")
        }, "\(messages.map(\.message))")
      // The render worker refuses it the same way, as a snapshot shows.
      let snapshot = try await client.send(
        .post, "/api/projects/\(project.id)/snapshot", json: ["steps": 1])
      #expect(snapshot.status != .ok)
      #expect(try await client.send(.get, "/healthz").status == .ok)
    }
  }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

/// Issue 10.8 and 10.9, as the attacks: an episode's code writes past the project's quota,
/// in plain files, hidden ones, or below the depth the API and its walk reach.
@Suite("Project quotas against the project's own code")
struct QuotaTests {
  static let limits = ProjectLimits(maxProjectBytes: 2 * 1024 * 1024, maxFilesPerProject: 100)

  static func run(
    _ client: any TestClientProtocol, project: ProjectID, steps: Int = 100_000
  ) async throws -> [StreamMessage] {
    let port = try #require(client.port)
    return try await withStream(port: port, project: project) { stream in
      try await stream.send(
        ["max_steps": steps, "speed": 0, "width": 64, "height": 48] as [String: Any])
      return await stream.untilDone(timeout: .seconds(60))
    }
  }

  @Test("Files an episode writes past the quota stop it within seconds, and say why")
  func episodeWritingPastTheQuotaIsStopped() async throws {
    var episodeLimits = EpisodeLimits()
    episodeLimits.quotaCheckInterval = .milliseconds(500)
    try await TestServer(limits: Self.limits).testWithSimulation(limits: episodeLimits) {
      client, _ in
      let project = try await client.createProject()
      // Three 1 MiB files, one of them hidden: 3 MiB against a quota of 2 MiB.
      try await SimulationStreamTests.write(
        client, project: project.id, path: "env.py",
        endlessEnv(
          setup: """
            for name in ["a.bin", "b.bin", ".hidden.bin"]:
                with open(name, "wb") as f:
                    f.write(b"x" * (1024 * 1024))
            """))
      let started = ContinuousClock.now
      let messages = try await Self.run(client, project: project.id)
      #expect(ContinuousClock.now - started < .seconds(20))
      #expect(messages.last?.json["reason"] as? String == "error", "\(messages.map(\.message))")
      let stopped = messages.first { $0.message.hasPrefix("the episode was stopped: the project") }
      #expect(
        stopped?.message.contains("it holds 3.0 MiB, over the 2 MiB project size limit") == true,
        "\(messages.map(\.message))")

      // The API refuses to write more, and the next episode does not start.
      let write = try await client.send(
        .put, "/api/projects/\(project.id)/file", json: ["path": "more.txt", "content": "x"])
      #expect(write.status == .contentTooLarge, "\(write.text)")
      let again = try await Self.run(client, project: project.id, steps: 5)
      #expect(again.contains { $0.message.hasPrefix("the project is over its quota") })
      #expect(!again.contains { $0.type == "frame" })
      #expect(try await client.send(.get, "/healthz").status == .ok)
    }
  }

  @Test("What an episode wrote in its last moments is measured after it")
  func measuredAfterTheEpisode() async throws {
    var episodeLimits = EpisodeLimits()
    episodeLimits.quotaCheckInterval = .seconds(600)
    try await TestServer(limits: Self.limits).testWithSimulation(limits: episodeLimits) {
      client, _ in
      let project = try await client.createProject()
      try await SimulationStreamTests.write(
        client, project: project.id, path: "env.py",
        endlessEnv(setup: "open('big.bin', 'wb').write(b'x' * (3 * 1024 * 1024))"))
      let messages = try await Self.run(client, project: project.id, steps: 5)
      #expect(messages.last?.json["reason"] as? String == "max_steps")
      #expect(
        messages.contains { $0.message.hasPrefix("the project is over its quota (it holds 3") },
        "\(messages.map(\.message))")
    }
  }

  @Test(
    "What an episode nests below the API's depth counts, and nesting past the measure's is over")
  func deepNestingIsCounted() async throws {
    var episodeLimits = EpisodeLimits()
    episodeLimits.quotaCheckInterval = .milliseconds(500)
    try await TestServer(limits: Self.limits).testWithSimulation(limits: episodeLimits) {
      client, _ in
      // 40 levels, below the 32 the listing reads, and 3 MiB at the bottom.
      let deepFile = try await client.createProject()
      try await SimulationStreamTests.write(
        client, project: deepFile.id, path: "env.py",
        endlessEnv(
          setup: """
            path = os.path.join(*(["d"] * 40))
            os.makedirs(path)
            open(os.path.join(path, "hidden.bin"), "wb").write(b"x" * (3 * 1024 * 1024))
            """))
      var messages = try await Self.run(client, project: deepFile.id)
      #expect(messages.last?.json["reason"] as? String == "error")
      #expect(
        messages.contains { $0.message.contains("it holds 3.0 MiB, over the 2 MiB") },
        "\(messages.map(\.message))")
      let listed = try await client.send(.get, "/api/projects/\(deepFile.id)")
      #expect(listed.status == .ok)

      // 300 levels: past what the measure reads, so over the quota whatever they hold.
      let deepest = try await client.createProject()
      try await SimulationStreamTests.write(
        client, project: deepest.id, path: "env.py",
        endlessEnv(setup: "os.makedirs(os.path.join(*([\"d\"] * 300)))"))
      messages = try await Self.run(client, project: deepest.id)
      #expect(messages.last?.json["reason"] as? String == "error")
      #expect(
        messages.contains { $0.message.contains("nests folders deeper than 256 levels") },
        "\(messages.map(\.message))")
      let write = try await client.send(
        .put, "/api/projects/\(deepest.id)/file", json: ["path": "x.txt", "content": "x"])
      #expect(write.status == .contentTooLarge)
      #expect(write.text.contains("nests folders deeper than 256 levels"), "\(write.text)")
      // The API itself never reaches below 32 folders.
      let deep = Array(repeating: "d", count: 33).joined(separator: "/") + "/f.txt"
      let refused = try await client.send(
        .put, "/api/projects/\(deepest.id)/file", json: ["path": deep, "content": "x"])
      #expect(refused.status == .badRequest)
      // Deleting the project takes it all, however deep.
      let deleted = try await client.send(.delete, "/api/projects/\(deepest.id)")
      #expect(deleted.status == .ok || deleted.status == .noContent)
    }
  }
}

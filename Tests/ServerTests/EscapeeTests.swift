import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

/// Nothing an episode's code starts outlives its worker, not even a process that left the
/// worker's session and process group.
@Suite("Processes started by an episode")
struct EscapeeTests {
  @Test("A grandchild that calls setsid dies with the episode's worker")
  func setsidEscapee() async throws {
    let server = try TestServer()
    try await server.testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let marker = server.projectsDirectory.appendingPathComponent("escapee-was-here")
      try await SimulationStreamTests.write(
        client, project: project.id, path: "env.py",
        endlessEnv(
          setup: """
            import time
            if os.fork() == 0:
                os.setsid()
                time.sleep(3)
                open(\(String(reflecting: marker.path)), "w").write("alive")
                os._exit(0)
            """))
      let started = ContinuousClock.now
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 5, "width": 64, "height": 48])
        return await stream.untilDone(timeout: .seconds(60))
      }
      #expect(messages.last?.json["reason"] as? String == "max_steps", "\(messages.map(\.message))")
      #expect(ContinuousClock.now - started < .seconds(60))
      // Past the escapee's wake-up: it was killed with the worker, so it never wrote.
      try await Task.sleep(for: .seconds(5))
      #expect(
        !FileManager.default.fileExists(atPath: marker.path), "the escapee outlived the episode")
    }
  }
}

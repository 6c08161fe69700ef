import Foundation
import Hummingbird
import HummingbirdTesting
import Simulation
import TestSupport
import Testing

/// A sandboxed episode sees the system's programs, Python and its project, and nothing else
/// of the host: the attack of issue 10.5, reading what the server's user can read.
@Suite("What a sandboxed episode can reach")
struct SandboxReachTests {
  @Test("Sandboxed code reads none of the server's home, tau-sim's own files or /etc's secrets")
  func hostFilesAreOutOfReach() async throws {
    var limits = EpisodeLimits()
    limits.sandbox = true
    let home = FileManager.default.homeDirectoryForCurrentUser
    let planted = home.appendingPathComponent(".tau-sandbox-probe-\(UUID().uuidString)")
    try "the server's own secret".write(to: planted, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: planted) }
    let targets = [
      "/etc/shadow", "/etc/passwd", "/etc/hostname", planted.path,
      TestPaths.packageRoot.appendingPathComponent("Package.swift").path,
      TestPaths.packageRoot.appendingPathComponent("Sources").path,
    ]
    try await TestServer().testWithSimulation(limits: limits) { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let env = try await client.send(.get, "/api/projects/\(project.id)/file?path=env.py")
      let original = try #require(env.json([String: String].self)["content"])
      try await SimulationStreamTests.write(
        client, project: project.id, path: "env.py",
        original + """


          import os
          for target in [\(targets.map { String(reflecting: $0) }.joined(separator: ", "))]:
              try:
                  if os.path.isdir(target):
                      os.listdir(target)
                  else:
                      open(target).read()
                  print("PROBE reached", target)
              except OSError as error:
                  print("PROBE blocked", target, type(error).__name__)
          print("PROBE root holds", sorted(os.listdir("/")))
          """)
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 3])
        return await stream.untilDone()
      }
      let probes = messages.map(\.message).filter { $0.hasPrefix("PROBE") }
      for target in targets {
        #expect(probes.contains("PROBE blocked \(target) FileNotFoundError"), "\(probes)")
      }
      #expect(!probes.contains { $0.hasPrefix("PROBE reached") }, "\(probes)")
      // The episode itself ran: the mounts hold all that Python, numpy and MuJoCo need.
      #expect(messages.last?.json["reason"] as? String == "max_steps", "\(messages.map(\.message))")
      #expect(messages.filter { $0.type == "frame" }.count == 3)
      let root = try #require(probes.first { $0.hasPrefix("PROBE root holds") })
      #expect(
        !root.contains("'home'") && !root.contains("'var'") && !root.contains("'opt'"), "\(root)")
    }
  }
}

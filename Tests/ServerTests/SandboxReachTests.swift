import Foundation
import Hummingbird
import HummingbirdTesting
import Simulation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

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

  /// The tau workers running now, by pid.
  static func tauWorkers() -> [String] {
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return pids.filter { pid in
      guard Int(pid) != nil,
        let line = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
      else { return false }
      let arguments = line.split(separator: "\0")
      return arguments.first?.hasSuffix("/tau") == true && arguments.dropFirst().first == "worker"
    }
  }

  @Test("A sandboxed project's render worker sees that project alone, read-only")
  func renderWorkerSeesOnlyItsProject() async throws {
    var limits = EpisodeLimits()
    limits.sandbox = true
    let server = try TestServer()
    let projects = server.projectsDirectory
    try await server.testWithSimulation(limits: limits, sandboxedRenderers: true) { client, _ in
      let port = try #require(client.port)
      let mine = try await client.createProject(name: "mine")
      let other = try await client.createProject(name: "other")
      let messages = try await withStream(port: port, project: mine.id) { stream in
        try await stream.send(["max_steps": 3, "width": 64, "height": 48])
        return await stream.untilDone()
      }
      // It renders: the sandbox holds what GL and MuJoCo need.
      #expect(messages.filter { $0.type == "frame" }.count == 3, "\(messages.map(\.message))")
      let minePath = projects.appendingPathComponent("local/\(mine.id)").path
      let otherPath = projects.appendingPathComponent("local/\(other.id)").path
      // What the worker sees, through its mount namespace's root.
      let sandboxed = Self.tauWorkers().filter { pid in
        FileManager.default.fileExists(atPath: "/proc/\(pid)/root\(minePath)/scene.xml")
          && !FileManager.default.fileExists(
            atPath: "/proc/\(pid)/root"
              + TestPaths.packageRoot.appendingPathComponent("Package.swift").path)
      }
      let pid = try #require(sandboxed.first, "no sandboxed render worker for the project")
      let root = "/proc/\(pid)/root"
      #expect(!FileManager.default.fileExists(atPath: root + otherPath))
      #expect(
        !FileManager.default.fileExists(
          atPath: root + FileManager.default.homeDirectoryForCurrentUser.path + "/.bashrc"))
      #expect(!FileManager.default.fileExists(atPath: root + "/etc/shadow"))
      // Read-only: through the worker's mounts, not even root can write the project.
      #expect(open(root + minePath + "/planted.txt", O_WRONLY | O_CREAT, 0o644) < 0)
      #expect(errno == EROFS)
    }
  }
}

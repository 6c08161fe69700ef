import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `tau serve` as a user starts it: it says where it is, answers, and stops
/// cleanly on SIGTERM.
@Suite("tau serve")
struct ServeCommandTests {
  @Test("serve prints the URL, data folder and backend, answers, and stops on SIGTERM")
  func startsAndStops() async throws {
    let folder = try TestPaths.temporaryFolder()
    let port = Int.random(in: 20000...40000)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.tauExecutable)
    process.arguments = [
      "serve", "--no-browser", "--port", String(port), "--projects-dir", folder.path,
    ]
    process.environment = ["PATH": "/usr/bin:/bin", "MUJOCO_GL": "osmesa", "HOME": folder.path]
    process.currentDirectoryURL = folder
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }

    var healthy = false
    for _ in 0..<100 where !healthy {
      try await Task.sleep(for: .milliseconds(100))
      let url = URL(string: "http://127.0.0.1:\(port)/healthz")!
      if let (data, _) = try? await URLSession.shared.data(from: url) {
        healthy = String(decoding: data, as: UTF8.self).contains("true")
      }
    }
    #expect(healthy)

    kill(process.processIdentifier, SIGTERM)
    for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
    #expect(!process.isRunning, "still running 10 s after SIGTERM")
    #expect(process.terminationStatus == 0)
    let printed = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(printed.contains("http://127.0.0.1:\(port)/"))
    #expect(printed.contains(folder.path))
    #expect(printed.contains("MUJOCO_GL=osmesa"))
  }
}

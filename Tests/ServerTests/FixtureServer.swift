import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A loopback HTTP server of `Fixtures/` (a Python script of .venv's Python that prints its
/// base URL as its first line and serves until killed).
struct FixtureServer: Sendable {
  let url: String
  let pid: Int32

  static func start(_ script: String, _ arguments: [String]) async throws -> FixtureServer {
    try await onOwnThread {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: TestPaths.python)
      process.arguments =
        [TestPaths.packageRoot.appendingPathComponent("Tests/ServerTests/Fixtures/\(script)").path]
        + arguments
      let output = Pipe()
      process.standardOutput = output
      try process.run()
      var line = Data()
      while !line.contains(UInt8(ascii: "\n")) {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { throw TestFailure("\(script) did not start") }
        line += chunk
      }
      let url = String(decoding: line, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      return FixtureServer(url: url, pid: process.processIdentifier)
    }
  }

  /// A signal, not `terminate()` and a wait: Foundation's wait for a child needs a run loop.
  func stop() {
    kill(pid, SIGKILL)
  }
}

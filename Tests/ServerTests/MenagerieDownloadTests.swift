import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

/// Downloads through the package's cache, from a loopback server of release archives that
/// the test makes from `../shared/menagerie` (`Fixtures/menagerie_archives.py`), described by
/// a registry file of the test's own (`TAU_MENAGERIE_REGISTRY`).
@Suite("Menagerie downloads")
struct MenagerieDownloadTests {
  static func cached(_ cache: URL) -> [String] {
    (try? FileManager.default.contentsOfDirectory(
      atPath: cache.appendingPathComponent("models").path))?.sorted() ?? []
  }

  @Test("A cold import downloads, verifies and publishes; the next comes from the cache offline")
  func downloadsThenCache() async throws {
    let folder = try makeTemporaryFolder()
    let cache = folder.appendingPathComponent("cache")
    let server = try await FixtureServer.start(
      "menagerie_archives.py", [TestPaths.menagerie.path, folder.path])
    defer { server.stop() }
    let settings = [
      "MENAGERIE_CACHE_DIR": cache.path, "HOME": folder.path, "MENAGERIE_BASE_URL": server.url,
      "TAU_MENAGERIE_REGISTRY": folder.appendingPathComponent("registry.json").path,
    ]
    try await TestServer().testWithSimulation(menagerie: settings) { client, _ in
      let slow = SlowClient(port: try #require(client.port))
      func importing(_ model: String, into project: ProjectID) async throws -> SlowClient.Response {
        try await slow.send(
          .post, "/api/projects/\(project)/import/menagerie", json: ["model": model])
      }
      // A wrong digest: refused, nothing published, the project untouched.
      let project = try await client.createProject()
      let before = try await client.readFile(project.id, "env.py")
      let wrongDigest = try await importing("robotiq_2f85", into: project.id)
      #expect(wrongDigest.status == .badGateway)
      #expect(wrongDigest.text.contains("does not match the digest"), "\(wrongDigest.text)")
      // A member that would land outside its folder: refused the same way, written nowhere.
      let escaping = try await importing("kuka_iiwa_14", into: project.id)
      #expect(escaping.status == .badGateway)
      #expect(escaping.text.contains("outside the destination"), "\(escaping.text)")
      #expect(Self.cached(cache).isEmpty)
      let evil = FileManager.default.enumerator(atPath: folder.path)?.allObjects
        .compactMap { $0 as? String }.filter { $0.hasSuffix("evil.txt") }
      #expect(evil == [])
      #expect(try await client.readFile(project.id, "env.py") == before)
      let files = try await client.send(.get, "/api/projects/\(project.id)").json(ProjectInfo.self)
      #expect(files.files == ["env.py", "scene.xml"])

      // A true archive: downloaded, checked and published, then imported.
      let cold = try await importing("wonik_allegro", into: project.id)
      #expect(cold.status == .ok, "\(cold.text)")
      #expect(Self.cached(cache).count == 1 && Self.cached(cache)[0].hasPrefix("wonik_allegro-"))

      // With the archive server gone, the cache serves the next import.
      server.stop()
      try await Task.sleep(for: .milliseconds(300))
      let second = try await client.createProject(name: "again", template: "empty")
      let warm = try await importing("wonik_allegro", into: second.id)
      #expect(warm.status == .ok, "\(warm.text)")
      let catalog = try #require(
        try await client.send(.get, "/api/menagerie/catalog").object as? [[String: Any]])
      let offline = catalog.filter { $0["available_offline"] as? Bool == true }
        .compactMap { $0["name"] as? String }
      #expect(offline == ["wonik_allegro"])
    }
  }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

/// The original's path for models the registry does not know: GitHub's contents API, here
/// a loopback server that speaks it (`Fixtures/github_contents.py`).
@Suite("Menagerie through GitHub's contents API")
struct MenagerieGitHubTests {
  static let token = "ghp_tauTestTokenNeverLogged0123456789"

  @Test("A model outside the registry imports and runs; its progress is visible meanwhile")
  func importsOutsideTheRegistry() async throws {
    let folder = try makeTemporaryFolder()
    let log = folder.appendingPathComponent("requests.jsonl")
    let github = try await FixtureServer.start(
      "github_contents.py", [TestPaths.menagerie.path, log.path])
    defer { github.stop() }
    let server = try TestServer()
    try await server.testWithSimulation(
      github: GitHubMenagerie(apiBase: github.url, token: Self.token)
    ) { client, _ in
      let project = try await client.createProject(name: "arm", template: "empty")
      let port = try #require(client.port)
      // The import on a connection of its own, so the progress can be asked meanwhile.
      let body = #"{"model": "tau_test_arm"}"#
      let importing = Task {
        // Minutes of patience: under a full parallel test run an import can take a while.
        try await LiveServerTests.rawRequest(
          port: port, readTimeout: 300,
          "POST /api/projects/\(project.id)/import/menagerie HTTP/1.1\r\nHost: localhost:\(port)"
            + "\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(body)")
      }
      // While it downloads: bytes done of the listing's total.
      var seen: [String: Any]?
      for _ in 0..<400 where seen == nil {
        let progress = try await client.send(
          .get, "/api/projects/\(project.id)/import/menagerie/progress")
        if progress.status == .ok, let object = progress.object as? [String: Any],
          (object["total"] as? Int ?? 0) > 0
        {
          seen = object
        }
        try await Task.sleep(for: .milliseconds(10))
      }
      let imported = try await importing.value
      #expect(imported.hasPrefix("HTTP/1.1 200"), "\(imported)")
      let progress = try #require(seen, "no progress was visible during the download")
      #expect(progress["model"] as? String == "tau_test_arm")
      #expect((progress["done"] as? Int ?? -1) <= (progress["total"] as? Int ?? 0))
      let done = try await client.send(
        .get, "/api/projects/\(project.id)/import/menagerie/progress")
      #expect(done.status == .notFound)

      #expect(imported.contains(#""entry_xml":"scene.xml""#), "\(imported)")
      let info = try await client.send(.get, "/api/projects/\(project.id)").json(ProjectInfo.self)
      #expect(info.files.contains("assets/link0.stl") && info.files.contains("LICENSE"))
      let env = try await client.readFile(project.id, "env.py")
      #expect(env.contains("xml_path = 'scene.xml'"))

      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 50, "width": 32, "height": 24, "speed": 0])
        return await stream.untilDone(timeout: .seconds(120))
      }
      #expect(messages.last?.json["reason"] as? String == "max_steps")

      // The token went to the API in a header, and nowhere into the project.
      let requests = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
      #expect(requests.contains { $0.contains("Bearer \(Self.token)") })
      let projectFolder = server.projectsDirectory.appendingPathComponent("local/\(project.id)")
      for file in info.files {
        let text =
          (try? String(
            contentsOf: projectFolder.appendingPathComponent(file), encoding: .utf8)) ?? ""
        #expect(!text.contains(Self.token), "\(file) holds the token")
      }
    }
  }

  @Test(
    "404 is model not found; a rate limit is a 429 naming GITHUB_TOKEN; bad listings write nothing")
  func refusals() async throws {
    let folder = try makeTemporaryFolder()
    let github = try await FixtureServer.start(
      "github_contents.py",
      [TestPaths.menagerie.path, folder.appendingPathComponent("requests.jsonl").path])
    defer { github.stop() }
    let server = try TestServer()
    try await server.testWithSimulation(github: GitHubMenagerie(apiBase: github.url)) {
      client, _ in
      let project = try await client.createProject()
      let before = try await client.send(.get, "/api/projects/\(project.id)").json(
        ProjectInfo.self)
      let slow = SlowClient(port: try #require(client.port))
      func importing(_ model: String) async throws -> SlowClient.Response {
        try await slow.send(
          .post, "/api/projects/\(project.id)/import/menagerie", json: ["model": model])
      }
      let missing = try await importing("no_such_robot")
      #expect(missing.status == .badRequest)
      #expect(missing.text.contains("model not found"), "\(missing.text)")

      let limited = try await importing("rate_limited")
      #expect(limited.status == .tooManyRequests, "\(limited.text)")
      #expect(limited.text.contains("GITHUB_TOKEN"))
      #expect(limited.headers[.retryAfter] != nil)

      let escaping = try await importing("escaping")
      #expect(escaping.status == .badGateway, "\(escaping.text)")
      #expect(escaping.text.contains("outside the model's folder"), "\(escaping.text)")
      let foreign = try await importing("foreign")
      #expect(foreign.status == .badGateway, "\(foreign.text)")
      #expect(foreign.text.contains("foreign address"), "\(foreign.text)")

      // Nothing was written: not into the project, not beside it, not into the temporary folder.
      let after = try await client.send(.get, "/api/projects/\(project.id)").json(ProjectInfo.self)
      #expect(after.files == before.files)
      for root in [server.projectsDirectory, FileManager.default.temporaryDirectory] {
        let evil = FileManager.default.enumerator(atPath: root.path)?.allObjects
          .compactMap { $0 as? String }.filter { $0.hasSuffix("evil.txt") }
        #expect(evil == [], "\(root.path)")
      }
    }
  }
}

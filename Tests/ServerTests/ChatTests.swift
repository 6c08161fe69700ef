import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

/// The chat against a loopback server that speaks OpenAI's wire format
/// (`Fixtures/openai_vendor.py`): replies, proposals checked and repaired, streaming, keys.
@Suite("Assistant chat")
struct ChatTests {
  static let key = "sk-tauTestKey-0123456789abcdefNEVERLOGGED"

  /// A vendor answering `script` (its entries as `openai_vendor.py` reads them), its log.
  static func vendor(_ script: [[String: Any]]) async throws -> (FixtureServer, URL, URL) {
    let folder = try makeTemporaryFolder()
    let scriptFile = folder.appendingPathComponent("script.json")
    let log = folder.appendingPathComponent("requests.jsonl")
    try JSONSerialization.data(withJSONObject: script).write(to: scriptFile)
    let server = try await FixtureServer.start("openai_vendor.py", [scriptFile.path, log.path])
    return (server, scriptFile, log)
  }

  static func requests(_ log: URL) -> [[String: Any]] {
    ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  static func answer(_ reply: String, _ proposals: [[String: String]] = []) -> [String: Any] {
    let object: [String: Any] = ["reply": reply, "proposals": proposals]
    let data = try! JSONSerialization.data(withJSONObject: object)
    return ["content": String(decoding: data, as: UTF8.self)]
  }

  static func server(_ vendorURL: String, multiUser: Bool = false) throws -> TestServer {
    var server = try TestServer(multiUser: multiUser)
    server.configuration.assistantEnvironment = [
      "OPENAI_BASE_URL": vendorURL, "OPENAI_API_KEY": key,
      "LLM_DEFAULT_MODEL_OPENAI": "tau-test-model",
    ]
    return server
  }

  static func chat(
    _ client: any TestClientProtocol, _ project: ProjectID, _ text: String,
    extra: [String: Any] = [:], headers: HTTPFields = [:]
  ) async throws -> SlowClient.Response {
    var body: [String: Any] = [
      "project_id": project.rawValue, "provider": "openai", "propose_diff": true,
      "messages": [["role": "user", "content": text]],
    ]
    body.merge(extra) { _, new in new }
    let slow = SlowClient(port: try #require(client.port))
    return try await slow.send(.post, "/api/chat", json: body, headers: headers)
  }

  @Test("Invalid JSON is a plain reply; a proposal for ../x is refused; what the vendor received")
  func plainAndRefused() async throws {
    let (vendor, _, log) = try await Self.vendor([
      ["content": "Just raise the gear; no JSON from me."],
      Self.answer("Outside", [["path": "../x.py", "new_content": "print(1)", "rationale": "r"]]),
    ])
    defer { vendor.stop() }
    try await Self.server(vendor.url).testWithSimulation { client, _ in
      let project = try await client.createProject()
      let plain = try await Self.chat(client, project.id, "What is this?")
      #expect(plain.status == .ok, "\(plain.text)")
      let body = try #require(plain.object as? [String: Any])
      #expect(body["reply"] as? String == "Just raise the gear; no JSON from me.")
      #expect((body["proposals"] as? [Any])?.isEmpty == true)
      #expect(body.keys.contains("pending_id"))
      let usage = try #require(body["usage"] as? [String: Any])
      #expect(usage["input_tokens"] as? Int == 100 && usage["output_tokens"] as? Int == 20)

      let outside = try await Self.chat(client, project.id, "Write outside")
      let refused = try #require((outside.object as? [String: Any])?["refused"] as? [[String: Any]])
      #expect(refused.first?["path"] as? String == "../x.py")
      #expect(((outside.object as? [String: Any])?["proposals"] as? [Any])?.isEmpty == true)
      #expect(
        ((outside.object as? [String: Any])?["session_usage"] as? [String: Any])?["input_tokens"]
          as? Int == 200)

      // What the vendor saw: our system text with the project, the user's turn last, the
      // schema as structured output, the key only in Authorization.
      let first = try #require(Self.requests(log).first)
      let headers = try #require(first["headers"] as? [String: String])
      #expect(headers["Authorization"] == "Bearer \(Self.key)")
      let sent = try #require(first["body"] as? [String: Any])
      #expect(sent["model"] as? String == "tau-test-model")
      let messages = try #require(sent["messages"] as? [[String: Any]])
      #expect(messages.first?["role"] as? String == "system")
      #expect((messages.first?["content"] as? String)?.contains("=== env.py ===") == true)
      #expect(messages.last?["role"] as? String == "user")
      let format = try #require(sent["response_format"] as? [String: Any])
      #expect(format["type"] as? String == "json_schema")
    }
  }

  @Test("Broken XML in a proposal triggers one repair round that ends with check.ok")
  func repairRound() async throws {
    let scene = try String(
      contentsOf: try TestPaths.cartpoleScene(), encoding: .utf8)
    let broken = scene.replacingOccurrences(of: "</worldbody>", with: "</worldbdy>")
    let longer = scene.replacingOccurrences(
      of: "fromto=\"0 0 0 0 0 1\"", with: "fromto=\"0 0 0 0 0 1.2\"")
    let (vendor, _, log) = try await Self.vendor([
      Self.answer(
        "A longer pole.", [["path": "scene.xml", "new_content": broken, "rationale": "r"]]),
      Self.answer(
        "Fixed the closing tag.", [["path": "scene.xml", "new_content": longer, "rationale": "r"]]),
    ])
    defer { vendor.stop() }
    try await Self.server(vendor.url).testWithSimulation { client, _ in
      let project = try await client.createProject()
      let response = try await Self.chat(client, project.id, "Make the pole longer")
      #expect(response.status == .ok, "\(response.text)")
      let body = try #require(response.object as? [String: Any])
      let check = try #require(body["check"] as? [String: Any])
      #expect(check["ok"] as? Bool == true, "\(check)")
      #expect((body["repairs"] as? [String])?.count == 1, "\(body["repairs"] ?? "")")
      #expect((body["proposals"] as? [[String: Any]])?.first?["new_content"] as? String == longer)
      let requests = Self.requests(log)
      #expect(requests.count == 2)
      let repair =
        ((requests.last?["body"] as? [String: Any])?["messages"] as? [[String: Any]])?
        .last?["content"] as? String ?? ""
      #expect(repair.contains("scene.xml") && repair.contains("failed"), "\(repair)")
      // Checked on a scratch copy: the project is untouched.
      #expect(try await client.readFile(project.id, "scene.xml") == scene)
    }
  }

  @Test("The stream sends text, check progress, then the response")
  func streaming() async throws {
    let (vendor, _, _) = try await Self.vendor([Self.answer("Streamed → réponse.")])
    defer { vendor.stop() }
    try await Self.server(vendor.url).testWithSimulation { client, _ in
      let project = try await client.createProject()
      let response = try await SlowClient(port: try #require(client.port)).send(
        .post, "/api/chat/stream",
        json: [
          "project_id": project.id.rawValue, "provider": "openai",
          "messages": [["role": "user", "content": "hi"]],
        ])
      #expect(response.status == .ok)
      #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
      let events = response.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
      let names = events.compactMap { $0.split(separator: "\n").first }.map(String.init)
      #expect(names.first == "event: text" && names.last == "event: response", "\(names)")
      let final = try #require(events.last?.split(separator: "\n").last)
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(final.dropFirst("data: ".count).utf8))
          as? [String: Any])
      #expect(json["reply"] as? String == "Streamed → réponse.")
    }
  }

  @Test("Keys stay out of logs, errors, workers and files; a base URL is refused when hosted")
  func keysAndBaseURL() async throws {
    let spy = """
      import os
      def make_env():
          raise RuntimeError("ENV:" + ",".join(sorted(k for k in os.environ)) + ":" + ",".join(os.environ.values()))
      """
    let (vendor, script, _) = try await Self.vendor([
      Self.answer("Try this", [["path": "env.py", "new_content": spy, "rationale": "r"]])
    ])
    defer { vendor.stop() }
    let logs = CapturedLogs()
    let server = try Self.server(vendor.url, multiUser: true)
    try await server.testWithSimulation(logger: logs.logger) { client, _ in
      let session = try await SessionTests.newSession(client)
      let project = try await client.createProject(headers: session)
      let response = try await Self.chat(client, project.id, "go", headers: session)
      #expect(response.status == .ok, "\(response.text)")
      let check = try #require((response.object as? [String: Any])?["check"] as? [String: Any])
      let message = ((check["errors"] as? [[String: Any]])?.first?["message"] as? String) ?? ""
      #expect(message.contains("ENV:"), "\(message)")
      #expect(!message.contains(Self.key) && !message.contains("OPENAI_API_KEY"), "\(message)")

      // A vendor that refuses the key, echoing it: the error names OpenAI and 401, not the key.
      try JSONSerialization.data(withJSONObject: [
        [
          "status": 401, "error": "Incorrect API key provided: \(Self.key)",
          "code": "invalid_api_key",
        ]
      ]).write(to: script)
      let refused = try await Self.chat(client, project.id, "again", headers: session)
      #expect(refused.status == .badRequest, "\(refused.text)")
      #expect(refused.text.contains("OpenAI") && refused.text.contains("401"), "\(refused.text)")
      #expect(!refused.text.contains(Self.key) && !refused.text.contains("0123456789abcdef"))

      let hosted = try await Self.chat(
        client, project.id, "x", extra: ["base_url": "http://169.254.169.254/v1"],
        headers: session)
      #expect(hosted.status == .forbidden, "\(hosted.text)")

      // Nothing the server logged, and no file of the project, holds the key.
      #expect(!logs.text.contains(Self.key))
      let files =
        FileManager.default.enumerator(atPath: server.projectsDirectory.path)?
        .allObjects.compactMap { $0 as? String } ?? []
      #expect(files.contains { $0.hasSuffix("chat.json") })
      for file in files {
        let data =
          FileManager.default.contents(
            atPath: server.projectsDirectory.appendingPathComponent(file).path) ?? Data()
        #expect(!String(decoding: data, as: UTF8.self).contains(Self.key), "\(file)")
      }
    }
  }
}

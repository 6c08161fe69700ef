import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

/// The manual queue: a person answers a session's requests; the chat shows the answer.
@Suite("Manual queue")
struct ManualQueueTests {
  @Test("Request, poll (202), answer, result; a second session sees none of the first's")
  func roundTrip() async throws {
    try await TestServer(multiUser: true).testWithSimulation { client, _ in
      let alice = try await SessionTests.newSession(client)
      let bob = try await SessionTests.newSession(client)
      let project = try await client.createProject(headers: alice)
      let asked = try await client.send(
        .post, "/api/chat",
        json: [
          "project_id": project.id.rawValue, "provider": "manual", "propose_diff": true,
          "messages": [["role": "user", "content": "Make the pole longer"]],
        ], headers: alice)
      #expect(asked.status == .ok, "\(asked.text)")
      let pending = try #require((asked.object as? [String: Any])?["pending_id"] as? String)

      let poll = try await client.send(.get, "/api/chat/result/\(pending)", headers: alice)
      #expect(poll.status == .accepted)
      #expect((poll.object as? [String: Any])?["pending"] as? Bool == true)

      let list = try #require(
        try await client.send(.get, "/api/manual/pending", headers: alice).object
          as? [[String: Any]])
      #expect(list.count == 1 && list.first?["id"] as? String == pending)
      let request = try #require(list.first)
      #expect((request["system"] as? String ?? "").contains("=== env.py ==="))
      #expect(request["project_id"] as? String == project.id.rawValue)

      // Bob sees nothing of Alice's, and cannot answer it.
      #expect(try await client.send(.get, "/api/manual/pending", headers: bob).text == "[]")
      #expect(
        try await client.send(.get, "/api/manual/pending/\(pending)", headers: bob).status
          == .notFound)
      let stolen = try await client.send(
        .post, "/api/manual/pending/\(pending)/respond",
        json: ["reply": "no", "proposals": []], headers: bob)
      #expect(stolen.status == .notFound)

      let scene = try await client.readFile(project.id, "scene.xml", headers: alice)
      let longer = scene.replacingOccurrences(
        of: "fromto=\"0 0 0 0 0 1\"", with: "fromto=\"0 0 0 0 0 1.2\"")
      let answered = try await SlowClient(port: try #require(client.port)).send(
        .post, "/api/manual/pending/\(pending)/respond",
        json: [
          "reply": "A longer pole.",
          "proposals": [["path": "scene.xml", "new_content": longer, "rationale": "longer"]],
        ], headers: alice)
      #expect(answered.status == .ok, "\(answered.text)")
      let result = try await client.send(.get, "/api/chat/result/\(pending)", headers: alice)
      #expect(result.status == .ok)
      let body = try #require(result.object as? [String: Any])
      #expect(body["reply"] as? String == "A longer pole.")
      #expect((body["proposals"] as? [[String: Any]])?.first?["path"] as? String == "scene.xml")
      #expect((body["check"] as? [String: Any])?["ok"] as? Bool == true, "\(body["check"] ?? "")")
      #expect(try await client.send(.get, "/api/manual/pending", headers: alice).text == "[]")
      // Nothing was written to the project: applying is the user's PUT.
      #expect(try await client.readFile(project.id, "scene.xml", headers: alice) == scene)
      // The conversation is kept with the project.
      let chat = try await client.send(.get, "/api/projects/\(project.id)/chat", headers: alice)
      let turns = try #require((chat.object as? [String: Any])?["turns"] as? [[String: Any]])
      #expect(turns.map { $0["role"] as? String } == ["user", "assistant"])
    }
  }

  @Test("tau manual list and respond answer a request from a terminal")
  func fromTheCommandLine() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let asked = try await client.send(
        .post, "/api/chat",
        json: [
          "project_id": project.id.rawValue, "provider": "manual",
          "messages": [["role": "user", "content": "Why does the pole fall?"]],
        ])
      let pending = try #require((asked.object as? [String: Any])?["pending_id"] as? String)
      let server = ["--server", "http://127.0.0.1:\(port)"]
      let environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
      let list = try await ProcessRunner.run(
        TestPaths.tauExecutable, ["manual", "list"] + server, environment: environment)
      #expect(list.status == 0, "\(list.stderr)")
      #expect(list.stdout.contains(pending) && list.stdout.contains("Why does the pole fall?"))
      let answer = try makeTemporaryFolder().appendingPathComponent("answer.txt")
      try "Because the policy is off.".write(to: answer, atomically: true, encoding: .utf8)
      let respond = try await ProcessRunner.run(
        TestPaths.tauExecutable, ["manual", "respond", pending, answer.path] + server,
        environment: environment)
      #expect(respond.status == 0, "\(respond.stderr)")
      let result = try await client.send(.get, "/api/chat/result/\(pending)")
      #expect(
        (result.object as? [String: Any])?["reply"] as? String == "Because the policy is off.")
      let again = try await ProcessRunner.run(
        TestPaths.tauExecutable, ["manual", "respond", pending, answer.path] + server,
        environment: environment)
      #expect(again.status != 0 && again.stderr.contains("404"), "\(again.stderr)")
    }
  }
}

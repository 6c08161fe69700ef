import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

/// The chat's other promises: images, a stream that fails, the token budget, the providers
/// list, a project suggested from a sentence, the stored conversation.
@Suite("Assistant features")
struct ChatFeatureTests {
  @Test("An image goes to the vendor in its own format; a failing stream ends with an error event")
  func imagesAndStreamErrors() async throws {
    let (vendor, script, log) = try await ChatTests.vendor([ChatTests.answer("I see a pole.")])
    defer { vendor.stop() }
    try await ChatTests.server(vendor.url).testWithSimulation { client, _ in
      let project = try await client.createProject()
      let png = try Data(
        contentsOf: TestPaths.menagerie.appendingPathComponent("franka_emika_panda/panda.png"))
      let seen = try await ChatTests.chat(
        client, project.id, "What do you see?",
        extra: ["images": [["media_type": "image/png", "data": png.base64EncodedString()]]])
      #expect(seen.status == .ok, "\(seen.text)")
      let sent = try #require(
        (ChatTests.requests(log).last?["body"] as? [String: Any])?["messages"] as? [[String: Any]])
      let parts = try #require(sent.last?["content"] as? [[String: Any]])
      let image = try #require(parts.first { $0["type"] as? String == "image_url" })
      let url = (image["image_url"] as? [String: Any])?["url"] as? String ?? ""
      #expect(url.hasPrefix("data:image/png;base64,"))
      let notPNG = try await ChatTests.chat(
        client, project.id, "x",
        extra: [
          "images": [
            ["media_type": "image/png", "data": Data("GIF89a".utf8).base64EncodedString()]
          ]
        ])
      #expect(notPNG.status == .badRequest, "\(notPNG.text)")

      try JSONSerialization.data(withJSONObject: [["stream_error": "the model crashed"]])
        .write(to: script)
      let stream = try await SlowClient(port: try #require(client.port)).send(
        .post, "/api/chat/stream",
        json: [
          "project_id": project.id.rawValue, "provider": "openai",
          "messages": [["role": "user", "content": "hi"]],
        ])
      let events = stream.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
      #expect(events.last?.hasPrefix("event: error") == true, "\(stream.text)")
      #expect(events.last?.contains("the model crashed") == true)
    }
  }

  @Test("The token budget refuses further calls once spent; the conversation is kept, then cleared")
  func budgetAndConversation() async throws {
    let (vendor, _, _) = try await ChatTests.vendor([ChatTests.answer("One answer.")])
    defer { vendor.stop() }
    var server = try ChatTests.server(vendor.url)
    server.configuration.assistantEnvironment["TAU_LLM_BUDGET_TOKENS"] = "100"
    try await server.testWithSimulation { client, _ in
      let project = try await client.createProject()
      #expect(try await ChatTests.chat(client, project.id, "first").status == .ok)
      let spent = try await ChatTests.chat(client, project.id, "second")
      #expect(spent.status == .tooManyRequests)
      #expect(spent.text.contains("TAU_LLM_BUDGET_TOKENS"), "\(spent.text)")

      let chat = try await client.send(.get, "/api/projects/\(project.id)/chat")
      let turns = try #require((chat.object as? [String: Any])?["turns"] as? [[String: Any]])
      #expect(turns.first?["content"] as? String == "first")
      #expect(turns.dropFirst().first?["content"] as? String == "One answer.")
      #expect(try await client.send(.delete, "/api/projects/\(project.id)/chat").status == .ok)
      let cleared = try await client.send(.get, "/api/projects/\(project.id)/chat")
      #expect(((cleared.object as? [String: Any])?["turns"] as? [Any])?.isEmpty == true)
    }
  }

  @Test("Providers list which have a server key (never the key) and the models each offers")
  func providers() async throws {
    let (vendor, _, _) = try await ChatTests.vendor([ChatTests.answer("x")])
    defer { vendor.stop() }
    try await ChatTests.server(vendor.url).testWithSimulation { client, _ in
      let response = try await client.send(.get, "/api/providers")
      #expect(!response.text.contains(ChatTests.key))
      let list = try #require(response.object as? [[String: Any]])
      let openai = try #require(list.first { $0["id"] as? String == "openai" })
      #expect(openai["has_server_key"] as? Bool == true)
      #expect(openai["models"] as? [String] == ["tau-test-model"])
      let gemini = try #require(list.first { $0["id"] as? String == "gemini" })
      #expect(gemini["has_server_key"] as? Bool == false)
      #expect((gemini["models_error"] as? String)?.contains("GEMINI_API_KEY") == true)
      #expect(list.contains { $0["id"] as? String == "manual" })
    }
  }

  @Test("A sentence becomes a robot or a template; a choice that does not exist is none")
  func suggest() async throws {
    let (vendor, script, _) = try await ChatTests.vendor([
      [
        "content":
          #"{"choice": "menagerie", "template": "", "robot": "unitree_go2", "name": "Walker", "why": "A quadruped."}"#
      ]
    ])
    defer { vendor.stop() }
    try await ChatTests.server(vendor.url).testWithSimulation { client, _ in
      let suggested = try await client.send(
        .post, "/api/projects/suggest", json: ["description": "a quadruped that walks forward"])
      #expect(suggested.status == .ok, "\(suggested.text)")
      let body = try #require(suggested.object as? [String: Any])
      #expect(body["choice"] as? String == "menagerie" && body["robot"] as? String == "unitree_go2")
      #expect(body["name"] as? String == "Walker")

      try JSONSerialization.data(withJSONObject: [
        [
          "content":
            #"{"choice": "menagerie", "template": "", "robot": "flying_carpet", "name": "Carpet", "why": "x"}"#
        ]
      ]).write(to: script)
      let none = try #require(
        try await client.send(.post, "/api/projects/suggest", json: ["description": "a carpet"])
          .object as? [String: Any])
      #expect(none["choice"] as? String == "none")
      #expect((none["why"] as? String)?.contains("flying_carpet") == true)
      let empty = try await client.send(.post, "/api/projects/suggest", json: ["description": " "])
      #expect(empty.status == .badRequest)
    }
  }
}

import Assistant
import Foundation
import Testing

@Suite("Anthropic Messages")
struct AnthropicProviderTests {
  static let message = """
    {"id":"msg_1","type":"message","role":"assistant","model":"claude-test",
     "content":[{"type":"thinking","thinking":"masses…","signature":"x"},
       {"type":"text","text":"Heavier → "},{"type":"text","text":"mass 2 kg é"}],
     "stop_reason":"end_turn","stop_sequence":null,
     "usage":{"input_tokens":25,"output_tokens":8}}
    """

  /// A stream as Anthropic sends it, every kind of event included.
  static func stream(_ pieces: [String], stop: String = "end_turn") -> String {
    func event(_ name: String, _ data: String) -> String { "event: \(name)\ndata: \(data)\n\n" }
    var text = event(
      "message_start",
      #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-test","stop_reason":null,"usage":{"input_tokens":21,"output_tokens":1}}}"#
    )
    text += event(
      "content_block_start",
      #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
    text += event("ping", #"{"type": "ping"}"#)
    for piece in pieces {
      text += event(
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\(quoted(piece))}}"
      )
    }
    text += event("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
    text += event(
      "message_delta",
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"\(stop)\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}"
    )
    text += event("message_stop", #"{"type":"message_stop"}"#)
    return text
  }

  static let pieces = ["Bon", "jour é → ", "naïve 🚀", " done"]

  @Test("Anthropic receives the path, the key header, the version and the body it expects")
  func requestShape() async throws {
    try await VendorServer.run([.json(Self.message)]) { server in
      let provider = AnthropicProvider(
        settings: testSettings(server, keyVariable: "ANTHROPIC_API_KEY"))
      let reply = try await provider.complete(
        sampleRequest(
          format: .jsonSchema(name: "edit", schema: sampleSchema), model: "claude-test"),
        onText: nil)
      #expect(
        reply
          == ModelReply(
            text: "Heavier → mass 2 kg é", usage: TokenUsage(input: 25, output: 8), finish: .stop))

      let request = try #require(server.requests.first)
      #expect(request.method == .POST && request.target == "/v1/messages")
      #expect(request.headers["x-api-key"] == [distinctiveKey])
      #expect(request.headers["anthropic-version"] == ["2023-06-01"])
      #expect(request.headers["Authorization"].isEmpty && request.headers["x-goog-api-key"].isEmpty)
      let body = request.json
      #expect(body["model"] as? String == "claude-test")
      #expect(body["max_tokens"] as? Int == 1234)
      #expect(body["system"] as? String == "You edit MuJoCo models.")
      #expect(body["stream"] == nil)
      let messages = try #require(body["messages"] as? [[String: Any]])
      #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
      #expect(messages[0]["content"] as? String == "Hello")
      #expect(value(messages, 2, "content", 0, "type") as? String == "image")
      #expect(value(messages, 2, "content", 0, "source", "type") as? String == "base64")
      #expect(value(messages, 2, "content", 0, "source", "media_type") as? String == "image/png")
      #expect(value(messages, 2, "content", 0, "source", "data") as? String == samplePicture.base64)
      #expect(value(messages, 2, "content", 1, "type") as? String == "text")
      #expect(value(messages, 2, "content", 1, "text") as? String == "Make it heavier")
      #expect(value(body, "output_config", "format", "type") as? String == "json_schema")
      #expect(
        value(body, "output_config", "format", "schema", "required") as? [String] == ["reply"])
    }
  }

  @Test("JSON mode adds nothing to the body (the instructions ask for JSON)")
  func jsonMode() async throws {
    try await VendorServer.run([.json(Self.message)]) { server in
      let provider = AnthropicProvider(settings: testSettings(server))
      _ = try await provider.complete(sampleRequest(format: .jsonObject), onText: nil)
      let body = try #require(server.requests.first).json
      #expect(body["output_config"] == nil && body["response_format"] == nil)
    }
  }

  @Test("A streamed answer arrives in pieces whose join is the reply, usage from its events")
  func streaming() async throws {
    try await VendorServer.run([.stream(Self.stream(Self.pieces, stop: "max_tokens"))]) {
      server in
      let provider = AnthropicProvider(settings: testSettings(server))
      let pieces = TextPieces()
      let reply = try await provider.complete(
        sampleRequest(format: .text), onText: pieces.onText)
      #expect(pieces.all == Self.pieces)
      #expect(reply.text == Self.pieces.joined() && pieces.joined == reply.text)
      #expect(reply.usage == TokenUsage(input: 21, output: 15) && reply.finish == .length)
      #expect(server.requests.first?.json["stream"] as? Bool == true)
    }
  }

  @Test("A refusal stop reads as `refusal`")
  func refusal() async throws {
    let refused =
      #"{"type":"message","content":[],"stop_reason":"refusal","usage":{"input_tokens":3,"output_tokens":0}}"#
    try await VendorServer.run([.json(refused)]) { server in
      let provider = AnthropicProvider(settings: testSettings(server))
      let reply = try await provider.complete(sampleRequest(format: .text), onText: nil)
      #expect(reply.finish == .refusal && reply.text.isEmpty)
    }
  }

  @Test("An error event in the middle of a stream throws with its message")
  func midStreamError() async throws {
    let stream =
      Self.stream(["Hello é"]).components(separatedBy: "event: content_block_stop")[0]
      + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
    try await VendorServer.run([.stream(stream)]) { server in
      let provider = AnthropicProvider(settings: testSettings(server))
      let pieces = TextPieces()
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: pieces.onText)
        })
      #expect(error.kind == .server)
      #expect(error.message == "Anthropic failed in the middle of the answer: Overloaded")
      #expect(pieces.all == ["Hello é"])
      #expect(server.requests.count == 1)
    }
  }

  @Test("A refused key (401 authentication_error) names Anthropic and the status")
  func refusedKey() async throws {
    let body =
      #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#
    try await VendorServer.run([.json(401, body)]) { server in
      let provider = AnthropicProvider(settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .refusedKey)
      #expect(error.message == "the Anthropic key was refused (401): invalid x-api-key")
    }
  }

  @Test("Overloaded (529) and rate limited (429) answers are retried, then succeed")
  func retries() async throws {
    let overloaded = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
    let limited =
      #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#
    try await VendorServer.run([
      .json(529, overloaded), .json(429, limited, headers: [("retry-after", "1")]),
      .json(Self.message),
    ]) { server in
      let provider = AnthropicProvider(settings: testSettings(server))
      let reply = try await provider.complete(sampleRequest(format: .text), onText: nil)
      #expect(reply.text == "Heavier → mass 2 kg é")
      #expect(server.requests.count == 3)
    }
  }

  @Test("A 400 about output_config means structured output is unsupported")
  func formatUnsupported() async throws {
    let body =
      #"{"type":"error","error":{"type":"invalid_request_error","message":"output_config.format: this model does not support structured outputs"}}"#
    try await VendorServer.run([.json(400, body)]) { server in
      let provider = AnthropicProvider(settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(
            sampleRequest(format: .jsonSchema(name: "edit", schema: sampleSchema)), onText: nil)
        })
      #expect(error.kind == .formatUnsupported && error.message.contains("Anthropic"))
    }
  }

  @Test("A missing key names ANTHROPIC_API_KEY")
  func missingKey() async throws {
    let provider = AnthropicProvider(
      settings: testSettings(
        baseURL: "http://127.0.0.1:1", key: nil, keyVariable: "ANTHROPIC_API_KEY"))
    let error = try #require(
      await providerError { try await provider.complete(sampleRequest(format: .text), onText: nil) }
    )
    #expect(error.kind == .missingKey)
    #expect(
      error.message == "no API key for Anthropic: set ANTHROPIC_API_KEY (or send your own key)")
  }

  @Test("The model list follows the pages")
  func listModels() async throws {
    let page1 =
      #"{"data":[{"type":"model","id":"claude-sonnet-4-5"},{"type":"model","id":"claude-haiku-4-5"}],"has_more":true,"first_id":"claude-sonnet-4-5","last_id":"claude-haiku-4-5"}"#
    let page2 = #"{"data":[{"type":"model","id":"claude-opus-4-1"}],"has_more":false}"#
    try await VendorServer.run([.json(page1), .json(page2)]) { server in
      let provider = AnthropicProvider(settings: testSettings(server))
      let models = try await provider.listModels()
      #expect(models == ["claude-haiku-4-5", "claude-opus-4-1", "claude-sonnet-4-5"])
      #expect(
        server.requests.map(\.target) == [
          "/v1/models?limit=1000", "/v1/models?limit=1000&after_id=claude-haiku-4-5",
        ])
      #expect(server.requests.first?.headers["x-api-key"] == [distinctiveKey])
    }
  }
}

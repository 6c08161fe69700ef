import Assistant
import Foundation
import Testing

@Suite("Gemini generateContent")
struct GeminiProviderTests {
  static let response = """
    {"candidates":[{"content":{"role":"model","parts":[
      {"text":"Let me think about masses…","thought":true},
      {"text":"Heavier → "},{"text":"mass 2 kg é"}]},"finishReason":"STOP","index":0}],
     "usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":9,"thoughtsTokenCount":4,
     "totalTokenCount":43},"modelVersion":"gemini-test"}
    """

  /// A stream as Gemini sends it: partial responses, the last with the finish and usage,
  /// and no `[DONE]`.
  static func stream(_ pieces: [String], finish: String = "STOP") -> String {
    var text = ""
    for (index, piece) in pieces.enumerated() {
      let last = index == pieces.count - 1
      text += "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
      text += "\(quoted(piece))}]}\(last ? ",\"finishReason\":\"\(finish)\"" : "")}]"
      text += ",\"usageMetadata\":{\"promptTokenCount\":12,\"candidatesTokenCount\":\(index + 1)}}"
      text += "\r\n\r\n"
    }
    return text
  }

  static let pieces = ["Bon", "jour é → ", "naïve 🚀", " done"]

  @Test("Gemini receives the path, the key header and the body it expects")
  func requestShape() async throws {
    try await VendorServer.run([.json(Self.response)]) { server in
      let provider = GeminiProvider(
        settings: testSettings(server, keyVariable: "GEMINI_API_KEY", model: "gemini-test"))
      var request = sampleRequest(
        format: .jsonSchema(name: "edit", schema: sampleSchema), model: "gemini-test")
      // Two user turns in a row become one: Gemini wants the roles to alternate.
      request.messages.insert(ModelMessage(role: .user, text: "Also"), at: 1)
      let reply = try await provider.complete(request, onText: nil)
      #expect(
        reply
          == ModelReply(
            text: "Heavier → mass 2 kg é", usage: TokenUsage(input: 30, output: 13), finish: .stop))

      let received = try #require(server.requests.first)
      #expect(received.method == .POST)
      #expect(received.target == "/v1beta/models/gemini-test:generateContent")
      #expect(received.headers["x-goog-api-key"] == [distinctiveKey])
      #expect(received.headers["Authorization"].isEmpty && received.headers["x-api-key"].isEmpty)
      #expect(!received.target.contains(distinctiveKey))
      let body = received.json
      #expect(
        value(body, "system_instruction", "parts", 0, "text") as? String
          == "You edit MuJoCo models.")
      let contents = try #require(body["contents"] as? [[String: Any]])
      #expect(contents.map { $0["role"] as? String } == ["user", "model", "user"])
      #expect(value(contents, 0, "parts", 0, "text") as? String == "Hello")
      #expect(value(contents, 0, "parts", 1, "text") as? String == "Also")
      #expect(value(contents, 1, "parts", 0, "text") as? String == "Hi, what should change?")
      #expect(value(contents, 2, "parts", 0, "text") as? String == "Make it heavier")
      #expect(value(contents, 2, "parts", 1, "inline_data", "mime_type") as? String == "image/png")
      #expect(
        value(contents, 2, "parts", 1, "inline_data", "data") as? String
          == samplePicture.base64)
      let generation = try #require(body["generationConfig"] as? [String: Any])
      #expect(generation["maxOutputTokens"] as? Int == 1234)
      #expect(generation["responseMimeType"] as? String == "application/json")
      #expect(value(generation, "responseJsonSchema", "required") as? [String] == ["reply"])
      #expect(generation["responseSchema"] == nil)
    }
  }

  @Test("JSON mode sets only the MIME type; text sets neither")
  func jsonModeAndText() async throws {
    try await VendorServer.run([.json(Self.response), .json(Self.response)]) { server in
      let provider = GeminiProvider(settings: testSettings(server))
      _ = try await provider.complete(sampleRequest(format: .jsonObject), onText: nil)
      _ = try await provider.complete(sampleRequest(format: .text), onText: nil)
      let json = try #require(server.requests.first?.json["generationConfig"] as? [String: Any])
      #expect(json["responseMimeType"] as? String == "application/json")
      #expect(json["responseJsonSchema"] == nil)
      let text = try #require(server.requests.last?.json["generationConfig"] as? [String: Any])
      #expect(text["responseMimeType"] == nil && text["maxOutputTokens"] as? Int == 1234)
    }
  }

  @Test("A streamed answer arrives in pieces whose join is the reply, ending when the body ends")
  func streaming() async throws {
    try await VendorServer.run([.stream(Self.stream(Self.pieces, finish: "MAX_TOKENS"))]) {
      server in
      let provider = GeminiProvider(settings: testSettings(server, model: "gemini-test"))
      let pieces = TextPieces()
      let reply = try await provider.complete(
        sampleRequest(format: .text, model: ""), onText: pieces.onText)
      #expect(pieces.all == Self.pieces)
      #expect(reply.text == Self.pieces.joined() && pieces.joined == reply.text)
      #expect(reply.usage == TokenUsage(input: 12, output: 4) && reply.finish == .length)
      #expect(
        server.requests.first?.target
          == "/v1beta/models/gemini-test:streamGenerateContent?alt=sse")
    }
  }

  @Test("A safety stop is a refusal")
  func safety() async throws {
    let blocked =
      #"{"candidates":[{"finishReason":"SAFETY","index":0}],"usageMetadata":{"promptTokenCount":5}}"#
    try await VendorServer.run([.json(blocked)]) { server in
      let provider = GeminiProvider(settings: testSettings(server))
      let reply = try await provider.complete(sampleRequest(format: .text), onText: nil)
      #expect(reply.finish == .refusal && reply.text.isEmpty)
      #expect(reply.usage == TokenUsage(input: 5, output: 0))
    }
  }

  @Test("A bad key (400 API_KEY_INVALID) is a refused key")
  func refusedKey() async throws {
    let body = """
      {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
       "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}
      """
    try await VendorServer.run([.json(400, body)]) { server in
      let provider = GeminiProvider(settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .refusedKey && error.status == 400)
      #expect(
        error.message
          == "the Gemini key was refused (400): API key not valid. Please pass a valid API key.")
      #expect(server.requests.count == 1)
    }
  }

  @Test("A 429 with Retry-After is retried, then succeeds")
  func rateLimitRetried() async throws {
    let exhausted =
      #"{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}"#
    try await VendorServer.run([
      .json(429, exhausted, headers: [("Retry-After", "1")]), .json(Self.response),
    ]) { server in
      let provider = GeminiProvider(settings: testSettings(server))
      let reply = try await provider.complete(sampleRequest(format: .text), onText: nil)
      #expect(reply.text == "Heavier → mass 2 kg é")
      #expect(server.requests.count == 2)
    }
  }

  @Test("A 400 about responseJsonSchema means the format is unsupported")
  func formatUnsupported() async throws {
    let body =
      #"{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"responseJsonSchema\" at 'generation_config'","status":"INVALID_ARGUMENT"}}"#
    try await VendorServer.run([.json(400, body)]) { server in
      let provider = GeminiProvider(settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(
            sampleRequest(format: .jsonSchema(name: "edit", schema: sampleSchema)), onText: nil)
        })
      #expect(error.kind == .formatUnsupported)
    }
  }

  @Test("An error event in the stream throws with its message")
  func midStreamError() async throws {
    let stream =
      Self.stream(["Hello é"]).replacingOccurrences(of: ",\"finishReason\":\"STOP\"", with: "")
      + "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"
    try await VendorServer.run([.stream(stream)]) { server in
      let provider = GeminiProvider(settings: testSettings(server))
      let pieces = TextPieces()
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: pieces.onText)
        })
      #expect(error.kind == .server && error.message.contains("The model is overloaded."))
      #expect(pieces.all == ["Hello é"])
    }
  }

  @Test("A missing key names GEMINI_API_KEY")
  func missingKey() async throws {
    let provider = GeminiProvider(
      settings: testSettings(baseURL: "http://127.0.0.1:1", key: nil, keyVariable: "GEMINI_API_KEY")
    )
    let error = try #require(
      await providerError { try await provider.complete(sampleRequest(format: .text), onText: nil) }
    )
    #expect(error.kind == .missingKey)
    #expect(error.message == "no API key for Gemini: set GEMINI_API_KEY (or send your own key)")
  }

  @Test("The model list drops the models/ prefix and models that do not generate content")
  func listModels() async throws {
    let page1 = """
      {"models":[{"name":"models/gemini-3.5-flash","supportedGenerationMethods":["generateContent","countTokens"]},
       {"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]}],
       "nextPageToken":"page-2"}
      """
    let page2 = #"{"models":[{"name":"models/gemini-3.1-flash-lite"}]}"#
    try await VendorServer.run([.json(page1), .json(page2)]) { server in
      let provider = GeminiProvider(settings: testSettings(server))
      let models = try await provider.listModels()
      #expect(models == ["gemini-3.1-flash-lite", "gemini-3.5-flash"])
      #expect(
        server.requests.map(\.target) == [
          "/v1beta/models?pageSize=1000", "/v1beta/models?pageSize=1000&pageToken=page-2",
        ])
      #expect(server.requests.allSatisfy { $0.method == .GET })
      #expect(server.requests.first?.headers["x-goog-api-key"] == [distinctiveKey])
    }
  }
}

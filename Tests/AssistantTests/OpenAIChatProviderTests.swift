import Assistant
import Foundation
import NIOHTTP1
import Testing

@Suite("OpenAI Chat Completions (OpenAI, OpenRouter, local servers)")
struct OpenAIChatProviderTests {
  static let completion = """
    {"id":"chatcmpl-1","object":"chat.completion","model":"test-model",
     "choices":[{"index":0,"message":{"role":"assistant","content":"Heavier: mass 2 kg → done é",
     "refusal":null},"finish_reason":"stop"}],
     "usage":{"prompt_tokens":42,"completion_tokens":7,"total_tokens":49}}
    """

  /// A stream as OpenAI sends it: a role chunk, text pieces, the finish, usage, `[DONE]`.
  static func stream(_ pieces: [String], finish: String = "stop", comments: Bool = false)
    -> String
  {
    var text = comments ? ": OPENROUTER PROCESSING\n\n" : ""
    func chunk(_ delta: String, finish: String? = nil) -> String {
      let reason = finish.map { "\"\($0)\"" } ?? "null"
      return "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\(delta)},\"finish_reason\":\(reason)}]}\n\n"
    }
    text += chunk(#""role":"assistant","content":"""#)
    for piece in pieces {
      text += chunk("\"content\":\(quoted(piece))")
      if comments { text += ": OPENROUTER PROCESSING\n\n" }
    }
    text += chunk("", finish: finish)
    text += "data: {\"object\":\"chat.completion.chunk\",\"choices\":[],"
    text += "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":5}}\n\n"
    text += "data: [DONE]\n\n"
    return text
  }

  static let pieces = ["Bon", "jour é", " → ", "naïve 🚀", " done"]

  @Test("OpenAI receives the path, the bearer key and the body it expects")
  func requestShape() async throws {
    try await VendorServer.run([.json(Self.completion)]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server, path: "/v1"))
      let reply = try await provider.complete(
        sampleRequest(format: .jsonSchema(name: "edit", schema: sampleSchema)), onText: nil)
      #expect(
        reply
          == ModelReply(
            text: "Heavier: mass 2 kg → done é", usage: TokenUsage(input: 42, output: 7),
            finish: .stop))

      let request = try #require(server.requests.first)
      #expect(server.requests.count == 1)
      #expect(request.method == .POST && request.target == "/v1/chat/completions")
      #expect(request.headers["Authorization"] == ["Bearer \(distinctiveKey)"])
      #expect(request.headers["x-api-key"].isEmpty && request.headers["x-goog-api-key"].isEmpty)
      #expect(request.headers.first(name: "Content-Type") == "application/json")
      let body = request.json
      #expect(body["model"] as? String == "test-model")
      #expect(body["max_completion_tokens"] as? Int == 1234 && body["max_tokens"] == nil)
      #expect(body["stream"] == nil)
      let messages = try #require(body["messages"] as? [[String: Any]])
      #expect(messages.map { $0["role"] as? String } == ["system", "user", "assistant", "user"])
      #expect(messages[0]["content"] as? String == "You edit MuJoCo models.")
      #expect(messages[1]["content"] as? String == "Hello")
      #expect(value(messages, 3, "content", 0, "type") as? String == "text")
      #expect(value(messages, 3, "content", 0, "text") as? String == "Make it heavier")
      #expect(value(messages, 3, "content", 1, "type") as? String == "image_url")
      #expect(
        value(messages, 3, "content", 1, "image_url", "url") as? String
          == "data:image/png;base64,\(samplePicture.base64)")
      let format = try #require(body["response_format"] as? [String: Any])
      #expect(format["type"] as? String == "json_schema")
      #expect(value(format, "json_schema", "name") as? String == "edit")
      #expect(value(format, "json_schema", "strict") as? Bool == true)
      #expect(value(format, "json_schema", "schema", "required") as? [String] == ["reply"])
    }
  }

  @Test("A streamed answer arrives in pieces whose join is the reply, usage from the last chunk")
  func streaming() async throws {
    try await VendorServer.run([.stream(Self.stream(Self.pieces))]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server, path: "/v1"))
      let pieces = TextPieces()
      let reply = try await provider.complete(
        sampleRequest(format: .jsonObject), onText: pieces.onText)
      #expect(pieces.all == Self.pieces)
      #expect(reply.text == Self.pieces.joined() && pieces.joined == reply.text)
      #expect(reply.usage == TokenUsage(input: 11, output: 5) && reply.finish == .stop)
      let body = try #require(server.requests.first).json
      #expect(body["stream"] as? Bool == true)
      #expect(value(body, "stream_options", "include_usage") as? Bool == true)
      #expect(value(body, "response_format", "type") as? String == "json_object")
      #expect(server.requests.first?.headers.first(name: "Accept") == "text/event-stream")
    }
  }

  @Test("A truncated answer reads as `length`, a refusal as `refusal`")
  func finishReasons() async throws {
    let refusal = """
      {"choices":[{"message":{"content":null,"refusal":"I can't help with that."},
       "finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}
      """
    try await VendorServer.run([
      .stream(Self.stream(["cut"], finish: "length")), .json(refusal),
    ]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let cut = try await provider.complete(
        sampleRequest(format: .text), onText: TextPieces().onText)
      #expect(cut.finish == .length && cut.text == "cut")
      let refused = try await provider.complete(sampleRequest(format: .text), onText: nil)
      #expect(refused.finish == .refusal && refused.text == "I can't help with that.")
    }
  }

  @Test("OpenRouter gets its attribution headers and max_tokens, and its comment lines are skipped")
  func openRouter() async throws {
    try await VendorServer.run([.stream(Self.stream(Self.pieces, comments: true))]) { server in
      var settings = try #require(
        ProviderSettings.from(
          [
            "OPENROUTER_BASE_URL": server.baseURL + "/api/v1", "OPENROUTER_API_KEY": distinctiveKey,
          ],
          provider: .openrouter))
      settings.retry.initialDelay = .milliseconds(10)
      let provider = OpenAIChatProvider(id: .openrouter, settings: settings)
      let pieces = TextPieces()
      let reply = try await provider.complete(
        sampleRequest(format: .jsonSchema(name: "edit", schema: sampleSchema), model: "x/y"),
        onText: pieces.onText)
      #expect(reply.text == Self.pieces.joined() && pieces.joined == reply.text)
      let request = try #require(server.requests.first)
      #expect(request.target == "/api/v1/chat/completions")
      #expect(request.headers["Authorization"] == ["Bearer \(distinctiveKey)"])
      #expect(
        request.headers.first(name: "HTTP-Referer")
          == "https://github.com/tau-intelligence/tau-sim")
      #expect(request.headers.first(name: "X-OpenRouter-Title") == "tau-sim")
      #expect(request.headers.first(name: "X-Title") == "tau-sim")
      #expect(request.json["max_tokens"] as? Int == 1234)
      #expect(request.json["max_completion_tokens"] == nil)
      #expect(request.json["model"] as? String == "x/y")
    }
  }

  @Test("A local server without a key gets no Authorization header")
  func localServerWithoutKey() async throws {
    try await VendorServer.run([.json(Self.completion)]) { server in
      let provider = OpenAIChatProvider(
        id: .openaiCompatible,
        settings: testSettings(
          server, path: "/v1", key: nil, keyOptional: true, keyVariable: "TAU_LLM_API_KEY"))
      let reply = try await provider.complete(
        ModelRequest(
          model: "", system: "", messages: [ModelMessage(role: .user, text: "hi")],
          format: .jsonObject),
        onText: nil)
      #expect(reply.text == "Heavier: mass 2 kg → done é")
      let request = try #require(server.requests.first)
      #expect(request.headers["Authorization"].isEmpty)
      let messages = try #require(request.json["messages"] as? [[String: Any]])
      // No system text, no system message; the default model fills an empty name.
      #expect(messages.map { $0["role"] as? String } == ["user"])
      #expect(request.json["model"] as? String == "test-model")
      #expect(request.json["max_tokens"] as? Int == 8192)
    }
  }

  @Test("Which models are taken to see images")
  func acceptsImages() {
    let settings = testSettings(baseURL: "http://127.0.0.1:1")
    let openai = OpenAIChatProvider(id: .openai, settings: settings)
    #expect(openai.acceptsImages(model: "gpt-5.4-mini"))
    #expect(!openai.acceptsImages(model: "text-embedding-3-small"))
    #expect(!openai.acceptsImages(model: "whisper-1"))
    let local = OpenAIChatProvider(id: .openaiCompatible, settings: settings)
    #expect(local.acceptsImages(model: "llava:13b"))
    #expect(local.acceptsImages(model: "qwen2.5-VL:7b"))
    #expect(local.acceptsImages(model: "llama3.2-vision"))
    #expect(local.acceptsImages(model: "gemma3:4b"))
    #expect(!local.acceptsImages(model: "llama3.2"))
  }

  @Test("A refused key names the provider and the status, never the key")
  func refusedKey() async throws {
    let body = """
      {"error":{"message":"Incorrect API key provided: \(distinctiveKey). You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
      """
    try await VendorServer.run([.json(401, body)]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .refusedKey && error.status == 401)
      #expect(error.message.hasPrefix("the OpenAI key was refused (401)"))
      #expect(error.message.contains("Incorrect API key provided"))
      #expect(server.requests.count == 1)
    }
  }

  @Test("A rate limit with Retry-After is retried, then succeeds")
  func rateLimitRetried() async throws {
    let limited =
      #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#
    try await VendorServer.run([
      .json(429, limited, headers: [("Retry-After", "1")]), .json(Self.completion),
    ]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let reply = try await provider.complete(sampleRequest(format: .text), onText: nil)
      #expect(reply.usage == TokenUsage(input: 42, output: 7))
      #expect(server.requests.count == 2)
      #expect(server.requests[0].body == server.requests[1].body)
    }
  }

  @Test("A rate limit that lasts fails after the attempts, naming them")
  func rateLimitExhausted() async throws {
    let limited = #"{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}"#
    try await VendorServer.run([
      .json(429, limited, headers: [("retry-after-ms", "5")]),
      .json(429, limited, headers: [("retry-after-ms", "5")]),
      .json(429, limited, headers: [("retry-after-ms", "5")]),
    ]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .rateLimited)
      #expect(error.message == "OpenAI is rate limited (429) after 3 attempts: Rate limit reached")
      #expect(server.requests.count == 3)
    }
  }

  @Test("insufficient_quota is not retried")
  func quotaNotRetried() async throws {
    let quota =
      #"{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","code":"insufficient_quota"}}"#
    try await VendorServer.run([.json(429, quota), .json(Self.completion)]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .quota && error.status == 429)
      #expect(
        error.message.contains("OpenAI") && error.message.contains("exceeded your current quota"))
      #expect(server.requests.count == 1)
    }
  }

  @Test("OpenRouter's 402 is out of credit, not retried")
  func openRouterCredit() async throws {
    let credit = #"{"error":{"code":402,"message":"Insufficient credits"}}"#
    try await VendorServer.run([.json(402, credit)]) { server in
      let provider = OpenAIChatProvider(id: .openrouter, settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .quota && error.message.contains("OpenRouter"))
      #expect(server.requests.count == 1)
    }
  }

  @Test("Server errors are retried and then reported with the attempts")
  func serverErrors() async throws {
    let failed = #"{"error":{"message":"The server had an error","type":"server_error"}}"#
    try await VendorServer.run([.json(500, failed), .json(503, failed), .json(502, failed)]) {
      server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .server && error.status == 502)
      #expect(error.message == "OpenAI failed (502) after 3 attempts: The server had an error")
      #expect(server.requests.count == 3)
    }
  }

  @Test("A 400 about the response format steps down the ladder; another 400 is a bad request")
  func badRequests() async throws {
    let format =
      #"{"error":{"message":"Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.","param":"response_format"}}"#
    let model = #"{"object":"error","message":"The model `nope` does not exist."}"#
    try await VendorServer.run([.json(400, format), .json(400, model)]) { server in
      let provider = OpenAIChatProvider(
        id: .openaiCompatible, settings: testSettings(server, key: nil, keyOptional: true))
      let unsupported = try #require(
        await providerError {
          try await provider.complete(
            sampleRequest(format: .jsonSchema(name: "edit", schema: sampleSchema)), onText: nil)
        })
      #expect(unsupported.kind == .formatUnsupported && unsupported.status == 400)
      let bad = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(bad.kind == .badRequest)
      #expect(
        bad.message
          == "the OpenAI-compatible server refused the request (400): The model `nope` does not exist."
      )
      #expect(server.requests.count == 2)
    }
  }

  @Test("An error in the middle of a stream throws with the vendor's message")
  func midStreamError() async throws {
    let stream =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello é\"},\"finish_reason\":null}]}\n\n"
      + "data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}\n\n"
    try await VendorServer.run([.stream(stream)]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let pieces = TextPieces()
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: pieces.onText)
        })
      #expect(error.kind == .server)
      #expect(error.message.contains("OpenAI") && error.message.contains("while processing"))
      #expect(pieces.all == ["Hello é"])
      #expect(server.requests.count == 1)
    }
  }

  @Test("A stream cut off before its end throws")
  func brokenStream() async throws {
    var reply = VendorServer.Reply.stream(
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
    )
    reply.breaksOff = true
    try await VendorServer.run([reply]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: TextPieces().onText)
        })
      #expect(error.kind == .badResponse && error.message.contains("OpenAI"))
    }
  }

  @Test("A missing key is reported with its variable before anything is sent")
  func missingKey() async throws {
    try await VendorServer.run([]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server, key: nil))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .missingKey)
      #expect(error.message == "no API key for OpenAI: set OPENAI_API_KEY (or send your own key)")
      let listing = try #require(await providerError { try await provider.listModels() })
      #expect(listing.kind == .missingKey)
      #expect(server.requests.isEmpty)
    }
  }

  @Test("The model list is the ids, sorted")
  func listModels() async throws {
    let list =
      #"{"object":"list","data":[{"id":"gpt-5.4-nano","object":"model"},{"id":"gpt-5.4-mini","object":"model"}]}"#
    try await VendorServer.run([.json(list)]) { server in
      let provider = OpenAIChatProvider(id: .openai, settings: testSettings(server, path: "/v1"))
      let models = try await provider.listModels()
      #expect(models == ["gpt-5.4-mini", "gpt-5.4-nano"])
      let request = try #require(server.requests.first)
      #expect(request.method == .GET && request.target == "/v1/models")
      #expect(request.headers["Authorization"] == ["Bearer \(distinctiveKey)"])
    }
  }

  @Test("Providers.make gives each vendor its provider, and none for the manual queue")
  func providersTable() {
    let settings = testSettings(baseURL: "http://127.0.0.1:1")
    #expect(Providers.make(.openai, settings: settings)?.id == .openai)
    #expect(Providers.make(.openrouter, settings: settings)?.id == .openrouter)
    #expect(Providers.make(.openaiCompatible, settings: settings)?.id == .openaiCompatible)
    #expect(Providers.make(.gemini, settings: settings)?.id == .gemini)
    #expect(Providers.make(.anthropic, settings: settings)?.id == .anthropic)
    #expect(Providers.make(.manual, settings: settings) == nil)
  }
}

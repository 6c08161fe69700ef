import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// OpenAI's Chat Completions (`POST {base}/chat/completions`), spoken to OpenAI itself, to
/// OpenRouter (the same format, with its attribution headers from `extraHeaders`) and to
/// any OpenAI-compatible local server (Ollama, vLLM, LM Studio), whose key is optional.
public struct OpenAIChatProvider: LanguageModelProvider {
  public let id: ProviderID
  let settings: ProviderSettings

  public init(id: ProviderID, settings: ProviderSettings) {
    self.id = id
    self.settings = settings
  }

  private var http: VendorHTTP { VendorHTTP(provider: id, settings: settings) }

  /// OpenAI's and OpenRouter's chat models all see images except the few that are not chat
  /// models at all. A local server's models mostly do not, so there only names that say
  /// vision ("llava", "qwen2.5-vl", "gemma3", "llama3.2-vision") count: a guess from the
  /// name, since the Chat Completions API has no way to ask.
  public func acceptsImages(model: String) -> Bool {
    let name = model.lowercased()
    switch id {
    case .openaiCompatible:
      return ["vision", "llava", "vl", "gemma3", "llama3.2-vision"].contains {
        name.contains($0)
      }
    default:
      return !["embedding", "tts", "whisper"].contains { name.contains($0) }
    }
  }

  public func complete(
    _ request: ModelRequest, onText: (@Sendable (String) -> Void)?
  ) async throws -> ModelReply {
    let http = self.http
    let key = try http.key()
    let body = try VendorHTTP.json(self.body(request, streaming: onText != nil))
    let url = "\(settings.baseURL)/chat/completions"
    let structured = request.format != .text
    guard let onText else {
      let data = try await http.post(
        url, headers: authorization(key), key: key, json: body, structured: structured
      ) { try await http.collect($0) }
      return try Self.reply(from: data, http: http, key: key)
    }
    return try await http.post(
      url, headers: authorization(key), key: key, json: body, structured: structured,
      streaming: true
    ) { try await Self.readStream($0, http: http, key: key, onText: onText) }
  }

  public func listModels() async throws -> [String] {
    let key = try http.key()
    let data = try await http.get(
      "\(settings.baseURL)/models", headers: authorization(key), key: key)
    let list = try http.decode(OpenAIChatWire.ModelList.self, from: data, expected: "a model list")
    return list.data.map(\.id).sorted()
  }

  private func authorization(_ key: String?) -> HTTPHeaders {
    var headers = HTTPHeaders()
    if let key { headers.add(name: "Authorization", value: "Bearer \(key)") }
    return headers
  }

  func body(_ request: ModelRequest, streaming: Bool) -> [String: Any] {
    var messages: [[String: Any]] = []
    if !request.system.isEmpty { messages.append(["role": "system", "content": request.system]) }
    for message in request.messages {
      messages.append(["role": message.role.rawValue, "content": Self.content(message)])
    }
    var body: [String: Any] = [
      "model": request.model.isEmpty ? settings.defaultModel : request.model,
      "messages": messages,
      // OpenAI's reasoning models refuse `max_tokens`; OpenRouter and local servers may
      // not know its successor.
      (id == .openai ? "max_completion_tokens" : "max_tokens"): request.maxTokens,
    ]
    switch request.format {
    case .jsonSchema(let name, let schema):
      body["response_format"] = [
        "type": "json_schema",
        "json_schema": ["name": name, "strict": true, "schema": schema.object],
      ]
    case .jsonObject:
      body["response_format"] = ["type": "json_object"]
    case .text:
      break
    }
    if streaming {
      body["stream"] = true
      body["stream_options"] = ["include_usage": true]
    }
    return body
  }

  /// A plain string, or text and image parts for a turn with pictures.
  private static func content(_ message: ModelMessage) -> Any {
    guard !message.images.isEmpty else { return message.text }
    var parts: [[String: Any]] = []
    if !message.text.isEmpty { parts.append(["type": "text", "text": message.text]) }
    for image in message.images {
      parts.append([
        "type": "image_url",
        "image_url": ["url": "data:\(image.mediaType.rawValue);base64,\(image.base64)"],
      ])
    }
    return parts
  }

  static func reply(from data: Data, http: VendorHTTP, key: String?) throws -> ModelReply {
    let completion = try http.decode(
      OpenAIChatWire.Completion.self, from: data, expected: "a chat completion")
    if let error = completion.error { throw error.error(provider: http.provider, key: key) }
    guard let choice = completion.choices?.first else {
      throw ProviderError(
        .badResponse, provider: http.provider,
        "\(http.provider.displayName) answered with no choices")
    }
    let content = choice.message?.content ?? ""
    let refusal = choice.message?.refusal ?? ""
    let finish: FinishReason =
      refusal.isEmpty ? OpenAIChatWire.finish(choice.finishReason) ?? .other : .refusal
    return ModelReply(
      text: content.isEmpty ? refusal : content, usage: completion.usage?.tokens ?? TokenUsage(),
      finish: finish)
  }

  /// The chunks of a streamed completion: text pieces to `onText` as they come, usage from
  /// the last chunk, `[DONE]` at the end.
  static func readStream(
    _ body: HTTPClientResponse.Body, http: VendorHTTP, key: String?,
    onText: @Sendable (String) -> Void
  ) async throws -> ModelReply {
    var text = ""
    var refusal = ""
    var usage = TokenUsage()
    var finish: FinishReason?
    let ending = try await http.readEvents(body) { event in
      if event.data == "[DONE]" { return false }
      let chunk = try http.decode(
        OpenAIChatWire.Completion.self, from: Data(event.data.utf8),
        expected: "a chat completion chunk")
      if let error = chunk.error { throw error.error(provider: http.provider, key: key) }
      if let choice = chunk.choices?.first {
        if let piece = choice.delta?.content, !piece.isEmpty {
          text += piece
          onText(piece)
        }
        refusal += choice.delta?.refusal ?? ""
        finish = OpenAIChatWire.finish(choice.finishReason) ?? finish
      }
      if let tokens = chunk.usage?.tokens { usage = tokens }
      return true
    }
    guard ending == .stopped || finish != nil else { throw http.brokenStream(ending) }
    if !refusal.isEmpty {
      finish = .refusal
      if text.isEmpty {
        text = refusal
        onText(refusal)
      }
    }
    return ModelReply(text: text, usage: usage, finish: finish ?? .other)
  }
}

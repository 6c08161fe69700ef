import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// Anthropic's Messages API (`POST {base}/v1/messages`), the key in `x-api-key`.
public struct AnthropicProvider: LanguageModelProvider {
  public var id: ProviderID { .anthropic }
  let settings: ProviderSettings

  /// The API version the request and answer formats below are written against.
  static let version = "2023-06-01"

  public init(settings: ProviderSettings) {
    self.settings = settings
  }

  private var http: VendorHTTP { VendorHTTP(provider: .anthropic, settings: settings) }

  /// Every current Claude model sees images.
  public func acceptsImages(model: String) -> Bool { true }

  public func complete(
    _ request: ModelRequest, onText: (@Sendable (String) -> Void)?
  ) async throws -> ModelReply {
    let http = self.http
    let key = try http.key()
    let body = try VendorHTTP.json(self.body(request, streaming: onText != nil))
    let url = "\(settings.baseURL)/v1/messages"
    let structured: Bool
    if case .jsonSchema = request.format { structured = true } else { structured = false }
    guard let onText else {
      let data = try await http.post(
        url, headers: Self.headers(key), key: key, json: body, structured: structured
      ) { try await http.collect($0) }
      return try Self.reply(from: data, http: http)
    }
    return try await http.post(
      url, headers: Self.headers(key), key: key, json: body, structured: structured,
      streaming: true
    ) { try await Self.readStream($0, http: http, key: key, onText: onText) }
  }

  /// The models, a page at a time (bounded, in case `has_more` never ends).
  public func listModels() async throws -> [String] {
    let key = try http.key()
    var names: [String] = []
    var after: String?
    for _ in 0..<20 {
      var url = "\(settings.baseURL)/v1/models?limit=1000"
      if let after { url += "&after_id=\(VendorHTTP.component(after))" }
      let data = try await http.get(url, headers: Self.headers(key), key: key)
      let page = try http.decode(AnthropicWire.ModelList.self, from: data, expected: "a model list")
      names += page.data.map(\.id)
      guard page.hasMore == true, let last = page.lastID else { break }
      after = last
    }
    return names.sorted()
  }

  private static func headers(_ key: String?) -> HTTPHeaders {
    var headers = HTTPHeaders()
    if let key { headers.add(name: "x-api-key", value: key) }
    headers.add(name: "anthropic-version", value: version)
    return headers
  }

  func body(_ request: ModelRequest, streaming: Bool) -> [String: Any] {
    let messages: [[String: Any]] = request.messages.map { message in
      ["role": message.role.rawValue, "content": Self.content(message)]
    }
    var body: [String: Any] = [
      "model": request.model.isEmpty ? settings.defaultModel : request.model,
      "max_tokens": request.maxTokens,
      "messages": messages,
    ]
    if !request.system.isEmpty { body["system"] = request.system }
    // JSON mode has no Anthropic counterpart: the instructions ask for JSON instead.
    if case .jsonSchema(_, let schema) = request.format {
      body["output_config"] = ["format": ["type": "json_schema", "schema": schema.object]]
    }
    if streaming { body["stream"] = true }
    return body
  }

  /// A plain string, or blocks for a turn with pictures: the images first, then the text,
  /// the order Anthropic's vision guide says works best.
  private static func content(_ message: ModelMessage) -> Any {
    guard !message.images.isEmpty else { return message.text }
    var blocks: [[String: Any]] = message.images.map { image in
      [
        "type": "image",
        "source": [
          "type": "base64", "media_type": image.mediaType.rawValue, "data": image.base64,
        ],
      ]
    }
    if !message.text.isEmpty { blocks.append(["type": "text", "text": message.text]) }
    return blocks
  }

  static func reply(from data: Data, http: VendorHTTP) throws -> ModelReply {
    let message = try http.decode(AnthropicWire.Message.self, from: data, expected: "a message")
    let usage = TokenUsage(
      input: message.usage?.inputTokens ?? 0, output: message.usage?.outputTokens ?? 0)
    return ModelReply(
      text: message.text, usage: usage, finish: AnthropicWire.finish(message.stopReason) ?? .other)
  }

  /// The events of a streamed message: input tokens in `message_start`, text in
  /// `content_block_delta`, the stop reason and output tokens in `message_delta`, then
  /// `message_stop`.
  static func readStream(
    _ body: HTTPClientResponse.Body, http: VendorHTTP, key: String?,
    onText: @Sendable (String) -> Void
  ) async throws -> ModelReply {
    var text = ""
    var usage = TokenUsage()
    var finish: FinishReason?
    let ending = try await http.readEvents(body) { event in
      let item = try http.decode(
        AnthropicWire.StreamEvent.self, from: Data(event.data.utf8), expected: "a stream event")
      switch item.type {
      case "message_start":
        usage.input = item.message?.usage?.inputTokens ?? usage.input
        usage.output = item.message?.usage?.outputTokens ?? usage.output
      case "content_block_delta":
        if item.delta?.type == "text_delta", let piece = item.delta?.text, !piece.isEmpty {
          text += piece
          onText(piece)
        }
      case "message_delta":
        finish = AnthropicWire.finish(item.delta?.stopReason) ?? finish
        usage.output = item.usage?.outputTokens ?? usage.output
      case "message_stop":
        return false
      case "error":
        guard let error = item.error else {
          throw ProviderError(
            .badResponse, provider: .anthropic, "Anthropic failed in the middle of the answer")
        }
        throw error.error(provider: .anthropic, key: key)
      default:
        // ping, content_block_start / _stop, and any event added later.
        break
      }
      return true
    }
    guard ending == .stopped || finish != nil else { throw http.brokenStream(ending) }
    return ModelReply(text: text, usage: usage, finish: finish ?? .other)
  }
}

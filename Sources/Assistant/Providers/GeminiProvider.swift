import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// Google's Gemini over its REST API (`POST {base}/v1beta/models/{model}:generateContent`,
/// `:streamGenerateContent?alt=sse` to stream), the key in `x-goog-api-key`.
public struct GeminiProvider: LanguageModelProvider {
  public var id: ProviderID { .gemini }
  let settings: ProviderSettings

  public init(settings: ProviderSettings) {
    self.settings = settings
  }

  private var http: VendorHTTP { VendorHTTP(provider: .gemini, settings: settings) }

  /// Every current Gemini model sees images.
  public func acceptsImages(model: String) -> Bool { true }

  public func complete(
    _ request: ModelRequest, onText: (@Sendable (String) -> Void)?
  ) async throws -> ModelReply {
    let http = self.http
    let key = try http.key()
    let body = try VendorHTTP.json(self.body(request))
    let model = Self.pathComponent(request.model.isEmpty ? settings.defaultModel : request.model)
    let base = "\(settings.baseURL)/v1beta/models/\(model)"
    let structured = request.format != .text
    guard let onText else {
      let data = try await http.post(
        "\(base):generateContent", headers: Self.headers(key), key: key, json: body,
        structured: structured
      ) { try await http.collect($0) }
      return try Self.reply(from: data, http: http, key: key)
    }
    return try await http.post(
      "\(base):streamGenerateContent?alt=sse", headers: Self.headers(key), key: key, json: body,
      structured: structured, streaming: true
    ) { try await Self.readStream($0, http: http, key: key, onText: onText) }
  }

  /// The models that generate content, a page at a time (bounded, in case a page token
  /// never ends).
  public func listModels() async throws -> [String] {
    let key = try http.key()
    var names: [String] = []
    var pageToken: String?
    for _ in 0..<20 {
      var url = "\(settings.baseURL)/v1beta/models?pageSize=1000"
      if let pageToken { url += "&pageToken=\(VendorHTTP.component(pageToken))" }
      let data = try await http.get(url, headers: Self.headers(key), key: key)
      let page = try http.decode(GeminiWire.ModelList.self, from: data, expected: "a model list")
      for model in page.models ?? [] {
        guard model.supportedGenerationMethods?.contains("generateContent") ?? true else {
          continue
        }
        names.append(
          model.name.hasPrefix("models/") ? String(model.name.dropFirst(7)) : model.name)
      }
      guard let next = page.nextPageToken, !next.isEmpty else { break }
      pageToken = next
    }
    return names.sorted()
  }

  private static func headers(_ key: String?) -> HTTPHeaders {
    var headers = HTTPHeaders()
    if let key { headers.add(name: "x-goog-api-key", value: key) }
    return headers
  }

  /// A model name made safe inside the path; a `models/` prefix, as the list call names
  /// them, is dropped.
  private static func pathComponent(_ text: String) -> String {
    VendorHTTP.component(text.hasPrefix("models/") ? String(text.dropFirst(7)) : text)
  }

  func body(_ request: ModelRequest) -> [String: Any] {
    // Gemini wants the roles to alternate: consecutive turns of one role become one turn.
    var contents: [(role: String, parts: [[String: Any]])] = []
    for message in request.messages {
      let role = message.role == .assistant ? "model" : "user"
      var parts: [[String: Any]] = []
      if !message.text.isEmpty { parts.append(["text": message.text]) }
      for image in message.images {
        parts.append([
          "inline_data": ["mime_type": image.mediaType.rawValue, "data": image.base64]
        ])
      }
      if parts.isEmpty { parts.append(["text": ""]) }
      if let last = contents.last, last.role == role {
        contents[contents.count - 1].parts += parts
      } else {
        contents.append((role, parts))
      }
    }
    var generation: [String: Any] = ["maxOutputTokens": request.maxTokens]
    switch request.format {
    case .jsonSchema(_, let schema):
      generation["responseMimeType"] = "application/json"
      generation["responseJsonSchema"] = schema.object
    case .jsonObject:
      generation["responseMimeType"] = "application/json"
    case .text:
      break
    }
    var body: [String: Any] = [
      "contents": contents.map { ["role": $0.role, "parts": $0.parts] },
      "generationConfig": generation,
    ]
    if !request.system.isEmpty {
      body["system_instruction"] = ["parts": [["text": request.system]]]
    }
    return body
  }

  static func reply(from data: Data, http: VendorHTTP, key: String?) throws -> ModelReply {
    let response = try http.decode(
      GeminiWire.Response.self, from: data, expected: "a generateContent response")
    if let error = response.error { throw error.error(provider: .gemini, key: key) }
    return ModelReply(
      text: response.text, usage: response.usageMetadata?.tokens ?? TokenUsage(),
      finish: finish(of: response) ?? .other)
  }

  /// Each chunk is a partial response; there is no `[DONE]`: the last chunk carries the
  /// finish reason, then the connection closes.
  static func readStream(
    _ body: HTTPClientResponse.Body, http: VendorHTTP, key: String?,
    onText: @Sendable (String) -> Void
  ) async throws -> ModelReply {
    var text = ""
    var usage = TokenUsage()
    var finish: FinishReason?
    let ending = try await http.readEvents(body) { event in
      let chunk = try http.decode(
        GeminiWire.Response.self, from: Data(event.data.utf8),
        expected: "a streamGenerateContent chunk")
      if let error = chunk.error { throw error.error(provider: .gemini, key: key) }
      let piece = chunk.text
      if !piece.isEmpty {
        text += piece
        onText(piece)
      }
      finish = Self.finish(of: chunk) ?? finish
      if let tokens = chunk.usageMetadata?.tokens { usage = tokens }
      return true
    }
    guard finish != nil || ending == .closed else { throw http.brokenStream(ending) }
    return ModelReply(text: text, usage: usage, finish: finish ?? .other)
  }

  private static func finish(of response: GeminiWire.Response) -> FinishReason? {
    if response.promptFeedback?.blockReason != nil { return .refusal }
    return GeminiWire.finish(response.candidates?.first?.finishReason)
  }
}

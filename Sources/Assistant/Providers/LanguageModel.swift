import Foundation

/// The vendors the assistant can ask (the original's names, plus ours).
public enum ProviderID: String, Codable, Sendable, CaseIterable {
  case openai
  case openrouter
  case gemini
  case anthropic
  /// A local server that speaks OpenAI's Chat Completions (Ollama, vLLM, LM Studio).
  case openaiCompatible = "openai-compatible"
  /// A person (or another tool) answering through the manual queue.
  case manual

  /// As a user reads it in an error.
  public var displayName: String {
    switch self {
    case .openai: "OpenAI"
    case .openrouter: "OpenRouter"
    case .gemini: "Gemini"
    case .anthropic: "Anthropic"
    case .openaiCompatible: "the OpenAI-compatible server"
    case .manual: "the manual queue"
    }
  }
}

/// One turn of the conversation as a vendor receives it.
public struct ModelMessage: Sendable, Equatable {
  public enum Role: String, Sendable { case user, assistant }
  public var role: Role
  public var text: String
  /// Only on user turns, only for models that accept images.
  public var images: [ImageAttachment]

  public init(role: Role, text: String, images: [ImageAttachment] = []) {
    self.role = role
    self.text = text
    self.images = images
  }
}

/// A picture sent with a turn: PNG or JPEG bytes.
public struct ImageAttachment: Sendable, Equatable {
  public enum MediaType: String, Sendable { case png = "image/png", jpeg = "image/jpeg" }
  public var mediaType: MediaType
  public var data: Data

  public init(mediaType: MediaType, data: Data) {
    self.mediaType = mediaType
    self.data = data
  }

  public var base64: String { data.base64EncodedString() }
}

/// How the answer must be shaped: the fallback ladder for a model or server that refuses
/// structured output is `.jsonSchema`, then `.jsonObject`, then `.text` (instructions only,
/// parsed robustly on our side).
public enum ResponseFormat: Sendable, Equatable {
  /// The vendor's structured output with this JSON Schema (an object, every key required,
  /// `additionalProperties: false`), named `name`.
  case jsonSchema(name: String, schema: JSONSchema)
  /// The vendor's JSON mode: some JSON object.
  case jsonObject
  case text
}

/// A JSON Schema document, kept as its JSON text so every vendor sends the same bytes.
public struct JSONSchema: Sendable, Equatable {
  public var json: String
  public init(json: String) { self.json = json }

  /// As a value to embed in a request body.
  public var object: Any { (try? JSONSerialization.jsonObject(with: Data(json.utf8))) ?? [:] }
}

/// One request to a language model.
public struct ModelRequest: Sendable, Equatable {
  public var model: String
  /// The system text (each vendor places it its own way).
  public var system: String
  /// In order, alternating roles where the vendor needs it (Gemini), user last.
  public var messages: [ModelMessage]
  public var format: ResponseFormat
  public var maxTokens: Int

  public init(
    model: String, system: String, messages: [ModelMessage], format: ResponseFormat,
    maxTokens: Int = 8192
  ) {
    self.model = model
    self.system = system
    self.messages = messages
    self.format = format
    self.maxTokens = maxTokens
  }
}

/// Tokens sent and received, from the vendor's usage fields.
public struct TokenUsage: Codable, Sendable, Equatable {
  public var input: Int
  public var output: Int

  public init(input: Int = 0, output: Int = 0) {
    self.input = input
    self.output = output
  }

  public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
    TokenUsage(input: a.input + b.input, output: a.output + b.output)
  }

  enum CodingKeys: String, CodingKey {
    case input = "input_tokens"
    case output = "output_tokens"
  }
}

/// Why the model stopped.
public enum FinishReason: String, Codable, Sendable {
  case stop
  /// Cut at the token limit: the answer may be truncated.
  case length
  /// The vendor or the model refused (safety).
  case refusal
  case other
}

/// A model's answer.
public struct ModelReply: Sendable, Equatable {
  public var text: String
  public var usage: TokenUsage
  public var finish: FinishReason

  public init(text: String, usage: TokenUsage, finish: FinishReason) {
    self.text = text
    self.usage = usage
    self.finish = finish
  }
}

/// One vendor's wire format behind one protocol. Implementations speak raw HTTP through
/// `OutboundHTTP` (no vendor SDK), retry what is worth retrying (`RetryPolicy`), and throw
/// `ProviderError`s whose messages name the vendor and the status, never the key.
public protocol LanguageModelProvider: Sendable {
  var id: ProviderID { get }
  /// Whether `model` accepts images (vision).
  func acceptsImages(model: String) -> Bool
  /// Sends `request`. With `onText`, the answer is streamed: each piece of text as it
  /// arrives (never a broken UTF-8 character), then the whole reply is returned.
  func complete(
    _ request: ModelRequest, onText: (@Sendable (String) -> Void)?
  ) async throws -> ModelReply
  /// The models the vendor offers now (its list-models call).
  func listModels() async throws -> [String]
}

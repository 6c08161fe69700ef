/// What OpenAI's Chat Completions answers, as far as we read it (every OpenAI-compatible
/// server answers the same way). Fields a vendor leaves out or adds are ignored.
enum OpenAIChatWire {
  /// A whole completion, or one `chat.completion.chunk` of a stream.
  struct Completion: Decodable {
    var choices: [Choice]?
    var usage: Usage?
    /// A stream's failure after its 200, or OpenRouter's 200 that is an error.
    var error: VendorErrorBody?
  }

  struct Choice: Decodable {
    var message: Message?
    var delta: Message?
    var finishReason: String?

    enum CodingKeys: String, CodingKey {
      case message, delta
      case finishReason = "finish_reason"
    }
  }

  struct Message: Decodable {
    var content: String?
    var refusal: String?
  }

  struct Usage: Decodable {
    var promptTokens: Int?
    var completionTokens: Int?

    enum CodingKeys: String, CodingKey {
      case promptTokens = "prompt_tokens"
      case completionTokens = "completion_tokens"
    }

    var tokens: TokenUsage { TokenUsage(input: promptTokens ?? 0, output: completionTokens ?? 0) }
  }

  /// `GET /models`.
  struct ModelList: Decodable {
    struct Entry: Decodable { var id: String }
    var data: [Entry]
  }

  static func finish(_ reason: String?) -> FinishReason? {
    switch reason {
    case nil: nil
    case "stop": .stop
    case "length": .length
    case "content_filter": .refusal
    default: .other
    }
  }
}

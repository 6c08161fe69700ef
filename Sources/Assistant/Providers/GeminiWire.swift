/// What Gemini's `generateContent` (and each chunk of `streamGenerateContent`) answers, as
/// far as we read it.
enum GeminiWire {
  struct Response: Decodable {
    var candidates: [Candidate]?
    var usageMetadata: Usage?
    var promptFeedback: PromptFeedback?
    /// A stream's failure after its 200.
    var error: VendorErrorBody?

    /// The answer's text in this response: its parts' text, thoughts left out.
    var text: String {
      (candidates?.first?.content?.parts ?? []).filter { $0.thought != true }
        .compactMap(\.text).joined()
    }
  }

  struct Candidate: Decodable {
    var content: Content?
    var finishReason: String?
  }

  struct Content: Decodable {
    var parts: [Part]?
  }

  struct Part: Decodable {
    var text: String?
    var thought: Bool?
  }

  struct Usage: Decodable {
    var promptTokenCount: Int?
    var candidatesTokenCount: Int?
    /// A thinking model's thoughts, billed as output like OpenAI's reasoning tokens (which
    /// its `completion_tokens` include), so they count against the budget the same way.
    var thoughtsTokenCount: Int?

    var tokens: TokenUsage {
      TokenUsage(
        input: promptTokenCount ?? 0,
        output: (candidatesTokenCount ?? 0) + (thoughtsTokenCount ?? 0))
    }
  }

  /// Set when the prompt itself was blocked (no candidates at all).
  struct PromptFeedback: Decodable {
    var blockReason: String?
  }

  /// `GET /v1beta/models`, a page at a time.
  struct ModelList: Decodable {
    struct Model: Decodable {
      var name: String
      var supportedGenerationMethods: [String]?
    }
    var models: [Model]?
    var nextPageToken: String?
  }

  static func finish(_ reason: String?) -> FinishReason? {
    switch reason {
    case nil, "FINISH_REASON_UNSPECIFIED": nil
    case "STOP": .stop
    case "MAX_TOKENS": .length
    case "SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY":
      .refusal
    default: .other
    }
  }
}

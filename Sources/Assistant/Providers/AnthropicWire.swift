/// What Anthropic's Messages API answers, as far as we read it: a whole message, or the
/// events of a stream.
enum AnthropicWire {
  struct Message: Decodable {
    var content: [Block]?
    var stopReason: String?
    var usage: Usage?

    enum CodingKeys: String, CodingKey {
      case content, usage
      case stopReason = "stop_reason"
    }

    var text: String {
      (content ?? []).filter { $0.type == "text" }.compactMap(\.text).joined()
    }
  }

  struct Block: Decodable {
    var type: String
    var text: String?
  }

  struct Usage: Decodable {
    var inputTokens: Int?
    var outputTokens: Int?

    enum CodingKeys: String, CodingKey {
      case inputTokens = "input_tokens"
      case outputTokens = "output_tokens"
    }
  }

  /// One streamed event: `message_start` (with `message`), `content_block_delta` and
  /// `message_delta` (with `delta`, the latter with `usage`), `message_stop`, `ping`,
  /// `error`.
  struct StreamEvent: Decodable {
    var type: String
    var message: Message?
    var delta: Delta?
    var usage: Usage?
    var error: VendorErrorBody?
  }

  struct Delta: Decodable {
    var type: String?
    var text: String?
    var stopReason: String?

    enum CodingKeys: String, CodingKey {
      case type, text
      case stopReason = "stop_reason"
    }
  }

  /// `GET /v1/models`, a page at a time.
  struct ModelList: Decodable {
    struct Entry: Decodable { var id: String }
    var data: [Entry]
    var hasMore: Bool?
    var lastID: String?

    enum CodingKeys: String, CodingKey {
      case data
      case hasMore = "has_more"
      case lastID = "last_id"
    }
  }

  static func finish(_ reason: String?) -> FinishReason? {
    switch reason {
    case nil: nil
    case "end_turn", "stop_sequence": .stop
    case "max_tokens": .length
    case "refusal": .refusal
    default: .other
    }
  }
}

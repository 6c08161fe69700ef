/// The `error` object a vendor sends inside an answer that began with 200: a `data:` event
/// mid-stream (OpenAI, OpenRouter, Gemini), Anthropic's `event: error`, or a 200 body that
/// is an error (OpenRouter). All carry `message`; the rest varies by vendor.
struct VendorErrorBody: Decodable, Sendable {
  var message: String?
  /// OpenAI's `server_error`, Anthropic's `overloaded_error`.
  var type: String?
  /// Gemini's `UNAVAILABLE`.
  var status: String?
  /// A string (OpenAI) or an HTTP-like number (OpenRouter, Gemini).
  var code: String?

  enum CodingKeys: String, CodingKey { case message, type, status, code }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    message = try? container.decodeIfPresent(String.self, forKey: .message)
    type = try? container.decodeIfPresent(String.self, forKey: .type)
    status = try? container.decodeIfPresent(String.self, forKey: .status)
    if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
      code = text
    } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
      code = String(number)
    }
  }

  /// Whether the vendor's side failed (worth trying again later) rather than the answer.
  var isServerSide: Bool {
    if let code, let number = Int(code), number >= 500 { return true }
    let serverTypes: Set = ["server_error", "api_error", "overloaded_error"]
    let serverStatuses: Set = ["INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED"]
    return type.map(serverTypes.contains) == true || status.map(serverStatuses.contains) == true
  }

  /// The error to throw: the answer broke off with the vendor's message.
  func error(provider: ProviderID, key: String?) -> ProviderError {
    var text = "\(provider.displayName) failed in the middle of the answer"
    if let message, !message.isEmpty { text += ": \(VendorText.quoted(message, key: key))" }
    return ProviderError(isServerSide ? .server : .badResponse, provider: provider, text)
  }
}

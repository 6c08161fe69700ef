import Assistant
import Hummingbird

/// The assistant's failures as statuses that say what to do; keys blotted out of every
/// message (a vendor may echo part of a key in its own error text).
enum AssistantHTTP {
  static func status(of error: ProviderError) -> HTTPResponse.Status {
    switch error.kind {
    case .missingKey, .refusedKey, .badRequest, .formatUnsupported: .badRequest
    case .rateLimited, .budget: .tooManyRequests
    case .quota: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
    case .forbidden: .forbidden
    case .timeout: .gatewayTimeout
    case .server, .unreachable, .badResponse: .badGateway
    }
  }

  static func answering<T>(keys: [String?], _ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as ProviderError {
      throw HTTPError(status(of: error), message: redact(error.message, keys: keys))
    }
  }

  /// `text` with every key (and any run of 12 or more of a key's characters) replaced.
  static func redact(_ text: String, keys: [String?]) -> String {
    var text = text
    for key in keys.compactMap({ $0 }) where key.count >= 8 {
      text = text.replacingOccurrences(of: key, with: "[key]")
      // Vendors print a key's start and end ("sk-abc...wxyz"): each 12-character piece too.
      let characters = Array(key)
      if characters.count > 12 {
        for start in 0...(characters.count - 12) {
          text = text.replacingOccurrences(
            of: String(characters[start..<start + 12]), with: "[key]")
        }
      }
    }
    return text
  }

  /// The keys a message could hold: the request's and the server's.
  static func keys(_ request: ChatRequest?, environment: [String: String]) -> [String?] {
    [request?.apiKey]
      + (ProviderSettings.keyVariables.values.sorted() + ["GITHUB_TOKEN"]).map { environment[$0] }
  }
}

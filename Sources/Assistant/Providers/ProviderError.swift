import Foundation

/// Why a vendor gave no answer, in words a user acts on. Messages name the provider and the
/// status ("the OpenAI key was refused (401)") and never carry a key.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: String, Sendable, Codable {
    /// No key for a provider that needs one (the original's 400 naming the variable).
    case missingKey = "missing_key"
    /// The key was refused (401, Gemini's 400 API_KEY_INVALID, 403).
    case refusedKey = "refused_key"
    /// Rate limited after the retries (429).
    case rateLimited = "rate_limited"
    /// Out of quota or credit (429 insufficient_quota, 402): not retried.
    case quota
    /// The request itself was refused (400): a bad model name, an unsupported parameter.
    case badRequest = "bad_request"
    /// The vendor does not support the response format asked for (the ladder steps down).
    case formatUnsupported = "format_unsupported"
    /// The vendor failed (5xx, 529) after the retries.
    case server
    /// The vendor could not be reached, or took too long.
    case unreachable
    case timeout
    /// The answer could not be read (not the vendor's format), or a stream broke off.
    case badResponse = "bad_response"
    /// The session's token budget is spent.
    case budget
    /// A per-request base URL in multi-user mode, or a request the server will not send.
    case forbidden
  }

  public var kind: Kind
  public var provider: ProviderID
  public var message: String
  /// The vendor's HTTP status, when it answered.
  public var status: Int?

  public init(_ kind: Kind, provider: ProviderID, _ message: String, status: Int? = nil) {
    self.kind = kind
    self.provider = provider
    self.message = message
    self.status = status
  }

  public var description: String { message }

  /// Whether trying again later may succeed (429 rate limits, 5xx, 529, timeouts).
  public var isRetryable: Bool {
    [.rateLimited, .server, .timeout, .unreachable].contains(kind)
  }
}

import Foundation
import NIOHTTP1

/// A vendor's answer other than 2xx, read: which kind of failure it is, whether trying again
/// may help, and how long the vendor asked us to wait. `VendorHTTP` retries the retryable
/// ones and turns the last into a `ProviderError`.
struct VendorFailure: Error, Sendable {
  var kind: ProviderError.Kind
  var status: Int
  /// The vendor's own words (bounded, the key taken out).
  var vendorMessage: String?
  var retryable: Bool
  /// `retry-after-ms` or `Retry-After` (seconds), when sent.
  var retryAfter: Duration?

  /// `structured`: the request asked for structured output, so a 400 about it means the
  /// format is unsupported (the caller steps down the ladder) rather than a bad request.
  init(
    provider: ProviderID, status: Int, headers: HTTPHeaders, body: Data, key: String?,
    structured: Bool
  ) {
    self.status = status
    let raw = String(decoding: body.prefix(VendorText.scannedErrorBytes), as: UTF8.self)
    vendorMessage = VendorText.errorMessage(in: body).map { VendorText.quoted($0, key: key) }
    retryAfter = Self.retryAfter(headers)
    let lowered = raw.lowercased()
    retryable = false
    switch status {
    case 401:
      kind = .refusedKey
    case 403:
      // OpenRouter's 403 is its moderation refusing the input, not the key.
      kind = provider == .openrouter && lowered.contains("moderat") ? .badRequest : .refusedKey
    case 402:
      kind = .quota
    case 429 where lowered.contains("insufficient_quota"):
      kind = .quota
    case 429:
      kind = .rateLimited
      retryable = true
    case 400, 422:
      if raw.contains("API_KEY_INVALID") {
        kind = .refusedKey
      } else if structured && Self.mentionsFormat(lowered) {
        kind = .formatUnsupported
      } else {
        kind = .badRequest
      }
    case 408:
      kind = .timeout
    case 500, 502, 503, 504, 529:
      kind = .server
      retryable = true
    case 500..<600:
      kind = .server
    case 400..<500:
      kind = .badRequest
    default:
      kind = .badResponse
    }
  }

  /// The error to throw once no retry is left (`attempts` made in all).
  func error(provider: ProviderID, attempts: Int) -> ProviderError {
    let name = provider.displayName
    let tries = attempts > 1 ? " after \(attempts) attempts" : ""
    var message: String
    switch kind {
    case .refusedKey:
      message = "\(Self.keyOf(provider)) was refused (\(status))"
    case .rateLimited:
      message = "\(name) is rate limited (\(status))\(tries)"
    case .quota:
      message = "\(name) says the account is out of quota or credit (\(status))"
    case .formatUnsupported:
      message = "\(name) does not support the structured output asked for (\(status))"
    case .badRequest:
      message = "\(name) refused the request (\(status))"
    case .server:
      message = "\(name) failed (\(status))\(tries)"
    case .timeout:
      message = "\(name) timed out (\(status))"
    default:
      message = "\(name) answered with an unexpected status (\(status))"
    }
    if let vendorMessage, !vendorMessage.isEmpty { message += ": \(vendorMessage)" }
    return ProviderError(kind, provider: provider, message, status: status)
  }

  /// "the OpenAI key", or for a display name that is already a phrase ("the OpenAI-compatible
  /// server"), "the key of" it.
  static func keyOf(_ provider: ProviderID) -> String {
    let name = provider.displayName
    return name.hasPrefix("the ") ? "the key of \(name)" : "the \(name) key"
  }

  /// Words a vendor uses when it refuses a structured-output parameter.
  private static func mentionsFormat(_ lowered: String) -> Bool {
    [
      "response_format", "json_schema", "responsejsonschema", "output_config", "structured",
      "not supported",
    ].contains { lowered.contains($0) }
  }

  private static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
    if let text = headers.first(name: "retry-after-ms"), let ms = Double(text), ms >= 0 {
      return .milliseconds(ms)
    }
    // An HTTP date instead of seconds is left to the backoff: no vendor we speak sends one.
    if let text = headers.first(name: "retry-after"), let seconds = Double(text), seconds >= 0 {
      return .milliseconds(seconds * 1000)
    }
    return nil
  }
}

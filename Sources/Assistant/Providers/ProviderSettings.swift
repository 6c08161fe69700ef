import Foundation

/// Where each vendor is and which key and model it is asked with, from the environment
/// (the vendor SDKs' variables), with a request's own key and (single-user only) base URL
/// on top.
public struct ProviderSettings: Sendable, Equatable {
  public var baseURL: String
  public var apiKey: String?
  public var defaultModel: String
  /// Whether the vendor works without a key (a local server).
  public var keyOptional: Bool
  /// The variable a user sets for the key (named in a missing-key error).
  public var keyVariable: String
  public var connectTimeout: Duration = .seconds(10)
  /// The whole request, streaming included.
  public var totalTimeout: Duration = .seconds(180)
  public var retry = RetryPolicy()
  /// Headers every request carries besides the key (OpenRouter's attribution).
  public var extraHeaders: [String: String] = [:]

  public init(
    baseURL: String, apiKey: String?, defaultModel: String, keyOptional: Bool = false,
    keyVariable: String
  ) {
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.apiKey = apiKey
    self.defaultModel = defaultModel
    self.keyOptional = keyOptional
    self.keyVariable = keyVariable
  }

  /// Current small models as defaults (the seed's are retired); `LLM_DEFAULT_MODEL_<ID>`
  /// overrides each.
  public static let defaultModels: [ProviderID: String] = [
    .openai: "gpt-5.4-mini", .openrouter: "openai/gpt-5.4-mini", .gemini: "gemini-3.5-flash",
    .anthropic: "claude-haiku-4-5", .openaiCompatible: "llama3.2",
  ]

  /// The variable holding each vendor's key: read here, named in a missing-key error, and
  /// blotted out of every message the server sends (`AssistantHTTP`).
  public static let keyVariables: [ProviderID: String] = [
    .openai: "OPENAI_API_KEY", .openrouter: "OPENROUTER_API_KEY", .gemini: "GEMINI_API_KEY",
    .anthropic: "ANTHROPIC_API_KEY", .openaiCompatible: "TAU_LLM_API_KEY",
  ]

  /// The settings of `provider` from `environment`; nil for `manual`.
  public static func from(_ environment: [String: String], provider: ProviderID)
    -> ProviderSettings?
  {
    func value(_ name: String) -> String? {
      environment[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }
    let modelVariable =
      "LLM_DEFAULT_MODEL_"
      + provider.rawValue.uppercased().replacingOccurrences(of: "-", with: "_")
    let model = value(modelVariable) ?? defaultModels[provider] ?? ""
    let keyVariable = keyVariables[provider] ?? ""
    let key = value(keyVariable)
    switch provider {
    case .openai:
      return ProviderSettings(
        baseURL: value("OPENAI_BASE_URL") ?? "https://api.openai.com/v1",
        apiKey: key, defaultModel: model, keyVariable: keyVariable)
    case .openrouter:
      var settings = ProviderSettings(
        baseURL: value("OPENROUTER_BASE_URL") ?? "https://openrouter.ai/api/v1",
        apiKey: key, defaultModel: model,
        keyVariable: keyVariable)
      settings.extraHeaders = [
        "HTTP-Referer": "https://github.com/tau-intelligence/tau-sim",
        "X-OpenRouter-Title": "tau-sim", "X-Title": "tau-sim",
      ]
      return settings
    case .gemini:
      return ProviderSettings(
        baseURL: value("GEMINI_BASE_URL") ?? "https://generativelanguage.googleapis.com",
        apiKey: key, defaultModel: model, keyVariable: keyVariable)
    case .anthropic:
      return ProviderSettings(
        baseURL: value("ANTHROPIC_BASE_URL") ?? "https://api.anthropic.com",
        apiKey: key, defaultModel: model,
        keyVariable: keyVariable)
    case .openaiCompatible:
      return ProviderSettings(
        baseURL: value("TAU_LLM_BASE_URL") ?? "http://localhost:11434/v1",
        apiKey: key, defaultModel: model, keyOptional: true,
        keyVariable: keyVariable)
    case .manual:
      return nil
    }
  }
}

/// Retries of 429, 5xx and 529: exponential backoff from `initialDelay`, honouring the
/// vendor's `Retry-After` (seconds) or `retry-after-ms` up to `maximumDelay`.
public struct RetryPolicy: Sendable, Equatable {
  public var attempts = 3
  public var initialDelay: Duration = .milliseconds(500)
  public var maximumDelay: Duration = .seconds(20)

  public init() {}

  /// The wait before attempt `attempt` (1 = the first retry), given the headers' hint.
  public func delay(attempt: Int, retryAfter: Duration?) -> Duration {
    if let retryAfter { return min(retryAfter, maximumDelay) }
    let factor = 1 << min(max(attempt - 1, 0), 10)
    return min(initialDelay * factor, maximumDelay)
  }
}

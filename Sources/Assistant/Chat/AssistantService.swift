import Foundation
import Logging
import Projects
import Simulation

/// The assistant: builds the prompt and the project's context, asks the chosen provider
/// (structured output first, stepping down when a model refuses it), reads the answer
/// robustly, has the simulator check its proposals and asks for repairs, counts tokens,
/// queues manual requests, and keeps the conversation with the project.
public struct AssistantService: Sendable {
  public let store: ProjectStore
  public let checker: ProposalChecker?
  public let pictures: EpisodePictures?
  public let environment: [String: String]
  /// Multi-user servers refuse a per-request base URL: it would let any visitor make the
  /// server call internal addresses.
  public let multiUser: Bool
  public let ledger: TokenLedger
  public let manual: ManualQueue
  public let contextBudget: Int
  /// Makes the provider for an id and settings (the real vendors').
  public var makeProvider:
    @Sendable (ProviderID, ProviderSettings) -> (any LanguageModelProvider)? =
      { Providers.make($0, settings: $1) }
  let logger = Logger(label: "tau.assistant")

  /// At most this many images per request, each at most `maximumImageBytes`.
  public static let maximumImages = 4
  public static let maximumImageBytes = 5 << 20

  public init(
    store: ProjectStore, simulation: SimulationServices?, environment: [String: String],
    multiUser: Bool
  ) {
    self.store = store
    checker = simulation.map { ProposalChecker(store: store, simulation: $0) }
    pictures = simulation?.pictures
    self.environment = environment
    self.multiUser = multiUser
    ledger = TokenLedger(
      budget: environment["TAU_LLM_BUDGET_TOKENS"].flatMap { Int($0) }.flatMap {
        $0 > 0 ? $0 : nil
      })
    manual = ManualQueue()
    contextBudget =
      environment["TAU_LLM_CONTEXT_CHARS"].flatMap { Int($0) }.map { max(2000, $0) }
      ?? ProjectContext.defaultBudget
  }

  /// The provider a request names, else the first with a server key, else OpenAI (whose
  /// missing key then says which variable to set).
  public func providerID(for request: ChatRequest) -> ProviderID {
    if let provider = request.provider { return provider }
    let order: [ProviderID] = [.openai, .anthropic, .gemini, .openrouter]
    return order.first { ProviderSettings.from(environment, provider: $0)?.apiKey != nil }
      ?? .openai
  }

  /// The settings for one request: the server's, the user's own key on top, a base URL of
  /// the request's own only in single-user mode.
  public func settings(
    _ id: ProviderID, apiKey: String?, baseURL: String?
  ) throws -> ProviderSettings {
    guard var settings = ProviderSettings.from(environment, provider: id) else {
      throw ProviderError(.badRequest, provider: id, "\(id.displayName) has no settings")
    }
    if let apiKey { settings.apiKey = apiKey }
    if let baseURL {
      guard !multiUser else {
        throw ProviderError(
          .forbidden, provider: id,
          "a base URL of the request's own is refused on a multi-user server; the server's "
            + "operator sets each vendor's base URL")
      }
      guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""),
        url.host != nil
      else {
        throw ProviderError(.badRequest, provider: id, "base_url must be an http(s) URL")
      }
      settings.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }
    if settings.apiKey == nil, !settings.keyOptional {
      throw ProviderError(
        .missingKey, provider: id,
        "no API key for \(id.displayName): set \(settings.keyVariable) on the server, or send "
          + "your own key")
    }
    return settings
  }
}

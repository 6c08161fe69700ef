import Foundation

/// `GET /api/providers`: which vendors have a server key (never the key), their default
/// models and the models each offers now (its list-models call, cached for 10 minutes).
public actor ProviderCatalog {
  public struct Entry: Codable, Sendable, Equatable {
    public var id: ProviderID
    public var displayName: String
    public var hasServerKey: Bool
    public var keyVariable: String?
    public var defaultModel: String?
    public var models: [String]?
    /// Why the models could not be listed (no key, the vendor failed).
    public var modelsError: String?

    enum CodingKeys: String, CodingKey {
      case id, models
      case displayName = "display_name"
      case hasServerKey = "has_server_key"
      case keyVariable = "key_variable"
      case defaultModel = "default_model"
      case modelsError = "models_error"
    }
  }

  let environment: [String: String]
  let makeProvider: @Sendable (ProviderID, ProviderSettings) -> (any LanguageModelProvider)?
  let lifetime: Duration = .seconds(600)
  private var listed: [ProviderID: (models: [String], at: ContinuousClock.Instant)] = [:]

  public init(
    environment: [String: String],
    makeProvider: @escaping @Sendable (ProviderID, ProviderSettings) -> (any LanguageModelProvider)?
  ) {
    self.environment = environment
    self.makeProvider = makeProvider
  }

  public func entries() async -> [Entry] {
    var entries: [Entry] = []
    for id in ProviderID.allCases {
      guard let settings = ProviderSettings.from(environment, provider: id) else {
        entries.append(
          Entry(id: id, displayName: "Manual queue", hasServerKey: false, models: nil))
        continue
      }
      var entry = Entry(
        id: id,
        displayName: id == .openaiCompatible ? "Local server (OpenAI-compatible)" : id.displayName,
        hasServerKey: settings.apiKey != nil,
        keyVariable: settings.keyVariable, defaultModel: settings.defaultModel)
      if settings.apiKey != nil || settings.keyOptional {
        do {
          entry.models = try await models(id, settings)
        } catch let error as ProviderError {
          entry.modelsError = error.message
        } catch {
          entry.modelsError = "\(error)"
        }
      } else {
        entry.modelsError = "no server key: set \(settings.keyVariable), or send your own key"
      }
      entries.append(entry)
    }
    return entries
  }

  private func models(_ id: ProviderID, _ settings: ProviderSettings) async throws -> [String] {
    if let cached = listed[id], cached.at + lifetime > .now { return cached.models }
    guard let provider = makeProvider(id, settings) else { return [] }
    var quick = settings
    quick.retry.attempts = 1
    let models = try await (makeProvider(id, quick) ?? provider).listModels()
    listed[id] = (models, .now)
    return models
  }
}

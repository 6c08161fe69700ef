/// The provider for an id, with its settings.
public enum Providers {
  public static func make(_ id: ProviderID, settings: ProviderSettings)
    -> (any LanguageModelProvider)?
  {
    switch id {
    case .openai, .openrouter, .openaiCompatible:
      return OpenAIChatProvider(id: id, settings: settings)
    case .gemini:
      return GeminiProvider(settings: settings)
    case .anthropic:
      return AnthropicProvider(settings: settings)
    case .manual:
      return nil
    }
  }
}
